"""Demo content of the Magazin, the Kommunen-Podcast and the Publikationen.

Facts from shared/FACTS.md in our own words; everything else is made up and looks it
(Musterstadt, Beispiel-Akademie). Audio, images and the PDF are generated here.
Idempotent: pages are found by slug, files by title.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from kommune360.core.models import Person, Topic

from . import media
from .models import (
    ArticleAuthor,
    ArticlePage,
    EpisodeChapter,
    EpisodeGuest,
    EpisodePage,
    MagazineIndexPage,
    PodcastIndexPage,
    PublicationIndexPage,
    PublicationPage,
)

BERLIN = ZoneInfo("Europe/Berlin")
FILLER_COUNT = 11  # one more than a list page holds, so every index paginates


def _image(title, colour, size=(1600, 900)):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        data = media.png_bytes(*size, colour=colour, label=title)
        image = Image(title=title, file=ContentFile(data, name=f"{title[:40]}.png"))
        image.save()
    return image


def _document(title, filename, data):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, file=ContentFile(data, name=filename))
        document._set_document_file_metadata()
        document.save()
    return document


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is not None:
        return page, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    return page, True


def _publish(page):
    page.save_revision().publish()


def _person(name, role="", organisation=""):
    person, _ = Person.objects.get_or_create(
        name=name, defaults={"role": role, "organisation": organisation}
    )
    return person


def _topics(*names):
    return list(Topic.objects.filter(name__in=names))


# --- Podcast ----------------------------------------------------------------------------

SCHNEIDEWIND_TRANSCRIPT = """
<p><b>Moderation (Mia Musterfrau):</b> Herzlich willkommen zum Kommunen-Podcast. Heute spreche
ich mit Uwe Schneidewind, Oberbürgermeister von Wuppertal, über eine Frage, die in keiner
Dienstanweisung steht: Wie viel Mut verträgt eine Verwaltung?</p>
<p><b>Uwe Schneidewind:</b> Verwaltung ist darauf gebaut, verlässlich zu sein. Gesetze geben
ihr einen engen Rahmen, und das ist gut so, weil alle gleich behandelt werden. Mut ist in
diesem System eigentlich nicht vorgesehen, fast eine Art Gegenprogramm.</p>
<p><b>Moderation:</b> Und trotzdem sagen Sie, ohne Mut keine Veränderung.</p>
<p><b>Uwe Schneidewind:</b> Genau. Wer etwas verändern will, muss ausprobieren dürfen, auch
mit dem Risiko, dass etwas nicht klappt. Dafür brauchen die Menschen Rückendeckung von ihren
Leitungen und von der Verwaltungsspitze. In Wuppertal versuchen wir, kleine Inseln zu
schaffen, auf denen das Möglichmachen ausdrücklich erlaubt ist.</p>
<p><b>Moderation:</b> Was ist so eine Insel ganz praktisch?</p>
<p><b>Uwe Schneidewind:</b> Ein Team, ein Auftrag, ein Zeitraum und das Versprechen, dass
Fehler besprochen und nicht bestraft werden. Das ist unspektakulär, aber es wirkt.</p>
<p><b>Moderation:</b> Vielen Dank für das Gespräch. (Dies ist ein Demo-Transkript; die
Audiodatei enthält nur einen Ton und Stille.)</p>
"""

FESTIVAL_TRANSCRIPT = """
<p><b>Moderation (Mia Musterfrau):</b> Wir sind auf dem K360-Festival 2024 in Berlin, es ist
Sommer, und wir haben Menschen aus Verwaltungen gefragt: Was wünschen Sie sich für Ihre
Verwaltung – und was auf keinen Fall?</p>
<p><b>Teilnehmerin aus einem Jugendamt:</b> Weniger Schlagworte. Wenn noch einmal jemand
„agil“ sagt, ohne zu erklären, was sich am Montagmorgen ändert, gehe ich.</p>
<p><b>Teilnehmer aus der Jugendhilfeplanung:</b> Ich wünsche mir Schildkröten. Langsam,
aber sie kommen an, und sie tragen ihr Zuhause mit sich. Veränderung, die bleibt.</p>
<p><b>Teilnehmerin aus einer Stadtverwaltung:</b> Zeit für Austausch mit Kolleg:innen aus
anderen Kommunen. Hier habe ich in zwei Tagen mehr gelernt als in einem Jahr Rundmails.</p>
<p><b>Moderation:</b> Schildkröten statt Schlagworte – das nehmen wir mit. (Demo-Transkript;
die Audiodatei enthält nur einen Ton und Stille.)</p>
"""


def _load_podcast(home):
    podcast, created = _child(
        home,
        PodcastIndexPage,
        "podcast",
        title="Kommunen-Podcast",
        intro=(
            "Gespräche mit Menschen, die Verwaltung verändern: Bürgermeister:innen, "
            "Jugendamtsleitungen, Planer:innen und alle, die es noch werden wollen. "
            "Jede Folge mit vollständigem Transkript."
        ),
        owner_email="podcast@kommune360.example",
    )
    if created:
        podcast.cover_image = _image("Cover Kommunen-Podcast", (0, 82, 147), (1400, 1400))
        _publish(podcast)

    host = _person("Mia Musterfrau", "Redaktion", "Kommune 360°")
    schneidewind = Person.objects.filter(name="Uwe Schneidewind").first() or _person(
        "Uwe Schneidewind", "Oberbürgermeister", "Stadt Wuppertal"
    )
    episodes = [
        {
            "slug": "diensteid-fuer-transformation",
            "title": "Brauchen wir einen Diensteid für Transformation?",
            "teaser": (
                "Wuppertals Oberbürgermeister Uwe Schneidewind über Mut in einer Verwaltung, "
                "die auf Verlässlichkeit gebaut ist – und über Inseln des Möglichmachens."
            ),
            "published": datetime(2024, 12, 3, 6, 0, tzinfo=BERLIN),
            "season": 1,
            "number": 6,
            "guests": [(host, "Moderation"), (schneidewind, "Gast")],
            "chapters": [
                (0, "Begrüßung"),
                (5, "Mut als Gegenprogramm"),
                (12, "Inseln des Möglichmachens"),
            ],
            "transcript": SCHNEIDEWIND_TRANSCRIPT,
            "frequency": 440.0,
        },
        {
            "slug": "weg-mit-der-agilitaet",
            "title": "Weg mit der Agilität, her mit den Schildkröten!",
            "teaser": (
                "Aufgenommen auf dem K360-Festival 2024: Verwaltungsmitarbeitende erzählen, "
                "was sie sich für ihre Verwaltung wünschen – und was nicht."
            ),
            "published": datetime(2024, 11, 19, 6, 0, tzinfo=BERLIN),
            "season": 1,
            "number": 5,
            "guests": [(host, "Moderation")],
            "chapters": [(0, "Auf dem Festival"), (8, "Wünsche"), (15, "Schildkröten")],
            "transcript": FESTIVAL_TRANSCRIPT,
            "frequency": 523.25,
        },
    ]
    filler_audio = None
    for number in range(1, FILLER_COUNT + 1):
        filler_audio = filler_audio or media.mp3_bytes(12, 330.0)
        episodes.append(
            {
                "slug": f"beispielfolge-{number}",
                "title": f"Beispielfolge {number}: Aus dem Alltag in Musterstadt",
                "teaser": (
                    "Eine erfundene Folge für die Demo: Kolleg:innen aus Musterstadt erzählen "
                    "von einem kleinen Experiment in ihrer Verwaltung."
                ),
                "published": datetime(2023, 1, 10, 6, 0, tzinfo=BERLIN)
                + timedelta(weeks=number * 3),
                "season": None,
                "number": None,
                "guests": [(host, "Moderation")],
                "chapters": [],
                "transcript": (
                    "<p><b>Moderation (Mia Musterfrau):</b> Willkommen in Musterstadt. Dies ist "
                    "eine Beispielfolge ohne echtes Gespräch; die Audiodatei enthält einen Ton "
                    "und Stille.</p>"
                ),
                "audio": filler_audio,
            }
        )
    for data in episodes:
        if EpisodePage.objects.filter(slug=data["slug"]).exists():
            continue
        audio = data.get("audio") or media.mp3_bytes(20, data["frequency"])
        episode = EpisodePage(
            slug=data["slug"],
            title=data["title"],
            teaser=data["teaser"],
            published=data["published"],
            season=data["season"],
            number=data["number"],
            audio_file=ContentFile(audio, name=f"{data['slug']}.mp3"),
            duration=data.get("duration"),  # empty: read from the file
            transcript=data["transcript"].strip(),
            show_notes=(
                "<p>Hinweise zur Folge, Links und Lesetipps stehen hier. In der Demo ist die "
                "Audiodatei ein kurzer erzeugter Ton.</p>"
            ),
        )
        episode.guests = [
            EpisodeGuest(person=person, role=role, sort_order=i)
            for i, (person, role) in enumerate(data["guests"])
        ]
        episode.chapters = [
            EpisodeChapter(start=start, title=title, sort_order=i)
            for i, (start, title) in enumerate(data["chapters"])
        ]
        podcast.add_child(instance=episode)
        _publish(episode)
    return podcast


# --- Publikationen ----------------------------------------------------------------------


def _load_publications(home):
    index, created = _child(
        home,
        PublicationIndexPage,
        "publikationen",
        title="Publikationen",
        intro=(
            "Was wir selbst veröffentlichen und was wir aus anderen Häusern empfehlen – "
            "zum Herunterladen und Weiterlesen."
        ),
    )
    if created:
        _publish(index)
    change_guide = PublicationPage.objects.filter(slug="change-guide").first()
    if change_guide is None:
        pdf = media.pdf_bytes(
            "Change-Guide (Demo)",
            [
                "Ein Wegweiser für Veränderung in der Kommunalverwaltung.",
                "Dies ist eine kurze Demo-Datei; der echte Change-Guide ist länger.",
                "1. Klein anfangen  2. Verbündete suchen  3. Rückendeckung holen",
            ],
        )
        change_guide = PublicationPage(
            slug="change-guide",
            title="Change-Guide: Veränderung in der Verwaltung gestalten",
            kind=PublicationPage.Kind.OWN,
            teaser=(
                "Unser Wegweiser für alle, die in ihrer Verwaltung etwas bewegen wollen – "
                "seit Sommer 2024 auch digital."
            ),
            description=(
                "<p>Der Change-Guide bündelt, was wir in den Lernpfaden und im Netzwerk über "
                "Veränderung gelernt haben: wie man anfängt, wen man braucht und wie man "
                "Rückschläge übersteht.</p>"
            ),
            year=2024,
            publisher="Initiative Kommune 360°",
            document=_document("Change-Guide (PDF)", "change-guide.pdf", pdf),
        )
        index.add_child(instance=change_guide)
        _publish(change_guide)
    if not PublicationPage.objects.filter(slug="kgst-generative-ki").exists():
        kgst = PublicationPage(
            slug="kgst-generative-ki",
            title="Generative KI in Kommunalverwaltungen",
            kind=PublicationPage.Kind.RECOMMENDATION,
            teaser=(
                "Die Guideline der KGSt ordnet ein, wofür Kommunen LLM-Werkzeuge sinnvoll "
                "einsetzen können und wo Vorsicht geboten ist."
            ),
            description=(
                "<p>Künstliche Intelligenz bringt der Verwaltung Chancen und Risiken zugleich. "
                "Die Kommunale Gemeinschaftsstelle für Verwaltungsmanagement beschreibt, was "
                "Large Language Models leisten, wo ihre Grenzen liegen und wie Kommunen sie "
                "verantwortungsvoll nutzen. Unsere Empfehlung für alle, die mitreden wollen.</p>"
            ),
            year=2024,
            publisher="KGSt – Kommunale Gemeinschaftsstelle für Verwaltungsmanagement",
            external_url="https://www.kgst.de/",
        )
        index.add_child(instance=kgst)
        _publish(kgst)
    for number in range(1, FILLER_COUNT):
        slug = f"beispiel-leitfaden-{number}"
        if PublicationPage.objects.filter(slug=slug).exists():
            continue
        page = PublicationPage(
            slug=slug,
            title=f"Beispiel-Leitfaden {number}: Gute Zusammenarbeit in Musterstadt",
            kind=PublicationPage.Kind.RECOMMENDATION,
            teaser="Eine erfundene Empfehlung für die Demo.",
            year=2020 + number % 5,
            publisher="Beispiel-Akademie für Verwaltung",
            external_url=f"https://beispiel-akademie.example/leitfaden-{number}",
        )
        index.add_child(instance=page)
        _publish(page)
    return change_guide


# --- Magazin ----------------------------------------------------------------------------


def _load_magazine(home, change_guide):
    magazine, created = _child(
        home,
        MagazineIndexPage,
        "magazin",
        title="K360-Magazin",
        intro=(
            "Geschichten, Werkzeuge und Hintergründe für Menschen, die Kommunalverwaltung "
            "gestalten."
        ),
    )
    if created:
        _publish(magazine)
    author = _person("Mia Musterfrau", "Redaktion", "Kommune 360°")
    if not ArticlePage.objects.filter(slug="its-a-match").exists():
        article = ArticlePage(
            slug="its-a-match",
            title="It's a Match! So ergänzen Leitungen & Planer:innen einander",
            date=date(2024, 12, 3),
            teaser=(
                "Jugendamtsleitungen und Jugendhilfeplaner:innen sind Schlüsselfiguren für gute "
                "Unterstützung von Kindern, Jugendlichen und Familien. Was sie gemeinsam "
                "erreichen, wenn Steuerung und Planung ineinandergreifen."
            ),
            image=_image("Leitung und Planung im Gespräch (Illustration)", (0, 110, 90)),
            image_alt="Illustration: zwei ineinandergreifende Kreise auf grünem Grund",
            body=[
                (
                    "paragraph",
                    "<p>Ein passendes Hilfesystem vor Ort entsteht nicht am Schreibtisch einer "
                    "einzelnen Person. Die Leitung eines Jugendamts verantwortet Ziele, Budget "
                    "und Personal; die Jugendhilfeplanung kennt Bedarfe, Daten und "
                    "Beteiligungsverfahren. Erst zusammen wird daraus Steuerung.</p>",
                ),
                ("heading", {"text": "Spielräume nutzen"}),
                (
                    "paragraph",
                    "<p>Viele Kommunen haben mehr Handlungsspielraum, als im Alltag sichtbar "
                    "wird. Wer Planungszyklen und Haushaltsberatungen zusammendenkt, kann "
                    "Entscheidungen vorbereiten, statt ihnen hinterherzulaufen.</p>",
                ),
                (
                    "quote",
                    {
                        "text": "Planung ohne Leitung bleibt Papier, Leitung ohne Planung "
                        "bleibt Bauchgefühl.",
                        "person": None,
                        "attribution": "Teilnehmerin des Lernpfads Führung (Demo-Zitat)",
                    },
                ),
                (
                    "fact_box",
                    {
                        "heading": "Aus den Lernpfaden Führung und Change",
                        "text": "<ul><li>Gemeinsame Ziele schriftlich festhalten</li>"
                        "<li>Feste Termine für Planung und Leitung im Quartal</li>"
                        "<li>Daten der Planung in Leitungsrunden nutzen</li></ul>",
                    },
                ),
                (
                    "link",
                    {
                        "page": change_guide,
                        "url": "",
                        "title": "Zum Change-Guide",
                        "text": "Unser Wegweiser für Veränderung in der Verwaltung.",
                    },
                ),
            ],
        )
        article.authors = [ArticleAuthor(person=author, sort_order=0)]
        article.topics = _topics("Jugendhilfe", "Planung und Steuerung", "Zusammenarbeit")
        magazine.add_child(instance=article)
        _publish(article)
    for number in range(1, FILLER_COUNT + 1):
        slug = f"beispielartikel-{number}"
        if ArticlePage.objects.filter(slug=slug).exists():
            continue
        article = ArticlePage(
            slug=slug,
            title=f"Beispielartikel {number}: Neues aus Musterstadt",
            date=date(2024, 1, 15) + timedelta(days=number * 20),
            teaser="Ein erfundener Artikel für die Demo, damit die Liste mehrere Seiten hat.",
            body=[
                (
                    "paragraph",
                    "<p>In Musterstadt hat ein kleines Team ausprobiert, wie Anträge schneller "
                    "bearbeitet werden können. Alles an diesem Artikel ist erfunden.</p>",
                )
            ],
        )
        article.authors = [ArticleAuthor(person=author, sort_order=0)]
        article.topics = _topics("Verwaltungsmodernisierung")
        magazine.add_child(instance=article)
        _publish(article)
    return magazine


def _load_home_sections(home):
    types = {block.block_type for block in home.body}
    additions = []
    if "latest_episode" not in types:
        additions.append(("latest_episode", {"heading": "Neu im Kommunen-Podcast"}))
    if "highlights" not in types:
        items = []
        for slug, title, text in [
            (
                "change-guide",
                "Change-Guide",
                "Unser Wegweiser für Veränderung – über 600 Mal heruntergeladen.",
            ),
            (
                "its-a-match",
                "It's a Match!",
                "Wie Jugendamtsleitungen und Planer:innen einander ergänzen.",
            ),
        ]:
            page = (
                ArticlePage.objects.filter(slug=slug).first()
                or PublicationPage.objects.filter(slug=slug).first()
            )
            if page is not None:
                items.append({"title": title, "text": text, "page": page, "url": ""})
        if items:
            additions.append(
                ("highlights", {"heading": "Empfehlungen der Redaktion", "items": items})
            )
    if "latest_articles" not in types:
        additions.append(("latest_articles", {"heading": "Aus dem K360-Magazin", "count": 3}))
    if additions:
        body = [(block.block_type, block.value) for block in home.body]
        home.body = additions + body
        _publish(home)


def load_publishing_demo(home):
    _load_podcast(home)
    change_guide = _load_publications(home)
    _load_magazine(home, change_guide)
    _load_home_sections(home.specific.__class__.objects.get(pk=home.pk))
