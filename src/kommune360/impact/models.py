"""Wirkung: figures per year, manual figures, indicators with targets, follow-up surveys.

``FigureValue`` holds every registered figure per year as computed by the refresh task
(the public page reads rows, never the apps' tables: its query count does not depend on
the amount of data). Survey answers (``Response``, ``Answer``) hold no reference to a
person or to the invitation that carried the link (decision 0111); ``AnswerTally`` counts
them per question, month and value as they are written, and the results read it
(decision 0112).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

STAGES = [
    (0, _("ohne Stufe")),
    (1, _("1 Aktivitäten finden wie geplant statt")),
    (2, _("2 Zielgruppen werden erreicht")),
    (3, _("3 Zielgruppen akzeptieren Angebote")),
    (4, _("4 Zielgruppen verändern Bewusstsein bzw. Fähigkeiten")),
    (5, _("5 Zielgruppen ändern ihr Handeln")),
    (6, _("6 Lebenslage der Zielgruppen ändert sich")),
    (7, _("7 Gesellschaft verändert sich")),
]


def stage_kind(stage: int) -> str:
    """Output (1–3), Outcome (4–6) or Impact (7) on the Wirkungstreppe."""
    if 1 <= stage <= 3:
        return "output"
    if 4 <= stage <= 6:
        return "outcome"
    if stage == 7:
        return "impact"
    return ""


YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class FigureValue(models.Model):
    """A registered figure (``core.registry.Figure``) for one year, as last computed."""

    key = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="impact_figure_year")]

    def __str__(self):
        return f"{self.key} {self.year}: {self.value}"


class ManualFigure(models.Model):
    """A figure without underlying data on the platform, typed by an editor with its source."""

    key = models.SlugField(
        _("Kennung"),
        max_length=100,
        help_text=_("Gleiche Kennung in jedem Jahr, damit die Veränderung berechnet wird."),
    )
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    label = models.CharField(_("Bezeichnung"), max_length=200)
    value = models.DecimalField(_("Wert"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    stage = models.PositiveSmallIntegerField(
        _("Stufe der Wirkungstreppe"), choices=STAGES, default=0
    )
    source = models.CharField(
        _("Quelle"), max_length=300, help_text=_("Woher die Zahl stammt, z. B. „Lagerliste“.")
    )
    note = models.TextField(_("Methode und Anmerkung"), blank=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("manuelle Zahl")
        verbose_name_plural = _("manuelle Zahlen")
        ordering = ["-year", "label"]
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="impact_manual_year")]

    def __str__(self):
        return f"{self.label} ({self.year})"


class YearReport(models.Model):
    """The editors' texts of one year's report, structured after the SRS."""

    year = models.PositiveSmallIntegerField(_("Jahr"), unique=True, validators=YEAR_VALIDATORS)
    situation = models.TextField(_("Ausgangslage"), blank=True)
    approach = models.TextField(_("Lösungsansatz"), blank=True)
    resources = models.TextField(_("Eingesetzte Ressourcen"), blank=True)
    outputs = models.TextField(_("Erbrachte Leistungen (Output)"), blank=True)
    outcomes = models.TextField(_("Erreichte Wirkungen (Outcome)"), blank=True)
    impact = models.TextField(_("Gesellschaftliche Wirkung (Impact)"), blank=True)
    highlights = models.CharField(
        _("Zahlen für Startseite und Newsletter"),
        max_length=500,
        blank=True,
        help_text=_("Kennungen der Zahlen, durch Komma getrennt; leer: die ersten vier."),
    )

    class Meta:
        verbose_name = _("Jahresbericht")
        verbose_name_plural = _("Jahresberichte")
        ordering = ["-year"]

    def __str__(self):
        return str(_("Wirkung %(year)s") % {"year": self.year})

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("impact:year", args=[self.year])

    def highlight_keys(self) -> list[str]:
        return [key.strip() for key in self.highlights.split(",") if key.strip()]


class Indicator(ClusterableModel):
    class Source(models.TextChoices):
        FIGURE = "figure", _("registrierte oder manuelle Zahl")
        QUESTION = "question", _("Frage einer Nachbefragung")

    name = models.CharField(_("Name"), max_length=200)
    stage = models.PositiveSmallIntegerField(
        _("Stufe der Wirkungstreppe"), choices=STAGES[1:], default=1
    )
    unit = models.CharField(_("Einheit"), max_length=50, blank=True)
    source = models.CharField(_("Quelle"), max_length=10, choices=Source.choices)
    figure_key = models.CharField(
        _("Kennung der Zahl"),
        max_length=100,
        blank=True,
        help_text=_("Eine registrierte Zahl oder die Kennung einer manuellen Zahl."),
    )
    question = models.ForeignKey(
        "impact.Question",
        verbose_name=_("Frage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["stage", "order", "pk"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.source == self.Source.FIGURE and not self.figure_key:
            raise ValidationError({"figure_key": _("Bitte die Kennung einer Zahl angeben.")})
        if self.source == self.Source.QUESTION and not self.question_id:
            raise ValidationError({"question": _("Bitte eine Frage auswählen.")})


class Target(models.Model):
    indicator = ParentalKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("Jahr"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("Zielwert"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("Zielwert")
        verbose_name_plural = _("Zielwerte")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="impact_target_year")
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.value}"


class Survey(ClusterableModel):
    """A short follow-up survey on an event or Lernpfad cohort (a ``SurveySubject``)."""

    class Months(models.IntegerChoices):
        THREE = 3, _("3 Monate nach dem Ende")
        SIX = 6, _("6 Monate nach dem Ende")

    title = models.CharField(_("Titel"), max_length=200)
    subject_key = models.CharField(_("Art"), max_length=50)
    subject_id = models.PositiveIntegerField(_("Gegenstand"))
    subject_label = models.CharField(max_length=300, editable=False, default="")
    months = models.PositiveSmallIntegerField(
        _("Versand"), choices=Months.choices, default=Months.THREE
    )
    intro = models.TextField(_("Einleitung"), blank=True)
    is_active = models.BooleanField(
        _("aktiv"), default=False, help_text=_("Nur aktive Nachbefragungen werden verschickt.")
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Nachbefragung")
        verbose_name_plural = _("Nachbefragungen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Zustimmung (1 bis 5)")
        YES_NO = "yes_no", _("Ja oder nein")
        NUMBER = "number", _("Zahl")
        TEXT = "text", _("Freitext")

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("Frage"), max_length=300)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    stage = models.PositiveSmallIntegerField(
        _("Stufe der Wirkungstreppe"), choices=STAGES, default=0
    )
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["survey", "order", "pk"]

    def __str__(self):
        return f"{self.survey}: {self.text}"


class Invitation(models.Model):
    """The journal of sent surveys: one row per survey and person, written with the mail.

    ``person`` is the subject's person key (a hash, decision 0110), ``token_hash`` the
    keyed hash of the link's secret; answering empties it (the link is used up) and
    sets ``answered`` without a time, so nothing ties the answer to the person.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    sent_on = models.DateField()
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="impact_invitation_once")
        ]

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class OptOut(models.Model):
    """A person who never wants follow-up surveys (one click in any survey mail)."""

    person = models.CharField(max_length=64, unique=True)
    created_on = models.DateField(auto_now_add=True)

    def __str__(self):
        return self.person[:12]


class Response(models.Model):
    """One filled-in survey. No person, no invitation, only the month of the answer."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    month = models.DateField(help_text="first day of the month of the answer")

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="impact_answer_once")
        ]

    def __str__(self):
        return f"{self.response_id}/{self.question_id}"


class AnswerTally(models.Model):
    """Answers to one question in one month with one value, kept with every answer
    (``impact.tallies``): what the results read instead of the answers (decision 0112).

    ``option`` is the value of a closed question (1–5, or 1 and 0 for yes and no), else
    ``NO_OPTION``; ``numbers`` counts the answers with a number, ``total`` sums them.
    """

    NO_OPTION = -1

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    month = models.DateField(help_text="first day of the month of the answers")
    option = models.SmallIntegerField()
    count = models.PositiveIntegerField(default=0)
    numbers = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "month", "option"], name="impact_tally_once"
            )
        ]

    def __str__(self):
        return f"{self.question_id} {self.month:%Y-%m} {self.option}: {self.count}"
