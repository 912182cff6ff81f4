"""Subscribers and their consent: sign-up with double opt-in, confirmation, topic
preferences, unsubscribe, bounces, CSV import and export, GDPR export and erasure.

Every change adds to the append-only consent history and, where it matters, to the
audit log. Campaign control (start, pause, resume, progress) is in ``campaigns``; the
delivery engine in ``newsletter.sending``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core import imports as jobs
from kommune360.core.addresses import normalize_email, validate_email_address
from kommune360.core.audit import log_action
from kommune360.core.languages import default_language
from kommune360.core.mail import queue_email

from ..models import (
    Campaign,
    ConsentEvent,
    Delivery,
    ImportJob,
    Subscriber,
    SuppressedAddress,
    Topic,
    email_hash,
)
from ..tokens import confirm_token, link_token, read_confirm_token, read_link_token
from .campaigns import (  # noqa: F401 (the services API of the app)
    campaign_progress,
    enqueue_recipients,
    pause,
    recipient_count,
    recipients,
    resume,
    schedule_sending,
    start_due_campaigns,
    start_sending,
    unschedule_sending,
)

# The consent text shown next to the sign-up form. Change the version whenever the
# wording changes: every request records the version the person saw.
CONSENT_TEXT_VERSION = "2025-01"
CONSENT_TEXT = gettext_lazy(
    "Ich möchte den Newsletter mit den gewählten Themen per E-Mail erhalten. Meine "
    "Einwilligung kann ich jederzeit über den Abmeldelink in jeder Ausgabe widerrufen. "
    "Meine Adresse wird nur für den Newsletter verwendet."
)


def absolute_url(name, *args) -> str:
    with default_language():
        return settings.SITE_URL + reverse(name, args=args)


def preferences_url(subscriber, campaign_id=None) -> str:
    return absolute_url("newsletter:preferences", link_token(subscriber.token, campaign_id))


def unsubscribe_url(subscriber, campaign_id=None) -> str:
    return absolute_url("newsletter:unsubscribe", link_token(subscriber.token, campaign_id))


def subscriber_for_link(value: str):
    """``(subscriber, campaign_id)`` for a signed link token, or ``(None, None)``."""
    parsed = read_link_token(value)
    if parsed is None:
        return None, None
    token, campaign_id = parsed
    return Subscriber.objects.filter(token=token).first(), campaign_id


def _suppress(address: str, reason: str) -> None:
    SuppressedAddress.objects.update_or_create(
        email_hash=email_hash(address), defaults={"reason": reason}
    )


def _skip_open_deliveries(subscriber) -> None:
    Delivery.objects.filter(subscriber=subscriber, state=Delivery.State.PENDING).update(
        state=Delivery.State.SKIPPED
    )


# --- Sign-up and confirmation -----------------------------------------------------------


def request_subscription(email, *, topics, form, name="") -> None:
    """Send the confirmation mail (double opt-in); nothing else happens.

    The request (address, topics, form, name, time) travels in the signed link and is
    applied by ``confirm_subscription``: a sign-up somebody else sends for an address
    changes nothing in its row, topics or history (docs/decisions/0045). An address
    that is already active gets no mail, so the form does not reveal who is subscribed.
    """
    address = normalize_email(email)
    if Subscriber.objects.filter(email=address, state=Subscriber.State.ACTIVE).exists():
        return
    topics = list(topics)
    request = {
        "m": address,
        "n": name[:200],
        "t": sorted(t.pk for t in topics),
        "f": form[:60],
        "v": CONSENT_TEXT_VERSION,
        "at": timezone.now().isoformat(),
    }
    context = {
        "confirm_url": absolute_url("newsletter:confirm", confirm_token(request)),
        "topics": topics,
    }
    queue_email(
        _("Bitte bestätigen Sie Ihre Newsletter-Anmeldung"),
        [address],
        render_to_string("newsletter/mail/confirm.txt", context),
        html=render_to_string("newsletter/mail/confirm.html", context),
    )


def confirm_subscription(value: str) -> Subscriber | None:
    """Apply the sign-up request behind a confirmation link. Idempotent.

    Writes the request and the confirmation into the consent history. A link older
    than the address's last unsubscribe or bounce does not undo it.
    """
    request = read_confirm_token(value)
    if request is None:
        return None
    requested_at = datetime.fromisoformat(request["at"])
    topics = list(Topic.objects.filter(pk__in=request.get("t", [])))
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=request["m"]
        )
        if subscriber.state == Subscriber.State.ACTIVE:
            return subscriber
        if subscriber.left_at is not None and subscriber.left_at > requested_at:
            return None
        subscriber.state = Subscriber.State.ACTIVE
        subscriber.basis = Subscriber.Basis.CONSENT
        subscriber.name = request.get("n") or subscriber.name
        subscriber.confirmed_at = timezone.now()
        subscriber.left_at = None
        subscriber.save(update_fields=["state", "basis", "name", "confirmed_at", "left_at"])
        subscriber.topics.set(topics)
        ConsentEvent.objects.create(
            subscriber=subscriber,
            kind=ConsentEvent.Kind.REQUESTED,
            at=requested_at,
            form=request.get("f", ""),
            consent_text_version=request.get("v", ""),
            details={"themen": sorted(t.name for t in topics)},
        )
        ConsentEvent.objects.create(subscriber=subscriber, kind=ConsentEvent.Kind.CONFIRMED)
        # A fresh, confirmed consent lifts an earlier suppression of this address.
        SuppressedAddress.objects.filter(email_hash=email_hash(subscriber.email)).delete()
    return subscriber


# --- Preferences, unsubscribe, bounces -------------------------------------------------------


def update_preferences(subscriber, topics, *, actor=None) -> None:
    with transaction.atomic():
        subscriber.topics.set(topics)
        ConsentEvent.objects.create(
            subscriber=subscriber,
            kind=ConsentEvent.Kind.PREFERENCES,
            actor=actor,
            details={"themen": sorted(t.name for t in topics)},
        )


def unsubscribe(subscriber, *, channel, campaign_id=None, actor=None) -> bool:
    """Unsubscribe (or record the objection of an imported contact). Idempotent.

    Returns False if the address was already unsubscribed.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state == Subscriber.State.UNSUBSCRIBED:
            return False
        subscriber.state = Subscriber.State.UNSUBSCRIBED
        subscriber.left_at = timezone.now()
        subscriber.save(update_fields=["state", "left_at"])
        campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
        ConsentEvent.objects.create(
            subscriber=subscriber,
            kind=ConsentEvent.Kind.UNSUBSCRIBED,
            channel=channel,
            campaign=campaign,
            actor=actor,
        )
        _suppress(subscriber.email, SuppressedAddress.Reason.UNSUBSCRIBED)
        _skip_open_deliveries(subscriber)
        if campaign is not None:
            Campaign.objects.filter(pk=campaign.pk).update(
                unsubscribed_count=F("unsubscribed_count") + 1
            )
        if actor is not None:
            log_action(actor, "newsletter.unsubscribed", subscriber, channel=channel)
    return True


