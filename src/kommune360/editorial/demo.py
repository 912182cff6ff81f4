"""Demo pages: the start page and the pages every German site must have."""

from wagtail.models import Site

from kommune360.core.models import SiteSettings

from . import search_index, translations
from .demo_content import load_publishing_demo
from .models import ContentPage, HomePage

HOME_INTRO = (
    "Wir bringen Menschen zusammen, die ihre Kommunalverwaltung verändern wollen: "
    "Jugendamtsleitungen, Jugendhilfeplaner:innen und viele andere Verwaltungsmitarbeitende, "
    "dazu Fachleute aus Landesinstitutionen, Verbänden, Zivilgesellschaft und Wissenschaft."
)

LEGAL_PAGES = [
    (
        "imprint_page",
        "Impressum",
        "impressum",
        "Angaben gemäß § 5 DDG. Dies ist eine Demo-Instanz; alle Angaben sind Beispiele.",
        [
            "<p>Beispiel-Trägerorganisation gGmbH<br>Musterstraße 1<br>10115 Berlin</p>",
            "<p>Vertreten durch: Erika Beispiel (Geschäftsführung)<br>"
            "E-Mail: kontakt@kommune360.example</p>",
        ],
    ),
    (
        "privacy_page",
        "Datenschutz",
        "datenschutz",
        "Wie diese Plattform mit Ihren Daten umgeht.",
        [
            "<p>Diese Website bindet keine Inhalte fremder Server ein und setzt keine "
            "Tracking-Werkzeuge ein. Zugriffszahlen zählen wir, ohne IP-Adressen zu speichern.</p>",
            "<p>Für ein Konto speichern wir Ihre E-Mail-Adresse, Ihren Namen und die Angaben, "
            "die Sie selbst machen. Unter „Mein Konto → Meine Daten“ können Sie alles "
            "herunterladen und Ihr Konto löschen.</p>",
        ],
    ),
    (
        "accessibility_page",
        "Erklärung zur Barrierefreiheit",
        "barrierefreiheit",
        "Wir möchten, dass alle Menschen diese Website nutzen können (BITV 2.0, WCAG 2.1 AA).",
        [
            "<p>Stand der Vereinbarkeit: Diese Website ist mit den Anforderungen der BITV 2.0 "
            "weitgehend vereinbar. Jede Seite wird bei jeder Änderung automatisch auf "
            "Barrieren geprüft.</p>",
            "<p>Barriere melden: Schreiben Sie uns an kontakt@kommune360.example. Wir antworten "
            "innerhalb von zwei Wochen. Reicht Ihnen unsere Antwort nicht, können Sie sich an "
            "die Schlichtungsstelle nach § 16 BGG wenden.</p>",
        ],
    ),
]


def _body(paragraphs):
    return [("paragraph", html) for html in paragraphs]


def load_editorial_demo():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if not isinstance(home, HomePage):
        raise RuntimeError("The default site's root page is not the kommune360 home page.")

    if not home.intro:
        home.title = "Kommune 360°"
        home.intro = HOME_INTRO
        home.body = [
            (
                "paragraph",
                "<p>Rückmeldungen aus den Lernpfaden bestärken uns: Martin Mende-Döring aus dem "
                "Landkreis Augsburg beschreibt den Lernpfad Change als kräftigen Anstoß für "
                "Vernetzung und Veränderung in der Zusammenarbeit.</p>",
            ),
            # The year in numbers comes from the impact page (its figures, not typed).
            ("section", {"section": "impact"}),
        ]
        home.save_revision().publish()

    site_settings = SiteSettings.for_site(site)
    changed = False
    for field, title, slug, intro, paragraphs in LEGAL_PAGES:
        page = ContentPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = ContentPage(title=title, slug=slug, intro=intro, body=_body(paragraphs))
            home.add_child(instance=page)
            page.save_revision().publish()
        if getattr(site_settings, f"{field}_id") is None:
            setattr(site_settings, field, page)
            changed = True
    if changed:
        site_settings.save()

    load_publishing_demo(home)
    # Pages made here get their English counterparts (the admin makes them itself).
    translations.sync_page_tree()
    # Publishing indexed each new page; this also covers pages of an older database.
    search_index.rebuild()
