"""Lernpfade (learning paths), their modules, cohorts, applications and attendance.

Capacity of a cohort is guarded by ``services.decide_application``: an acceptance locks
the cohort row and re-counts the accepted applications (see docs/learning.md and
docs/decisions/0060-cohort-acceptance-locking.md). The database backs the rules that
belong to one row: one application per cohort and person, one attendance row per
application and module.
"""

import os
from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.fields import URLField
from kommune360.core.models import Municipality, TargetGroup
from kommune360.core.storage import private_storage
from kommune360.core.uploads import FileValidator


class LearningPath(models.Model):
    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=200, unique=True)
    summary = models.TextField(_("Kurzbeschreibung"), blank=True)
    goals = models.TextField(_("Lernziele"), blank=True, help_text=_("Ein Lernziel pro Zeile."))
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("Zielgruppen"), blank=True, related_name="learning_paths"
    )
    cost = models.DecimalField(
        _("Kosten in Euro"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("0 bedeutet kostenfrei."),
    )
    cost_note = models.CharField(_("Was die Kosten umfassen"), max_length=300, blank=True)
    provider = models.CharField(
        _("Anbieter:in"), max_length=300, blank=True, help_text=_("Leer: das Netzwerk selbst.")
    )
    certificate_min_percent = models.PositiveSmallIntegerField(
        _("Mindestanteil der Modulstunden für die Bescheinigung (Prozent)"), default=80
    )
    is_published = models.BooleanField(_("veröffentlicht"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Lernpfad")
        verbose_name_plural = _("Lernpfade")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(certificate_min_percent__lte=100),
                name="learning_path_min_percent_le_100",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("learning:detail", kwargs={"slug": self.slug})

    @property
    def goal_list(self):
        return [line.strip() for line in self.goals.splitlines() if line.strip()]

    @property
    def is_free(self):
        return not self.cost

    def total_hours(self):
        return sum((m.hours for m in self.modules.all()), Decimal("0"))


class Module(models.Model):
    class Kind(models.TextChoices):
        ONLINE = "online", _("Online-Sitzung")
        PRESENCE = "presence", _("Präsenztreffen")
        SELF_STUDY = "self_study", _("Selbststudium")
        PEER = "peer", _("Kollegiale Beratung")

    path = models.ForeignKey(
        LearningPath, verbose_name=_("Lernpfad"), on_delete=models.CASCADE, related_name="modules"
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    hours = models.DecimalField(_("Stunden"), max_digits=5, decimal_places=2)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        ordering = ["path", "order", "pk"]
        verbose_name = _("Modul")
        verbose_name_plural = _("Module")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="learning_module_hours_gt_0"
            )
        ]

    def __str__(self):
        return f"{self.path}: {self.title}"

    @property
    def is_self_study(self):
        return self.kind == self.Kind.SELF_STUDY


class Cohort(models.Model):
    path = models.ForeignKey(
        LearningPath, verbose_name=_("Lernpfad"), on_delete=models.CASCADE, related_name="cohorts"
    )
    title = models.CharField(_("Bezeichnung"), max_length=200)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Begleitung"),
        blank=True,
        related_name="facilitated_cohorts",
    )
    facilitator_names = models.CharField(
        _("Namen der Begleiter:innen (öffentlich)"), max_length=300, blank=True
    )
    capacity = models.PositiveIntegerField(_("Plätze"))
    applications_open_on = models.DateField(_("Bewerbung ab"))
    applications_close_on = models.DateField(
        _("Bewerbung bis"), help_text=_("Die Frist endet am Ende dieses Tages.")
    )

    class Meta:
        ordering = ["path", "starts_on", "pk"]
        verbose_name = _("Kohorte")
        verbose_name_plural = _("Kohorten")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="learning_cohort_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.path} – {self.title}"

    @property
    def label(self):
        """The cohort as a text names it: "Kohorte Herbst 2027", and a title that
        already says so ("Kohorte 2027") as it is, never "Kohorte Kohorte 2027"."""
        word = str(_("Kohorte"))
        if self.title.strip().lower().startswith(word.lower()):
            return self.title.strip()
        return _("Kohorte %(title)s") % {"title": self.title.strip()}

    def applications_open(self, today) -> bool:
        """``today`` is the date in Europe/Berlin; the window includes both named days."""
        return self.applications_open_on <= today <= self.applications_close_on

    def is_finished(self, today) -> bool:
        return self.ends_on < today


class CohortDate(models.Model):
    """When and where one module of a cohort takes place."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Kohorte"), on_delete=models.CASCADE, related_name="dates"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("Modul"), on_delete=models.CASCADE, related_name="cohort_dates"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort oder Online-Raum"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "module"], name="learning_one_date_per_module"
            )
        ]

    def __str__(self):
        return f"{self.cohort}: {self.module.title}"


class Application(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("beworben")
        ACCEPTED = "accepted", _("aufgenommen")
        WAITLISTED = "waitlisted", _("Warteliste")
        DECLINED = "declined", _("abgelehnt")

    # What the applicant reads about their application (the labels are the editors').
    STATUS_SENTENCES = {
        Status.APPLIED: _("Ihre Bewerbung ist eingegangen."),
        Status.ACCEPTED: _("Sie sind aufgenommen."),
        Status.WAITLISTED: _("Sie stehen auf der Warteliste."),
        Status.DECLINED: _("Ihre Bewerbung wurde leider abgelehnt."),
    }

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Kohorte"), on_delete=models.CASCADE, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="learning_applications",
    )
    role = models.CharField(_("Rolle oder Funktion"), max_length=200)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    employer = models.CharField(_("Arbeitgeber:in"), max_length=300, blank=True)
    motivation = models.TextField(_("Motivation"))
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    created_at = models.DateTimeField(_("beworben am"))
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    show_to_cohort = models.BooleanField(
        _("für die anderen Teilnehmer:innen sichtbar"),
        default=False,
        help_text=_("Name, Rolle und Kommune erscheinen im Bereich der Kohorte."),
    )

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="learning_one_application_per_person"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.cohort}"

    @property
    def status_sentence(self):
        return self.STATUS_SENTENCES[self.status]

    @property
    def holder_name(self):
        return self.user.get_full_name() or self.user.email


class Attendance(models.Model):
    """One person took part in one module (recorded by a facilitator, or self-study
    marked done by the person). No row: not attended."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("Bewerbung"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    module = models.ForeignKey(
        Module, verbose_name=_("Modul"), on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("teilgenommen"), default=True)
    self_reported = models.BooleanField(_("selbst gemeldet"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("erfasst am"))

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["module__order", "pk"]
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "module"], name="learning_one_attendance_per_module"
            )
        ]

    def __str__(self):
        return f"{self.application}: {self.module.title}"