def mark_bounced(address: str, *, channel, details=None) -> bool:
    """A permanent delivery failure: stop mailing the address and suppress it."""
    address = normalize_email(address)
    with transaction.atomic():
        _suppress(address, SuppressedAddress.Reason.BOUNCED)
        subscriber = Subscriber.objects.select_for_update().filter(email=address).first()
        if subscriber is None or subscriber.state in (
            Subscriber.State.BOUNCED,
            Subscriber.State.UNSUBSCRIBED,
        ):
            return False
        subscriber.state = Subscriber.State.BOUNCED
        subscriber.left_at = timezone.now()
        subscriber.save(update_fields=["state", "left_at"])
        ConsentEvent.objects.create(
            subscriber=subscriber,
            kind=ConsentEvent.Kind.BOUNCED,
            channel=channel,
            details=details or {},
        )
        _skip_open_deliveries(subscriber)
    return True


def count_click(campaign_id, url) -> None:
    from ..models import LinkClick

    if not Campaign.objects.filter(pk=campaign_id, count_clicks=True).exists():
        return
    LinkClick.objects.get_or_create(campaign_id=campaign_id, url=url[:2000])
    LinkClick.objects.filter(campaign_id=campaign_id, url=url[:2000]).update(clicks=F("clicks") + 1)


# --- Import and export --------------------------------------------------------------------


@dataclass
class ImportResult:
    dry_run: bool
    rows: int = 0
    created: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def created_count(self):
        return len(self.created)


EMAIL_COLUMNS = ("email", "e-mail", "e-mail-adresse", "mail", "emailadresse")
NAME_COLUMNS = ("name", "vollständiger name")
PROGRESS_EVERY = 500


