"""Auszeichnungen: rounds (Ausschreibungen) with their rubric and form, applications
with versions and attachments, the jury's conflicts, assignments and reviews, the
decision and the public solution profiles.

Rules live in ``services``; the models hold data and small derived facts.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from kommune360.core.storage import private_storage
from kommune360.core.text import unique_slug


class RoundQuerySet(models.QuerySet):
    def public(self):
        """Rounds anybody may see: every phase but the draft."""
        return self.exclude(phase=Round.Phase.DRAFT)


class Round(ClusterableModel):
    """A call for a seal, prize or fellowship, or a partner's call listed here."""

    class Phase(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("Bewerbung offen")
        REVIEW = "review", _("Begutachtung")
        DECISION = "decision", _("Entscheidung")
        PUBLISHED = "published", _("veröffentlicht")

    class Kind(models.TextChoices):
        OWN = "own", _("eigene Ausschreibung")
        EXTERNAL = "external", _("Ausschreibung einer Partnerorganisation")

    title = models.CharField(_("Titel"), max_length=200)
    slug = models.SlugField(_("Kürzel in der Adresse"), max_length=200, unique=True, blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.OWN)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=300, blank=True)
    text = models.TextField(_("Ausschreibungstext"), blank=True)
    seal_name = models.CharField(
        _("Name der Auszeichnung"),
        max_length=100,
        blank=True,
        help_text=_("Steht auf dem Siegel, zum Beispiel „Bewährt vor Ort 2025“."),
    )
    partner = models.CharField(_("Partnerorganisation"), max_length=200, blank=True)
    external_url = models.URLField(_("Link zur Ausschreibung"), max_length=500, blank=True)
    eligible_municipalities = models.BooleanField(_("Gemeinden und Städte"), default=True)
    eligible_districts = models.BooleanField(_("Kreise"), default=True)
    eligible_enterprises = models.BooleanField(_("kommunale Unternehmen"), default=False)
    opens_at = models.DateTimeField(_("Bewerbung ab"), null=True, blank=True)
    closes_at = models.DateTimeField(_("Bewerbungsschluss"))
    phase = models.CharField(
        _("Phase"), max_length=10, choices=Phase.choices, default=Phase.DRAFT, editable=False
    )
    awards_count = models.PositiveSmallIntegerField(_("Zahl der Auszeichnungen"), default=5)
    reviews_per_application = models.PositiveSmallIntegerField(
        _("Gutachten je Bewerbung"), default=3
    )
    blind = models.BooleanField(
        _("verdeckte Begutachtung"),
        default=False,
        help_text=_("Die Jury sieht die Namen der Bewerbenden nicht."),
    )
    conflict_same_state = models.BooleanField(
        _("Befangen auch im selben Land"),
        default=False,
        help_text=_("Jurymitglieder begutachten keine Bewerbungen aus ihrem Land."),
    )
    jurors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Jury"),
        blank=True,
        related_name="award_rounds",
        limit_choices_to={"groups__name": "Jury"},
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    objects = RoundQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("slug"),
                FieldPanel("kind"),
                FieldPanel("summary"),
                FieldPanel("text"),
                FieldPanel("seal_name"),
            ],
            heading=_("Ausschreibung"),
        ),
        MultiFieldPanel(
            [FieldPanel("partner"), FieldPanel("external_url")],
            heading=_("Ausschreibung einer Partnerorganisation"),
        ),
        FieldRowPanel(
            [
                FieldPanel("eligible_municipalities"),
                FieldPanel("eligible_districts"),
                FieldPanel("eligible_enterprises"),
            ],
            heading=_("Wer sich bewerben kann"),
        ),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")], heading=_("Fristen")),
        InlinePanel("criteria", heading=_("Kriterien"), label=_("Kriterium")),
        InlinePanel("questions", heading=_("Fragen des Formulars"), label=_("Frage")),
        MultiFieldPanel(
            [
                FieldPanel("awards_count"),
                FieldPanel("reviews_per_application"),
                FieldPanel("blind"),
                FieldPanel("conflict_same_state"),
                FieldPanel("jurors"),
            ],
            heading=_("Jury"),
        ),
    ]

    class Meta:
        ordering = ["-closes_at", "title"]
        verbose_name = _("Ausschreibung")
        verbose_name_plural = _("Ausschreibungen")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Round, self.title, exclude_pk=self.pk, fallback="runde")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("awards:round", args=[self.slug])

    @property
    def is_external(self):
        return self.kind == self.Kind.EXTERNAL

    def accepts_applications(self, at=None) -> bool:
        """Open for applications at ``at`` (now): the phase is "open", the opening has
        come and the deadline has not passed (a submission at the deadline's second
        itself still counts)."""
        at = at or timezone.now()
        return (
            not self.is_external
            and self.phase == self.Phase.OPEN
            and (self.opens_at is None or self.opens_at <= at)
            and at <= self.closes_at
        )

    def eligible_kinds(self):
        kinds = []
        if self.eligible_municipalities:
            kinds.append(Application.ApplicantKind.MUNICIPALITY)
        if self.eligible_districts:
            kinds.append(Application.ApplicantKind.DISTRICT)
        if self.eligible_enterprises:
            kinds.append(Application.ApplicantKind.ENTERPRISE)
        return kinds


