"""Everything that changes offers and providers.

Views, the Wagtail admin, the import, tasks and commands call these functions; each
writes an audit entry and, where the provider should know, queues a mail to the
accounts that maintain the offer's provider.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.signal_handlers import disable_reference_index_auto_update

from kommune360.accounts.roles import EDITOR, PROVIDER, has_role
from kommune360.core import imports as jobs
from kommune360.core.audit import log_action
from kommune360.core.languages import in_default_language
from kommune360.core.mail import queue_email
from kommune360.core.models import AuditEntry

from .models import STALE_AFTER, Offer, OfferImportJob, Provider, offer_slug_pool
from .signals import indexing_deferred
from .tasks import update_offer_references

Status = Offer.Status

# --- Who may do what ----------------------------------------------------------------------


def is_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_perm("atlas.change_offer") or has_role(user, EDITOR))
    )


def providers_of(user):
    """The providers whose offers ``user`` maintains (none without the provider role)."""
    if not user.is_authenticated or not has_role(user, PROVIDER):
        return Provider.objects.none()
    return Provider.objects.filter(maintainers=user)


def can_maintain(user, offer) -> bool:
    return providers_of(user).filter(pk=offer.provider_id).exists()


# --- Notifications ------------------------------------------------------------------------


@in_default_language
def _notify_provider(offer, subject, template, **context):
    """Mail the offer's maintainers; ``subject`` is a lazy text with ``%(title)s``."""
    recipients = sorted(
        {email for email in offer.provider.maintainers.values_list("email", flat=True) if email}
    )
    if not recipients:
        return
    context = {
        "offer": offer,
        "site_url": settings.SITE_URL,
        "manage_url": settings.SITE_URL + f"/angebote/verwalten/{offer.pk}/",
        **context,
    }
    queue_email(
        str(subject) % {"title": offer.title},
        recipients,
        render_to_string(f"atlas/mail/{template}.txt", context),
    )


# --- Providers and imports ---------------------------------------------------------------


@transaction.atomic
def create_provider(user, *, name, type, website="") -> Provider:
    _require_editor(user)
    provider = Provider(name=name, type=type, website=website)
    provider.full_clean(exclude=["slug"])
    provider.save()
    log_action(user, "atlas.provider_created", provider)
    return provider


IMPORT_PERMISSION = OfferImportJob.admin_permission


def may_import(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(IMPORT_PERMISSION))


def start_import(actor, *, filename, content, dry_run, status=Status.DRAFT) -> OfferImportJob:
    """Record an import (or dry run) of an uploaded file; the task worker runs it after
    the commit (``run_import_job``)."""
    if not may_import(actor):
        raise PermissionDenied
    if status not in (Status.DRAFT, Status.PUBLISHED):
        raise ValueError("imported offers are drafts or published")
    with transaction.atomic():
        return jobs.queue(
            OfferImportJob,
            actor=actor,
            filename=filename[:255],
            content=bytes(content),
            offer_status=status,
            dry_run=dry_run,
        )


def import_checked_file(actor, job) -> OfferImportJob:
    """„Jetzt importieren“: a clean dry run becomes the real import of the same file
    (``core.imports.import_checked``; ``ValidationError`` if it cannot)."""
    if not may_import(actor):
        raise PermissionDenied
    return jobs.import_checked(OfferImportJob, job.pk, actor)


def import_progress_key(job_id):
    return f"atlas-import-written-{job_id}"


def written_so_far(job) -> int | None:
    """Offers a running real import has written so far (its transaction is not visible
    to other connections yet, so the count goes through the shared cache)."""
    if job.dry_run or job.state != OfferImportJob.State.RUNNING:
        return None
    return cache.get(import_progress_key(job.pk))


def run_import_job(job_id) -> None:
    """The task's work: check the job's file, recording progress; for a real import
    without any problem, create every offer in one transaction (all or nothing).

    Runs once per delivery: only a queued job is taken (``core.imports.take``), so a
    second delivery of the task changes nothing; a job whose worker died is queued
    again by ``core.imports.recover_interrupted``, and only the latest run may store
    the offers. A failure rolls back everything and is shown to the editor.
    """
    from . import imports

    job = jobs.take(OfferImportJob, job_id)
    if job is None:
        return
    content = bytes(job.content)
    failure = _(
        "Der Import ist abgebrochen. Es wurde kein Angebot gespeichert. "
        "Bitte laden Sie die Datei erneut hoch."
    )
    try:
        with jobs.failing_with(job, failure):
            _run_import(job, content, imports)
    finally:
        cache.delete(import_progress_key(job_id))


