"""A second factor for everybody who works in the admin (ASVS V4.3.1).

Staff (the roles in ``accounts.roles.STAFF``, superusers and ``is_staff`` accounts) reach
``/admin/`` and ``/django-admin/``, and use their rights on any other page (drafts,
cohort areas, attendance lists), only after a second factor in this session; until
then only their account pages and files open:

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
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.dispatch import receiver
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


# What a staff member may open before the second factor outside the admin: their
# account (log-in, log-out, setting up the authenticator) and files.
_OPEN_ELSEWHERE = (
    "/konto/",
    "/en/konto/",
    "/static/",
    "/media/",
    "/favicon.ico",
    "/robots.txt",
    "/healthz",
)
SESSION_KEY = "kommune360_staff"


@receiver(user_logged_in, dispatch_uid="kommune360-staff-session")
def remember_staff(sender, request, user, **kwargs):
    """Whether the account is staff, kept in the session at log-in: staff rights work on
    public pages too (drafts, cohort areas, attendance lists), and this way the check
    there costs no query for the members who are not staff."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = is_staff_member(user)


def _needs_second_factor(request):
    user = request.user
    if not user.is_authenticated:
        return False
    path = request.path_info
    if is_staff_path(path):
        staff = is_staff_member(user)
    elif path.startswith(_OPEN_ELSEWHERE):
        return False
    else:
        # Staff rights reach beyond the admin: without the second factor a staff
        # member uses none of them, on any page.
        staff = user.is_superuser or user.is_staff or request.session.get(SESSION_KEY, False)
    return staff and not passed_second_factor(request, user)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_REQUIRE_MFA and _needs_second_factor(request):
            user = request.user
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
