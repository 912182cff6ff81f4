"""The providers' write API: ``POST /api/v1/angebote/`` and ``PATCH /api/v1/angebote/<slug>/``.

A provider's personal access token (``Authorization: Bearer k360_…``, scope
``offers:write``) creates and changes that provider's offers through the same form and
services as the provider's pages (``atlas.forms.OfferForm``, ``atlas.services``): a new
offer is a draft (``einreichen: true`` hands it to the editors at once), a change to a
published offer goes back to review. Another provider's offer is 403. With an
``Idempotency-Key`` a retry gets the first answer again, and the same key with another
request is refused (422). Every write is in the audit log with the token's name.
"""

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja.security import HttpBearer
from pydantic import BaseModel, Field

from kommune360.atlas import services as atlas
from kommune360.atlas.forms import OfferForm
from kommune360.atlas.models import Offer, Provider
from kommune360.core.audit import log_action
from kommune360.core.models import Format, Method, TargetGroup, Topic

from . import tokens
from .models import SCOPE_OFFERS_WRITE, IdempotentRequest
from .problems import problem
from .schemas import Problem
from .v1 import api

KEEP_ANSWERS = timedelta(hours=24)

# API field → form field.
FIELDS = {
    "titel": "title",
    "kurzbeschreibung": "summary",
    "beschreibung": "description",
    "durchfuehrung": "delivery",
    "region": "region",
    "land": "state",
    "kommune_ags": "municipality",
    "kosten": "cost",
    "kosten_eur": "cost_amount",
    "dauer_stunden": "duration_hours",
    "laufend": "ongoing",
    "beginn": "start_date",
    "ende": "end_date",
    "termine_hinweis": "dates_note",
    "sprache": "language",
    "website": "website",
    "kontakt": "contact",
    "teilnahmebescheinigung": "certificate",
    "lernziele": "learning_goals",
    "anerkennung": "accreditation",
}
TERMS = {
    "format": ("format", Format),
    "methoden": ("methods", Method),
    "themen": ("topics", Topic),
    "zielgruppen": ("target_groups", TargetGroup),
}


class OfferChange(BaseModel):
    """Fields of an offer; on PATCH only those sent change."""

    titel: str | None = Field(None, max_length=200)
    kurzbeschreibung: str | None = Field(None, max_length=300)
    beschreibung: str | None = None
    format: str | None = Field(None, description="Format slug.")
    methoden: list[str] | None = Field(None, description="Method slugs.")
    themen: list[str] | None = Field(None, description="Topic slugs.")
    zielgruppen: list[str] | None = Field(None, description="Target group slugs.")
    durchfuehrung: Literal[tuple(Offer.Delivery.values)] | None = None
    region: Literal[tuple(Offer.Region.values)] | None = None
    land: str | None = Field(None, max_length=2, description="State code, e.g. BY.")
    kommune_ags: str | None = Field(None, max_length=12, description="AGS of the municipality.")
    kosten: Literal[tuple(Offer.Cost.values)] | None = None
    kosten_eur: Decimal | None = Field(None, ge=0, le=999999)
    dauer_stunden: Decimal | None = Field(None, ge=0, le=9999)
    laufend: bool | None = None
    beginn: date | None = None
    ende: date | None = None
    termine_hinweis: str | None = Field(None, max_length=200)
    sprache: Literal[tuple(Offer.Language.values)] | None = None
    website: str | None = Field(None, max_length=200)
    kontakt: str | None = Field(None, max_length=200)
    teilnahmebescheinigung: bool | None = None
    lernziele: str | None = None
    anerkennung: str | None = Field(None, max_length=300)
    einreichen: bool = Field(False, description="Hand a draft to the editors for review.")


class OfferCreate(OfferChange):
    anbieterin_id: int = Field(description="A provider the token's account maintains.")


class OwnOffer(BaseModel):
    id: int
    slug: str
    titel: str
    status: str = Field(description="entwurf, eingereicht, veroeffentlicht, archiviert.")
    verwalten: str = Field(description="The offer's page in the provider's account.")
    geaendert: str


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is not None:
            request.api_token = found
        return found


WRITE_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}
WRITE_ERRORS.update({409: Problem, 422: Problem, 429: Problem})


@api.post(
    "/angebote/",
    auth=TokenAuth(),
    response={201: OwnOffer, 200: OwnOffer, **WRITE_ERRORS},
    operation_id="angebote_anlegen",
    summary="Create an offer of the token's provider (a draft).",
    tags=["Schreiben"],
)
def create(request, payload: OfferCreate):
    return _idempotent(request, lambda: _create(request, payload))


@api.patch(
    "/angebote/{key}/",
    auth=TokenAuth(),
    response={200: OwnOffer, **WRITE_ERRORS},
    operation_id="angebote_aendern",
    summary="Change an offer of the token's provider (goes back to review).",
    tags=["Schreiben"],
)
def change(request, key: str, payload: OfferChange):
    """``key``: the offer's slug, as in the read API (drafts have one too)."""
    return _idempotent(request, lambda: _change(request, key, payload))