def _read_rows(data: bytes | str):
    """``(line, address as written, name)`` per filled row of the file; a refusal of
    the whole file (type, size, rows, no e-mail column) as ``ValidationError``."""
    content = data.encode() if isinstance(data, str) else data
    header, rows = ImportJob.upload.read("", content)
    header = [h.strip().lower() for h in header]
    email_col = next((i for i, h in enumerate(header) if h in EMAIL_COLUMNS), None)
    if email_col is None:
        raise ValidationError(_("Die Datei braucht eine Kopfzeile mit einer Spalte „email“."))
    name_col = next((i for i, h in enumerate(header) if h in NAME_COLUMNS), None)

    def cell(row, index):
        return row[index].strip() if index is not None and index < len(row) else ""

    return [
        (line, cell(row, email_col), cell(row, name_col))
        for line, row in enumerate(rows, start=2)
        if any(value.strip() for value in row)
    ]


class _Known:
    """What the database already knows of the file's addresses (two queries)."""

    def __init__(self, addresses):
        self.subscribed = set(
            Subscriber.objects.filter(email__in=addresses).values_list("email", flat=True)
        )
        self.suppressed = set(
            SuppressedAddress.objects.filter(
                email_hash__in=[email_hash(a) for a in addresses]
            ).values_list("email_hash", flat=True)
        )


def _row_problem(address, raw, known, seen):
    """Why the row's address cannot be imported, or None."""
    try:
        validate_email_address(address)
    except ValidationError:
        return _("„%(value)s“ ist keine gültige E-Mail-Adresse.") % {"value": raw}
    if address in seen:
        return _("%(email)s steht mehrfach in der Datei.") % {"email": address}
    if email_hash(address) in known.suppressed:
        return _(
            "%(email)s hat sich abgemeldet oder ist unzustellbar (Sperrliste) "
            "und wird nicht importiert."
        ) % {"email": address}
    if address in known.subscribed:
        return _("%(email)s ist bereits eingetragen.") % {"email": address}
    return None


def _check_rows(parsed, result, progress):
    """The rows that can be imported as ``(address, name)``; problems go to ``result``."""
    known = _Known([normalize_email(email) for _line, email, _name in parsed])
    seen, accepted = set(), []
    for line, raw, name in parsed:
        result.rows += 1
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows, len(parsed))
        address = normalize_email(raw)
        problem = _row_problem(address, raw, known, seen)
        seen.add(address)
        if problem is None:
            accepted.append((address, name))
        else:
            result.errors.append((line, problem))
    return accepted


def _write_subscribers(accepted, *, source, legal_basis, topics, actor):
    """The accepted addresses as active subscribers with their topics and the consent
    event of the import, in bulk; one audit entry."""
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=address,
                name=name[:200],
                state=Subscriber.State.ACTIVE,
                basis=Subscriber.Basis.IMPORT,
                created=now,
            )
            for address, name in accepted
        ],
        batch_size=1000,
    )
    if not all(s.pk for s in subscribers):  # SQLite before 3.35 returns no ids
        subscribers = list(Subscriber.objects.filter(email__in=[a for a, _n in accepted]))
    through = Subscriber.topics.through
    through.objects.bulk_create(
        [through(subscriber_id=s.pk, topic_id=t.pk) for s in subscribers for t in topics],
        batch_size=1000,
    )
    ConsentEvent.objects.bulk_create(
        [
            ConsentEvent(
                subscriber=s,
                kind=ConsentEvent.Kind.IMPORTED,
                at=now,
                source=source,
                legal_basis=legal_basis.strip()[:255],
                actor=actor,
                details={"themen": sorted(t.name for t in topics)},
            )
            for s in subscribers
        ],
        batch_size=1000,
    )
    log_action(
        actor,
        "newsletter.imported",
        None,
        count=len(subscribers),
        source=source,
        legal_basis=legal_basis,
    )


def _check_choices(source, legal_basis):
    if source not in ConsentEvent.Source.values:
        raise ValueError("unknown source")
    if not (legal_basis or "").strip():
        raise ValueError("legal basis required")


