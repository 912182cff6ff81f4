"""Operations on accounts: profile changes, roles, the personal-data export, deletion."""

import json

from django.contrib.auth.models import Group
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from kommune360.core.audit import log_action
from kommune360.core.personal_data import erase_person, export_person


def update_profile(user, *, first_name, last_name, organisation, position):
    user.first_name = first_name
    user.last_name = last_name
    user.organisation = organisation
    user.position = position
    user.save(update_fields=["first_name", "last_name", "organisation", "position"])
    log_action(user, "accounts.profile_updated", user)


def grant_role(actor, user, role) -> bool:
    """Give ``user`` the role ``role`` (a name of ``roles.ALL``), e.g. when an editor
    approves a request to become a provider; false if the account had it already."""
    group = Group.objects.get(name=role)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    log_action(actor, "accounts.role_granted", user, role=role)
    return True


def export_personal_data(user) -> dict:
    """Everything the platform holds about ``user``, collected from every app."""
    return {
        "format": "kommune360-datenauskunft/1",
        "created": timezone.now(),
        "account": user.email,
        "sections": export_person(user),
    }


def export_personal_data_json(user) -> bytes:
    log_action(user, "accounts.data_exported", user)
    data = export_personal_data(user)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


@transaction.atomic
def delete_account(user) -> int:
    """Erase what every app holds about ``user``, then the account itself; returns the
    id the account had. Logging the person out is the caller's part, after the commit."""
    user_id = user.pk
    erase_person(user)
    log_action(None, "accounts.deleted", None, user_id=user_id)
    user.delete()
    return user_id
