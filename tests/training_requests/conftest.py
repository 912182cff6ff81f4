from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kommune360.atlas.models import Offer
from kommune360.learning.models import CohortDate
from tests.factories.atlas import OfferFactory
from tests.factories.events import EventFactory
from tests.factories.learning import CohortFactory, LearningPathFactory, ModuleFactory
from tests.newsletter.conftest import smtp_sink  # noqa: F401 (a real SMTP server)

BERLIN = ZoneInfo("Europe/Berlin")

PERSON = {
    "name": "Erika Beispielfrau",
    "position": "Jugendhilfeplanerin",
    "employer": "Jugendamt Landkreis Musterland",
    "supervisor_name": "Dr. Bernd Vorgesetzter",
    "supervisor_email": "",
    "relevance": "Ich plane die Neuaufstellung unserer Jugendhilfeplanung im Landkreis.",
}


@pytest.fixture
def learning_path(db):
    path = LearningPathFactory(
        title="Lernpfad Wandel gestalten",
        summary="Veränderung im Jugendamt planen und begleiten.",
        goals="Veränderungsprozesse im Amt anstoßen\nTeams durch den Wandel führen",
        cost=Decimal("350"),
        cost_note="Material und Verpflegung an den Präsenztagen",
        provider="Beispiel-Akademie für Verwaltung",
    )
    first = ModuleFactory(path=path, title="Auftakt online", hours=Decimal("3"))
    ModuleFactory(path=path, title="Präsenztag Werkstatt", hours=Decimal("6.5"))
    cohort = CohortFactory(path=path, title="Herbst", place="Tagungshaus Musterstadt")
    start = datetime.combine(cohort.starts_on, datetime.min.time(), BERLIN) + timedelta(hours=10)
    CohortDate.objects.create(
        cohort=cohort, module=first, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    return path


@pytest.fixture
def event(db):
    starts = (
        (timezone.now() + timedelta(days=40))
        .astimezone(BERLIN)
        .replace(hour=10, minute=0, second=0, microsecond=0)
    )
    return EventFactory(
        title="Netzwerktreffen Jugendhilfeplanung",
        summary="Austausch über Planungsverfahren in Beispiel-Jugendämtern.",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        fee_note="",
    )


@pytest.fixture
def offer(db):
    return OfferFactory(
        title="Werkstatt Beteiligung",
        provider__name="Beispiel-Institut Kinderrechte",
        learning_goals="Beteiligungsformate auswählen\nErgebnisse in die Planung bringen",
        duration_hours=Decimal("12"),
        start_date=timezone.localdate() + timedelta(days=60),
        delivery=Offer.Delivery.ONLINE,
        cost=Offer.Cost.AMOUNT,
        cost_amount=Decimal("180"),
        certificate=True,
        accreditation="als Bildungsurlaub anerkannt",
    )


@pytest.fixture
def sources(learning_path, event, offer):
    return {"lernpfad": learning_path, "veranstaltung": event, "angebot": offer}
