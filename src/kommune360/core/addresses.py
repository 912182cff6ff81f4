"""E-mail addresses: the one normaliser and the one validator every app uses.

``validate_email_address`` is Django's ``EmailValidator`` (syntax) plus the length
limits of RFC 5321 (4.5.3.1): a local part of at most 64 octets, a domain of at most
255, and at most 254 for the whole address (what fits into a path of 256 with its
angle brackets). ``EmailAddressField`` is the form field with it; every form that asks
for an address uses that field (``tests/core/test_addresses.py`` finds them all).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

LOCAL_PART_MAX = 64
DOMAIN_MAX = 255
ADDRESS_MAX = 254

INVALID_MESSAGE = _("Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@kommune.de.")
TOO_LONG_MESSAGE = _(
    "Diese E-Mail-Adresse ist zu lang: vor dem @ sind höchstens %(local_max)d Zeichen "
    "erlaubt, insgesamt höchstens %(address_max)d."
)


def normalize_email(address: str | None) -> str:
    """The form in which addresses are stored and compared: trimmed, lower case."""
    return (address or "").strip().lower()


@deconstructible
class EmailAddressValidator:
    code = "invalid"

    def __init__(self, message=None):
        self.syntax = EmailValidator(message=message or INVALID_MESSAGE, code=self.code)

    def __call__(self, value):
        value = value or ""
        local, _sep, domain = value.rpartition("@")
        # Length first: it is cheap and the clearer message for a long local part.
        if len(value) > ADDRESS_MAX or len(local) > LOCAL_PART_MAX or len(domain) > DOMAIN_MAX:
            raise ValidationError(
                TOO_LONG_MESSAGE,
                code="email_too_long",  # not "invalid": a form's own "invalid" text is no help
                params={"local_max": LOCAL_PART_MAX, "address_max": ADDRESS_MAX},
            )
        self.syntax(value)

    def __eq__(self, other):
        return isinstance(other, EmailAddressValidator)


validate_email_address = EmailAddressValidator()


def is_valid_email(address: str) -> bool:
    try:
        validate_email_address(address)
    except ValidationError:
        return False
    return True


class EmailAddressField(forms.EmailField):
    """A form field for an address: German messages, RFC 5321 limits."""

    default_validators = [validate_email_address]
    default_error_messages = {"invalid": INVALID_MESSAGE}
