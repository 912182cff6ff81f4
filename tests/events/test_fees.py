"""The fee note: "kostenfrei" when empty, else the organisers' text, wherever an event
is described to people deciding whether to come (list, detail, form, mails, the facts
of a training request)."""

import json
import re

import pytest
from django.urls import reverse

from kommune360.events import services, training_request
from tests.factories.events import EventFactory

FEE = "35 € Tagungspauschale (inkl. Verpflegung)"


def test_list_says_for_each_event_what_it_costs(client, home_page):
    EventFactory(title="Offenes Netzwerktreffen", fee_note="")
    EventFactory(title="Werkstatt mit Beitrag", fee_note=FEE)
    html = client.get(reverse("events:list")).content.decode()
    cards = html.split('<li class="kern-card events-card">')[1:]
    (free,) = [card for card in cards if "Offenes Netzwerktreffen" in card]
    (paid,) = [card for card in cards if "Werkstatt mit Beitrag" in card]
    assert "kostenfrei" in free and "Tagungspauschale" not in free
    assert FEE in paid and "kostenfrei" not in paid


@pytest.mark.parametrize("fee_note", ["", FEE], ids=["free", "fee"])
def test_detail_form_mails_and_training_request_name_the_fee(
    client, home_page, fee_note, django_capture_on_commit_callbacks, mailoutbox
):
    shown = fee_note or "kostenfrei"
    other = "kostenfrei" if fee_note else "Tagungspauschale"
    event = EventFactory(title="Fellow-Treffen Kosten", fee_note=fee_note, capacity=1)
    cost = f'Kosten</dt><dd class="kern-description-list-item__value">{shown}</dd>'

    html = client.get(event.get_absolute_url()).content.decode()
    assert cost in html
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["isAccessibleForFree"] is (not fee_note)
    assert data["offers"].get("description") == (fee_note or None)
    assert ("price" in data["offers"]) is (not fee_note)

    form = client.get(reverse("events:register", args=[event.slug])).content.decode()
    assert cost in form

    with django_capture_on_commit_callbacks(execute=True):
        first = services.register_for_event(event, name="Erika", email="erika@beispiel.example")
        services.register_for_event(event, name="Max", email="max@beispiel.example")
        services.cancel_registration(first, notify=False)  # Max is offered the place
    confirmed = next(m for m in mailoutbox if m.subject.startswith("Anmeldung bestätigt"))
    offered = next(m for m in mailoutbox if m.subject.startswith("Ein Platz ist frei"))
    for message in (confirmed, offered):
        assert f"\nKosten: {shown}\n" in message.body, message.subject
        assert other not in message.body

    facts = training_request.facts(event)
    assert facts.cost_text == shown
