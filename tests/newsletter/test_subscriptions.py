import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from kommune360.newsletter import services
from kommune360.newsletter.models import (
    ConsentEvent,
    Delivery,
    Subscriber,
    SuppressedAddress,
    email_hash,
)
from kommune360.newsletter.tokens import link_token
from tests.factories.newsletter import CampaignFactory, SubscriberFactory, TopicFactory
from tests.newsletter.suppression import is_suppressed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def topics():
    return [TopicFactory(name="Allgemein", default_selected=True), TopicFactory(name="Jugendhilfe")]


def _signup(client, email="neu@musterstadt.example", topics=(), **extra):
    data = {"email": email, "topics": [t.pk for t in topics], "consent": "on", **extra}
    return client.post(reverse("newsletter:signup"), data)


def _confirm_url(mail):
    return re.search(r"https?://\S+(/newsletter/bestaetigen/\S+/)", mail.body).group(1)


def _link_from_signup(client, topics, capture, mailoutbox, email="a@musterstadt.example"):
    with capture(execute=True):
        _signup(client, email=email, topics=topics)
    return _confirm_url(mailoutbox[-1])


def test_signup_page_needs_no_csrf_token_and_sends_confirmation(
    topics, django_capture_on_commit_callbacks, mailoutbox
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("newsletter:signup"))
    assert page.status_code == 200
    assert b"csrfmiddlewaretoken" not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, topics=topics[:1])
    assert response.status_code == 302
    assert not Subscriber.objects.exists()  # nothing stored before the confirmation
    assert len(mailoutbox) == 1
    assert "/newsletter/bestaetigen/" in mailoutbox[0].body
    assert Client().post(_confirm_url(mailoutbox[0])).status_code == 200
    subscriber = Subscriber.objects.get(email="neu@musterstadt.example")
    assert subscriber.state == Subscriber.State.ACTIVE
    assert list(subscriber.topics.all()) == topics[:1]
    requested, confirmed = subscriber.consent_events.all()
    assert requested.kind == ConsentEvent.Kind.REQUESTED
    assert requested.consent_text_version == services.CONSENT_TEXT_VERSION
    assert requested.form == "newsletter"
    assert requested.details == {"themen": ["Allgemein"]}
    assert confirmed.kind == ConsentEvent.Kind.CONFIRMED


def test_confirmation_link_get_shows_button_post_activates(
    topics, client, django_capture_on_commit_callbacks, mailoutbox
):
    url = _link_from_signup(client, topics, django_capture_on_commit_callbacks, mailoutbox)
    assert client.get(url).status_code == 200
    assert not Subscriber.objects.exists()  # a link scanner confirms nothing
    response = client.post(url)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get(email="a@musterstadt.example")
    assert subscriber.state == Subscriber.State.ACTIVE
    assert subscriber.confirmed_at is not None
    client.post(url)  # idempotent
    assert subscriber.consent_events.filter(kind="confirmed").count() == 1
    assert subscriber.consent_events.filter(kind="requested").count() == 1


def _snapshot(subscriber):
    subscriber = Subscriber.objects.get(pk=subscriber.pk)
    return (
        {f.attname: getattr(subscriber, f.attname) for f in Subscriber._meta.concrete_fields},
        sorted(subscriber.topics.values_list("pk", flat=True)),
        list(subscriber.consent_events.values_list("pk", "kind")),
    )