def _run_import(job, content, imports):
    report = imports.check_file(
        job.filename, content, lambda done, total: jobs.beat(job, done, total)
    )
    finished = {
        "rows_total": len(report.rows),
        "rows_done": len(report.rows),
        "errors": [[p.row, p.column, p.message] for p in report.problems],
        "new_providers": [name for name, _kind in report.new_providers],
    }
    if job.dry_run or not report.ok:
        # A clean dry run keeps the file for „Jetzt importieren“.
        keep = job.dry_run and report.ok
        jobs.finish(
            job,
            created_count=len(report.rows) if report.ok else 0,
            content=content if keep else b"",
            **finished,
        )
        return
    with transaction.atomic():
        # The job row stays locked until the offers are committed with its state.
        jobs.claim(job)
        created = _create_imported_offers(job, report)
        jobs.finish(job, created_count=created, content=b"", **finished)


def _create_imported_offers(job, report) -> int:
    from .imports import PROGRESS_EVERY

    user = job.actor
    providers = {p.name.casefold(): p for p in Provider.objects.all()}
    for provider_name, kind in report.new_providers:
        providers[provider_name.casefold()] = create_provider(user, name=provider_name, type=kind)
    key = import_progress_key(job.pk)
    ids = []
    links = {name: [] for name in M2M_FIELDS}
    slugs = offer_slug_pool()
    # Slugs, links and Wagtail's reference index are done for all offers at once (the
    # index by one task after the commit), not with queries or a task per offer.
    with indexing_deferred(), disable_reference_index_auto_update():
        for done, (_number, data) in enumerate(report.rows, start=1):
            provider = providers[data["provider_name"].casefold()]
            offer = create_offer(
                user,
                provider,
                data,
                status=job.offer_status,
                slug=slugs.take(data["title"]),
                m2m=False,
            )
            ids.append(offer.pk)
            for name in M2M_FIELDS:
                links[name].extend((offer.pk, term.pk) for term in data.get(name) or ())
            if done % PROGRESS_EVERY == 0:
                cache.set(key, done, 3600)
        for name, pairs in links.items():
            field = Offer._meta.get_field(name)
            through = field.remote_field.through
            offer_id, term_id = field.m2m_column_name(), field.m2m_reverse_name()
            through.objects.bulk_create(
                [through(**{offer_id: offer, term_id: term}) for offer, term in pairs],
                batch_size=1000,
            )
    transaction.on_commit(lambda: update_offer_references.enqueue(ids))
    log_action(user, "atlas.offers_imported", job, filename=job.filename, count=len(report.rows))
    return len(report.rows)


# --- Provider self-service -----------------------------------------------------------------

EDITABLE_FIELDS = [
    "title",
    "summary",
    "description",
    "format",
    "delivery",
    "region",
    "state",
    "municipality",
    "cost",
    "cost_amount",
    "duration_hours",
    "ongoing",
    "start_date",
    "end_date",
    "dates_note",
    "language",
    "website",
    "contact",
    "certificate",
    "learning_goals",
    "accreditation",
]
M2M_FIELDS = ["methods", "topics", "target_groups"]


def _apply(offer, data):
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(offer, name, data[name])


def _set_m2m(offer, data):
    for name in M2M_FIELDS:
        if name in data:
            getattr(offer, name).set(data[name])


