from django.utils.functional import SimpleLazyObject

from .second_factor import SESSION_KEY


def staff(request):
    """``is_staff_session``: whether the layout links to the editors' area. The flag the
    session keeps since login (``second_factor.remember_staff``), so that a member's page
    costs no permission queries; the admin itself checks every right."""
    return {
        "is_staff_session": SimpleLazyObject(
            lambda: bool(getattr(request, "session", {}).get(SESSION_KEY, False))
        )
    }