@pytest.mark.parametrize("state", [Subscriber.State.UNSUBSCRIBED, Subscriber.State.ACTIVE])
def test_forged_signup_changes_nothing_until_the_link_is_followed(
    topics, state, django_capture_on_commit_callbacks, mailoutbox
):
    """A cross-site POST (no token, another site's form) for a known address."""
    from django.test import Client

    subscriber = SubscriberFactory(email="ziel@musterstadt.example", topics=topics[:1])
    if state == Subscriber.State.UNSUBSCRIBED:
        services.unsubscribe(subscriber, channel=ConsentEvent.Channel.WEB)
    before = _snapshot(subscriber)
    forger = Client(enforce_csrf_checks=True, HTTP_ORIGIN="https://boese.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(forger, email="ZIEL@musterstadt.example ", topics=topics[1:])
    assert response.status_code == 302
    assert _snapshot(subscriber) == before
    assert is_suppressed("ziel@musterstadt.example") is (state != "active")
    if state == Subscriber.State.ACTIVE:
        assert mailoutbox == []
        return
    assert len(mailoutbox) == 1  # the only effect: a mail to the address itself
    # The owner follows the link: now the requested topics apply, with history.
    assert Client().post(_confirm_url(mailoutbox[0])).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE
    assert list(subscriber.topics.all()) == topics[1:]
    kinds = list(subscriber.consent_events.values_list("kind", flat=True))
    assert kinds[-2:] == ["requested", "confirmed"]
    assert not is_suppressed("ziel@musterstadt.example")


def test_a_link_older_than_an_unsubscribe_does_not_undo_it(
    topics, client, django_capture_on_commit_callbacks, mailoutbox
):
    url = _link_from_signup(client, topics, django_capture_on_commit_callbacks, mailoutbox)
    assert client.post(url).status_code == 200
    subscriber = Subscriber.objects.get(email="a@musterstadt.example")
    services.unsubscribe(subscriber, channel=ConsentEvent.Channel.WEB)
    before = _snapshot(subscriber)
    assert client.post(url).status_code == 400
    assert _snapshot(subscriber) == before


def test_invalid_confirmation_link(client):
    response = client.get(reverse("newsletter:confirm", args=["kaputt"]))
    assert response.status_code == 400
    assert "ungültig".encode() in response.content


def test_signup_errors_are_german_and_keep_input(topics, client):
    response = _signup(client, email="keine-adresse", topics=[])
    assert response.status_code == 400
    content = response.content.decode()
    assert "gültige E-Mail-Adresse" in content
    assert "Bitte wählen Sie mindestens eine Möglichkeit aus." in content
    assert 'value="keine-adresse"' in content
    assert not Subscriber.objects.exists()


def test_honeypot_and_rate_limit(topics, client, django_capture_on_commit_callbacks):
    response = _signup(client, topics=topics, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    for n in range(10):
        assert _signup(client, email=f"p{n}@musterstadt.example", topics=topics).status_code == 302
    assert _signup(client, email="p11@musterstadt.example", topics=topics).status_code == 429


def test_active_address_signing_up_again_gets_no_mail(
    topics, client, django_capture_on_commit_callbacks, mailoutbox
):
    SubscriberFactory(email="da@musterstadt.example")
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, email="da@musterstadt.example", topics=topics)
    assert mailoutbox == []


def test_preferences_change_topics_with_history(topics, client):
    subscriber = SubscriberFactory(topics=topics[:1])
    url = reverse("newsletter:preferences", args=[link_token(subscriber.token)])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"topics": [topics[1].pk]})
    assert response.status_code == 302
    assert list(subscriber.topics.all()) == [topics[1]]
    assert subscriber.consent_events.filter(kind="preferences").exists()
    assert client.get(reverse("newsletter:preferences", args=["falsch"])).status_code == 404


def test_unsubscribe_get_shows_post_unsubscribes_without_csrf(topics):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    subscriber = SubscriberFactory()
    campaign = CampaignFactory()
    delivery = Delivery.objects.create(campaign=campaign, subscriber=subscriber, email="x@y.z")
    url = reverse("newsletter:unsubscribe", args=[link_token(subscriber.token, campaign.pk)])
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.UNSUBSCRIBED
    event = subscriber.consent_events.get(kind="unsubscribed")
    assert event.channel == ConsentEvent.Channel.ONE_CLICK
    assert event.campaign == campaign
    assert SuppressedAddress.objects.filter(email_hash=email_hash(subscriber.email)).exists()
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SKIPPED
    campaign.refresh_from_db()
    assert campaign.unsubscribed_count == 1
    client.post(url)  # a second POST changes nothing
    campaign.refresh_from_db()
    assert campaign.unsubscribed_count == 1


def test_consent_history_is_append_only():
    subscriber = SubscriberFactory()
    event = subscriber.consent_events.first()
    event.form = "geändert"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        ConsentEvent.objects.update(form="x")


