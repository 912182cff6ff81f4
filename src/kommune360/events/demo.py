"""Demo content: the K360-Festival 2024 with its programme, an upcoming festival, a
Fellow-Treffen, online formats and a "Kommune gestaltet!" meeting, some nearly full.

Places and people that the brief does not name are made up and look made up.
Idempotent: events are found by their slug; registrations are only added once.
"""

import datetime

from django.utils import timezone

from kommune360.core.models import TargetGroup

from .models import Event, Postcard, Question, Registration, Session

BERLIN = timezone.get_default_timezone()


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BERLIN)


def _next_weekday(days_ahead, weekday=1):
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _event(slug, **fields):
    groups = fields.pop("groups", [])
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        event = Event(slug=slug, is_published=True, **fields)
        event.save()
        event.target_groups.set(TargetGroup.objects.filter(name__in=groups))
    return event


def _fill(event, count, status=Registration.Status.CONFIRMED, prefix="teilnehmer", checked=False):
    if Registration.objects.filter(event=event, status=status).exists():
        return
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Beispiel-Person {n}",
            email=f"{prefix}{n}.{event.pk}@beispiel.example",
            organisation="Jugendamt Musterstadt" if n % 2 else "Landkreis Beispielkreis",
            status=status,
            checked_in_at=event.starts_at if checked else None,
            created_at=now - datetime.timedelta(minutes=count - n),
        )
        for n in range(1, count + 1)
    )


FESTIVAL_2024_SESSIONS = [
    # (day offset, start, end, title, room, speakers, capacity)
    (
        0,
        (10, 0),
        (11, 0),
        "Eröffnung: Kommune 360° im Gespräch",
        "Großer Saal",
        "Team Kommune 360°",
        None,
    ),
    (
        0,
        (11, 30),
        (13, 0),
        "Werkstatt: Leitung und Planung als Tandem",
        "Raum Werkbank",
        "Erika Beispiel, Jugendamt Musterstadt",
        30,
    ),
    (
        0,
        (11, 30),
        (13, 0),
        "Podcast live: Weg mit der Agilität, her mit den Schildkröten!",
        "Studio",
        "Kommunen-Podcast",
        40,
    ),
    (
        0,
        (14, 0),
        (15, 30),
        "Change im Jugendamt: Was wir im Lernpfad gelernt haben",
        "Raum Werkbank",
        "Teilnehmende des Lernpfads Change",
        30,
    ),
    (0, (14, 0), (15, 30), "Postkarten- und Sticker-Station", "Foyer", "", None),
    (
        1,
        (9, 30),
        (11, 0),
        "Design Thinking für die Jugendhilfeplanung",
        "Raum Werkbank",
        "Max Muster, Beispiel-Akademie",
        25,
    ),
    (1, (11, 30), (12, 30), "Abschluss und Ausblick", "Großer Saal", "Team Kommune 360°", None),
]


def _sessions(event, rows):
    if event.sessions.exists():
        return
    start_day = timezone.localtime(event.starts_at).date()
    for offset, start, end, title, room, speakers, capacity in rows:
        day = start_day + datetime.timedelta(days=offset)
        Session.objects.create(
            event=event,
            title=title,
            starts_at=_at(day, *start),
            ends_at=_at(day, *end),
            room=room,
            speakers=speakers,
            capacity=capacity,
        )


def _questions(event):
    if event.questions.exists():
        return
    Question.objects.create(
        event=event,
        label="Essen",
        kind=Question.Kind.CHOICE,
        choices="ohne Einschränkung\nvegetarisch\nvegan",
        sort_order=1,
    )
    Question.objects.create(
        event=event,
        label="Brauchen Sie Unterstützung, um teilnehmen zu können?",
        help_text="Zum Beispiel Gebärdensprachdolmetschung, Induktionsschleife, Begleitung.",
        kind=Question.Kind.TEXT,
        sort_order=2,
    )
    Question.objects.create(
        event=event,
        label="Arbeiten Sie in einer Kommunalverwaltung?",
        kind=Question.Kind.YES_NO,
        required=True,
        sort_order=3,
    )