class Criterion(Orderable):
    """One line of the rubric: a weight and a scale from 1 to ``scale_max``."""

    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Name"), max_length=120)
    description = models.TextField(_("Beschreibung"), blank=True)
    weight = models.PositiveSmallIntegerField(_("Gewicht"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("höchste Stufe"), default=5)
    levels = models.TextField(
        _("Stufen"),
        blank=True,
        help_text=_("Eine Zeile je Stufe, von 1 aufwärts: was diese Stufe bedeutet."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("weight"), FieldPanel("scale_max")]),
        FieldPanel("levels"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Kriterium")
        verbose_name_plural = _("Kriterien")

    def __str__(self):
        return self.name

    def level_list(self):
        """(value, description) for each level of the scale."""
        texts = [line.strip() for line in self.levels.splitlines() if line.strip()]
        return [
            (value, texts[value - 1] if value <= len(texts) else "")
            for value in range(1, self.scale_max + 1)
        ]


class Question(Orderable):
    class Kind(models.TextChoices):
        SHORT = "short", _("kurzer Text")
        LONG = "long", _("langer Text")
        CHOICE = "choice", _("Auswahl")
        FILE = "file", _("Datei")

    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("Frage"), max_length=300)
    help_text = models.CharField(_("Hinweis"), max_length=300, blank=True)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.LONG)
    max_chars = models.PositiveIntegerField(_("höchstens Zeichen"), null=True, blank=True)
    choices = models.TextField(_("Auswahlmöglichkeiten"), blank=True, help_text=_("Eine je Zeile."))
    required = models.BooleanField(_("Pflichtfeld"), default=True)

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("max_chars"), FieldPanel("required")]),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")

    def __str__(self):
        return self.label

    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Application(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("eingereicht")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    class ApplicantKind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Gemeinde oder Stadt")
        DISTRICT = "district", _("Kreis")
        ENTERPRISE = "enterprise", _("kommunales Unternehmen")

    class Decision(models.TextChoices):
        NONE = "", _("noch offen")
        AWARDED = "awarded", _("ausgezeichnet")
        SEAL = "seal", _("Siegel")
        NOT = "not", _("nicht ausgezeichnet")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewerbende Person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="award_applications",
    )
    municipality = models.ForeignKey(
        "core.Municipality", verbose_name=_("Kommune"), on_delete=models.PROTECT, related_name="+"
    )
    applicant_kind = models.CharField(
        _("Bewerbung als"), max_length=15, choices=ApplicantKind.choices
    )
    organisation = models.CharField(_("Organisation"), max_length=200)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    title = models.CharField(_("Titel der Lösung"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"), max_length=1500)
    answers = models.JSONField(_("Antworten"), default=dict, blank=True)
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(_("Fassung"), default=0)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    decision = models.CharField(
        _("Entscheidung"), max_length=10, choices=Decision.choices, default="", blank=True
    )
    decision_reason = models.TextField(_("Begründung"), blank=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    notified_at = models.DateTimeField(_("benachrichtigt am"), null=True, blank=True)
    person_erased = models.BooleanField(_("Person gelöscht"), default=False)
    # The applicant's agreement (``consent.py``): to the jury's review, needed to submit,
    # and, optional, to a public profile if awarded; each with its time and the version
    # of the wording agreed to. The showcase asks only here (one source of truth).
    consent_at = models.DateTimeField(
        _("Einverständnis mit der Begutachtung am"), null=True, blank=True
    )
    consent_version = models.CharField(
        _("Fassung des Einverständnisses"), max_length=20, blank=True
    )
    showcase_consent_at = models.DateTimeField(
        _("Einverständnis mit der Veröffentlichung am"), null=True, blank=True
    )
    showcase_consent_version = models.CharField(
        _("Fassung des Einverständnisses zur Veröffentlichung"), max_length=20, blank=True
    )
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["round", "title", "pk"]
        verbose_name = _("Bewerbung")
        verbose_name_plural = _("Bewerbungen")
        permissions = [("review_application", _("Bewerbungen begutachten (Jury)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "applicant", "municipality"],
                condition=~Q(state="withdrawn"),
                name="awards_one_application_per_person_and_municipality",
            )
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:application", args=[self.round.slug, self.pk])

    @property
    def is_submitted(self):
        return self.state == self.State.SUBMITTED

    @property
    def is_awarded(self):
        return self.decision in (self.Decision.AWARDED, self.Decision.SEAL)


class ApplicationVersion(models.Model):
    """What the application said when it was submitted or edited afterwards; a review
    names the version its juror read."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Fassung"))
    title = models.CharField(_("Titel der Lösung"), max_length=200)
    summary = models.TextField(_("Kurzbeschreibung"))
    answers = models.JSONField(_("Antworten"), default=dict)
    created_at = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("Fassung einer Bewerbung")
        verbose_name_plural = _("Fassungen von Bewerbungen")
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="awards_version_once")
        ]

    def __str__(self):
        return f"{self.application} ({self.number})"


class Attachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(_("Datei"), upload_to="awards/%Y/", storage=private_storage)
    name = models.CharField(_("Dateiname"), max_length=200)
    kind = models.CharField(_("Art"), max_length=10)
    size = models.PositiveIntegerField(_("Größe"))
    created_at = models.DateTimeField(_("hochgeladen"), auto_now_add=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")

    def __str__(self):
        return self.name


class CoApplicant(models.Model):
    """A person invited by e-mail to work on an application; a co-applicant only after
    accepting the signed link with an account whose address is confirmed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_applicants"
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    # Empty while the invitation is pending: only an accepted invitation gives access.
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)

    class Meta:
        ordering = ["application", "email"]
        verbose_name = _("Mitbewerbende Person")
        verbose_name_plural = _("Mitbewerbende")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "email"], name="awards_co_applicant_once"
            )
        ]

    def __str__(self):
        return self.email


class Conflict(models.Model):
    """A juror may not see an application: declared by the juror or detected."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("selbst erklärt")
        MUNICIPALITY = "municipality", _("dieselbe Kommune")
        DISTRICT = "district", _("derselbe Kreis")
        STATE = "state", _("dasselbe Land")
        DOMAIN = "domain", _("dieselbe E-Mail-Domain")
        CO_APPLICANT = "co_applicant", _("bewirbt sich mit")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_conflicts"
    )
    source = models.CharField(_("Grund"), max_length=15, choices=Source.choices)
    reason = models.CharField(_("Erläuterung"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("festgestellt am"), auto_now_add=True)

    class Meta:
        ordering = ["application", "juror"]
        verbose_name = _("Befangenheit")
        verbose_name_plural = _("Befangenheiten")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror", "source"], name="awards_conflict_once"
            )
        ]

    def __str__(self):
        return f"{self.juror} – {self.application}"


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_assignments"
    )
    by_hand = models.BooleanField(_("von Hand"), default=False)
    created_at = models.DateTimeField(_("zugeteilt am"), auto_now_add=True)

    class Meta:
        ordering = ["application", "juror"]
        verbose_name = _("Zuteilung")
        verbose_name_plural = _("Zuteilungen")
        constraints = [
            models.UniqueConstraint(fields=["application", "juror"], name="awards_assigned_once")
        ]

    def __str__(self):
        return f"{self.juror} – {self.application}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        AWARD = "award", _("auszeichnen")
        SEAL = "seal", _("Siegel verleihen")
        MAYBE = "maybe", _("unentschieden")
        NOT = "not", _("nicht auszeichnen")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="award_reviews",
    )
    version = models.ForeignKey(
        ApplicationVersion, null=True, on_delete=models.SET_NULL, related_name="reviews"
    )
    recommendation = models.CharField(
        _("Empfehlung"), max_length=10, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("Begründung"), blank=True)
    meeting_note = models.TextField(_("Notiz für die Jurysitzung"), blank=True)
    submitted_at = models.DateTimeField(_("abgegeben am"), null=True, blank=True)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("Gutachten")
        verbose_name_plural = _("Gutachten")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror"],
                condition=Q(juror__isnull=False),
                name="awards_one_review_per_juror",
            )
        ]

    def __str__(self):
        return f"{self.application} ({self.pk})"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("Stufe"))
    comment = models.TextField(_("Kommentar"), blank=True)

    class Meta:
        ordering = ["review", "criterion"]
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="awards_score_once")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


from .showcase_models import AdoptionRequest, Solution  # noqa: E402, F401
