import datetime

import pytest
from django.utils import timezone

BERLIN = timezone.get_default_timezone()


def at(year, month=6, day=1, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=BERLIN)


@pytest.fixture
def year_data(db):
    """Hand-countable data in 2024 and 2025 across the apps that register figures."""
    from wagtail.models import Page

    from kommune360.editorial.models import DownloadDay
    from kommune360.events.models import Postcard, Registration
    from kommune360.learning.models import Application
    from tests.factories.events import EventFactory, RegistrationFactory
    from tests.factories.learning import ApplicationFactory, CohortFactory

    page = Page.objects.first()
    for day, count, kind in [
        (datetime.date(2025, 1, 5), 7, "episode"),
        (datetime.date(2025, 12, 31), 3, "episode"),
        (datetime.date(2024, 12, 31), 4, "episode"),
        (datetime.date(2025, 3, 1), 2, "publication"),
    ]:
        DownloadDay.objects.create(page=page, day=day, count=count, kind=kind)
    event = EventFactory(starts_at=at(2025, 5), ends_at=at(2025, 5, hour=16))
    for n in range(6):
        RegistrationFactory(event=event, email=f"p{n}@beispiel.example")
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    old = EventFactory(starts_at=at(2024, 5), ends_at=at(2024, 5, hour=16))
    for _n in range(2):
        RegistrationFactory(event=old)
    Postcard.objects.create(event=event, sent_at=at(2025, 5, 2))
    cohort = CohortFactory(
        starts_on=datetime.date(2025, 2, 1),
        ends_on=datetime.date(2025, 6, 30),
        applications_open_on=datetime.date(2024, 11, 1),
        applications_close_on=datetime.date(2024, 12, 31),
    )
    for _n in range(4):
        ApplicationFactory(cohort=cohort, status=Application.Status.ACCEPTED)
    ApplicationFactory(cohort=cohort, status=Application.Status.DECLINED)
    return {"event": event, "cohort": cohort}
