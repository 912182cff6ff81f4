"""Demo content of the core: the network, its supporters, taxonomy, places and people.

The facts come from the operator's brief (shared/FACTS.md); every step is idempotent.
"""

from wagtail.models import Site

from .models import (
    Format,
    Method,
    Municipality,
    Person,
    SiteSettings,
    Supporter,
    TargetGroup,
    Topic,
)

NETWORK_NAME = "Kommune 360°"
# Shown on every page of a demo instance (site settings; an operator empties it).
DEMO_NOTICE = (
    "Dies ist eine Demo: Angebote, Anbieter:innen, Veranstaltungen und Personen sind "
    "erfunden, soweit sie nicht zum Netzwerk Kommune 360° selbst gehören."
)
# The password of every demo login the apps create (``kommune360 demo_logins`` lists them).
DEMO_PASSWORD = "kommune360-demo"

SUPPORTERS = [
    ("Auridis Stiftung", "https://www.auridis.de/"),
    ("Deutsche Kinder- und Jugendstiftung", "https://www.dkjs.de/"),
    ("PHINEO gAG", "https://www.phineo.org/"),
]

TOPICS = [
    "Jugendhilfe",
    "Verwaltungsmodernisierung",
    "Planung und Steuerung",
    "Zusammenarbeit",
    "Personalentwicklung",
    "Digitalisierung",
    "Künstliche Intelligenz",
    "Beteiligung",
]

# (name, innovative)
METHODS = [
    ("Agilität", True),
    ("Design Thinking", True),
    ("New Work", True),
    ("Change-Management", False),
    ("Führung", False),
    ("Projektmanagement", False),
    ("Moderation und Beteiligung", False),
    ("Wirkungsorientierung", False),
]

# (name, municipal)
TARGET_GROUPS = [
    ("Jugendamtsleitung", True),
    ("Jugendhilfeplanung", True),
    ("Verwaltungsmitarbeitende", True),
    ("Führungskräfte", True),
    ("Verwaltungsspitze", True),
    ("Freie Träger", False),
]

FORMATS = [
    "Lernpfad",
    "Workshop/Seminar",
    "Konferenz/Festival",
    "Community/Netzwerk",
    "Blog/Podcast",
    "Publikation/Leitfaden",
    "Beratung/Begleitung",
    "Förderprogramm",
    "Auszeichnung/Wettbewerb",
]

# English names of the shipped terms (and of the atlas's extra target groups), for the
# English pages; editors change them in the admin (``name_en``). Also filled into
# existing instances by core/migrations/0008 where an editor has left them empty.
ENGLISH_NAMES = {
    # Topics
    "Jugendhilfe": "Youth welfare",
    "Verwaltungsmodernisierung": "Modernising administration",
    "Planung und Steuerung": "Planning and steering",
    "Zusammenarbeit": "Collaboration",
    "Personalentwicklung": "Staff development",
    "Digitalisierung": "Digitalisation",
    "Künstliche Intelligenz": "Artificial intelligence",
    "Beteiligung": "Participation",
    # Methods
    "Agilität": "Agility",
    "Design Thinking": "Design thinking",
    "New Work": "New work",
    "Change-Management": "Change management",
    "Führung": "Leadership",
    "Projektmanagement": "Project management",
    "Moderation und Beteiligung": "Facilitation and participation",
    "Wirkungsorientierung": "Impact orientation",
    # Target groups
    "Jugendamtsleitung": "Heads of youth welfare offices",
    "Jugendhilfeplanung": "Youth welfare planners",
    "Verwaltungsmitarbeitende": "Administrative staff",
    "Führungskräfte": "Managers",
    "Verwaltungsspitze": "Top management of the administration",
    "Freie Träger": "Independent welfare organisations",
    "Unternehmen und Start-ups": "Companies and start-ups",
    "Landes- und Bundesverwaltung": "State and federal administration",
    "Zivilgesellschaft": "Civil society",
    # Formats
    "Lernpfad": "Learning path",
    "Workshop/Seminar": "Workshop/seminar",
    "Konferenz/Festival": "Conference/festival",
    "Community/Netzwerk": "Community/network",
    "Blog/Podcast": "Blog/podcast",
    "Publikation/Leitfaden": "Publication/guide",
    "Beratung/Begleitung": "Consulting/coaching",
    "Förderprogramm": "Funding programme",
    "Auszeichnung/Wettbewerb": "Award/competition",
}

# Real places the brief names: (AGS, name, kind, state, district AGS)
MUNICIPALITIES = [
    ("09772", "Augsburg", Municipality.Kind.LANDKREIS, "09", None),
    ("09761000", "Augsburg", Municipality.Kind.KREISFREIE_STADT, "09", None),
    ("05124000", "Wuppertal", Municipality.Kind.KREISFREIE_STADT, "05", None),
    ("11000000", "Berlin", Municipality.Kind.STADTSTAAT, "11", None),
]

PEOPLE = [
    ("Martin Mende-Döring", "", "Landkreis Augsburg", "09772"),
    ("Uwe Schneidewind", "Oberbürgermeister", "Stadt Wuppertal", "05124000"),
]


def _terms(model, rows):
    for order, row in enumerate(rows, start=1):
        name, *flags = row if isinstance(row, tuple) else (row,)
        extra = {}
        if model is Method:
            extra["is_innovative"] = flags[0]
        if model is TargetGroup:
            extra["is_municipal"] = flags[0]
        term, _created = model.objects.get_or_create(
            name=name, defaults={"sort_order": order * 10, **extra}
        )
        english_name(term)


def english_name(term):
    """Give a shipped term its English name unless an editor gave it one."""
    if not term.name_en and term.name in ENGLISH_NAMES:
        term.name_en = ENGLISH_NAMES[term.name]
        term.save(update_fields=["name_en"])


def load_core_demo():
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    if site_settings.network_name != NETWORK_NAME or not site_settings.tagline:
        site_settings.network_name = NETWORK_NAME
        site_settings.tagline = "Das Netzwerk für kommunale Gestalter:innen"
        site_settings.contact_email = site_settings.contact_email or "kontakt@kommune360.example"
        # Once, with the settings: an operator who empties the notice keeps it empty.
        site_settings.notice = DEMO_NOTICE
        site_settings.save()

    for order, (name, url) in enumerate(SUPPORTERS, start=1):
        Supporter.objects.get_or_create(name=name, defaults={"url": url, "sort_order": order})

    _terms(Topic, TOPICS)
    _terms(Method, METHODS)
    _terms(TargetGroup, TARGET_GROUPS)
    _terms(Format, FORMATS)

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
    for name, role, organisation, ags in PEOPLE:
        Person.objects.get_or_create(
            name=name,
            defaults={
                "role": role,
                "organisation": organisation,
                "municipality": Municipality.objects.get(ags=ags),
            },
        )
