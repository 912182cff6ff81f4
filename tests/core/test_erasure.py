"""Erasure reaches every table: a person signs up, uses every app through its real
services (each app's ``tests/<app>/personal_data.py`` fills its part, found through the
registry), deletes the account through the form, and afterwards no text column of any
model of any installed app (Wagtail, allauth and sessions included) holds their name or
address."""

import importlib
import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.cache import cache
from django.db import connection, models

from kommune360.accounts.models import User
from kommune360.core.certificates import Certificate
from kommune360.core.models import AuditEntry, OutgoingMail
from kommune360.core.registry import registry

pytestmark = pytest.mark.django_db

FIRST, LAST = "Quirinella", "Vellhagen-Ostermoor"
NAME = f"{FIRST} {LAST}"
EMAIL = "quirinella.vellhagen@ostermoor-amt.example"
SEARCHED = (FIRST, LAST, EMAIL)

# EmailField, SlugField and URLField are CharFields.
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)

# Values that may keep a trace, and why. None today: hashes (participation's blocked
# address, the newsletter's suppression list) hold no readable name or address.
KEPT: dict[tuple[str, str], str] = {}


def fill_for(entry):
    """The app's test helper that fills its part of a person's data; a new app with a
    ``PersonalData`` entry must bring one."""
    module = importlib.import_module(f"tests.{entry.app_label}.personal_data")
    return module.fill


def stored_texts():
    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table not in tables:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._base_manager.values_list("pk", *[f.attname for f in fields]):
            for field, value in zip(fields, row[1:], strict=True):
                if value in (None, ""):
                    continue
                if not isinstance(value, str):
                    value = json.dumps(value, ensure_ascii=False, default=str)
                yield model._meta.label, field.name, row[0], value


def traces(searched=SEARCHED):
    found = []
    for label, field, pk, text in stored_texts():
        if (label, field) in KEPT:
            continue
        if any(s.casefold() in text.casefold() for s in searched):
            found.append((label, field, pk, text[:300]))
    return found


def test_every_app_with_personal_data_brings_a_fill_helper():
    for entry in registry.personal_data():
        assert callable(fill_for(entry)), entry.app_label


@pytest.fixture
def person(client, home_page):
    cache.clear()  # allauth's sign-up rate limit
    response = client.post(
        "/konto/signup/",
        {
            "first_name": FIRST,
            "last_name": LAST,
            "email": EMAIL,
            "organisation": "Jugendamt Ostermoor",
            "password1": "ein-langes-passwort-42",
            "password2": "ein-langes-passwort-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    EmailAddress.objects.filter(user=user).update(verified=True)
    client.force_login(user)
    return user


def test_erasure_leaves_no_name_or_address_in_any_table(client, person):
    for entry in registry.personal_data():
        fill_for(entry)(person, client, NAME, EMAIL)
    before = {(label, field) for label, field, _pk, _text in traces()}
    # The scan finds what it looks for, and core's tables hold the person before.
    assert {("core.Certificate", "holder_name"), ("core.OutgoingMail", "to")} <= before
    assert ("core.AuditEntry", "object_repr") in before
    codes = list(Certificate.objects.filter(holder=person).values_list("code", flat=True))
    assert len(codes) >= 2
    entries = AuditEntry.objects.count()

    response = client.post("/konto/loeschen/", {"confirm_email": EMAIL})

    assert response.status_code == 302
    assert not User.objects.filter(email=EMAIL).exists()
    assert traces() == []
    # The audit log keeps its entries (one more: the deletion), without the person.
    assert AuditEntry.objects.count() >= entries + 1
    assert not OutgoingMail.objects.filter(to__icontains="ostermoor-amt").exists()
    for code in codes:
        page = client.get(f"/nachweis/{code}/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "Diese Bescheinigung bestätigt keine Teilnahme mehr." in html
        assert "Diese Bescheinigung ist gültig." not in html
        assert LAST not in html
        assert not Certificate.objects.get(code=code).is_valid


def test_mail_to_others_and_audit_entries_stay_without_the_person():
    from kommune360.accounts.services import delete_account
    from kommune360.core.audit import log_action
    from kommune360.core.mail import queue_email
    from tests.factories.accounts import UserFactory
    from tests.factories.core import TopicFactory

    person = UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST)
    topic = TopicFactory(name="Beteiligung")
    kept_entry = log_action(person, "core.example", topic, note=f"Hinweis von {NAME}", n=3)
    other_entry = log_action(None, "core.example", topic, note="Hinweis von jemand anderem")
    digest = queue_email(
        f"Neue Beiträge, einer von {NAME}",
        ["moderation@example.org"],
        f"{NAME} ({EMAIL}) schrieb etwas.",
        reply_to=[EMAIL],
    )
    queue_email("Ihr Beitrag", [EMAIL], "Danke")
    # Somebody whose address merely contains the person's keeps everything.
    namesake = UserFactory(email=f"h{EMAIL}")
    namesake_entry = log_action(namesake, "core.example", topic, note=f"Von h{EMAIL}")
    namesake_mail = queue_email("Für Sie", [f"h{EMAIL}"], f"Guten Tag h{EMAIL}")

    delete_account(person)

    kept_entry.refresh_from_db()
    assert kept_entry.actor is None
    assert kept_entry.object_repr == "Beteiligung"
    assert kept_entry.data == {"note": "Hinweis von [gelöscht]", "n": 3}
    other_entry.refresh_from_db()
    assert other_entry.data == {"note": "Hinweis von jemand anderem"}
    namesake_entry.refresh_from_db()
    assert namesake_entry.actor == namesake
    assert namesake_entry.data == {"note": f"Von h{EMAIL}"}
    assert OutgoingMail.objects.get(pk=namesake_mail.pk).text == f"Guten Tag h{EMAIL}"
    left = OutgoingMail.objects.exclude(pk=namesake_mail.pk).get()
    assert left.pk == digest.pk and left.to == ["moderation@example.org"]
    assert left.subject == "Neue Beiträge, einer von [gelöscht]"
    assert left.text == "[gelöscht] ([gelöscht]) schrieb etwas."
    assert left.reply_to == []


def test_erasure_forgets_every_cached_page(monkeypatch):
    """Apps erase with bulk updates, which send no signal to the page cache: erasure
    itself forgets every stored page, so none still shows the person."""
    from kommune360.core.cache import GENERATION_KEY, start_generation
    from kommune360.core.personal_data import erase_person
    from kommune360.core.registry import PersonalData
    from tests.factories.accounts import UserFactory

    person = UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST)

    def erase_in_bulk(user):
        User.objects.filter(pk=user.pk).update(first_name="", last_name="")

    only_bulk = [PersonalData("bulk", "Bulk", export=lambda user: None, erase=erase_in_bulk)]
    monkeypatch.setattr(registry, "personal_data", lambda: only_bulk)
    before = cache.get(GENERATION_KEY) or start_generation()

    erase_person(person)

    assert User.objects.get(pk=person.pk).last_name == ""
    assert cache.get(GENERATION_KEY) != before
