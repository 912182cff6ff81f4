from datetime import timedelta

from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory


def test_home_page_shows_the_next_published_events_and_the_newsletter_form(client, home_page):
    now = timezone.now()
    soon = EventFactory(title="Netzwerktreffen Musterstadt", starts_at=now + timedelta(days=3))
    EventFactory(
        title="Längst vorbei", starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=29)
    )

    html = client.get("/").content.decode()

    assert "Nächste Veranstaltungen" in html
    assert soon.title in html and soon.get_absolute_url() in html
    assert "Längst vorbei" not in html
    assert 'action="/newsletter/' in html  # the sign-up form of the newsletter app
    assert "csrfmiddlewaretoken" not in html  # so the page stays cacheable


def test_my_registrations_is_a_page_of_the_account_area(client, home_page):
    client.force_login(UserFactory())
    html = client.get("/konto/").content.decode()
    assert 'href="/veranstaltungen/meine-anmeldungen/"' in html
