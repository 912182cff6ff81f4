"""One validator and one normaliser for e-mail addresses, used by every form."""

import importlib
import importlib.util

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

from kommune360.core.addresses import (
    EmailAddressField,
    normalize_email,
    validate_email_address,
)

LONG_LOCAL = "a" * 300 + "@musterstadt.example"
TOO_LONG = "zu lang"


def _message(error):
    with translation.override("de"):
        return " ".join(str(m) for m in error.messages)


@pytest.mark.parametrize(
    "address",
    [
        LONG_LOCAL,
        "a" * 65 + "@musterstadt.example",
        "a@" + "b" * 250 + ".de",
        "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "deutschland",  # 259 in all
    ],
)
def test_rfc_5321_limits_with_a_german_message(address):
    with pytest.raises(ValidationError) as error:
        validate_email_address(address)
    assert TOO_LONG in _message(error.value)


@pytest.mark.parametrize(
    "address", ["a" * 64 + "@musterstadt.example", "x@" + "b" * 63 + ".de", "x@müll.de"]
)
def test_addresses_within_the_limits_pass(address):
    validate_email_address(address)


def test_syntax_errors_get_the_german_message():
    with pytest.raises(ValidationError) as error:
        validate_email_address("keine-adresse")
    assert "gültige E-Mail-Adresse" in _message(error.value)


def test_the_one_normaliser():
    assert normalize_email("  Erika.Muster@Beispiel.DE \n") == "erika.muster@beispiel.de"
    assert normalize_email(None) == ""


def _project_forms():
    """Every form class of every kommune360 app's ``forms`` module, and allauth's."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("kommune360."):
            continue
        name = f"{config.name}.forms"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
            ):
                found.add(value)
    for path in settings.ACCOUNT_FORMS.values():
        found.add(import_string(path))
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _email_fields():
    fields = []
    for form_class in _project_forms():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.EmailField):
                fields.append((f"{form_class.__module__}.{form_class.__qualname__}.{name}", field))
    return fields


def test_discovery_finds_the_address_fields():
    names = {name for name, _field in _email_fields()}
    assert len(names) >= 6, names
    assert "kommune360.newsletter.forms.SignupForm.email" in names


@pytest.mark.parametrize(
    "name,field", _email_fields(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_address_field_refuses_a_long_local_part_in_german(name, field):
    if type(field).__module__.startswith("allauth."):
        # allauth's own field: the account adapter validates what it stores (sign-up and
        # added addresses, test below); the others only look an account up.
        return
    assert isinstance(field, EmailAddressField), name
    with pytest.raises(ValidationError) as error:
        field.clean(LONG_LOCAL)
    assert TOO_LONG in _message(error.value)


@pytest.mark.django_db
def test_account_sign_up_refuses_a_long_local_part(client):
    from kommune360.accounts.models import User

    with translation.override("de"):
        response = client.post(
            reverse("account_signup"),
            {
                "first_name": "Erika",
                "last_name": "Beispiel",
                "email": LONG_LOCAL,
                "password1": "ein-langes-Passwort-2025",
                "password2": "ein-langes-Passwort-2025",
            },
        )
    assert response.status_code in (200, 400)
    assert not User.objects.exists()
    assert response.context["form"].errors["email"]


@pytest.mark.django_db
def test_newsletter_sign_up_refuses_a_long_local_part(client, mailoutbox):
    from kommune360.newsletter.models import Subscriber
    from tests.factories.newsletter import TopicFactory

    topic = TopicFactory()
    response = client.post(
        reverse("newsletter:signup"), {"email": LONG_LOCAL, "topics": [topic.pk], "consent": "on"}
    )
    assert response.status_code == 400
    assert TOO_LONG in response.content.decode()
    assert LONG_LOCAL in response.content.decode()  # the input stays
    assert not Subscriber.objects.exists()
    assert mailoutbox == []


@pytest.mark.django_db
def test_event_registration_refuses_a_long_local_part(client, home_page, mailoutbox):
    from kommune360.events.models import Registration
    from tests.factories.events import EventFactory

    event = EventFactory()
    response = client.post(
        reverse("events:register", args=[event.slug]),
        {"name": "Max Muster", "email": LONG_LOCAL, "privacy": "on"},
    )
    assert TOO_LONG in response.content.decode()
    assert not Registration.objects.exists()
    assert mailoutbox == []
