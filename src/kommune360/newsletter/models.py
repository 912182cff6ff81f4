"""Newsletter data: topics, subscribers with their consent history, the suppression
list, campaigns and one delivery row per campaign and recipient.

State changes go through ``services`` (subscribers, consent) and ``sending`` (the
delivery engine); nothing else writes these rows.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import PreviewableMixin, RevisionMixin
from wagtail.search import index

from kommune360.core.addresses import normalize_email
from kommune360.core.dates import local_date
from kommune360.core.fields import URLField
from kommune360.core.models import ImportJob as BaseImportJob
from kommune360.core.models import NamedInEnglishToo
from kommune360.core.text import unique_slug
from kommune360.core.uploads import TableSpec

from .blocks import CampaignBodyBlock


def email_hash(address: str) -> str:
    """The suppression list's key: SHA-256 of the normalised address.

    Not keyed with the SECRET_KEY on purpose: rotating the key must never silently
    empty the suppression list (docs/decisions/0042).
    """
    return hashlib.sha256(b"kommune360-newsletter:" + normalize_email(address).encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Topic(NamedInEnglishToo):
    """A newsletter topic people choose (Allgemein, Jugendhilfe, Festival …)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=100, unique=True)
    description = models.CharField(_("Beschreibung"), max_length=255, blank=True)
    default_selected = models.BooleanField(
        _("bei der Anmeldung vorausgewählt"),
        default=False,
    )
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("default_selected"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("Newsletter-Thema")
        verbose_name_plural = _("Newsletter-Themen")

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Topic, self.name, exclude_pk=self.pk, fallback="thema", max_length=90
            )
        super().save(*args, **kwargs)