CSV = (
    "email;name\n"
    "eins@musterstadt.example;Eins\n"
    "kaputt\n"
    "eins@musterstadt.example;doppelt\n"
    "weg@musterstadt.example;Abgemeldet\n"
    "da@musterstadt.example;schon da\n"
    "zwei@musterstadt.example;\n"
)


def test_import_dry_run_reports_rows_and_writes_nothing(topics):
    from tests.factories.accounts import UserFactory

    SubscriberFactory(email="da@musterstadt.example")
    SuppressedAddress.objects.create(
        email_hash=email_hash("Weg@Musterstadt.example"), reason="unsubscribed"
    )
    editor = UserFactory()
    result = services.import_subscribers(
        CSV.encode(),
        source="public",
        legal_basis="Art. 6 (1) f DSGVO",
        topics=topics,
        actor=editor,
        dry_run=True,
    )
    assert result.rows == 6
    assert result.created == ["eins@musterstadt.example", "zwei@musterstadt.example"]
    lines = dict(result.errors)
    assert set(lines) == {3, 4, 5, 6}
    assert "keine gültige E-Mail-Adresse" in lines[3]
    assert "mehrfach" in lines[4]
    assert "Sperrliste" in lines[5]
    assert "bereits eingetragen" in lines[6]
    assert Subscriber.objects.count() == 1

    result = services.import_subscribers(
        CSV.encode(),
        source="public",
        legal_basis="Art. 6 (1) f DSGVO",
        topics=topics,
        actor=editor,
        dry_run=False,
    )
    imported = Subscriber.objects.get(email="eins@musterstadt.example")
    assert imported.state == Subscriber.State.ACTIVE
    assert imported.basis == Subscriber.Basis.IMPORT
    assert set(imported.topics.all()) == set(topics)
    event = imported.consent_events.get()
    assert (event.kind, event.source, event.legal_basis, event.actor) == (
        "imported",
        "public",
        "Art. 6 (1) f DSGVO",
        editor,
    )


def test_import_requires_source_and_legal_basis(topics):
    with pytest.raises(ValueError):
        services.import_subscribers(
            b"email\na@b.example\n", source="", legal_basis="x", topics=topics, actor=None
        )
    with pytest.raises(ValueError):
        services.import_subscribers(
            b"email\na@b.example\n", source="event", legal_basis=" ", topics=topics, actor=None
        )


def test_export_of_all_subscribers(admin_client, topics):
    SubscriberFactory(email="export@musterstadt.example", topics=topics)
    export = admin_client.get(reverse("newsletter_export"))
    assert export.status_code == 200
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert "export@musterstadt.example" in export.content.decode("utf-8-sig")


def test_personal_data_export_and_erasure(topics):
    from kommune360.accounts.services import delete_account, export_personal_data
    from tests.factories.accounts import UserFactory

    user = UserFactory(email="Person@Musterstadt.example")
    subscriber = SubscriberFactory(email="person@musterstadt.example", topics=topics)
    services.unsubscribe(subscriber, channel="web")
    data = export_personal_data(user)["sections"]["newsletter"]["data"]
    kinds = [e["ereignis"] for e in data["einwilligungshistorie"]]
    assert kinds == ["Anmeldung angefordert", "Anmeldung bestätigt", "abgemeldet / widersprochen"]
    delete_account(user)
    assert not Subscriber.objects.filter(email="person@musterstadt.example").exists()
    assert not ConsentEvent.objects.exists()
    # The objection survives as a hash, so a later import cannot add the address again.
    assert is_suppressed("person@musterstadt.example")


def test_the_signup_form_renders_on_any_page_without_a_csrf_token(topics, rf):
    from django.template import engines

    html = (
        engines["django"]
        .from_string('{% load newsletter %}{% newsletter_signup_form "home" %}')
        .render({})
    )
    assert 'action="/newsletter/"' in html
    assert re.search(r'name="form_id" value="home"', html)
    assert "csrfmiddlewaretoken" not in html


def test_home_page_carries_the_signup_form(client, home_page, topics):
    page = client.get(home_page.url).content.decode()
    assert 'action="/newsletter/"' in page
    assert 'name="form_id" value="home"' in page
    assert "Jugendhilfe" in page
