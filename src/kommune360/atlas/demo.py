"""Demo content of the Angebotsatlas.

The offers the operator's brief names (shared/FACTS.md) in our own words, plus made-up
offers of fictitious providers ("Beispiel-…", "Muster…"), written as a provider would
write them (demo_offers*.py). They are spread so that the analysis shows the brief's
finding: offers with innovative methods (Agilität, Design Thinking, New Work) rarely
address municipal staff. The analysis introduction says once that this is a demo.
Idempotent: offers are keyed by title; a second run changes nothing.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.demo import english_name
from kommune360.core.models import Format, Method, TargetGroup, Topic

from .demo_offers import INNOVATIVE_OFFERS
from .demo_offers_administration import ADMINISTRATION_OFFERS
from .demo_offers_youth import YOUTH_OFFERS
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
    ("Beispiel-Akademie Nord", T.COMPANY, "https://akademie-nord.example/"),
    ("Stiftung Musterland", T.FOUNDATION, "https://stiftung-musterland.example/"),
    ("Verwaltungswerkstatt Beispielstadt", T.INITIATIVE, "https://werkstatt.example/"),
    ("Beispiel Consulting Partner GmbH", T.COMPANY, "https://consulting.example/"),
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

# Codes in the rows of the made-up offers (demo_offers, demo_offers_youth,
# demo_offers_administration).
FORMATS = {
    "LP": "Lernpfad",
    "WS": "Workshop/Seminar",
    "KF": "Konferenz/Festival",
    "CN": "Community/Netzwerk",
    "BP": "Blog/Podcast",
    "PL": "Publikation/Leitfaden",
    "BB": "Beratung/Begleitung",
    "FP": "Förderprogramm",
    "AW": "Auszeichnung/Wettbewerb",
}
METHODS = {
    "AG": "Agilität",
    "DT": "Design Thinking",
    "NW": "New Work",
    "CM": "Change-Management",
    "FU": "Führung",
    "PM": "Projektmanagement",
    "MB": "Moderation und Beteiligung",
    "WO": "Wirkungsorientierung",
}
GROUPS = {
    "JAL": "Jugendamtsleitung",
    "JHP": "Jugendhilfeplanung",
    "VM": "Verwaltungsmitarbeitende",
    "FK": "Führungskräfte",
    "VS": "Verwaltungsspitze",
    "FT": "Freie Träger",
    "UN": "Unternehmen und Start-ups",
    "LB": "Landes- und Bundesverwaltung",
    "ZG": "Zivilgesellschaft",
}
TOPICS = {
    "JH": "Jugendhilfe",
    "VMo": "Verwaltungsmodernisierung",
    "PS": "Planung und Steuerung",
    "ZA": "Zusammenarbeit",
    "PE": "Personalentwicklung",
    "DI": "Digitalisierung",
    "KI": "Künstliche Intelligenz",
    "BE": "Beteiligung",
}
ONGOING_FORMATS = ("CN", "BP", "PL", "BB")
WEBSITES = {name: url for name, _type, url in PROVIDERS}


def _cost(cost):
    if cost is None:
        return {"cost": "auf_anfrage"}
    if cost == 0:
        return {"cost": "kostenfrei"}
    return {"cost": "betrag", "cost_amount": Decimal(cost)}


def _dates(fmt, hours, days_ahead):
    if days_ahead is None:
        return {"ongoing": fmt in ONGOING_FORMATS}
    start = timezone.localdate() + timedelta(days=days_ahead)
    if fmt in ("LP", "FP"):
        return {"start_date": start, "end_date": start + timedelta(days=8 * 7)}
    if fmt == "AW":
        return {"start_date": start - timedelta(days=60), "end_date": start}
    if hours > 8:
        return {"start_date": start, "end_date": start + timedelta(days=1)}
    return {"start_date": start}


def _made_up_offers():
    """The made-up offers as fields of ``_create`` (the same on every run)."""
    offers = []
    for index, row in enumerate(INNOVATIVE_OFFERS + YOUTH_OFFERS + ADMINISTRATION_OFFERS):
        (title, provider, fmt, methods, groups, topics, delivery, cost, hours, days_ahead,
         certificate, summary, description, goals) = row  # fmt: skip
        delivery, _at, state = delivery.partition("@")
        host = WEBSITES[provider].split("/")[2]
        offers.append(
            {
                "title": title,
                "provider": provider,
                "format": FORMATS[fmt],
                "methods": [METHODS[code] for code in methods.split()],
                "topics": [TOPICS[code] for code in topics.split()],
                "target_groups": [GROUPS[code] for code in groups.split()],
                "summary": summary,
                "fields": {
                    "description": description,
                    "learning_goals": goals,
                    "delivery": delivery,
                    "region": "land" if state else "bundesweit",
                    "state": state,
                    "duration_hours": Decimal(hours) if hours else None,
                    "certificate": certificate,
                    "contact": f"weiterbildung@{host}",
                    "website": WEBSITES[provider],
                    **_cost(cost),
                    **_dates(fmt, hours, days_ahead),
                },
                # Spread over about two and a half years, for the analysis by quarter.
                "age_days": 10 + index * 53 % 870,
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
        group, _created = TargetGroup.objects.get_or_create(
            name=name, defaults={"is_municipal": municipal, "sort_order": 100 + order}
        )
        english_name(group)
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
    _analysis_text()


def _analysis_text():
    """Fills the analysis text if nobody wrote one yet (that the whole site is a demo,
    every page says through the site settings' notice, ``core.demo``)."""
    text = AnalysisText.current()
    if not text.introduction and not text.body:
        text.title = "Landschaftsanalyse: Unterstützung für kommunale Gestalter:innen"
        text.introduction = (
            "<p>Welche Angebote gibt es für Menschen in Kommunalverwaltungen, und wen "
            "erreichen sie? Der Angebotsatlas ordnet jedes Angebot nach Methode, "
            "Zielgruppe, Format, Kosten und Region.</p>"
        )
        text.body = (
            "<p>Angebote mit innovativen Methoden wie Agilität, Design Thinking oder "
            "New Work richten sich bislang kaum an kommunale Verwaltungsmitarbeitende. "
            "Sie sprechen vor allem Unternehmen, Landes- und Bundesverwaltung oder die "
            "Zivilgesellschaft an.</p>"
            "<p>Wer Angebote für Kommunen entwickelt, sollte die Genehmigungsverfahren "
            "für Fortbildungen mitdenken (Teilnahmebescheinigung, Lernziele, Umfang) "
            "und die im Vergleich zur Privatwirtschaft knapperen Budgets.</p>"
        )
        text.save()


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
