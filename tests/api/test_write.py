"""Providers write their offers with personal access tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kommune360.api import tokens
from kommune360.api.models import ApiToken, digest
from kommune360.atlas.models import Offer
from kommune360.core.models import AuditEntry
from tests.factories.atlas import OfferFactory, ProviderFactory
from tests.factories.core import FormatFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(provider_user, provider):
    _token, secret = tokens.create_token(provider_user, "Kursverwaltung", 30)
    return secret


@pytest.fixture
def payload(provider):
    return {
        "titel": "Werkstatt Beteiligung",
        "kurzbeschreibung": "Ein Tag Praxis für Jugendhilfeplaner:innen.",
        "anbieterin_id": provider.pk,
        "format": FormatFactory(name="Workshop/Seminar").slug,
        "zielgruppen": [TargetGroupFactory(name="Jugendhilfeplanung").slug],
        "kosten": "kostenfrei",
    }


def post(client, data, secret, **headers):
    return client.post(
        "/api/v1/angebote/",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        **headers,
    )


def patch(client, offer, data, secret, **headers):
    return client.patch(
        f"/api/v1/angebote/{offer.slug}/",
        data,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
        **headers,
    )


def test_the_token_is_shown_once_and_stored_hashed(client, provider_user, provider):
    client.force_login(provider_user)
    response = client.post("/konto/api-schluessel/", {"name": "Kursverwaltung", "days": "90"})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=provider_user)
    html = response.content.decode()
    secret = html.split("<code>k360_")[1].split("</code>")[0]
    assert token.digest == digest("k360_" + secret)
    assert secret not in str(ApiToken.objects.values_list().get())
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    listing = client.get("/konto/api-schluessel/").content.decode()
    assert secret not in listing and token.shown in listing
    assert AuditEntry.objects.filter(action="api.token_created").exists()


def test_members_without_offers_have_no_tokens(client):
    from tests.factories.accounts import UserFactory

    client.force_login(UserFactory())
    assert client.get("/konto/api-schluessel/").status_code == 403


def test_a_provider_creates_a_draft_through_the_review_workflow(client, secret, payload):
    response = post(client, {**payload, "einreichen": True}, secret)

    assert response.status_code == 201, response.content
    offer = Offer.objects.get(pk=response.json()["id"])
    assert offer.status == Offer.Status.SUBMITTED
    assert response.json()["status"] == "eingereicht"
    assert AuditEntry.objects.filter(action="api.offer_created", object_id=str(offer.pk)).exists()
    # Not public until the editors publish it.
    assert client.get(f"/api/v1/angebote/{offer.slug}/").status_code == 404


def test_a_change_to_a_published_offer_goes_back_to_review(client, secret, provider):
    offer = OfferFactory(provider=provider, target_groups=[TargetGroupFactory()])
    response = patch(client, offer, {"titel": "Neuer Titel"}, secret)

    assert response.status_code == 200, response.content
    offer.refresh_from_db()
    assert offer.title == "Neuer Titel"
    assert offer.status == Offer.Status.SUBMITTED
    assert AuditEntry.objects.filter(action="api.offer_updated").exists()


def test_another_providers_offer_is_403(client, secret, payload):
    foreign = OfferFactory(provider=ProviderFactory(name="Andere Akademie"))
    assert patch(client, foreign, {"titel": "Übernommen"}, secret).status_code == 403
    other = ProviderFactory(name="Noch eine Akademie")
    response = post(client, {**payload, "anbieterin_id": other.pk}, secret)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    foreign.refresh_from_db()
    assert foreign.title != "Übernommen"


def test_bad_values_get_the_forms_german_messages(client, secret, payload):
    response = post(
        client, {**payload, "kosten": "betrag", "zielgruppen": ["gibt-es-nicht"]}, secret
    )

    assert response.status_code == 400
    errors = {e["parameter"]: e["detail"] for e in response.json()["errors"]}
    assert "zielgruppen" in errors
    assert not Offer.objects.filter(title=payload["titel"]).exists()


def test_expired_revoked_and_unknown_tokens_are_401(client, secret, payload, provider_user):
    assert post(client, payload, "k360_nichts_da").status_code == 401
    token = ApiToken.objects.get(user=provider_user)
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    assert post(client, payload, secret).status_code == 401
    token.expires_at = timezone.now() + timedelta(days=1)
    token.save()
    assert post(client, payload, secret).status_code == 201
    client.force_login(provider_user)
    client.post(f"/konto/api-schluessel/{token.pk}/widerrufen/")
    response = post(client, {**payload, "titel": "Nach dem Widerruf"}, secret)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert AuditEntry.objects.filter(action="api.token_revoked").exists()


def test_a_token_without_the_scope_may_not_write(client, secret, payload, provider_user):
    ApiToken.objects.filter(user=provider_user).update(scope="offers:read")
    assert post(client, payload, secret).status_code == 403


def test_idempotency_key_makes_retries_safe(client, secret, payload):
    first = post(client, payload, secret, HTTP_IDEMPOTENCY_KEY="anlage-1")
    again = post(client, payload, secret, HTTP_IDEMPOTENCY_KEY="anlage-1")

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Offer.objects.filter(title=payload["titel"]).count() == 1

    other = post(client, {**payload, "titel": "Anders"}, secret, HTTP_IDEMPOTENCY_KEY="anlage-1")
    assert other.status_code == 422
    assert post(client, payload, secret, HTTP_IDEMPOTENCY_KEY="anlage-2").status_code == 201


def test_writes_have_their_own_limit_and_no_cors(client, secret, payload, monkeypatch):
    from kommune360.api.middleware import WRITES
    from kommune360.core import ratelimit

    monkeypatch.setattr(ratelimit, "now", lambda: 2_000_000.0)
    monkeypatch.setattr(WRITES, "limit", 2)
    assert "Access-Control-Allow-Origin" not in post(client, payload, secret)
    post(client, payload, secret)
    response = post(client, payload, secret)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_expired_keys_do_not_count_against_the_ten_valid_ones(client, provider_user, provider):
    for number in range(tokens.MAX_ACTIVE):
        tokens.create_token(provider_user, f"Schlüssel {number}", 30)
    client.force_login(provider_user)
    response = client.post("/konto/api-schluessel/", {"name": "Elf", "days": "90"})
    assert not ApiToken.objects.filter(name="Elf").exists()
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))
    response = client.post("/konto/api-schluessel/", {"name": "Elf", "days": "90"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(name="Elf").exists()
