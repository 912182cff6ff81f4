"""A second factor for everybody who works in the admin (ASVS V4.3.1).

Staff (the roles in ``accounts.roles.STAFF``, superusers and ``is_staff`` accounts) reach
``/admin/`` and ``/django-admin/`` only after a second factor in this session:

- without an activated authenticator they are sent to a page that explains why and
  leads to setting one up (TOTP with allauth's MFA);
- with one, but logged in without it (a login code, a session from before the
  activation), they confirm it first with allauth's MFA re-authentication.

``STAFF_REQUIRE_MFA`` switches this off for development only; ``check --deploy``
warns when it is off while DEBUG is off.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import checks
from django.shortcuts import redirect
from django.urls import reverse

# Pages under the admin prefixes a staff member may open before the second factor.
_ALWAYS_OPEN = ("/admin/login/", "/django-admin/login/", "/admin/logout/", "/django-admin/logout/")


def is_staff_member(user):
    """Whoever may enter an admin: the staff roles (all of them may access Wagtail's
    admin, accounts migrations) and Django's staff. The permission cache is the one
    Wagtail fills for the same request, so this costs no query of its own."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin")


def passed_second_factor(request, user):
    """True when this session recorded a second factor (login or re-authentication)."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def has_authenticator(user):
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def is_staff_path(path):
    return path.startswith(tuple(settings.KOMMUNE360_STAFF_PATH_PREFIXES)) and not (
        path.startswith(_ALWAYS_OPEN)
    )


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and is_staff_path(request.path_info):
            user = request.user
            if is_staff_member(user) and not passed_second_factor(request, user):
                query = urlencode({"next": request.get_full_path()})
                if has_authenticator(user):
                    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
                return redirect(f"{reverse('accounts:second_factor_required')}?{query}")
        return self.get_response(request)


@checks.register(checks.Tags.security, deploy=True)
def check_staff_second_factor(app_configs, **kwargs):
    if settings.STAFF_REQUIRE_MFA or settings.DEBUG:
        return []
    return [
        checks.Warning(
            "STAFF_REQUIRE_MFA is off: staff reach the admin with a password alone.",
            hint="Leave STAFF_REQUIRE_MFA unset (on) outside development.",
            id="kommune360.W001",
        )
    ]
