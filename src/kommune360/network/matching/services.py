"""Matching rounds: opt in, pairing (``solver``), staff review and release, both sides
accept before contact, the "Wie läuft euer Tandem?" question three months later."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kommune360.core.audit import log_action
from kommune360.core.mail import queue_email

from ..models import Block, MatchingRound, Pair, Participation, Profile, TandemAnswer
from . import reasons, solver

FOLLOW_UP_AFTER = timedelta(days=91)


def _url(round_obj) -> str:
    return settings.SITE_URL + reverse("network:round", args=[round_obj.pk])


@transaction.atomic
def create_round(actor, title, description="") -> MatchingRound:
    found = MatchingRound.objects.create(title=title, description=description)
    log_action(actor, "network.round_created", found)
    return found


def _locked(round_obj):
    return MatchingRound.objects.select_for_update().get(pk=round_obj.pk)


@transaction.atomic
def open_round(actor, round_obj) -> MatchingRound:
    round_obj = _locked(round_obj)
    if round_obj.state != MatchingRound.State.DRAFT:
        raise ValidationError(_("Nur ein Entwurf kann geöffnet werden."))
    round_obj.state = MatchingRound.State.OPEN
    round_obj.save(update_fields=["state"])
    log_action(actor, "network.round_opened", round_obj)
    return round_obj


@transaction.atomic
def join(user, round_obj, data) -> Participation:
    round_obj = _locked(round_obj)
    if round_obj.state != MatchingRound.State.OPEN:
        raise ValidationError(_("Für diese Runde ist die Anmeldung nicht offen."))
    if not Profile.objects.filter(user=user, is_active=True).exists():
        raise ValidationError(
            _("Bitte legen Sie zuerst Ihr Netzwerkprofil an und schalten Sie es ein.")
        )
    partners = int(data.get("partners") or 1)
    if not 1 <= partners <= 3:
        raise ValidationError(_("Bitte wählen Sie 1, 2 oder 3 Tandem-Partner:innen."))
    participation, _created = Participation.objects.update_or_create(
        round=round_obj,
        user=user,
        defaults={
            "seeks": (data.get("seeks") or "")[:600],
            "partners": partners,
            "exclude_municipality": bool(data.get("exclude_municipality")),
            "exclude_district": bool(data.get("exclude_district")),
        },
    )
    participation.topics.set(data.get("topics") or [])
    participation.excluded.set([u for u in data.get("excluded") or [] if u.pk != user.pk])
    log_action(user, "network.round_joined", round_obj)
    return participation


@transaction.atomic
def leave(user, round_obj) -> None:
    round_obj = _locked(round_obj)
    if round_obj.state != MatchingRound.State.OPEN:
        raise ValidationError(_("Die Anmeldung ist geschlossen."))
    Participation.objects.filter(round=round_obj, user=user).delete()
    log_action(user, "network.round_left", round_obj)


def people_of(round_obj):
    """The participants as ``solver.Person`` (their profiles' role, place and topics)."""
    participations = list(
        Participation.objects.filter(round=round_obj, user__is_active=True)
        .select_related("user__network_profile__municipality")
        .prefetch_related(
            "topics",
            "excluded",
            "user__network_profile__topics",
            "user__network_profile__offers_topics",
            "user__network_profile__seeks_topics",
        )
    )
    people = []
    for item in participations:
        profile = getattr(item.user, "network_profile", None)
        if profile is None or not profile.is_active:
            continue
        place = profile.municipality
        district = None
        if place is not None:
            district = (
                place.ags if len(place.ags) == 5 else (place.ags[:5] if place.district_id else None)
            )
        own = {t.pk for t in item.topics.all()}
        people.append(
            solver.Person(
                key=item.user_id,
                role=profile.role,
                topics=frozenset(own | {t.pk for t in profile.topics.all()}),
                offers=frozenset(t.pk for t in profile.offers_topics.all()),
                seeks=frozenset(own | {t.pk for t in profile.seeks_topics.all()}),
                municipality=place.ags if place else None,
                district=district,
                state=place.state if place else None,
                kind=place.kind if place else None,
                population=place.population if place else None,
                capacity=item.partners,
                exclude_municipality=item.exclude_municipality,
                exclude_district=item.exclude_district,
                excluded=frozenset(u.pk for u in item.excluded.all()),
            )
        )
    return people


@transaction.atomic
def compute_pairs(actor, round_obj) -> list[Pair]:
    """Close the sign-up and propose the pairs with the highest total score."""
    round_obj = _locked(round_obj)
    if round_obj.state not in (MatchingRound.State.OPEN, MatchingRound.State.REVIEW):
        raise ValidationError(_("Paare lassen sich nur für eine offene Runde bilden."))
    people = people_of(round_obj)
    keys = [p.key for p in people]
    blocked = frozenset(
        Block.objects.filter(blocker_id__in=keys, blocked_id__in=keys).values_list(
            "blocker_id", "blocked_id"
        )
    )
    chosen = solver.solve(people, blocked)
    by_key = {p.key: p for p in people}
    round_obj.pairs.all().delete()
    pairs = []
    for first, second, score in chosen:
        parts = solver.parts(by_key[first], by_key[second])
        pairs.append(
            Pair(
                round=round_obj,
                first_id=first,
                second_id=second,
                score=score,
                reasons=reasons.strongest(parts),
            )
        )
    Pair.objects.bulk_create(pairs)
    matched = {k for a, b, _s in chosen for k in (a, b)}
    for person in people:
        reason = ""
        if person.key not in matched:
            possible = any(
                solver.allowed(person, other, blocked) and solver.score(person, other) > 0
                for other in people
            )
            reason = "capacity" if possible else "excluded"
        Participation.objects.filter(round=round_obj, user_id=person.key).update(
            unmatched_reason=reason
        )
    round_obj.state = MatchingRound.State.REVIEW
    round_obj.save(update_fields=["state"])
    log_action(actor, "network.round_paired", round_obj, pairs=len(pairs))
    return pairs


@transaction.atomic
def remove_pair(actor, pair) -> None:
    if pair.round.state != MatchingRound.State.REVIEW:
        raise ValidationError(_("Nur vor der Freigabe lassen sich Paare entfernen."))
    log_action(actor, "network.pair_removed", pair.round, pair=pair.pk)
    pair.delete()


@transaction.atomic
def release(actor, round_obj) -> MatchingRound:
    round_obj = _locked(round_obj)
    if round_obj.state != MatchingRound.State.REVIEW:
        raise ValidationError(_("Nur geprüfte Paare lassen sich freigeben."))
    round_obj.state = MatchingRound.State.RELEASED
    round_obj.released_at = timezone.now()
    round_obj.save(update_fields=["state", "released_at"])
    log_action(actor, "network.round_released", round_obj)
    paired = set()
    for first, second in round_obj.pairs.values_list("first_id", "second_id"):
        paired.update((first, second))
    for item in Participation.objects.filter(round=round_obj).select_related("user"):
        if item.user_id in paired:
            text = _(
                "Guten Tag,\n\nin der Runde „%(title)s“ haben wir ein Tandem für Sie gefunden. "
                "Warum gerade ihr, lesen Sie hier; nehmen Sie an oder ab:\n\n%(url)s\n\n"
                "Ihre Kontaktdaten sehen beide erst, wenn beide angenommen haben."
            )
        else:
            text = _(
                "Guten Tag,\n\nin der Runde „%(title)s“ haben wir diesmal kein Tandem für Sie "
                "gefunden. Warum, lesen Sie hier:\n\n%(url)s"
            )
        queue_email(
            _("It's a Match! – %(title)s") % {"title": round_obj.title},
            [item.user.email],
            text % {"title": round_obj.title, "url": _url(round_obj)},
        )
    return round_obj


def _my_pair(user, pair_id):
    pair = (
        Pair.objects.select_for_update()
        .select_related("round")
        .filter(Q(first=user) | Q(second=user), pk=pair_id)
        .first()
    )
    if pair is None or pair.round.state != MatchingRound.State.RELEASED:
        raise PermissionDenied
    return pair


@transaction.atomic
def answer_pair(user, pair_id, accept: bool) -> Pair:
    pair = _my_pair(user, pair_id)
    if pair.declined or pair.ended:
        raise ValidationError(_("Dieses Tandem besteht nicht mehr."))
    if not accept:
        pair.declined = True
        pair.save(update_fields=["declined"])
        log_action(user, "network.pair_declined", pair)
        return pair
    field = "first_accepted" if pair.first_id == user.pk else "second_accepted"
    setattr(pair, field, True)
    pair.save(update_fields=[field])
    log_action(user, "network.pair_accepted", pair)
    if pair.both_accepted:
        for person in (pair.first, pair.second):
            queue_email(
                _("Euer Tandem steht"),
                [person.email],
                _(
                    "Guten Tag,\n\nbeide haben angenommen. Die Kontaktdaten Ihres Tandems "
                    "finden Sie hier:\n\n%(url)s"
                )
                % {"url": _url(pair.round)},
            )
    return pair


def send_follow_ups(now=None) -> int:
    """Ask both sides of every accepted tandem, once, three months after the release."""
    now = now or timezone.now()
    due = Pair.objects.filter(
        round__released_at__lte=now - FOLLOW_UP_AFTER,
        first_accepted=True,
        second_accepted=True,
        ended=False,
        followup_sent__isnull=True,
    ).select_related("first", "second", "round")
    count = 0
    for pair in due:
        with transaction.atomic():
            locked = Pair.objects.select_for_update().get(pk=pair.pk)
            if locked.followup_sent:
                continue
            locked.followup_sent = now
            locked.save(update_fields=["followup_sent"])
            for person in (pair.first, pair.second):
                if person is not None:
                    queue_email(
                        _("Wie läuft euer Tandem?"),
                        [person.email],
                        _(
                            "Guten Tag,\n\nvor drei Monaten ist Ihr Tandem entstanden. "
                            "Wie läuft es? Eine Frage, ein Klick:\n\n%(url)s"
                        )
                        % {"url": _url(pair.round)},
                    )
            count += 1
    return count


@transaction.atomic
def answer_follow_up(user, pair_id, answer) -> TandemAnswer:
    pair = _my_pair(user, pair_id)
    if not pair.followup_sent:
        raise ValidationError(_("Diese Frage ist noch nicht gestellt."))
    if answer not in TandemAnswer.Answer.values:
        raise ValidationError(_("Bitte wählen Sie eine Antwort."))
    found, _created = TandemAnswer.objects.update_or_create(
        pair=pair, user=user, defaults={"answer": answer}
    )
    log_action(user, "network.tandem_answered", pair, answer=answer)
    return found
