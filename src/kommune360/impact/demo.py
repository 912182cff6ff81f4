"""Demo content of Wirkung: 2024 with the figures the initiative published (typed as
manual figures, with their source), 2025 from the demo data, report texts, indicators
with targets for both years, and two follow-up surveys — one with enough answers to
show results and one with too few. Idempotent."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from kommune360.core.registry import registry

from .figures import refresh
from .models import Indicator, ManualFigure, Question, Survey, Target, YearReport
from .surveys import store_response

SEED_SOURCE = "Jahresrückblick im Newsletter der Initiative, Dezember 2024"
MANUAL = [
    # key, year, label, value, unit, stage, source, note
    (
        "podcast-streams",
        2024,
        "Abrufe der Podcastfolgen",
        4600,
        "Abrufe",
        2,
        SEED_SOURCE,
        "Abrufe beim Podcast-Hoster über alle Folgen, vor dem Zählen auf der Plattform.",
    ),
    (
        "change-guide-downloads",
        2024,
        "Downloads des digitalen Change-Guides",
        600,
        "Downloads",
        2,
        SEED_SOURCE,
        "Seit der Veröffentlichung im Sommer 2024.",
    ),
    (
        "sticker",
        2024,
        "verteilte Sticker",
        1200,
        "Sticker",
        1,
        SEED_SOURCE,
        "Alle Sticker seit dem K360-Festival an Verwaltungsmitarbeitende verteilt.",
    ),
    (
        "festival-postkarten",
        2024,
        "Postkarten vom K360-Festival",
        80,
        "Postkarten",
        2,
        SEED_SOURCE,
        "Vor Ort geschriebene Karten an Kolleg:innen und Vorgesetzte.",
    ),
    (
        "sticker",
        2025,
        "verteilte Sticker",
        950,
        "Sticker",
        1,
        "Lagerliste der Geschäftsstelle (Beispielzahl)",
        "Ausgabe bei Veranstaltungen.",
    ),
]

REPORTS = {
    2024: {
        "situation": "In vielen Jugendämtern fehlt Zeit und Raum, Veränderung gemeinsam zu "
        "planen. Angebote zu agilen Methoden erreichen kommunale Verwaltungen selten.",
        "approach": "Die Initiative verbindet Leitungen und Planer:innen der Jugendhilfe in "
        "Lernpfaden, Veranstaltungen und einem Netzwerk, ergänzt um Podcast und Magazin.",
        "resources": "Ein kleines Team der Geschäftsstelle, Honorarkräfte für die Lernpfade und "
        "die Förderung der drei Gründungsorganisationen (Beispieltext).",
        "outputs": "Das K360-Festival, zwei Lernpfade, Podcastfolgen und der Change-Guide.",
        "outcomes": "Teilnehmende berichten, dass sie Methoden aus den Lernpfaden in ihrer "
        "Planung anwenden und sich mit anderen Kommunen austauschen.",
        "impact": "Langfristig sollen Verwaltungen Veränderungen schneller und gemeinsam mit "
        "den Menschen vor Ort gestalten (Beispieltext).",
        "highlights": "podcast-streams,change-guide-downloads,sticker,festival-postkarten",
    },
    2025: {
        "situation": "Mit der neuen Förderphase wächst das Netzwerk über die Jugendhilfe hinaus.",
        "approach": "Die Plattform bündelt Angebote, Lernpfade und Veranstaltungen; Zahlen "
        "entstehen dort, wo die Arbeit stattfindet.",
        "resources": "Geschäftsstelle, Plattform, Honorarkräfte (Beispieltext).",
        "outputs": "Veranstaltungen, Lernpfad-Kohorten und Downloads, automatisch gezählt.",
        "outcomes": "Die Nachbefragungen drei Monate nach den Angeboten zeigen, was bleibt.",
        "impact": "Beispieltext: Kommunen berichten von veränderten Planungsprozessen.",
        "highlights": "",
    },
}

INDICATORS = [
    # name, stage, unit, figure key or None (question), targets
    ("Verteilte Sticker", 1, "Sticker", "sticker", {2024: 1000, 2025: 1500}),
    (
        "Teilnahmen an Veranstaltungen",
        2,
        "Teilnahmen",
        "events.participants",
        {2024: 60, 2025: 120},
    ),
    (
        "Teilnehmer:innen der Lernpfade",
        3,
        "Personen",
        "learning.participants",
        {2024: 10, 2025: 30},
    ),
    ("Gelerntes in der Arbeit angewendet", 5, "%", None, {2025: 70}),
]

QUESTIONS = [
    ("Ich habe Gelerntes in meiner Arbeit angewendet.", Question.Kind.SCALE, 5),
    ("Haben Sie seitdem mit einer anderen Kommune zusammengearbeitet?", Question.Kind.YES_NO, 5),
    ("Wie viele Kolleg:innen haben Sie davon erzählt?", Question.Kind.NUMBER, 4),
    ("Was hat sich bei Ihnen verändert?", Question.Kind.TEXT, 4),
]
# Answers of the survey with enough of them: (scale, yes/no, number, text).
ANSWERS = [
    (5, 1, 3, "Wir planen jetzt mit kurzen Schleifen."),
    (4, 1, 2, ""),
    (4, 0, 5, "Mehr Mut im Team."),
    (5, 1, 1, ""),
    (3, 0, 0, "Noch wenig, die Zeit fehlt."),
    (4, 1, 4, ""),
    (2, 0, 2, ""),
    (4, 1, 6, "Kontakt zu einer Nachbarkommune."),
    (5, 0, 3, ""),
    (4, 1, 2, ""),
    (5, 1, 3, "Die Methoden aus dem Lernpfad nutzen wir im Planungsteam."),
    (1, 0, 0, ""),
]


@transaction.atomic
def load_impact_demo():
    for key, year, label, value, unit, stage, source, note in MANUAL:
        ManualFigure.objects.get_or_create(
            key=key,
            year=year,
            defaults={
                "label": label,
                "value": Decimal(value),
                "unit": unit,
                "stage": stage,
                "source": source,
                "note": note,
            },
        )
    for year, texts in REPORTS.items():
        YearReport.objects.get_or_create(year=year, defaults=texts)
    refresh(2024)
    refresh(2025)
    surveys = _surveys()
    question = surveys[0].questions.get(order=0) if surveys else None
    for name, stage, unit, key, targets in INDICATORS:
        if key is None and question is None:
            continue
        indicator, _created = Indicator.objects.get_or_create(
            name=name,
            defaults={
                "stage": stage,
                "unit": unit,
                "source": Indicator.Source.QUESTION if key is None else Indicator.Source.FIGURE,
                "figure_key": key or "",
                "question": None if key else question,
            },
        )
        for year, value in targets.items():
            Target.objects.get_or_create(indicator=indicator, year=year, defaults={"value": value})


def _surveys() -> list[Survey]:
    subjects = {subject.key: subject for subject in registry.survey_subjects()}
    made = []
    for key, title, answers in (
        ("learning.cohort", "Drei Monate nach dem Lernpfad", ANSWERS),
        ("events.event", "Drei Monate nach der Veranstaltung", ANSWERS[:3]),
    ):
        subject = subjects.get(key)
        obj = subject.choices().first() if subject else None
        if obj is None:
            continue
        survey, created = Survey.objects.get_or_create(
            title=title,
            defaults={
                "subject_key": key,
                "subject_id": obj.pk,
                "subject_label": str(obj)[:300],
                "months": 3,
                "is_active": True,
                "intro": "Fünf kurze Fragen – jede ist freiwillig.",
            },
        )
        if created:
            questions = [
                Question.objects.create(survey=survey, text=text, kind=kind, stage=stage, order=i)
                for i, (text, kind, stage) in enumerate(QUESTIONS)
            ]
            for index, values in enumerate(answers):
                store_response(
                    survey.pk,
                    date(2025, 3 + index % 6, 1),
                    dict(zip(questions, values, strict=True)),
                )
        made.append(survey)
    return made
