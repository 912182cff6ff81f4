"""Contributions ("Mitdenken") on anything the registry declares commentable.

A contribution points at its target generically: a content type, the object's id and
an optional section key (for example one section of the analysis). Every change of
state goes through ``services``; the models only hold data and per-row invariants.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from kommune360.core.text import slugify_de


class Kind(models.TextChoices):
    COMMENT = "comment", _("Kommentar")
    COOPERATION = "cooperation", _("Kooperationsinteresse")
    OBJECTION = "objection", _("Widerspruch")
    DISCOURSE = "discourse", _("Diskursanfrage")


# Kinds that go to the team as follow-ups; the others appear under the item once approved.
FOLLOW_UP_KINDS = (Kind.COOPERATION, Kind.DISCOURSE)


def kind_names(kinds=tuple(Kind), last_word=None) -> str:
    """The labels of ``kinds`` as one list ("Kommentar, …, Widerspruch oder
    Diskursanfrage"): a text that names the kinds takes their names from here."""
    return get_text_list([str(kind.label) for kind in kinds], str(last_word or _("oder")))


class Role(models.TextChoices):
    MUNICIPAL = "municipal", _("kommunale:r Akteur:in")
    PROVIDER = "provider", _("Anbieter:in")
    SCIENCE = "science", _("Wissenschaft")
    CIVIL_SOCIETY = "civil_society", _("Zivilgesellschaft")
    OTHER = "other", _("Sonstige")


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("wartet auf E-Mail-Bestätigung")
    PENDING = "pending", _("wartet auf Moderation")
    INTERNAL = "internal", _("intern (Nachverfolgung)")
    PUBLISHED = "published", _("veröffentlicht")
    REJECTED = "rejected", _("abgelehnt")
    SPAM = "spam", _("Spam")
    HIDDEN = "hidden", _("ausgeblendet")


class Call(models.Model):
    """A general call to contribute ("Mitdenker:innen gesucht"), shown at /mitdenken/."""

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel"), max_length=200, unique=True, blank=True)
    lead = models.TextField(_("Einleitung"), blank=True)
    questions = models.TextField(_("Leitfragen"), blank=True, help_text=_("Eine Frage pro Zeile."))
    body = models.TextField(_("Text"), blank=True, help_text=_("Absätze durch Leerzeilen trennen."))
    is_active = models.BooleanField(_("sichtbar"), default=True)
    sort_order = models.PositiveIntegerField(_("Reihenfolge"), default=100)

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("lead"),
        FieldPanel("questions"),
        FieldPanel("body"),
        FieldPanel("is_active"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("Aufruf zum Mitdenken")
        verbose_name_plural = _("Aufrufe zum Mitdenken")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify_de(self.title)[:200]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        first = Call.objects.filter(is_active=True).values_list("pk", flat=True).first()
        if first == self.pk:
            return reverse("participation:index")
        return reverse("participation:call", args=[self.slug])

    def question_list(self):
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def paragraphs(self):
        return [part.strip() for part in self.body.split("\n\n") if part.strip()]

    @property
    def is_public(self):
        return self.is_active


class TargetSettings(models.Model):
    """Per-target switches; a target without a row uses the defaults (pre-moderation on)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    section = models.CharField(_("Abschnitt"), max_length=64, blank=True)
    premoderation = models.BooleanField(
        _("Vorab-Moderation"),
        default=True,
        help_text=_("Beiträge erscheinen erst, wenn die Moderation sie freigegeben hat."),
    )

    class Meta:
        verbose_name = _("Mitdenken-Einstellung")
        verbose_name_plural = _("Mitdenken-Einstellungen")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "section"], name="participation_target_once"
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}-{self.object_id}-{self.section}"


class ContributionQuerySet(models.QuerySet):
    def for_target(self, content_type, object_id, section=""):
        return self.filter(content_type=content_type, object_id=str(object_id), section=section)

    def public(self):
        return self.filter(status=Status.PUBLISHED)


class Contribution(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("Art des Inhalts"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    section = models.CharField(_("Abschnitt"), max_length=64, blank=True)
    target_title = models.CharField(_("Bezug"), max_length=255, blank=True)

    parent = models.ForeignKey(
        "self",
        verbose_name=_("Antwort auf"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    is_official = models.BooleanField(_("offizielle Antwort des Teams"), default=False)

    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.OTHER)
    affiliation = models.CharField(_("Kommune oder Organisation"), max_length=200, blank=True)
    text = models.TextField(_("Beitrag"))

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    author_name = models.CharField(_("Name"), max_length=120, blank=True)
    author_email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    anonymous = models.BooleanField(_("ohne Namen veröffentlichen"), default=False)
    keep_text_on_erasure = models.BooleanField(
        _("Text bei Löschung meiner Daten anonym behalten"), default=False
    )
    consent_version = models.CharField(_("Version der Einwilligung"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("eingewilligt am"), null=True, blank=True)

    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.UNCONFIRMED
    )
    taken_up = models.BooleanField(_("aufgegriffen"), default=False)
    taken_up_at = models.DateTimeField(_("aufgegriffen am"), null=True, blank=True)
    hidden_by_reports = models.BooleanField(_("nach Meldungen ausgeblendet"), default=False)
    report_count = models.PositiveIntegerField(_("Meldungen"), default=0)
    rejection_reason = models.TextField(_("Begründung der Ablehnung"), blank=True)
    remarks = models.TextField(_("interne Anmerkungen"), blank=True)

    created = models.DateTimeField(_("eingereicht am"), auto_now_add=True)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entschieden von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        permissions = [("moderate_contribution", _("Beiträge moderieren"))]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "section", "status", "-published_at"],
                name="participation_target_idx",
            ),
            models.Index(fields=["status", "created"], name="participation_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False)
                | ~Q(author_email="")
                | Q(is_official=True)
                | Q(status__in=["published", "hidden", "rejected", "spam"]),
                name="participation_author_known",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def display_name(self):
        if self.is_official:
            return _("Team")
        if self.anonymous or not self.author_name:
            return _("anonym")
        return self.author_name

    @property
    def email(self):
        """Where mail about this contribution goes."""
        if self.author_id:
            return self.author.email
        return self.author_email


class FollowUp(models.Model):
    """The team's follow-up of a cooperation interest or a request for discourse."""

    class State(models.TextChoices):
        NEW = "new", _("neu")
        IN_CONTACT = "in_contact", _("in Kontakt")
        DONE = "done", _("erledigt")

    contribution = models.OneToOneField(
        Contribution,
        verbose_name=_("Beitrag"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )
    state = models.CharField(_("Stand"), max_length=20, choices=State.choices, default=State.NEW)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuständig"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("interne Notizen"), blank=True)
    updated = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        ordering = ["state", "-contribution__created"]
        verbose_name = _("Nachverfolgung")
        verbose_name_plural = _("Nachverfolgungen")

    def __str__(self):
        return f"{self.contribution} ({self.get_state_display()})"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFFENSIVE = "offensive", _("beleidigend")
        OFF_TOPIC = "off_topic", _("gehört nicht hierher")
        OTHER = "other", _("anderes")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("Erläuterung"), max_length=500, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A keyed hash of the reporter's client, so one person counts once; no IP is stored.
    client_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(_("erledigt"), default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "client_hash"], name="participation_report_once"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.contribution_id})"


class BlockedAuthor(models.Model):
    """An author who may no longer contribute; their contributions are hidden."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True, db_index=True)
    reason = models.TextField(_("Grund"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("gesperrte:r Autor:in")
        verbose_name_plural = _("gesperrte Autor:innen")

    def __str__(self):
        return self.email or str(self.user_id)


class DigestRun(models.Model):
    """One row per day on which the moderators' digest went out (keeps the task idempotent)."""

    date = models.DateField(unique=True)
    sent_to = models.PositiveIntegerField(default=0)

    def __str__(self):
        return self.date.isoformat()