@transaction.atomic
def create_offer(user, provider, data, *, status=Status.DRAFT, slug="", m2m=True) -> Offer:
    """A new offer of ``provider``; providers create drafts, editors may create any.

    The import passes a ``slug`` it found free and adds the many-to-many links of all
    its offers at once (``m2m=False``).
    """
    if not (is_editor(user) or providers_of(user).filter(pk=provider.pk).exists()):
        raise PermissionDenied
    offer = Offer(provider=provider, created_by=user if user.is_authenticated else None, slug=slug)
    _apply(offer, data)
    offer.status = status
    if status == Status.PUBLISHED:
        offer.published_at = timezone.now()
        offer.last_checked = timezone.localdate()
    # The related objects come as instances read just now (forms, import): checking that
    # each still exists would cost a query per relation and offer.
    offer.full_clean(exclude=["slug", "cost_band", "provider", "format", "municipality"])
    with indexing_deferred():  # the signals index it once, after its links
        offer.save()
        if m2m:
            for name in M2M_FIELDS:
                if data.get(name):
                    getattr(offer, name).add(*data[name])
    log_action(user, "atlas.offer_created", offer, status=offer.status)
    return offer


@transaction.atomic
def update_offer(user, offer, data) -> Offer:
    """Change an offer. A provider's change to a published offer goes back to review."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    editor = is_editor(user)
    if not (editor or can_maintain(user, offer)):
        raise PermissionDenied
    if not editor and offer.status == Status.ARCHIVED:
        raise ValidationError(_("Archivierte Angebote können nicht mehr geändert werden."))
    _apply(offer, data)
    offer.full_clean(exclude=["slug", "cost_band"])
    if not editor and offer.status == Status.PUBLISHED:
        offer.status = Status.SUBMITTED
    # Whoever maintains an offer vouches for it by changing it.
    offer.last_checked = timezone.localdate()
    with indexing_deferred():  # the signals index it once, after its links
        offer.save()
        _set_m2m(offer, data)
    log_action(user, "atlas.offer_updated", offer, status=offer.status)
    return offer


def _locked(offer, maintainer=None) -> Offer:
    """The offer's row, locked for this transaction (with its provider, for the mail);
    with ``maintainer``, only if that person may maintain it (``PermissionDenied``)."""
    offer = Offer.objects.select_for_update().select_related("provider").get(pk=offer.pk)
    if maintainer is not None and not (is_editor(maintainer) or can_maintain(maintainer, offer)):
        raise PermissionDenied
    return offer


@transaction.atomic
def submit_offer(user, offer) -> Offer:
    """Entwurf → eingereicht: the editors review it."""
    offer = _locked(offer, maintainer=user)
    if offer.status != Status.DRAFT:
        raise ValidationError(_("Nur Entwürfe können zur Prüfung eingereicht werden."))
    offer.status = Status.SUBMITTED
    offer.rejection_reason = ""
    offer.save(update_fields=["status", "rejection_reason", "updated"])
    log_action(user, "atlas.offer_submitted", offer)
    return offer


# --- Editorial review ----------------------------------------------------------------------


def _require_editor(user):
    if not is_editor(user):
        raise PermissionDenied


def _publish(user, offer, action, subject) -> Offer:
    """Publish ``offer`` (checked today), log ``action`` and tell the provider with
    ``subject`` (its ``%(title)s`` names the offer)."""
    offer.status = Status.PUBLISHED
    offer.rejection_reason = ""
    offer.published_at = offer.published_at or timezone.now()
    offer.last_checked = timezone.localdate()
    offer.save(
        update_fields=["status", "rejection_reason", "published_at", "last_checked", "updated"]
    )
    log_action(user, action, offer)
    _notify_provider(offer, subject, "approved")
    return offer


@transaction.atomic
def approve_offer(user, offer) -> Offer:
    """eingereicht → freigegeben (veröffentlicht); the provider is told."""
    _require_editor(user)
    offer = _locked(offer)
    if offer.status != Status.SUBMITTED:
        raise ValidationError(_("Nur eingereichte Angebote können freigegeben werden."))
    subject = gettext_lazy("Ihr Angebot „%(title)s“ ist freigegeben")
    return _publish(user, offer, "atlas.offer_approved", subject)


@transaction.atomic
def reject_offer(user, offer, reason: str) -> Offer:
    """eingereicht → zurückgewiesen (wieder Entwurf) with a reason the provider reads."""
    _require_editor(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Bitte geben Sie einen Grund für die Zurückweisung an."))
    offer = _locked(offer)
    if offer.status != Status.SUBMITTED:
        raise ValidationError(_("Nur eingereichte Angebote können zurückgewiesen werden."))
    offer.status = Status.DRAFT
    offer.rejection_reason = reason
    offer.save(update_fields=["status", "rejection_reason", "updated"])
    log_action(user, "atlas.offer_rejected", offer, reason=reason)
    _notify_provider(
        offer,
        gettext_lazy("Ihr Angebot „%(title)s“ braucht Änderungen"),
        "rejected",
        reason=reason,
    )
    return offer


@transaction.atomic
def publish_offer(user, offer) -> Offer:
    """Editors publish an offer directly (e.g. one they entered themselves)."""
    _require_editor(user)
    offer = _locked(offer)
    if offer.status == Status.PUBLISHED:
        return offer
    subject = gettext_lazy("Ihr Angebot „%(title)s“ ist veröffentlicht")
    return _publish(user, offer, "atlas.offer_published", subject)


@transaction.atomic
def archive_offer(user, offer) -> Offer:
    """Take an offer off the atlas (it ended, or nobody confirms it any more)."""
    offer = _locked(offer, maintainer=user)
    if offer.status == Status.ARCHIVED:
        return offer
    offer.status = Status.ARCHIVED
    offer.save(update_fields=["status", "updated"])
    log_action(user, "atlas.offer_archived", offer)
    _notify_provider(offer, gettext_lazy("Ihr Angebot „%(title)s“ wurde archiviert"), "archived")
    return offer


@transaction.atomic
def confirm_offer_checked(user, offer) -> Offer:
    """The provider (or an editor) confirms the offer is still current."""
    offer = _locked(offer, maintainer=user)
    offer.last_checked = timezone.localdate()
    offer.reminder_sent = None
    offer.save(update_fields=["last_checked", "reminder_sent", "updated"])
    log_action(user, "atlas.offer_confirmed", offer)
    return offer


# --- Stale offers -------------------------------------------------------------------------


def is_stale() -> Q:
    """The condition of ``stale_offers`` (for counting them among others)."""
    limit = timezone.localdate() - STALE_AFTER
    return Q(status=Status.PUBLISHED) & (Q(last_checked__lt=limit) | Q(last_checked__isnull=True))


def stale_offers():
    """Published offers nobody has confirmed for twelve months."""
    return Offer.objects.filter(is_stale())


def remind_stale_offers() -> int:
    """Ask each provider with stale offers to confirm them: one mail per provider and
    calendar month, however often this runs (the worker runs it daily).

    The provider row is locked while its reminder is decided, and a reminder already
    written to the audit log this month means none is sent, so two runs at the same time
    or a run after a worker restart never mail a provider twice in a month.
    """
    today = timezone.localdate()
    month_start = today.replace(day=1)
    provider_ids = list(
        stale_offers()
        .exclude(reminder_sent__gte=month_start)
        .order_by("provider_id")
        .values_list("provider_id", flat=True)
        .distinct()
    )
    provider_type = ContentType.objects.get_for_model(Provider)
    sent = 0
    for provider_id in provider_ids:
        with transaction.atomic():
            provider = Provider.objects.select_for_update().get(pk=provider_id)
            already = AuditEntry.objects.filter(
                action="atlas.stale_reminder",
                content_type=provider_type,
                object_id=str(provider.pk),
                timestamp__date__gte=month_start,
            ).exists()
            offers = list(
                stale_offers()
                .filter(provider=provider)
                .exclude(reminder_sent__gte=month_start)
                .order_by("title")
            )
            if already or not offers:
                continue
            recipients = sorted(
                {e for e in provider.maintainers.values_list("email", flat=True) if e}
            )
            Offer.objects.filter(pk__in=[o.pk for o in offers]).update(reminder_sent=today)
            log_action(None, "atlas.stale_reminder", provider, offers=[o.pk for o in offers])
            if recipients:
                _queue_stale_reminder(provider, offers, recipients)
                sent += 1
    return sent


@in_default_language
def _queue_stale_reminder(provider, offers, recipients):
    queue_email(
        _("Bitte bestätigen Sie Ihre Angebote im Angebotsatlas"),
        recipients,
        render_to_string(
            "atlas/mail/stale.txt",
            {
                "provider": provider,
                "offers": offers,
                "manage_url": settings.SITE_URL + "/angebote/verwalten/",
            },
        ),
    )
