"""One-line fields lose control characters on save; mail subjects stay on one line.

Runs over every model of the platform's apps that has a ``CharField`` (discovered from
the app registry) and over every model with a test factory through a real save.
"""

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save
from wagtail.models import Page

from kommune360.core.text import clean_one_line_fields, mail_subject, one_line
from kommune360.events import services
from kommune360.events.models import Event
from tests.core import hostile
from tests.factories.events import EventFactory

DIRTY = "A\r\nB\tC\x00D\x1bE\x85F\u2028G\x7f"
CLEAN = "A B CDE F G"


def _char_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, models.CharField)]


def _models_with_char_fields():
    found = [m for m in apps.get_models() if hostile.is_project_model(m) and _char_fields(m)]
    assert len(found) > 20
    return found


def test_one_line():
    assert one_line(DIRTY) == CLEAN
    assert one_line("Ä\r\n\r\n\tÖ") == "Ä Ö"
    assert one_line("ohne Steuerzeichen: ä – „“") == "ohne Steuerzeichen: ä – „“"
    assert mail_subject("Titel\r\nBcc: x@evil.example\n") == "Titel Bcc: x@evil.example"


def test_every_char_field_of_every_model_is_cleaned_before_saving():
    # connected once, for every sender
    assert any(r[0][0] == "core-one-line-fields" for r in pre_save.receivers)
    for model in _models_with_char_fields():
        instance = model.__new__(model)  # without defaults (some read the database)
        for field in _char_fields(model):
            setattr(instance, field.attname, DIRTY)
        clean_one_line_fields(sender=model, instance=instance)
        for field in _char_fields(model):
            assert getattr(instance, field.attname) == CLEAN, (model, field.name)


@pytest.mark.django_db
def test_a_real_save_of_every_model_with_a_factory_stores_one_line(home_page):
    checked = 0
    for model, factory in hostile.factories().items():
        if not hostile.is_project_model(model):
            continue
        fields = [
            f
            for f in _char_fields(model)
            if not f.choices
            and not isinstance(f, models.SlugField | models.EmailField | models.URLField)
            and not f.primary_key
            and (f.max_length or 99) > len(DIRTY) + 8
            and (hostile.is_project_model(f.model) or f.name in hostile.PAGE_FIELDS)
        ]
        if not fields:
            continue
        # A get_or_create factory looks the value up first: PostgreSQL refuses NUL there.
        dirty = DIRTY.replace("\x00", "") if factory._meta.django_get_or_create else DIRTY
        values = {f.name: f"{dirty}{checked}{f.name}" if f.unique else dirty for f in fields}
        extra = {"parent": home_page} if issubclass(model, Page) else {}
        if extra:
            values["slug"] = f"zeilen-{checked}"
        instance = factory(**values, **extra)
        stored = model.objects.get(pk=instance.pk)
        stored_values = [getattr(stored, f.attname) for f in fields]
        for f, value in zip(fields, stored_values, strict=True):
            assert one_line(value) == value, (model, f.name, value)
        # (a factory may overwrite a field, e.g. hash the password)
        assert any(v.startswith(CLEAN) for v in stored_values), model
        checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_a_service_stores_a_name_on_one_line():
    event = EventFactory()
    registration = services.register_for_event(
        event, name="Anna\r\nBcc: x@evil.example", email="anna@beispiel.example"
    )
    registration.refresh_from_db()
    assert registration.name == "Anna Bcc: x@evil.example"


@pytest.mark.django_db
def test_an_old_title_with_a_line_break_still_gets_its_confirmation_mail(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    # Written before the cleaning existed (a queryset update sends no signal).
    Event.objects.filter(pk=event.pk).update(title="Festival\r\nBcc: x@evil.example")
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_for_event(event, name="Anna", email="anna@beispiel.example")
    (mail,) = mailoutbox
    assert mail.subject == "Anmeldung bestätigt: Festival Bcc: x@evil.example"
    headers = mail.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    assert mail.bcc == []
