"""Demo content: a published round with six made-up applications (five awarded, with
public solution profiles), an open round, and Re:Form's external call "Bewährt vor Ort"
(closed). Idempotent; made-up municipalities carry Kreis numbers 999 that no real
Kreis has."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.demo import DEMO_PASSWORD
from kommune360.core.models import Municipality, Topic

from . import consent
from .models import (
    Application,
    ApplicationVersion,
    Assignment,
    Criterion,
    Question,
    Review,
    Round,
    Score,
    Solution,
)

BERLIN = ZoneInfo("Europe/Berlin")
JUROR_LOGIN = "jury@kommune360.example"
DEMO_LOGINS = ((JUROR_LOGIN, _("Jury der Auszeichnungen (Begutachtung, Jurysitzung)")),)

MUNICIPALITIES = [
    # (AGS, name, kind, Land, Kreis-AGS)
    ("03999", "Landkreis Musterland", Municipality.Kind.LANDKREIS, "03", None),
    ("03999001", "Musterstadt", Municipality.Kind.STADT, "03", "03999"),
    ("03999002", "Beispielhausen", Municipality.Kind.GEMEINDE, "03", "03999"),
    ("05999001", "Neustadt am Muster", Municipality.Kind.STADT, "05", None),
    ("08999001", "Probstadt", Municipality.Kind.STADT, "08", None),
    ("09999001", "Exempelfeld", Municipality.Kind.GEMEINDE, "09", None),
    ("14999001", "Modellhain", Municipality.Kind.STADT, "14", None),
]

CRITERIA = [
    ("Wirkung", "Was hat sich für Bürger:innen oder Beschäftigte messbar verbessert?", 3),
    (
        "Übertragbarkeit",
        "Können andere Kommunen die Lösung mit vertretbarem Aufwand nachnutzen?",
        2,
    ),
    ("Beteiligung", "Wurden Betroffene und Beschäftigte einbezogen?", 1),
]
LEVELS = "kaum erkennbar\nin Ansätzen\nsolide\ndeutlich\nherausragend"

SOLUTIONS = [
    (
        "03999001",
        "Digitaler Bauantrag in drei Wochen",
        "Bauanträge lagen im Schnitt vier Monate.",
        "Ein Team aus Bauamt und IT hat den Antrag auf das Online-Portal umgestellt und die "
        "Prüfschritte parallelisiert.",
        "Bearbeitungszeit von 16 auf 3 Wochen gesenkt.",
    ),
    (
        "03999002",
        "Dorfbüro auf Rädern",
        "Ältere Menschen erreichten das Rathaus kaum.",
        "Ein Bürgerbus mit mobilem Bürgerbüro hält wöchentlich in jedem Ortsteil.",
        "Über 900 Anliegen im ersten Jahr vor Ort erledigt.",
    ),
    (
        "05999001",
        "Jugendhilfeplanung mit offenen Daten",
        "Planungsdaten lagen verstreut.",
        "Ein Dashboard bündelt Sozialraumdaten und ist öffentlich einsehbar.",
        "Planungsrunden dauern halb so lang; drei Nachbarkreise nutzen es.",
    ),
    (
        "08999001",
        "Ausländerbehörde ohne Warteschlange",
        "Stundenlange Wartezeiten im Flur.",
        "Terminvergabe, Vorab-Prüfung der Unterlagen und ein Rückrufdienst.",
        "Wartezeit unter 15 Minuten; Beschwerden um 80 % gesunken.",
    ),
    (
        "09999001",
        "Gemeinderat papierlos",
        "Sitzungsunterlagen kosteten viel Papier und Porto.",
        "Ratsinformationssystem mit Tablets und Schulung für alle Ratsmitglieder.",
        "120.000 Blatt Papier im Jahr gespart.",
    ),
]
NOT_AWARDED = ("14999001", "Chatbot für das Bürgeramt", "Viele gleiche Anfragen per Telefon.",
               "Ein Chatbot beantwortet häufige Fragen.", "Noch in der Erprobung.")  # fmt: skip


def _municipalities():
    for ags, name, kind, state, district in MUNICIPALITIES:
        Municipality.objects.get_or_create(
            ags=ags,
            defaults={
                "name": name,
                "kind": kind,
                "state": state,
                "district": Municipality.objects.filter(ags=district).first() if district else None,
            },
        )


def _person(email, first, last, *, municipality=None, juror=False, password=None):
    from allauth.account.models import EmailAddress

    from kommune360.accounts.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            municipality=Municipality.objects.filter(ags=municipality).first(),
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    if juror:
        user.groups.add(*Group.objects.filter(name="Jury"))
    return user


def _rubric(round_):
    if round_.criteria.exists():
        return
    for order, (name, description, weight) in enumerate(CRITERIA):
        Criterion.objects.create(
            round=round_,
            sort_order=order,
            name=name,
            description=description,
            weight=weight,
            levels=LEVELS,
        )
    Question.objects.create(
        round=round_,
        sort_order=0,
        label="Welche Ergebnisse können Sie zeigen?",
        kind=Question.Kind.LONG,
        max_chars=3000,
    )
    Question.objects.create(
        round=round_,
        sort_order=1,
        label="Wie lange läuft die Lösung schon?",
        kind=Question.Kind.CHOICE,
        choices="weniger als ein Jahr\nein bis drei Jahre\nlänger",
    )


def _decided_round(jurors):
    round_, created = Round.objects.get_or_create(
        slug="bewaehrt-digital-2025",
        defaults={
            "title": "Bewährt digital 2025",
            "summary": "Siegel für digitale Verwaltungslösungen, die sich im Alltag bewährt haben.",
            "text": "Wir zeichnen kommunale Lösungen aus, die Bürger:innen und Beschäftigten "
            "den Alltag erleichtern und die andere Kommunen nachnutzen können.",
            "seal_name": "Bewährt digital 2025",
            "opens_at": datetime(2025, 3, 1, 9, 0, tzinfo=BERLIN),
            "closes_at": datetime(2025, 5, 31, 23, 59, 59, tzinfo=BERLIN),
            "awards_count": 5,
            "phase": Round.Phase.PUBLISHED,
        },
    )
    if not created:
        return round_
    round_.jurors.set(jurors)
    round_.save()
    _rubric(round_)
    criteria = list(round_.criteria.all())
    topic = Topic.objects.order_by("pk").first()
    submitted = datetime(2025, 5, 20, 12, 0, tzinfo=BERLIN)
    for index, (ags, title, problem, solution, results) in enumerate([*SOLUTIONS, NOT_AWARDED]):
        municipality = Municipality.objects.get(ags=ags)
        awarded = index < len(SOLUTIONS)
        application = Application.objects.create(
            round=round_,
            municipality=municipality,
            applicant_kind=Application.ApplicantKind.MUNICIPALITY,
            organisation=f"Stadtverwaltung {municipality.name}",
            contact_name="Erika Beispiel",
            contact_email=f"kontakt@{municipality.name.lower().replace(' ', '-')}.example",
            title=title,
            summary=f"{problem} {solution}",
            state=Application.State.SUBMITTED,
            submitted_at=submitted,
            consent_at=submitted,
            consent_version=consent.VERSION,
            showcase_consent_at=submitted if awarded else None,
            showcase_consent_version=consent.VERSION if awarded else "",
            version=1,
            decision=Application.Decision.AWARDED if awarded else Application.Decision.NOT,
            decision_reason="Überzeugende Wirkung und gut übertragbar." if awarded else
            "Noch zu früh für eine Auszeichnung.",
            decided_at=datetime(2025, 7, 1, 12, 0, tzinfo=BERLIN),
            notified_at=datetime(2025, 7, 1, 12, 5, tzinfo=BERLIN),
        )  # fmt: skip
        version = ApplicationVersion.objects.create(
            application=application, number=1, title=title, summary=application.summary
        )
        for offset, juror in enumerate(jurors):
            Assignment.objects.create(application=application, juror=juror)
            review = Review.objects.create(
                application=application,
                juror=juror,
                version=version,
                recommendation=Review.Recommendation.AWARD
                if awarded
                else Review.Recommendation.NOT,
                comment="Gut belegt." if awarded else "Wirkung noch offen.",
                submitted_at=datetime(2025, 6, 15, 10, 0, tzinfo=BERLIN),
            )
            for criterion in criteria:
                value = max(1, min(5, (5 if awarded else 2) - (index + offset + criterion.pk) % 2))
                Score.objects.create(review=review, criterion=criterion, value=value)
        if awarded:
            Solution.objects.create(
                application=application,
                title=title,
                municipality_name=municipality.name,
                state=municipality.state,
                topic=topic,
                problem=problem,
                solution=solution,
                results=results,
                costs="Vor allem Arbeitszeit des Teams; Software aus dem Bestand.",
                adoption="Ein Team aus Fachamt und IT und etwa drei Monate Vorlauf.",
                contact_name="Erika Beispiel",
                contact_email=application.contact_email,
                is_published=True,
            )
    return round_


def load_awards_demo():
    _municipalities()
    juror = _person(
        JUROR_LOGIN, "Jana", "Jurorin", municipality="14999001", juror=True, password=DEMO_PASSWORD
    )
    others = [
        _person("jury-2@kommune360.example", "Jonas", "Juror", municipality="09999001", juror=True),
        _person("jury-3@kommune360.example", "Jule", "Jurorin", juror=True),
    ]
    jurors = [juror, *others]
    _decided_round(jurors)
    now = timezone.now()
    open_round, created = Round.objects.get_or_create(
        slug="kommunaler-innovationspreis",
        defaults={
            "title": "Kommunaler Innovationspreis",
            "summary": "Preis für Verwaltungen, die neue Wege gehen – offen für Gemeinden, "
            "Städte und Kreise.",
            "text": "Bewerben Sie eine Lösung, die bei Ihnen seit mindestens einem halben Jahr "
            "läuft. Die Jury begutachtet jede Bewerbung dreifach.",
            "seal_name": "Kommunaler Innovationspreis",
            "opens_at": now - timedelta(days=14),
            "closes_at": (now + timedelta(days=60))
            .astimezone(BERLIN)
            .replace(hour=23, minute=59, second=59, microsecond=0),
            "phase": Round.Phase.OPEN,
            "awards_count": 3,
        },
    )
    if created:
        open_round.jurors.set(jurors)
        open_round.save()
        _rubric(open_round)
    Round.objects.get_or_create(
        slug="bewaehrt-vor-ort",
        defaults={
            "title": "Bewährt vor Ort – Siegel für kommunale Verwaltungslösungen",
            "kind": Round.Kind.EXTERNAL,
            "partner": "Re:Form (ProjectTogether und Stiftung Mercator)",
            "summary": "Zweite Bewerbungsrunde für das Siegel „Bewährt vor Ort“.",
            "text": "Re:Form bringt Verwaltungspionier:innen zusammen und zeichnet Experimente "
            "für einen Staat, der für alle funktioniert, mit dem Siegel „Bewährt vor Ort“ aus.",
            "external_url": "https://reform.example/bewaehrt-vor-ort",
            "closes_at": datetime(2025, 1, 21, 23, 59, 59, tzinfo=BERLIN),
            "phase": Round.Phase.OPEN,
        },
    )
