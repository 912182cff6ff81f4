"""Demo content of the Angebotsatlas.

The offers the operator's brief names (shared/FACTS.md) in our own words, plus made-up
offers of clearly fictitious providers ("Beispiel-…", "Muster…"). The made-up offers
are spread so that the analysis shows the brief's finding: offers with innovative
methods (Agilität, Design Thinking, New Work) rarely address municipal staff.
Idempotent: offers are keyed by title; a second run changes nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.models import Format, Method, TargetGroup, Topic

from .models import AnalysisText, Offer, Provider
from .search import index_offers

T = Provider.Type

# Target groups outside municipal administration, so that the matrix can show whom
# innovative methods reach instead.
EXTRA_TARGET_GROUPS = [
    ("Unternehmen und Start-ups", False),
    ("Landes- und Bundesverwaltung", False),
    ("Zivilgesellschaft", False),
]

PROVIDERS = [
    # Named in the brief.
    ("Initiative Kommune 360°", T.INITIATIVE, ""),
    ("Creative Bureaucracy Festival", T.INITIATIVE, ""),
    ("Verwaltungsrebellen", T.INITIATIVE, ""),
    ("Forum Agile Verwaltung e.V.", T.ASSOCIATION, ""),
    ("Re:Form (ProjectTogether und Stiftung Mercator)", T.INITIATIVE, ""),
    ("KGSt – Kommunale Gemeinschaftsstelle für Verwaltungsmanagement", T.ASSOCIATION, ""),
    # Made up.
    ("Beispiel-Akademie für Verwaltung", T.COMPANY, "https://akademie.example/"),
    ("Musterstiftung Zukunft Kommune", T.FOUNDATION, "https://stiftung.example/"),
    ("Landesinstitut Musterland", T.STATE, "https://landesinstitut.example/"),
    ("Hochschule Beispielstadt", T.UNIVERSITY, "https://hochschule.example/"),
    ("Agile Beispiel GmbH", T.COMPANY, "https://agil.example/"),
    ("Netzwerk Musterregion e.V.", T.ASSOCIATION, "https://netzwerk.example/"),
    ("Bundesbeispielamt für Weiterbildung", T.FEDERAL, "https://bund.example/"),
    ("Städtetag Musterland", T.MUNICIPAL_ASSOCIATION, "https://staedtetag.example/"),
    ("Initiative Beispielwandel", T.INITIATIVE, "https://wandel.example/"),
]

K360 = "Initiative Kommune 360°"

# (title, provider, format, methods, topics, target groups, summary, extra fields)
NAMED_OFFERS = [
    (
        "Creative Bureaucracy Festival",
        "Creative Bureaucracy Festival",
        "Konferenz/Festival",
        ["Design Thinking", "New Work"],
        ["Verwaltungsmodernisierung"],
        ["Landes- und Bundesverwaltung", "Zivilgesellschaft"],
        "Internationales Festival, auf dem kreative und innovative Ansätze aus dem "
        "öffentlichen Sektor ihre Bühne finden.",
        {"delivery": "hybrid", "cost": "kostenfrei", "language": "de-en"},
    ),
    (
        "Verwaltungsrebellen – Blog über agile Verwaltung",
        "Verwaltungsrebellen",
        "Blog/Podcast",
        ["Agilität"],
        ["Verwaltungsmodernisierung", "Zusammenarbeit"],
        ["Landes- und Bundesverwaltung"],
        "Ein Blog, der agile Ansätze aus Verwaltungen sammelt und Räume zum Austausch "
        "über Erfahrungen mit agilen Methoden öffnet.",
        {"ongoing": True},
    ),
    (
        "Forum Agile Verwaltung",
        "Forum Agile Verwaltung e.V.",
        "Community/Netzwerk",
        ["Agilität", "New Work"],
        ["Verwaltungsmodernisierung"],
        ["Landes- und Bundesverwaltung", "Zivilgesellschaft"],
        "Verein, der die Verwaltung der Zukunft als Dienstleisterin für die Bürger:innen "
        "und als aktive Gestalterin der Gesellschaft von morgen versteht.",
        {"ongoing": True, "cost": "auf_anfrage"},
    ),
    (
        "Siegel „Bewährt vor Ort“",
        "Re:Form (ProjectTogether und Stiftung Mercator)",
        "Auszeichnung/Wettbewerb",
        ["Wirkungsorientierung"],
        ["Verwaltungsmodernisierung", "Beteiligung"],
        ["Verwaltungsmitarbeitende", "Verwaltungsspitze"],
        "Re:Form bringt Verwaltungspionier:innen zusammen und zeichnet kommunale "
        "Verwaltungslösungen mit dem Siegel „Bewährt vor Ort“ aus.",
        {
            "start_date": date(2024, 12, 1),
            "end_date": date(2025, 1, 21),
            "dates_note": "zweite Bewerbungsrunde bis 21. Januar 2025",
        },
    ),
    (
        "Guideline „Generative KI in Kommunalverwaltungen“",
        "KGSt – Kommunale Gemeinschaftsstelle für Verwaltungsmanagement",
        "Publikation/Leitfaden",
        ["Projektmanagement"],
        ["Künstliche Intelligenz", "Digitalisierung"],
        ["Verwaltungsmitarbeitende", "Führungskräfte"],
        "Leitfaden zum verantwortungsvollen Einsatz von LLM-Werkzeugen in der "
        "Kommunalverwaltung: Mehrwerte, Chancen und Risiken.",
        {"cost": "auf_anfrage"},
    ),
    (
        "Lernpfad Change",
        K360,
        "Lernpfad",
        ["Change-Management"],
        ["Jugendhilfe", "Zusammenarbeit"],
        ["Jugendamtsleitung", "Jugendhilfeplanung"],
        "Begleiteter Lernpfad für Veränderung in der Zusammenarbeit von Leitung und "
        "Planung im Jugendamt.",
        {
            "certificate": True,
            "duration_hours": Decimal("24"),
            "learning_goals": "Veränderungsprozesse planen, Beteiligte einbinden, "
            "Zusammenarbeit im Amt stärken.",
            "delivery": "hybrid",
        },
    ),
    (
        "Lernpfad Führung",
        K360,
        "Lernpfad",
        ["Führung"],
        ["Jugendhilfe", "Personalentwicklung"],
        ["Jugendamtsleitung", "Führungskräfte"],
        "Lernpfad für Leitungskräfte im Jugendamt: Handlungsspielräume nutzen und "
        "Steuerung gemeinsam mit der Planung gestalten.",
        {
            "certificate": True,
            "duration_hours": Decimal("20"),
            "learning_goals": "Die eigene Führungsrolle klären, Teams durch Veränderung "
            "führen, Planung und Steuerung verzahnen.",
            "delivery": "hybrid",
        },
    ),
    (
        "Kommunen-Podcast",
        K360,
        "Blog/Podcast",
        ["Change-Management", "Führung"],
        ["Verwaltungsmodernisierung"],
        ["Verwaltungsmitarbeitende", "Verwaltungsspitze"],
        "Gespräche mit Menschen, die Verwaltung verändern – über Mut, Experimente und "
        "Inseln des Möglichmachens.",
        {"ongoing": True},
    ),
    (
        "Change-Guide (digitale Ausgabe)",
        K360,
        "Publikation/Leitfaden",
        ["Change-Management"],
        ["Jugendhilfe", "Verwaltungsmodernisierung"],
        ["Jugendamtsleitung", "Jugendhilfeplanung", "Verwaltungsmitarbeitende"],
        "Praxisleitfaden für Veränderungsvorhaben in kommunalen Verwaltungen, seit "
        "Sommer 2024 auch digital.",
        {"ongoing": True},
    ),
    (
        "K360-Festival",
        K360,
        "Konferenz/Festival",
        ["Moderation und Beteiligung", "Change-Management"],
        ["Jugendhilfe", "Zusammenarbeit"],
        ["Jugendamtsleitung", "Jugendhilfeplanung", "Verwaltungsmitarbeitende"],
        "Sommerfestival in Berlin für Verwaltungsmitarbeitende aus der Jugendhilfe: "
        "Austausch, Workshops und Begegnung.",
        {
            "delivery": "praesenz",
            "region": "land",
            "state": "11",
            "start_date": date(2024, 7, 4),
            "end_date": date(2024, 7, 5),
        },
    ),
]

# Building blocks for the made-up offers.
INNOVATIVE = ["Agilität", "Design Thinking", "New Work"]
CLASSIC = [
    "Change-Management",
    "Führung",
    "Projektmanagement",
    "Moderation und Beteiligung",
    "Wirkungsorientierung",
]
MUNICIPAL = [
    "Jugendamtsleitung",
    "Jugendhilfeplanung",
    "Verwaltungsmitarbeitende",
    "Führungskräfte",
    "Verwaltungsspitze",
]
OTHER = [
    "Unternehmen und Start-ups",
    "Landes- und Bundesverwaltung",
    "Zivilgesellschaft",
    "Freie Träger",
]
SUBJECTS = {
    "Agilität": [
        "Scrum im Team",
        "Kanban für Projekte",
        "Agile Retrospektiven",
        "Agiles Arbeiten kompakt",
    ],
    "Design Thinking": [
        "Design Thinking Sprint",
        "Nutzerzentrierte Dienste gestalten",
        "Prototypen bauen",
    ],
    "New Work": ["New Work im Büro", "Hybride Zusammenarbeit", "Selbstorganisation lernen"],
    "Change-Management": ["Veränderung begleiten", "Change-Werkstatt", "Widerstände verstehen"],
    "Führung": ["Führen auf Distanz", "Führungskräfte-Training", "Gesund führen"],
    "Projektmanagement": ["Projektmanagement Grundlagen", "Projekte steuern"],
    "Moderation und Beteiligung": ["Moderationstraining", "Beteiligung planen"],
    "Wirkungsorientierung": ["Wirkung messen", "Kennzahlen für die Jugendhilfe"],
}
FORMAT_FOR = {
    "Agilität": ["Workshop/Seminar", "Beratung/Begleitung", "Lernpfad"],
    "Design Thinking": ["Workshop/Seminar", "Beratung/Begleitung"],
    "New Work": ["Konferenz/Festival", "Community/Netzwerk", "Workshop/Seminar"],
}
CLASSIC_FORMATS = [
    "Workshop/Seminar",
    "Lernpfad",
    "Beratung/Begleitung",
    "Förderprogramm",
    "Publikation/Leitfaden",
    "Community/Netzwerk",
]
TOPIC_FOR = {
    "Jugendamtsleitung": "Jugendhilfe",
    "Jugendhilfeplanung": "Planung und Steuerung",
    "Verwaltungsmitarbeitende": "Verwaltungsmodernisierung",
    "Führungskräfte": "Personalentwicklung",
    "Verwaltungsspitze": "Verwaltungsmodernisierung",
}
MADE_UP_PROVIDERS = [name for name, _t, url in PROVIDERS if url]
INNOVATIVE_PROVIDERS = [
    "Agile Beispiel GmbH",
    "Beispiel-Akademie für Verwaltung",
    "Initiative Beispielwandel",
    "Hochschule Beispielstadt",
]
NUMBER_OF_MADE_UP = 54


def _made_up_offers():
    """Deterministic made-up offers (the same on every run)."""
    rng = random.Random(360)
    offers = []
    for index in range(NUMBER_OF_MADE_UP):
        innovative = index % 2 == 0
        if innovative:
            method = INNOVATIVE[index // 2 % 3]
            # Only about one in six innovative offers addresses municipal staff.
            municipal = index % 12 == 0
            provider = INNOVATIVE_PROVIDERS[index // 2 % len(INNOVATIVE_PROVIDERS)]
            fmt = rng.choice(FORMAT_FOR[method])
        else:
            method = CLASSIC[index // 2 % len(CLASSIC)]
            municipal = index % 10 != 1
            provider = rng.choice(MADE_UP_PROVIDERS)
            fmt = rng.choice(CLASSIC_FORMATS)
        groups = rng.sample(MUNICIPAL, 2) if municipal else rng.sample(OTHER, 2)
        subject = SUBJECTS[method][index % len(SUBJECTS[method])]
        audience = groups[0]
        title = f"{subject} für {audience} ({index + 1:02d})"
        cost_kind = rng.choice(["kostenfrei", "betrag", "betrag", "auf_anfrage"])
        if innovative and not municipal:
            # Commercial offers with prices far above a municipal training budget.
            cost_kind = "betrag"
        amount = None
        if cost_kind == "betrag":
            amount = Decimal(rng.choice([90, 180, 350, 490, 890, 1450, 2400]))
            if innovative and not municipal:
                amount = Decimal(rng.choice([890, 1450, 2400]))
        region = rng.choice(["bundesweit", "bundesweit", "land", "kommune"])
        hours = Decimal(rng.choice([3, 6, 8, 16, 24, 40]))
        offers.append(
            {
                "title": title,
                "provider": provider,
                "format": fmt,
                "methods": [method],
                "topics": [TOPIC_FOR.get(audience, "Zusammenarbeit")],
                "target_groups": groups,
                "summary": f"{subject}: ein erfundenes Demo-Angebot von {provider} für "
                f"{' und '.join(groups)}.",
                "fields": {
                    "description": "Dieses Angebot ist erfunden und dient nur der Vorführung "
                    "des Angebotsatlas.",
                    "delivery": rng.choice(["online", "praesenz", "hybrid"]),
                    "region": region,
                    "state": "09" if region == "land" else "",
                    "cost": cost_kind,
                    "cost_amount": amount,
                    "duration_hours": hours,
                    # Approval-relevant facts are rarer where commercial training is sold.
                    "certificate": rng.random() < (0.3 if innovative else 0.7),
                    "learning_goals": f"Nach dem Angebot können Teilnehmer:innen "
                    f"{subject.lower()} im eigenen Arbeitsalltag anwenden.",
                    "ongoing": fmt in ("Community/Netzwerk", "Publikation/Leitfaden"),
                    "contact": "kontakt@beispiel.example",
                    "website": "https://angebot.example/",
                },
                "age_days": rng.randint(10, 900),
            }
        )
    return offers


def _published_at(age_days):
    day = timezone.localdate() - timedelta(days=age_days)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _create(title, provider, fmt, methods, topics, groups, summary, fields, age_days, terms):
    if Offer.objects.filter(title=title).exists():
        return None
    published_at = _published_at(age_days)
    # Every twelfth offer has not been confirmed for over a year: the stale flag shows.
    last_checked = (
        published_at.date()
        if age_days > 365 and age_days % 12 == 0
        else timezone.localdate() - timedelta(days=age_days % 200)
    )
    offer = Offer(
        title=title,
        provider=provider,
        format=terms["format"][fmt],
        summary=summary[:300],
        status=Offer.Status.PUBLISHED,
        published_at=published_at,
        created=published_at,
        last_checked=last_checked,
        **fields,
    )
    offer.save()
    offer.methods.set([terms["method"][n] for n in methods])
    offer.topics.set([terms["topic"][n] for n in topics if n in terms["topic"]])
    offer.target_groups.set([terms["group"][n] for n in groups])
    return offer


@transaction.atomic
def load_atlas_demo():
    for order, (name, municipal) in enumerate(EXTRA_TARGET_GROUPS, start=1):
        TargetGroup.objects.get_or_create(
            name=name, defaults={"is_municipal": municipal, "sort_order": 100 + order}
        )
    providers = {}
    for name, kind, url in PROVIDERS:
        providers[name], _created = Provider.objects.get_or_create(
            name=name, defaults={"type": kind, "website": url}
        )
    terms = {
        "format": {f.name: f for f in Format.objects.all()},
        "method": {m.name: m for m in Method.objects.all()},
        "topic": {t.name: t for t in Topic.objects.all()},
        "group": {g.name: g for g in TargetGroup.objects.all()},
    }
    created = []
    for index, (title, provider, fmt, methods, topics, groups, summary, extra) in enumerate(
        NAMED_OFFERS
    ):
        fields = {"region": "bundesweit", "cost": "kostenfrei", **extra}
        offer = _create(
            title,
            providers[provider],
            fmt,
            methods,
            topics,
            groups,
            summary,
            fields,
            400 - index * 35,
            terms,
        )
        if offer:
            created.append(offer.pk)
    for item in _made_up_offers():
        offer = _create(
            item["title"],
            providers[item["provider"]],
            item["format"],
            item["methods"],
            item["topics"],
            item["target_groups"],
            item["summary"],
            item["fields"],
            item["age_days"],
            terms,
        )
        if offer:
            created.append(offer.pk)
    index_offers(created)

    _demo_provider_account(providers["Beispiel-Akademie für Verwaltung"])
    if not AnalysisText.objects.exists():
        AnalysisText.objects.create(
            title="Landschaftsanalyse: Unterstützung für kommunale Gestalter:innen",
            introduction=(
                "<p>Welche Angebote gibt es für Menschen in Kommunalverwaltungen, und wen "
                "erreichen sie? Der Angebotsatlas ordnet jedes Angebot nach Methode, "
                "Zielgruppe, Format, Kosten und Region.</p>"
            ),
            body=(
                "<p>Angebote mit innovativen Methoden wie Agilität, Design Thinking oder "
                "New Work richten sich bislang kaum an kommunale Verwaltungsmitarbeitende. "
                "Sie sprechen vor allem Unternehmen, Landes- und Bundesverwaltung oder die "
                "Zivilgesellschaft an.</p>"
                "<p>Wer Angebote für Kommunen entwickelt, sollte die Genehmigungsverfahren "
                "für Fortbildungen mitdenken (Teilnahmebescheinigung, Lernziele, Umfang) "
                "und die im Vergleich zur Privatwirtschaft knapperen Budgets.</p>"
            ),
        )


PROVIDER_LOGIN = "anbieterin@kommune360.example"
DEMO_LOGINS = ((PROVIDER_LOGIN, _("Anbieterin der Beispiel-Akademie (Angebote verwalten)")),)


def _demo_provider_account(provider):
    """A demo login with the provider role that maintains the Beispiel-Akademie."""
    from allauth.account.models import EmailAddress

    from kommune360.accounts.models import User
    from kommune360.accounts.roles import PROVIDER
    from kommune360.core.demo import DEMO_PASSWORD

    email = PROVIDER_LOGIN
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name="Anna", last_name="Anbieterin"
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    user.groups.add(Group.objects.get(name=PROVIDER))
    provider.maintainers.add(user)