def import_subscribers(
    data, *, source, legal_basis, topics, actor, dry_run=True, progress=None, on_written=None
) -> ImportResult:
    """Import addresses from a CSV file (column ``email``, optional ``name``).

    Source and legal basis are mandatory and recorded per address. Addresses on the
    suppression list, already known addresses, invalid and repeated ones are
    reported per row and not imported. With ``dry_run`` nothing is written; otherwise
    all accepted rows are written in one transaction (all or nothing). ``progress(done,
    total)`` is called every few hundred rows; ``on_written(result)`` inside that
    transaction once the rows are written (the import job records its end there).
    """
    _check_choices(source, legal_basis)
    result = ImportResult(dry_run=dry_run)
    try:
        parsed = _read_rows(data)
    except ValidationError as error:
        result.errors.extend((1, message) for message in error.messages)
        return result
    accepted = _check_rows(parsed, result, progress)
    result.created = [address for address, _name in accepted]
    if dry_run or not accepted:
        return result
    with transaction.atomic():
        _write_subscribers(
            accepted, source=source, legal_basis=legal_basis, topics=topics, actor=actor
        )
        if on_written is not None:
            on_written(result)
    return result


def start_import(*, data, filename, source, legal_basis, topics, actor, dry_run):
    """Record an import job and hand it to the task worker after the commit."""
    _check_choices(source, legal_basis)
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig")
    with transaction.atomic():
        job = jobs.queue(
            ImportJob,
            data=data,
            filename=filename[:255],
            source=source,
            legal_basis=legal_basis.strip()[:255],
            actor=actor,
            dry_run=dry_run,
        )
        job.topics.set(topics)
    return job


def import_checked_file(actor, job) -> ImportJob:
    """„Jetzt importieren“ after a dry run: the same file and choices, for real
    (``core.imports.import_checked``; ``ValidationError`` if it cannot)."""
    return jobs.import_checked(ImportJob, job.pk, actor)


def run_import_job(job_id) -> None:
    """The task's work: run the (dry) import of one job, recording progress and result.

    Runs once per delivery: only a queued job is taken (``core.imports.take``); a job
    whose worker died is queued again by ``core.imports.recover_interrupted``. The
    addresses and the job's end are committed together, and only by the job's latest
    run. A failure rolls the import back completely and is shown to the editor.
    """
    job = jobs.take(ImportJob, job_id)
    if job is None:
        return

    def fields(result):
        return {
            "rows_done": result.rows,
            "rows_total": result.rows,
            "created_count": result.created_count,
            "errors": [[line, str(message)] for line, message in result.errors],
            # The real import keeps no copy of the file; a dry run keeps it for the import.
            "data": job.data if job.dry_run else "",
        }

    written = []

    def on_written(result):
        jobs.finish(job, **fields(result))
        written.append(True)

    failure = _(
        "Der Import ist abgebrochen. Es wurde keine Adresse gespeichert. "
        "Bitte laden Sie die Datei erneut hoch."
    )
    # The addresses are personal data: no copy stays with a failed job.
    with jobs.failing_with(job, failure):
        result = import_subscribers(
            job.data,
            source=job.source,
            legal_basis=job.legal_basis,
            topics=list(job.topics.all()),
            actor=job.actor,
            dry_run=job.dry_run,
            progress=lambda done, total: jobs.beat(job, done, total),
            on_written=on_written,
        )
        if not written:  # a dry run, or nothing to write
            jobs.finish(job, **fields(result))


def subscriber_rows():
    """The subscriber list for the export: a header row, then one row per address."""
    yield ["email", "name", "status", "grundlage", "themen", "eingetragen", "bestaetigt"]
    for s in Subscriber.objects.prefetch_related("topics").order_by("email").iterator(2000):
        yield [
            s.email,
            s.name,
            s.get_state_display(),
            s.get_basis_display(),
            ", ".join(t.name for t in s.topics.all()),
            timezone.localtime(s.created).isoformat(timespec="minutes"),
            timezone.localtime(s.confirmed_at).isoformat(timespec="minutes")
            if s.confirmed_at
            else "",
        ]


# --- Registry: figures -------------------------------------------------------


def count_active(year=None, **kwargs) -> int:
    """Active subscribers now, or at the end of ``year`` (confirmed by then, not left)."""
    if not year:
        return Subscriber.objects.filter(state=Subscriber.State.ACTIVE).count()
    from datetime import datetime

    end = datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone())
    confirmed = Subscriber.objects.filter(confirmed_at__lt=end)
    return confirmed.exclude(left_at__lt=end).count()
