"""The bounce webhook answers only for the configured provider and only with its secret."""

import base64
import json

import pytest
from django.core.checks import run_checks

from kommune360.newsletter import webhooks
from kommune360.newsletter.models import ConsentEvent, Subscriber
from tests.factories.newsletter import SubscriberFactory
from tests.newsletter.suppression import is_suppressed

pytestmark = pytest.mark.django_db

ADDRESS = "opfer@musterstadt.example"
BOUNCE = {
    "RecordType": "Bounce",
    "Type": "HardBounce",
    "TypeCode": 1,
    "Email": ADDRESS,
    "BouncedAt": "2024-12-02T10:00:00Z",
    "Details": "smtp;550 5.1.1 user unknown",
    "ID": 1,
}


def _post(client, body, *, provider="postmark", secret=None, content_type="application/json"):
    headers = {}
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(
        f"/newsletter/bounces/{provider}/tracking/", body, content_type=content_type, **headers
    )


def _unchanged(subscriber):
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.ACTIVE
    assert not subscriber.consent_events.filter(kind=ConsentEvent.Kind.BOUNCED).exists()
    assert not is_suppressed(ADDRESS)


@pytest.mark.parametrize("secret", [None, "bounces:falsch", "bounces:"])
def test_unsigned_or_wrong_secret_changes_nothing(client, settings, secret):
    settings.NEWSLETTER_BOUNCE_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "bounces:geheim"}
    subscriber = SubscriberFactory(email=ADDRESS)
    response = _post(client, json.dumps(BOUNCE), secret=secret)
    assert response.status_code == 400
    _unchanged(subscriber)


def test_without_a_secret_every_request_is_refused(client, settings):
    settings.NEWSLETTER_BOUNCE_PROVIDER = "postmark"
    settings.ANYMAIL = {}
    subscriber = SubscriberFactory(email=ADDRESS)
    for secret in (None, "bounces:geheim"):
        assert _post(client, json.dumps(BOUNCE), secret=secret).status_code == 403
    assert client.head("/newsletter/bounces/postmark/tracking/").status_code == 403
    _unchanged(subscriber)


def test_correct_secret_marks_bounced_with_consent_event(client, settings):
    settings.NEWSLETTER_BOUNCE_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": "bounces:geheim"}
    subscriber = SubscriberFactory(email=ADDRESS)
    assert _post(client, json.dumps(BOUNCE), secret="bounces:geheim").status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.BOUNCED
    event = subscriber.consent_events.get(kind=ConsentEvent.Kind.BOUNCED)
    assert event.channel == ConsentEvent.Channel.BOUNCE_WEBHOOK
    assert is_suppressed(ADDRESS)


@pytest.mark.parametrize("configured", ["", "postmark", "brevo"])
def test_every_other_provider_is_not_found(client, settings, configured):
    settings.NEWSLETTER_BOUNCE_PROVIDER = configured
    settings.ANYMAIL = {"WEBHOOK_SECRET": "bounces:geheim"}
    subscriber = SubscriberFactory(email=ADDRESS)
    others = sorted(set(webhooks.tracking_views()) - {configured}) + ["unbekannt"]
    assert len(others) > 10
    for provider in others:
        response = _post(client, json.dumps(BOUNCE), provider=provider, secret="bounces:geheim")
        assert response.status_code == 404, provider
    _unchanged(subscriber)


# Bodies no provider can read: always a 4xx.
UNREADABLE = [b"", b"kein json", b"\xff\xfe\x00", b'"text"', b"null", b"[1, 2, 3]"]
# Readable but odd bodies (an empty event list is a valid request): never a 5xx.
ODD = [
    b"[]",
    b"{}",
    b'{"RecordType": 5, "Email": []}',
    b'{"event": {"signature": 3}}',
    b'{"Message": "{", "Type": "Notification"}',
    b'[{"event": "hard_bounce", "msg": null}]',
]


@pytest.mark.parametrize("provider", sorted(webhooks.tracking_views()))
def test_junk_to_the_configured_endpoint_is_a_client_error(client, settings, provider):
    """Whichever provider is configured (with every key anymail knows), junk is no 5xx."""
    settings.NEWSLETTER_BOUNCE_PROVIDER = provider
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": "bounces:geheim",
        f"{provider.upper()}_WEBHOOK_SIGNING_KEY": "schluessel",
        f"{provider.upper()}_WEBHOOK_SIGNING_SECRET": "schluessel",
        f"{provider.upper()}_WEBHOOK_KEY": "schluessel",
        f"{provider.upper()}_API_KEY": "schluessel",
    }
    subscriber = SubscriberFactory(email=ADDRESS)
    for body in UNREADABLE + ODD:
        for content_type in ("application/json", "application/x-www-form-urlencoded"):
            response = _post(
                client, body, provider=provider, secret="bounces:geheim", content_type=content_type
            )
            assert response.status_code < 500, (provider, body, content_type)
            if body in UNREADABLE:
                assert response.status_code >= 400, (provider, body, content_type)
    _unchanged(subscriber)


def _warnings():
    return [
        m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("newsletter")
    ]


def test_deploy_check_warns_about_a_provider_without_secret(settings):
    settings.NEWSLETTER_BOUNCE_PROVIDER = "postmark"
    settings.ANYMAIL = {}
    assert _warnings() == ["newsletter.W001"]
    settings.ANYMAIL = {"WEBHOOK_SECRET": "bounces:geheim"}
    assert _warnings() == []
    settings.NEWSLETTER_BOUNCE_PROVIDER = ""
    settings.ANYMAIL = {}
    assert _warnings() == []


def test_check_deploy_reads_provider_and_secret_from_the_environment(tmp_path):
    from tests.core.test_security import KOMMUNE360, production_env, run

    env = production_env(tmp_path, NEWSLETTER_BOUNCE_PROVIDER="postmark")
    result = run(env, str(KOMMUNE360), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "newsletter.W001" in result.stderr
    env["ANYMAIL_WEBHOOK_SECRET"] = "bounces:geheim"
    result = run(env, str(KOMMUNE360), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_a_provider_anymail_renamed_is_not_offered():
    """Anymail answers its old name for Brevo with a deprecation warning on every
    request: the old name is not offered and ``check --deploy`` names the new one."""
    assert "sendinblue" not in webhooks.tracking_views()
    assert "brevo" in webhooks.tracking_views()
    assert "brevo" in webhooks.secret_problem("sendinblue")