def load_events_demo():
    today = timezone.localdate()
    accessible = (
        "Stufenloser Zugang über den Hof, Aufzug zu allen Räumen, barrierefreie WCs im "
        "Erdgeschoss, Induktionsschleife im Großen Saal. Ruheraum im 1. OG."
    )
    festival_2024 = _event(
        "k360-festival-2024",
        title="K360-Festival 2024",
        kind=Event.Kind.FESTIVAL,
        summary="Zwei Tage Austausch für kommunale Gestalter:innen aus der Jugendhilfe – "
        "mit Werkstätten, Podcast-Aufnahmen, Stickern und Postkarten.",
        description="<p>Das erste K360-Festival brachte im Sommer 2024 Jugendamtsleitungen, "
        "Jugendhilfeplaner:innen und Unterstützer:innen in Berlin zusammen.</p>",
        starts_at=_at(datetime.date(2024, 6, 20), 10),
        ends_at=_at(datetime.date(2024, 6, 21), 13),
        venue_name="Beispielhalle",
        street="Musterstraße 1",
        postal_code="10999",
        city="Berlin",
        accessibility=accessible,
        capacity=150,
        groups=["Jugendamtsleitung", "Jugendhilfeplanung", "Verwaltungsmitarbeitende"],
    )
    _sessions(festival_2024, FESTIVAL_2024_SESSIONS)
    _fill(festival_2024, 120, checked=True, prefix="festival")
    if not festival_2024.postcards.exists():
        sent = festival_2024.ends_at
        Postcard.objects.bulk_create(Postcard(event=festival_2024, sent_at=sent) for _ in range(82))

    next_summer = datetime.date(today.year + (1 if today.month >= 6 else 0), 6, 18)
    festival_next = _event(
        f"k360-festival-{next_summer.year}",
        title=f"K360-Festival {next_summer.year}",
        kind=Event.Kind.FESTIVAL,
        summary="Das Festival für kommunale Gestalter:innen: Werkstätten, Begegnungen und "
        "Live-Podcast.",
        description="<p>Wählen Sie bei der Anmeldung Ihre Werkstätten. Die Teilnahme ist "
        "kostenfrei; Reisekosten tragen die Teilnehmenden.</p>",
        starts_at=_at(next_summer, 10),
        ends_at=_at(next_summer + datetime.timedelta(days=1), 15),
        venue_name="Beispielhalle",
        street="Musterstraße 1",
        postal_code="10999",
        city="Berlin",
        accessibility=accessible,
        capacity=180,
        registration_closes_at=_at(next_summer - datetime.timedelta(days=14), 23, 59),
        groups=["Jugendamtsleitung", "Jugendhilfeplanung", "Führungskräfte"],
    )
    _sessions(
        festival_next,
        [
            (0, (10, 0), (11, 0), "Eröffnung", "Großer Saal", "Team Kommune 360°", None),
            (
                0,
                (11, 30),
                (13, 0),
                "Werkstatt: Fortbildung genehmigt bekommen",
                "Raum Werkbank",
                "Beispiel-Akademie",
                30,
            ),
            (
                0,
                (11, 30),
                (13, 0),
                "Werkstatt: KI im Jugendamt – was geht, was nicht",
                "Raum Labor",
                "Musterstadt digital",
                3,
            ),
            (1, (10, 0), (12, 0), "Kollegiale Beratung in Kleingruppen", "Raum Werkbank", "", 24),
        ],
    )
    _questions(festival_next)
    _fill(festival_next, 64, prefix="festivalneu")

    fellows = _event(
        "fellow-treffen-winter",
        title="Fellow-Treffen: Was haben wir bewegt?",
        kind=Event.Kind.FELLOWS,
        summary="Die Fellows tauschen sich über ihre Vorhaben aus und beraten einander.",
        starts_at=_at(_next_weekday(21, 3), 13),
        ends_at=_at(_next_weekday(21, 3), 18),
        venue_name="Beispiel-Akademie, Seminarraum 2",
        street="Beispielweg 12",
        postal_code="34117",
        city="Musterstadt",
        accessibility="Zugang mit Rampe, Aufzug vorhanden, barrierefreies WC.",
        capacity=20,
        groups=["Jugendamtsleitung", "Jugendhilfeplanung"],
    )
    _fill(fellows, 18, prefix="fellow")  # nearly full

    sprechstunde = _event(
        "online-sprechstunde-agile-verwaltung",
        title="Online-Sprechstunde: Agil arbeiten im Jugendamt",
        kind=Event.Kind.ONLINE,
        summary="Eine Stunde Fragen und Antworten zu agilen Methoden im Verwaltungsalltag.",
        starts_at=_at(_next_weekday(10, 2), 12),
        ends_at=_at(_next_weekday(10, 2), 13),
        online_url="https://video.beispiel.example/kommune360-sprechstunde",
        online_notes="Den Einwahllink erhalten Sie nach der Anmeldung. Mit Untertiteln.",
        capacity=25,
        groups=["Verwaltungsmitarbeitende"],
    )
    _fill(sprechstunde, 25, prefix="online")  # full: new people join the waitlist
    _fill(sprechstunde, 3, status=Registration.Status.WAITLISTED, prefix="warte")

    _event(
        "online-impuls-ki-in-der-verwaltung",
        title="Online-Impuls: Generative KI in Kommunalverwaltungen",
        kind=Event.Kind.ONLINE,
        summary="Was der KGSt-Leitfaden zu KI-Werkzeugen für die Kommunalverwaltung sagt – "
        "und was das für die Jugendhilfe heißt.",
        starts_at=_at(_next_weekday(35, 1), 10),
        ends_at=_at(_next_weekday(35, 1), 11, 30),
        online_url="https://video.beispiel.example/kommune360-ki",
        capacity=100,
        groups=["Verwaltungsmitarbeitende", "Führungskräfte"],
    )
    gestaltet = _event(
        "kommune-gestaltet-musterstadt",
        title="„Kommune gestaltet!“ in Musterstadt",
        kind=Event.Kind.KOMMUNE_GESTALTET,
        summary="Ein Nachmittag mit Beispielen aus Kommunen, die neue Wege gehen.",
        starts_at=_at(_next_weekday(45, 4), 14),
        ends_at=_at(_next_weekday(45, 4), 18),
        venue_name="Rathaus Musterstadt, Ratssaal",
        street="Am Markt 1",
        postal_code="12345",
        city="Musterstadt",
        accessibility="Eingang Seitenstraße ebenerdig, Aufzug, Gebärdensprache auf Anfrage.",
        capacity=60,
        fee_note="20 € Tagungspauschale (inkl. Verpflegung)",
        groups=["Verwaltungsspitze", "Führungskräfte"],
    )
    _fill(gestaltet, 12, prefix="gestaltet")
