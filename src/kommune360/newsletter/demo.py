"""Demo content of the newsletter: topics, a few made-up subscribers, the December 2024
issue (sent, in the archive) rebuilt from platform content in our own words, and a
draft of the next issue. Idempotent."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kommune360.core.registry import registry

from .blocks import _item_key, item_teaser
from .models import Campaign, ConsentEvent, Subscriber, Topic

TOPICS = [
    ("Allgemein", "General", "Neues aus dem Netzwerk, Magazin und Podcast", True, 10),
    (
        "Jugendhilfe",
        "Child and youth services",
        "Lernpfade, Praxis und Austausch rund um das Jugendamt",
        False,
        20,
    ),
    ("Festival", "Festival", "Programm und Anmeldung zum K360-Festival", False, 30),
]

DECEMBER_SUBJECT = "Rückblick 2024: Danke für ein Jahr voller Begegnungen"
NEXT_SUBJECT = "Ausblick 2025: Was die neue Förderphase bringt"


def load_topics():
    for name, name_en, description, default, order in TOPICS:
        Topic.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en,
                "description": description,
                "default_selected": default,
                "sort_order": order,
            },
        )


def _find_item(*words):
    """The first registered newsletter item whose title contains all ``words``."""
    for entry in registry.newsletter_items():
        model = entry.model
        field_names = {f.name for f in model._meta.get_fields()}
        field = "title" if "title" in field_names else "name" if "name" in field_names else None
        if field is None:
            continue
        queryset = model._default_manager.all()
        for word in words:
            queryset = queryset.filter(**{f"{field}__icontains": word})
        obj = queryset.first()
        if obj is not None:
            return _item_key(obj)
    return ""


def _teaser(words, kicker, title, teaser, url="", link_text="Weiterlesen"):
    """A teaser linked to the platform item found by one of ``words`` (alternatives)."""
    key = next((k for k in (_find_item(w) for w in words) if k), "")
    data = item_teaser(key) if key else {}
    return {
        "item": key,
        "kicker": kicker,
        "title": title,
        "teaser": teaser,
        "url": data.get("url") or url,
        "link_text": link_text,
        "image": None,
        "image_alt": "",
    }


def december_body():
    site = settings.SITE_URL
    return [
        {
            "type": "letter",
            "value": {
                "salutation": "Liebe:r Leser:in,",
                "body": (
                    "<p>So viele von Ihnen wie 2024 haben wir noch nie getroffen: beim "
                    "K360-Festival in Berlin, in den Lernpfaden, bei den Fellow-Treffen und "
                    "in den Veranstaltungen von „Kommune gestaltet!“. Was Sie an Wissen, "
                    "Erfahrung und Beteiligung mitgebracht haben, trägt diese Initiative.</p>"
                    "<p>2025 beginnt für uns eine neue Förderphase. Wir richten unsere Arbeit "
                    "darauf neu aus – und erzählen Ihnen im neuen Jahr, wie Sie sich daran "
                    "beteiligen können.</p>"
                    "<p>Wir wünschen Ihnen ruhige freie Tage mit Zeit zum Durchatmen und "
                    "Nachdenken. Danke für Ihre Mitarbeit und Ihre Impulse – 2025 verändern "
                    "wir Verwaltung gemeinsam weiter.</p>"
                ),
                "signature": "Ihr Team von Kommune 360°",
            },
        },
        {
            "type": "quote",
            "value": {
                "text": (
                    "Der Lernpfad Change hat Vernetzung und Veränderung in unserer "
                    "Zusammenarbeit richtig angeschoben – man geht gestärkt zurück in den "
                    "Arbeitsalltag."
                ),
                "author": "Martin Mende-Döring",
                "origin": "Landkreis Augsburg (Rückmeldung zum Lernpfad, sinngemäß)",
                "comment": (
                    "Rückmeldungen wie diese bestätigen, was 2024 unser Schwerpunkt war: "
                    "engagierte Menschen aus der Jugendhilfe in den Verwaltungen "
                    "miteinander ins Gespräch zu bringen."
                ),
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Neues aus unserer Initiative",
                "intro": "Zwei neue Folgen des Kommunen-Podcasts.",
                "items": [
                    _teaser(
                        ["Diensteid", "Schneidewind", "Möglichmachen"],
                        "Kommunen-Podcast",
                        "Brauchen wir einen Diensteid für Transformation?",
                        "Uwe Schneidewind, Oberbürgermeister von Wuppertal, über Mut in einer "
                        "Verwaltung, die auf Verlässlichkeit gebaut ist – und darüber, wie "
                        "Leitung „Inseln des Möglichmachens“ schaffen kann.",
                        f"{site}/podcast/",
                        "Folge hören",
                    ),
                    _teaser(
                        ["Schildkröten"],
                        "Kommunen-Podcast",
                        "Weg mit der Agilität, her mit den Schildkröten!",
                        "Aufgenommen beim K360-Festival 2024: Verwaltungsmitarbeitende "
                        "erzählen, was sie sich für ihre Verwaltung wünschen – und was "
                        "ausdrücklich nicht.",
                        f"{site}/podcast/",
                        "Folge hören",
                    ),
                ],
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "K360-Magazin",
                "intro": "",
                "items": [
                    _teaser(
                        ["Match"],
                        "Magazin",
                        "It's a Match! So ergänzen Leitungen & Planer:innen einander",
                        "Jugendamtsleitung und Jugendhilfeplanung sind Schlüsselrollen. Was "
                        "beide konkret tun können, damit Planung und Steuerung ineinander "
                        "greifen – mit Beispielen aus den Lernpfaden Führung und Change.",
                        f"{site}/magazin/",
                        "Artikel lesen",
                    ),
                    _teaser(
                        ["Re:Form"],
                        "Magazin",
                        "Eine Allianz für den Staat von morgen",
                        "Re:Form, eine Initiative von ProjectTogether und der Mercator Stiftung, "
                        "bringt Verwaltungspionier:innen zusammen. Einige ihrer Experimente "
                        "tragen schon das Siegel „Bewährt vor Ort“. Eigene Beispiele? Die "
                        "zweite Bewerbungsrunde läuft bis zum 21. Januar 2025.",
                        "",
                    ),
                ],
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Publikation",
                "intro": "",
                "items": [
                    _teaser(
                        ["Generative KI"],
                        "Lesetipp",
                        "Generative KI in Kommunalverwaltungen",
                        "Die KGSt-Guideline ordnet ein, wo LLM-Werkzeuge in der Verwaltung "
                        "nützen, wo Risiken liegen und wie Kommunen sie verantwortungsvoll "
                        "einsetzen.",
                        "https://www.kgst.de/",
                        "Zur Publikation",
                    )
                ],
            },
        },
        {
            "type": "figures",
            "value": {
                "heading": "Wir machen das einfach so! Unser Jahr 2024 in Zahlen",
                "intro": "Ein Blick hinter die Kulissen der Initiative.",
                "figures": [
                    {"value": "über 4.600", "label": "Abrufe unserer Podcastfolgen"},
                    {
                        "value": "über 600",
                        "label": "Downloads des digitalen Change-Guides seit dem Sommer",
                    },
                    {
                        "value": "1.200",
                        "label": "Sticker seit dem Festival verteilt – neue sind bestellt",
                    },
                    {
                        "value": "über 80",
                        "label": "Postkarten vom Festival an Kolleg:innen und Vorgesetzte",
                    },
                ],
            },
        },
        {
            "type": "text",
            "value": {
                "heading": "Kommune 360° …",
                "body": (
                    "<p>… ist eine gemeinsame Initiative der Auridis Stiftung, der Deutschen "
                    "Kinder- und Jugendstiftung und der gemeinnützigen PHINEO AG. Dazu gehört "
                    "ein wachsendes Netzwerk aus kommunalen Planungs- und Leitungskräften, "
                    "Fachleuten und Unterstützer:innen aus Landesinstitutionen, Verbänden, "
                    "Zivilgesellschaft und Wissenschaft.</p>"
                ),
            },
        },
    ]


def next_body():
    site = settings.SITE_URL
    return [
        {
            "type": "letter",
            "value": {
                "salutation": "Liebe:r Leser:in,",
                "body": (
                    "<p>[Entwurf] Mit 2025 hat unsere neue Förderphase begonnen. In dieser "
                    "Ausgabe zeigen wir, was sich ändert und wo Sie mitmachen können.</p>"
                ),
                "signature": "Ihr Team von Kommune 360°",
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Mitdenker:innen gesucht",
                "text": (
                    "Teilen Sie Ihre Erfahrungen mit Unterstützungsangeboten – oder "
                    "widersprechen Sie unserer Analyse."
                ),
                "url": f"{site}/",
                "link_text": "Jetzt mitdenken",
            },
        },
    ]


DEMO_READERS = [
    ("leserin@musterstadt.example", "consent", ["Allgemein", "Jugendhilfe"]),
    ("planung@beispielkreis.example", "consent", ["Allgemein"]),
    ("kontakt@beispiel-akademie.example", "import", ["Allgemein", "Festival"]),
]


@transaction.atomic
def load_newsletter_demo():
    load_topics()
    topics = {t.name: t for t in Topic.objects.all()}
    for email, basis, names in DEMO_READERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={"state": Subscriber.State.ACTIVE, "basis": basis},
        )
        if not created:
            continue
        subscriber.topics.set([topics[n] for n in names])
        if basis == "import":
            ConsentEvent.objects.create(
                subscriber=subscriber,
                kind=ConsentEvent.Kind.IMPORTED,
                source=ConsentEvent.Source.EVENT,
                legal_basis="Art. 6 Abs. 1 lit. f DSGVO (Demo)",
            )
        else:
            ConsentEvent.objects.create(
                subscriber=subscriber,
                kind=ConsentEvent.Kind.REQUESTED,
                form="newsletter",
                consent_text_version="2025-01",
            )
            ConsentEvent.objects.create(subscriber=subscriber, kind=ConsentEvent.Kind.CONFIRMED)
    if not Campaign.objects.filter(subject=DECEMBER_SUBJECT).exists():
        sent_at = timezone.make_aware(dt.datetime(2024, 12, 18, 10, 0))
        campaign = Campaign.objects.create(
            subject=DECEMBER_SUBJECT,
            preheader="Podcast, Magazin, ein Lesetipp und unser Jahr in Zahlen",
            issue_date=dt.date(2024, 12, 18),
            body=december_body(),
        )
        campaign.topics.set([topics["Allgemein"]])
        # Demo only: the issue appears as sent without mailing anyone.
        Campaign.objects.filter(pk=campaign.pk).update(
            state=Campaign.State.SENT, started_at=sent_at, sent_at=sent_at
        )
    if not Campaign.objects.filter(subject=NEXT_SUBJECT).exists():
        campaign = Campaign.objects.create(
            subject=NEXT_SUBJECT,
            preheader="Neue Förderphase, neue Formate",
            issue_date=dt.date(2025, 1, 29),
            body=next_body(),
        )
        campaign.topics.set([topics["Allgemein"]])
