"""The footer says where an address came from only to those whose consent history says
so: an imported address reads the source of its import, an address that signed up
itself (double opt-in) reads nothing about it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kommune360.newsletter import rendering, sending, services
from kommune360.newsletter.models import ConsentEvent, Subscriber
from kommune360.newsletter.rendering import ORIGIN_SENTENCES, MailTemplate
from kommune360.newsletter.tokens import confirm_token
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, TopicFactory

pytestmark = pytest.mark.django_db

PUBLIC = "aus öffentlich zugänglichen Quellen"
PERSONAL = "aus einem persönlichen Kontakt"
EVENT = "aus Ihrer Anmeldung zu einer Veranstaltung"
OBJECTION = "Sie können dem Erhalt jederzeit widersprechen"


def _import(address, source, topic):
    result = services.import_subscribers(
        f"email\n{address}\n",
        source=source,
        legal_basis="Art. 6 Abs. 1 lit. f DSGVO",
        topics=[topic],
        actor=None,
        dry_run=False,
    )
    assert result.created == [address]
    return Subscriber.objects.get(email=address)


def _send(campaign):
    services.start_sending(campaign, enqueue_task=False)
    return sending.run_campaign(campaign.pk, connections=1)


def _bodies(smtp_sink):
    return {
        rcpt: (
            message.get_body(("plain",)).get_content(),
            message.get_body(("html",)).get_content(),
        )
        for rcpt, message in smtp_sink.parsed()
    }


def test_every_source_of_an_import_has_its_sentence():
    assert set(ORIGIN_SENTENCES) == set(ConsentEvent.Source.values)


def test_imported_addresses_read_their_source_and_signed_up_ones_nothing(smtp_sink):
    topic = TopicFactory(name="Jugendhilfe")
    SubscriberFactory(email="selbst@musterstadt.example", topics=[topic])
    _import("oeffentlich@musterstadt.example", "public", topic)
    _import("kontakt@musterstadt.example", "personal", topic)
    _import("festival@musterstadt.example", "event", topic)

    assert _send(CampaignFactory(topics=[topic]))["state"] == "sent"

    bodies = _bodies(smtp_sink)
    for text, html in bodies.values():
        assert "Vielen Dank, dass Sie den Newsletter" in text and "Vielen Dank" in html
    text, html = bodies["selbst@musterstadt.example"]
    for sentence in (PUBLIC, PERSONAL, EVENT, OBJECTION, "übernommen"):
        assert sentence not in text and sentence not in html
    for address, sentence in [
        ("oeffentlich@musterstadt.example", PUBLIC),
        ("kontakt@musterstadt.example", PERSONAL),
        ("festival@musterstadt.example", EVENT),
    ]:
        text, html = bodies[address]
        assert sentence in text and sentence in html, address
        assert OBJECTION in text and OBJECTION in html
        others = {PUBLIC, PERSONAL, EVENT} - {sentence}
        assert not any(other in text or other in html for other in others), address


def test_an_imported_address_that_signs_up_itself_reads_nothing_about_the_import(smtp_sink):
    topic = TopicFactory(name="Jugendhilfe")
    subscriber = _import("leserin@musterstadt.example", "public", topic)
    services.unsubscribe(subscriber, channel=ConsentEvent.Channel.WEB)
    request = {
        "m": subscriber.email,
        "n": "",
        "t": [topic.pk],
        "f": "newsletter",
        "v": "1",
        "at": (timezone.now() + timedelta(seconds=1)).isoformat(),
    }
    assert services.confirm_subscription(confirm_token(request)) is not None
    subscriber.refresh_from_db()
    assert subscriber.basis == Subscriber.Basis.CONSENT
    # The import stays in the history; the footer follows the basis.
    assert subscriber.consent_events.filter(kind=ConsentEvent.Kind.IMPORTED).exists()

    _send(CampaignFactory(topics=[topic]))

    text, html = _bodies(smtp_sink)["leserin@musterstadt.example"]
    assert PUBLIC not in text and PUBLIC not in html
    assert OBJECTION not in text


def test_the_smtp_message_is_exactly_the_bodies_for_that_subscriber(smtp_sink):
    topic = TopicFactory(name="Jugendhilfe")
    subscriber = _import("genau@musterstadt.example", "personal", topic)
    campaign = CampaignFactory(topics=[topic])

    _send(campaign)

    [(_rcpt, message)] = smtp_sink.parsed()
    text, html, _unsubscribe = MailTemplate(campaign).bodies(subscriber.token, "personal")
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == text
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == html
    assert PERSONAL in text
    raw = smtp_sink.messages[0][1]
    assert all(len(line) <= 76 for line in raw.split(b"\r\n\r\n", 1)[1].split(b"\r\n"))
    assert rendering.ORIGIN.encode() not in raw


def test_other_mail_backends_choose_the_same_sentence(mailoutbox):
    topic = TopicFactory(name="Jugendhilfe")
    SubscriberFactory(email="selbst@musterstadt.example", topics=[topic])
    _import("oeffentlich@musterstadt.example", "public", topic)

    _send(CampaignFactory(topics=[topic]))

    by_address = {m.to[0]: m for m in mailoutbox}
    imported = by_address["oeffentlich@musterstadt.example"]
    signed_up = by_address["selbst@musterstadt.example"]
    assert PUBLIC in imported.body and PUBLIC in imported.alternatives[0][0]
    assert PUBLIC not in signed_up.body and PUBLIC not in signed_up.alternatives[0][0]
    assert rendering.ORIGIN not in signed_up.body + signed_up.alternatives[0][0]
