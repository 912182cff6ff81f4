from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from kommune360.core.demo import DEMO_PASSWORD

from . import roles
from .models import User

DEMO_ACCOUNTS = [
    # (email, first, last, roles, superuser)
    ("admin@kommune360.example", "Ada", "Administration", [roles.ADMINISTRATION], True),
    ("redaktion@kommune360.example", "Rita", "Redaktion", [roles.EDITOR], False),
    ("moderation@kommune360.example", "Moritz", "Moderation", [roles.MODERATOR], False),
    ("mitglied@kommune360.example", "Mira", "Musterfrau", [roles.MEMBER], False),
]
DEMO_LOGINS = (
    ("admin@kommune360.example", _("Administration")),
    ("redaktion@kommune360.example", _("Redaktion")),
    ("moderation@kommune360.example", _("Moderation")),
    ("mitglied@kommune360.example", _("Mitglied")),
)


def load_accounts_demo():
    """Demo accounts, one per role; their addresses are verified so they can log in."""
    from allauth.account.models import EmailAddress

    for email, first, last, role_names, superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            maker = User.objects.create_superuser if superuser else User.objects.create_user
            user = maker(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
        for name in role_names:
            user.groups.add(Group.objects.get(name=name))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