def _allowed(request):
    token = request.api_token
    if token.scope != SCOPE_OFFERS_WRITE:
        raise PermissionDenied
    return token


def _create(request, payload):
    token = _allowed(request)
    user = token.user
    providers = atlas.providers_of(user)
    if not providers.filter(pk=payload.anbieterin_id).exists():
        raise PermissionDenied
    form = OfferForm(_form_data(payload, None, payload.anbieterin_id), providers=providers)
    if not form.is_valid():
        return _invalid(form)
    offer = atlas.create_offer(user, form.cleaned_data["provider"], form.cleaned_data)
    if payload.einreichen:
        offer = atlas.submit_offer(user, offer)
    log_action(user, "api.offer_created", offer, token=token.lookup)
    return 201, _own(offer)


def _change(request, slug, payload):
    token = _allowed(request)
    user = token.user
    offer = Offer.objects.filter(slug=slug).select_related("municipality").first()
    if offer is None:
        return 404, None
    if not atlas.can_maintain(user, offer):
        raise PermissionDenied
    providers = atlas.providers_of(user)
    form = OfferForm(_form_data(payload, offer), instance=offer, providers=providers)
    if not form.is_valid():
        return _invalid(form)
    offer = atlas.update_offer(user, offer, form.cleaned_data)
    if payload.einreichen and offer.status == Offer.Status.DRAFT:
        offer = atlas.submit_offer(user, offer)
    log_action(user, "api.offer_updated", offer, token=token.lookup)
    return 200, _own(offer)


def _form_data(payload, offer, provider_id=None):
    """The form's fields: the offer's values, overwritten by those sent. An unknown
    slug stays in as it is, so that the form names it."""
    if offer is not None:
        form = OfferForm(instance=offer, providers=Provider.objects.filter(pk=offer.provider_id))
    else:
        form = OfferForm(providers=Provider.objects.none())  # the model's defaults
    data = {name: form.initial.get(name, form.fields[name].initial) for name in form.fields}
    for name in ("methods", "topics", "target_groups"):
        data[name] = [term.pk for term in getattr(offer, name).all()] if offer else []
    if provider_id is not None:
        data["provider"] = provider_id
    sent = payload.model_dump(exclude_unset=True)
    for key, value in sent.items():
        if key in FIELDS:
            data[FIELDS[key]] = value
    for key, (name, model) in TERMS.items():
        if key in sent:
            value = sent[key] or []
            slugs = value if isinstance(value, list) else [value]
            found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            terms = [found.get(slug, f"?{slug}") for slug in slugs]
            data[name] = terms if isinstance(value, list) else (terms[0] if terms else "")
    return {k: ("" if v is None else v) for k, v in data.items()}


def _invalid(form):
    names = {form_name: api_name for api_name, form_name in FIELDS.items()}
    names.update({form_name: api_name for api_name, (form_name, _m) in TERMS.items()})
    names["provider"] = "anbieterin_id"
    errors = [
        {"parameter": names.get(field, "-"), "detail": " ".join(messages)}
        for field, messages in form.errors.items()
    ]
    return 400, {"__problem__": errors}


def _own(offer):
    return {
        "id": offer.pk,
        "slug": offer.slug,
        "titel": offer.title,
        "status": offer.status,
        "verwalten": f"{settings.SITE_URL}/angebote/verwalten/{offer.pk}/",
        "geaendert": offer.updated.isoformat(),
    }


def _answer(status, body):
    if status == 404:
        return problem("nicht-gefunden")
    if isinstance(body, dict) and "__problem__" in body:
        return problem("ungueltige-anfrage", errors=body["__problem__"])
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _run(compute):
    try:
        with transaction.atomic():
            return compute()
    except PermissionDenied:
        return 403, None
    except ValidationError as error:
        return 400, {"__problem__": [{"parameter": "-", "detail": " ".join(error.messages)}]}


def _respond(status, body):
    if status == 403:
        return problem("keine-berechtigung")
    return _answer(status, body)


def _idempotent(request, compute):
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        return _respond(*_run(compute))
    token = request.api_token
    if len(key) > 200:
        too_long = [{"parameter": "Idempotency-Key", "detail": "max. 200"}]
        return problem("ungueltige-anfrage", errors=too_long)
    fingerprint = hashlib.sha256(
        request.method.encode() + request.path.encode() + b"\n" + request.body
    ).hexdigest()
    IdempotentRequest.objects.filter(
        token=token, created_at__lt=timezone.now() - KEEP_ANSWERS
    ).delete()
    try:
        with transaction.atomic():
            kept = IdempotentRequest.objects.filter(token=token, key=key).first()
            if kept is not None:
                if kept.fingerprint != fingerprint:
                    return problem("schluessel-anders-verwendet")
                response = _answer(kept.status, kept.body)
                response["Idempotent-Replayed"] = "true"
                return response
            status, body = _run(compute)
            if status < 300:
                IdempotentRequest.objects.create(
                    token=token, key=key, fingerprint=fingerprint, status=status, body=body
                )
    except IntegrityError:  # the same key at the same moment: the other one wins
        return problem("konflikt")
    return _respond(status, body)