class Subscriber(index.Indexed, models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("unbestätigt")
        ACTIVE = "active", _("aktiv")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet")
        BOUNCED = "bounced", _("unzustellbar")

    class Basis(models.TextChoices):
        CONSENT = "consent", _("Einwilligung (Double-Opt-in)")
        IMPORT = "import", _("Import mit Rechtsgrundlage")

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    state = models.CharField(
        _("Status"), max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    basis = models.CharField(
        _("Grundlage"), max_length=20, choices=Basis.choices, default=Basis.CONSENT
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("Themen"), blank=True, related_name="subscribers"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created = models.DateTimeField(_("eingetragen"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bestätigt"), null=True, blank=True)
    left_at = models.DateTimeField(_("abgemeldet/unzustellbar seit"), null=True, blank=True)

    search_fields = [index.SearchField("email"), index.AutocompleteField("email")]

    class Meta:
        ordering = ["email"]
        verbose_name = _("Abonnent:in")
        verbose_name_plural = _("Abonnent:innen")

    def __str__(self):
        return self.email


class ConsentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Consent history is append-only.")


class ConsentEvent(models.Model):
    """One entry of an address's consent history. Rows are only ever added.

    Only erasure (a person's GDPR request) removes them, together with the subscriber.
    """

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Anmeldung angefordert")
        CONFIRMED = "confirmed", _("Anmeldung bestätigt")
        IMPORTED = "imported", _("importiert")
        PREFERENCES = "preferences", _("Themen geändert")
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet / widersprochen")
        BOUNCED = "bounced", _("unzustellbar")

    class Source(models.TextChoices):
        PUBLIC = "public", _("öffentlich zugängliche Quelle")
        PERSONAL = "personal", _("persönlicher Kontakt")
        EVENT = "event", _("Veranstaltungsanmeldung")

    class Channel(models.TextChoices):
        WEB = "web", _("Abmeldeseite")
        ONE_CLICK = "one_click", _("Ein-Klick-Abmeldung im E-Mail-Programm")
        EDITOR = "editor", _("durch die Redaktion")
        BOUNCE_WEBHOOK = "bounce_webhook", _("Rückmeldung des Mail-Dienstes")
        BOUNCE_MAILBOX = "bounce_mailbox", _("Unzustellbarkeitsnachricht")
        SMTP = "smtp", _("Ablehnung beim Versand")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consent_events"
    )
    kind = models.CharField(_("Ereignis"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now)
    form = models.CharField(_("Formular"), max_length=60, blank=True)
    consent_text_version = models.CharField(
        _("Version des Einwilligungstextes"), max_length=30, blank=True
    )
    source = models.CharField(_("Quelle"), max_length=20, choices=Source.choices, blank=True)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("durch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("Weg"), max_length=20, choices=Channel.choices, blank=True)
    campaign = models.ForeignKey(
        "Campaign", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.JSONField(_("Details"), default=dict, blank=True)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("Einwilligungsereignis")
        verbose_name_plural = _("Einwilligungshistorie")

    def __str__(self):
        return f"{self.get_kind_display()} {local_date(self.at, 'SHORT_DATETIME_FORMAT')}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Consent history is append-only.")
        super().save(*args, **kwargs)

    def as_export(self):
        return {
            "ereignis": self.get_kind_display(),
            "zeitpunkt": self.at,
            "formular": self.form,
            "version_einwilligungstext": self.consent_text_version,
            "quelle": self.get_source_display() if self.source else "",
            "rechtsgrundlage": self.legal_basis,
            "weg": self.get_channel_display() if self.channel else "",
            "details": self.details,
        }


def address_origin(subscriber="subscriber"):
    """Where the address of a row's subscriber came from, as an expression for
    ``annotate()``: the source of the latest import in its consent history (a
    ``ConsentEvent.Source`` value) while the subscriber is on the basis of an import, ""
    for those who signed up themselves (double opt-in, also after an earlier import).
    ``subscriber`` is the path to the subscriber from the annotated rows."""
    latest_import = (
        ConsentEvent.objects.filter(
            subscriber=models.OuterRef(subscriber), kind=ConsentEvent.Kind.IMPORTED
        )
        .order_by("-at", "-pk")
        .values("source")[:1]
    )
    return models.Case(
        models.When(
            **{f"{subscriber}__basis": Subscriber.Basis.IMPORT},
            then=Coalesce(models.Subquery(latest_import), models.Value("")),
        ),
        default=models.Value(""),
        output_field=models.CharField(),
    )


class SuppressedAddress(models.Model):
    """An address that must not be imported again, stored only as a hash."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("abgemeldet / widersprochen")
        BOUNCED = "bounced", _("unzustellbar")

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    created = models.DateTimeField(_("seit"), default=timezone.now)

    class Meta:
        verbose_name = _("gesperrte Adresse")
        verbose_name_plural = _("Sperrliste")

    def __str__(self):
        return f"{self.email_hash[:12]}… ({self.get_reason_display()})"


class Campaign(PreviewableMixin, RevisionMixin, index.Indexed, models.Model):
    """One newsletter issue: blocks edited in the Wagtail admin, sent by ``sending``."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SCHEDULED = "scheduled", _("Versand geplant")
        SENDING = "sending", _("wird versendet")
        PAUSED = "paused", _("pausiert")
        SENT = "sent", _("versendet")

    subject = models.CharField(_("Betreff"), max_length=200)
    slug = models.SlugField(_("Kürzel im Archiv"), max_length=200, unique=True, blank=True)
    preheader = models.CharField(
        _("Vorschautext"),
        max_length=200,
        blank=True,
        help_text=_("Kurzer Text, den viele E-Mail-Programme neben dem Betreff zeigen."),
    )
    issue_date = models.DateField(_("Ausgabe vom"), default=timezone.localdate)
    topics = models.ManyToManyField(
        Topic,
        verbose_name=_("Themen"),
        blank=True,
        related_name="campaigns",
        help_text=_(
            "Die Ausgabe geht an alle, die mindestens eines dieser Themen gewählt haben. "
            "Ohne Auswahl geht sie an alle aktiven Abonnent:innen."
        ),
    )
    body = StreamField(CampaignBodyBlock(), verbose_name=_("Inhalt"), blank=True)
    state = models.CharField(
        _("Status"), max_length=20, choices=State.choices, default=State.DRAFT, editable=False
    )
    pause_reason = models.CharField(max_length=255, blank=True, editable=False)
    show_in_archive = models.BooleanField(_("im Web-Archiv zeigen"), default=True)
    count_clicks = models.BooleanField(
        _("Linkklicks anonym zählen"),
        default=False,
        help_text=_(
            "Zählt je Link, wie oft er angeklickt wurde – für alle Empfänger:innen derselbe "
            "Link, also ohne zu wissen, wer geklickt hat."
        ),
    )
    # When a planned sending starts (state "scheduled"; ``services.start_due_campaigns``).
    scheduled_at = models.DateTimeField(
        _("Versand geplant für"), null=True, blank=True, editable=False
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True, editable=False)
    worker = models.CharField(max_length=200, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    unsubscribed_count = models.PositiveIntegerField(default=0, editable=False)

    panels = [
        FieldPanel("subject"),
        FieldPanel("preheader"),
        FieldPanel("issue_date"),
        MultiFieldPanel(
            [
                FieldPanel("topics"),
                FieldPanel("show_in_archive"),
                FieldPanel("count_clicks"),
                FieldPanel("slug"),
            ],
            heading=_("Empfänger:innen und Archiv"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [index.SearchField("subject"), index.AutocompleteField("subject")]

    class Meta:
        ordering = ["-issue_date", "-pk"]
        verbose_name = _("Newsletter-Ausgabe")
        verbose_name_plural = _("Newsletter-Ausgaben")

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Campaign,
                f"{self.issue_date:%Y-%m} {self.subject}",
                exclude_pk=self.pk,
                fallback="ausgabe",
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The issue's page in the public archive (once sent and shown there)."""
        return reverse("newsletter:archive_detail", kwargs={"slug": self.slug})

    def get_preview_template(self, request, mode_name):
        return "newsletter/mail/campaign.html"

    def serve_preview(self, request, mode_name):
        # The preview shows the mail as mail clients get it: with inline styles. It
        # contains no script, so only style-src is widened, for this response only.
        from csp.constants import SELF, UNSAFE_INLINE

        response = super().serve_preview(request, mode_name)
        response._csp_replace = {"style-src": [SELF, UNSAFE_INLINE], "frame-ancestors": [SELF]}
        return response

    def get_preview_context(self, request, mode_name):
        from .rendering import preview_context

        return preview_context(self, request)

    @property
    def editable(self):
        return self.state == self.State.DRAFT


class LinkClick(models.Model):
    """How often a link of a campaign was clicked, counted without knowing by whom."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="link_clicks")
    url = URLField(max_length=2000)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Linkklick")
        verbose_name_plural = _("Linkklicks")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "url"], name="newsletter_linkclick_unique")
        ]

    def __str__(self):
        return f"{self.url} ({self.clicks})"


class Delivery(models.Model):
    """One recipient of one campaign. The unique pair is the unit of sending work.

    States: ``pending`` (waiting, maybe after a temporary error) → ``sending``
    (claimed by a worker; the end-of-data has not been written yet) → ``sent``;
    or ``failed`` / ``bounced``. See docs/newsletter.md for the crash guarantees.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENDING = "sending", _("in Arbeit")
        SENT = "sent", _("zugestellt")
        FAILED = "failed", _("fehlgeschlagen")
        BOUNCED = "bounced", _("unzustellbar")
        SKIPPED = "skipped", _("übersprungen")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.EmailField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="newsletter_delivery_unique_recipient"
            )
        ]
        indexes = [models.Index(fields=["campaign", "state", "id"])]

    def __str__(self):
        return f"{self.campaign_id}/{self.email} ({self.state})"


class ImportJob(BaseImportJob):
    """One CSV import (or its dry run), processed by a task; the admin shows progress.

    ``data`` keeps the uploaded CSV text so that a dry run can become the real import
    without a second upload; it is emptied once the real import has run.
    """

    data = models.TextField(blank=True)
    source = models.CharField(_("Quelle"), max_length=20, choices=ConsentEvent.Source.choices)
    legal_basis = models.CharField(_("Rechtsgrundlage"), max_length=255)
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")

    file_field = "data"
    # A CSV file (UTF-8 or Windows-1252) of at most 50,000 addresses.
    upload = TableSpec(kinds=("csv",), max_rows=50_000)
    admin_url_name = "newsletter_import_job"
    admin_start_url_name = "newsletter_import"
    admin_permission = "newsletter.add_subscriber"

    class Meta(BaseImportJob.Meta):
        verbose_name = _("Newsletter-Import")
        verbose_name_plural = _("Newsletter-Importe")

    def enqueue(self):
        from .tasks import import_subscribers_task

        import_subscribers_task.enqueue(self.pk)
