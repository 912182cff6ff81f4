"""The account area's forms: ours, and allauth's with the site's messages for empty
required fields (``core.forms.RequiredMessages``; settings ``ACCOUNT_FORMS`` and
``MFA_FORMS`` name the classes below for every allauth page the site serves)."""

from allauth.account import forms as account
from allauth.mfa.base import forms as mfa
from allauth.mfa.recovery_codes import forms as recovery_codes
from allauth.mfa.totp import forms as totp
from django import forms
from django.utils.translation import gettext_lazy as _

from kommune360.core.addresses import EmailAddressField
from kommune360.core.forms import Form, RequiredMessages


class AddressLabel:
    """allauth calls the address "E-Mail"; every other form of the site says
    "E-Mail-Adresse"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("email", "login"):
            if name in self.fields:
                self.fields[name].label = _("E-Mail-Adresse")


class LoginForm(RequiredMessages, AddressLabel, account.LoginForm):
    pass


class AddEmailForm(RequiredMessages, AddressLabel, account.AddEmailForm):
    pass


class ChangePasswordForm(RequiredMessages, account.ChangePasswordForm):
    pass


class SetPasswordForm(RequiredMessages, account.SetPasswordForm):
    pass


class ResetPasswordForm(RequiredMessages, AddressLabel, account.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(RequiredMessages, account.ResetPasswordKeyForm):
    pass


class RequestLoginCodeForm(RequiredMessages, AddressLabel, account.RequestLoginCodeForm):
    pass


class ConfirmLoginCodeForm(RequiredMessages, account.ConfirmLoginCodeForm):
    pass


class ReauthenticateForm(RequiredMessages, account.ReauthenticateForm):
    pass


class ConfirmReauthenticationCodeForm(RequiredMessages, account.ConfirmReauthenticationCodeForm):
    pass


class AuthenticateCodeForm(RequiredMessages, mfa.AuthenticateForm):
    pass


class ReauthenticateCodeForm(RequiredMessages, mfa.ReauthenticateForm):
    pass


class ActivateTOTPForm(RequiredMessages, totp.ActivateTOTPForm):
    pass


class DeactivateTOTPForm(RequiredMessages, totp.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(RequiredMessages, recovery_codes.GenerateRecoveryCodesForm):
    pass


class SignupForm(RequiredMessages, AddressLabel, account.SignupForm):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Zum Beispiel Ihr Jugendamt, Ihre Verwaltung oder Ihre Einrichtung."),
    )

    field_order = ["first_name", "last_name", "email", "organisation", "password1", "password2"]

    def save(self, request):
        user = super().save(request)
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.organisation = self.cleaned_data["organisation"]
        user.save(update_fields=["first_name", "last_name", "organisation"])
        return user


class ProfileForm(Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    position = forms.CharField(label=_("Funktion"), max_length=200, required=False)


class DeleteAccountForm(Form):
    confirm_email = EmailAddressField(
        label=_("Ihre E-Mail-Adresse zur Bestätigung"),
        help_text=_("Geben Sie die E-Mail-Adresse Ihres Kontos ein, um das Löschen zu bestätigen."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm_email(self):
        value = self.cleaned_data["confirm_email"]
        if value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("Die Adresse stimmt nicht mit der Ihres Kontos überein."))
        return value
