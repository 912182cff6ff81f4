from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator

from kommune360.core.addresses import validate_email_address
from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email
from kommune360.core.visitor import visitor_address

from . import mfa_secrets, roles


def _current_site(request):
    """What allauth's mails call ``current_site``: the network's name and the host."""
    from kommune360.core.models import SiteSettings

    domain = urlsplit(settings.SITE_URL).netloc
    name = ""
    if request is not None:
        domain = request.get_host()
        try:
            name = SiteSettings.for_request(request).network_name
        except Exception:  # no Wagtail site for this host: fall back to the default name
            name = ""
    return SimpleNamespace(
        name=name or str(settings.KOMMUNE360_DEFAULT_NETWORK_NAME), domain=domain
    )


class AccountAdapter(DefaultAccountAdapter):
    """allauth, adapted: mail goes through the task worker; new people become members."""

    def get_client_ip(self, request):
        """The visitor's address as the site's own limits see it (``core.visitor``): one
        way to count the trusted proxies, and a malformed header is no error page."""
        address = visitor_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    @method_decorator(in_default_language)
    def send_mail(self, template_prefix, email, context):
        """Account mails (confirmation, login codes …) in the platform's language."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": _current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_email(message.subject, message.to, message.body, html=html)

    def clean_email(self, email):
        """Every address allauth takes (sign-up, added addresses) passes core's validator."""
        email = super().clean_email(email)
        validate_email_address(email)
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(Group.objects.get_or_create(name=roles.MEMBER)[0])
        return user


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA, adapted: TOTP keys and recovery-code seeds encrypted at rest."""

    def encrypt(self, text):
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text):
        return mfa_secrets.decrypt(encrypted_text)
