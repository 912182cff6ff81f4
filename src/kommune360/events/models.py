"""Events (Veranstaltungen), their programme, questions and registrations.

Capacity is guarded by the service functions in ``services/``: every change that
takes or frees a place locks the event row and re-counts. The database backs that
up with constraints (one active registration per e-mail address and event, one
choice per session and registration, one answer per question).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from kommune360.core.dates import year_range
from kommune360.core.fields import URLField
from kommune360.core.models import TargetGroup
from kommune360.core.text import unique_slug


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())


class Event(index.Indexed, ClusterableModel):
    class Kind(models.TextChoices):
        FESTIVAL = "festival", _("Festival")
        NETWORK = "netzwerktreffen", _("Netzwerktreffen")
        FELLOWS = "fellow-treffen", _("Fellow-Treffen")
        LEARNING_PATH = "lernpfad-termin", _("Lernpfad-Termin")
        ONLINE = "online-format", _("Online-Format")
        KOMMUNE_GESTALTET = "kommune-gestaltet", _("„Kommune gestaltet!“")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel in der Adresse"), max_length=200, unique=True, blank=True)
    kind = models.CharField(_("Art"), max_length=30, choices=Kind.choices)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    description = RichTextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))

    venue_name = models.CharField(_("Ort"), max_length=200, blank=True)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Stadt"), max_length=100, blank=True)
    accessibility = models.TextField(
        _("Barrierefreiheit"),
        blank=True,
        help_text=_("Zugang, Aufzug, WC, Induktionsschleife, Gebärdensprache …"),
    )
    online_url = URLField(
        _("Zugangslink (online)"),
        blank=True,
        help_text=_("Wird nur bestätigten Teilnehmer:innen angezeigt."),
    )
    online_notes = models.TextField(_("Hinweise zum Online-Zugang"), blank=True)

    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer lassen für unbegrenzt.")
    )
    registration_opens_at = models.DateTimeField(_("Anmeldung ab"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("Anmeldung bis"), null=True, blank=True)
    registration_enabled = models.BooleanField(_("Anmeldung über die Plattform"), default=True)
    waitlist_enabled = models.BooleanField(_("Warteliste"), default=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("Bedenkzeit für Nachrücker:innen (Stunden)"), default=48
    )
    fee_note = models.CharField(
        _("Kosten"), max_length=200, blank=True, help_text=_("Leer lassen, wenn kostenfrei.")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("Zielgruppen"), blank=True, related_name="events"
    )
    organiser_email = models.EmailField(_("Kontakt der Veranstalter:innen"), blank=True)

    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("Zeit")),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("street"),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("city")]),
                FieldPanel("accessibility"),
            ],
            heading=_("Ort"),
        ),
        MultiFieldPanel(
            [FieldPanel("online_url"), FieldPanel("online_notes")], heading=_("Online")
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldPanel("waitlist_enabled"),
                FieldPanel("offer_hours"),
                FieldPanel("fee_note"),
            ],
            heading=_("Anmeldung"),
        ),
        FieldPanel("target_groups"),
        FieldPanel("organiser_email"),
        InlinePanel("questions", heading=_("Fragen bei der Anmeldung"), label=_("Frage")),
        InlinePanel("sessions", heading=_("Programm"), label=_("Programmpunkt")),
        FieldPanel("is_published"),
    ]
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("is_published"),
    ]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Event, self.title, exclude_pk=self.pk, fallback="veranstaltung")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    @property
    def is_online(self):
        return bool(self.online_url) and not self.city

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    @property
    def address_line(self):
        return ", ".join(
            p
            for p in (self.venue_name, self.street, f"{self.postal_code} {self.city}".strip())
            if p
        )

    def registration_state(self, now=None):
        """``open``, ``not_yet``, ``closed``, ``cancelled`` or ``none`` (no registration)."""
        now = now or timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if not self.registration_enabled:
            return "none"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        closes = self.registration_closes_at or self.starts_at
        if now > closes:
            return "closed"
        return "open"


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Freitext")
        CHOICE = "choice", _("Auswahl")
        YES_NO = "yes_no", _("Ja/Nein")

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("Frage"), max_length=200)
    help_text = models.CharField(_("Hinweis"), max_length=300, blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("Antwortmöglichkeiten"), blank=True, help_text=_("Eine je Zeile."))
    required = models.BooleanField(_("Pflichtfeld"), default=False)
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("kind"),
        FieldPanel("choices"),
        FieldPanel("required"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self):
        return self.label

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Session(models.Model):
    """A programme item (Programmpunkt) with its own, optional capacity."""

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    room = models.CharField(_("Raum"), max_length=100, blank=True)
    speakers = models.CharField(_("Mitwirkende"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer lassen für unbegrenzt.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("room"),
        FieldPanel("speakers"),
        FieldPanel("capacity"),
    ]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")

    def __str__(self):
        return self.title


def touch_event(sender, instance, **kwargs):
    """A question or session changed on its own: mark its event as changed.

    Connected in ``apps.py``; the registration form keeps an event's questions and
    sessions per process until ``updated_at`` changes (``views._form_parts``).
    """
    Event.objects.filter(pk=instance.event_id).update(updated_at=timezone.now())


class RegistrationQuerySet(models.QuerySet):
    def holding(self):
        """Registrations that occupy a place: confirmed, or offered and not yet answered."""
        return self.filter(status__in=Registration.HOLDING)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def waitlist(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")


def _new_key():
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("bestätigt")
        WAITLISTED = "waitlisted", _("Warteliste")
        OFFERED = "offered", _("Platz angeboten")
        CANCELLED = "cancelled", _("storniert")

    HOLDING = (Status.CONFIRMED, Status.OFFERED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail-Adresse"))
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    access_key = models.CharField(max_length=40, unique=True, default=_new_key, editable=False)
    created_at = models.DateTimeField(_("angemeldet am"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("Status seit"), default=timezone.now)
    offer_expires_at = models.DateTimeField(_("Angebot gilt bis"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("eingecheckt"), null=True, blank=True)
    # The mail the registration still needs ("confirmed", "waitlisted"; empty: none):
    # written with the registration, sent and cleared by ``services.send_due_mails``.
    mail_due = models.CharField(max_length=12, blank=True, default="", editable=False)
    sessions = models.ManyToManyField(Session, through="SessionChoice", related_name="+")

    objects = RegistrationQuerySet.as_manager()
    # Participants are not content: keep them out of Wagtail's reference index (it would
    # queue an index update for every registration).
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        constraints = [
            # No one twice: one registration per e-mail address and event, unless cancelled.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status="offered", offer_expires_at__isnull=False)
                | ~Q(status="offered"),
                name="registration_offer_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.name} – {self.event}"

    def get_absolute_url(self):
        return reverse("events:registration", args=[self.access_key])

    @property
    def is_holding(self):
        return self.status in self.HOLDING


class SessionChoice(models.Model):
    """A session a person picked; it holds a seat while the registration holds a place."""

    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="choices")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "session"], name="session_choice_once")
        ]

    def __str__(self):
        return f"{self.registration_id} → {self.session_id}"


class Answer(models.Model):
    wagtail_reference_index_ignore = True

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="answer_once")
        ]

    def __str__(self):
        return self.value[:50]


class Postcard(models.Model):
    """That a postcard was sent (for the impact figure and the rate limit).

    The recipient's address and the message are not stored: they go into the one mail.
    """

    wagtail_reference_index_ignore = True

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="postcards")
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="postcards"
    )
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Postkarte")
        verbose_name_plural = _("Postkarten")

    def __str__(self):
        return f"{self.event} ({self.sent_at:%Y-%m-%d})"


def postcard_count(year=None, **kwargs) -> int:
    """Postcards sent (in ``year`` if given): a figure for the impact page."""
    postcards = Postcard.objects.all()
    if year:
        start, end = year_range(year)
        postcards = postcards.filter(sent_at__gte=start, sent_at__lt=end)
    return postcards.count()


def participant_count(year=None, **kwargs) -> int:
    """Confirmed registrations for events that took place (in ``year`` if given)."""
    registrations = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, event__ends_at__lt=timezone.now()
    )
    if year:
        start, end = year_range(year)
        registrations = registrations.filter(event__starts_at__gte=start, event__starts_at__lt=end)
    return registrations.count()