MATERIAL_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "png", "jpg"]
MATERIAL_MAX_BYTES = 20 * 1024 * 1024


class Material(models.Model):
    """A file or link for one module, for one cohort or (no cohort) for every cohort of
    the path. Only accepted participants, facilitators and staff get it."""

    module = models.ForeignKey(
        Module, verbose_name=_("Modul"), on_delete=models.CASCADE, related_name="materials"
    )
    cohort = models.ForeignKey(
        Cohort,
        verbose_name=_("Kohorte"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
        help_text=_("Leer: für alle Kohorten dieses Lernpfads."),
    )
    title = models.CharField(_("Titel"), max_length=200)
    file = models.FileField(
        _("Datei"),
        upload_to="learning/material/%Y/",
        storage=private_storage,
        blank=True,
        validators=[
            FileExtensionValidator(MATERIAL_EXTENSIONS),
            # The content must be of one of these kinds too (not only the name).
            FileValidator(MATERIAL_EXTENSIONS, MATERIAL_MAX_BYTES),
        ],
        help_text=_("PDF, Office- oder Bilddatei bis 20 MB."),
    )
    url = URLField(_("Link"), blank=True, max_length=500)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        ordering = ["module__order", "order", "pk"]
        verbose_name = _("Material")
        verbose_name_plural = _("Material")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(file="") & ~models.Q(url=""))
                | (~models.Q(file="") & models.Q(url="")),
                name="learning_material_file_or_link",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if bool(self.file) == bool(self.url):
            raise ValidationError(_("Bitte geben Sie entweder eine Datei oder einen Link an."))
        if self.cohort_id and self.module_id and self.cohort.path_id != self.module.path_id:
            raise ValidationError(
                {"cohort": _("Die Kohorte gehört nicht zum Lernpfad dieses Moduls.")}
            )

    @property
    def filename(self):
        return os.path.basename(self.file.name) if self.file else ""


class Feedback(models.Model):
    """Feedback at the end of a cohort. With consent, staff may publish the text as a
    quote on the Lernpfad page, attributed as the person chose."""

    class Attribution(models.TextChoices):
        NAME_AND_ROLE = "name_role", _("mit meinem Namen, meiner Rolle und Kommune")
        ROLE = "role", _("nur mit Rolle und Kommune, ohne Namen")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("Kohorte"), on_delete=models.CASCADE, related_name="feedback"
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("Bewerbung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
        help_text=_("Leer: Rückmeldung, die das Team auf anderem Weg erhalten hat."),
    )
    rating = models.PositiveSmallIntegerField(
        _("Bewertung"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("Rückmeldung"), blank=True)
    publish_consent = models.BooleanField(_("Veröffentlichung erlaubt"), default=False)
    attribution = models.CharField(
        _("Angabe bei Veröffentlichung"),
        max_length=20,
        choices=Attribution.choices,
        default=Attribution.NAME_AND_ROLE,
    )
    author_name = models.CharField(_("Name"), max_length=200, blank=True)
    author_role = models.CharField(_("Rolle und Kommune"), max_length=300, blank=True)
    is_published = models.BooleanField(_("als Zitat veröffentlicht"), default=False)
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)
    created_at = models.DateTimeField(_("eingegangen am"), default=timezone.now)

    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="learning_feedback_rating"
            ),
            models.CheckConstraint(
                condition=models.Q(is_published=False)
                | models.Q(publish_consent=True) & ~models.Q(text=""),
                name="learning_feedback_published_with_consent",
            ),
        ]

    def __str__(self):
        return f"{self.cohort}: {self.rating}/5"

    @property
    def attribution_line(self):
        """How a published quote is signed."""
        parts = [self.author_role] if self.author_role else []
        if self.attribution == self.Attribution.NAME_AND_ROLE and self.author_name:
            parts.insert(0, self.author_name)
        return ", ".join(parts)
