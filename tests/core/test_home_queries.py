"""The home page's database queries are pinned (page cache off, as for every first visit).

The layout (navigation, footer with legal pages and supporters, site settings, logo)
must cost the same number of queries however many supporters and pages there are.
"""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from kommune360.core.models import SiteSettings
from tests.factories.accounts import UserFactory
from tests.factories.core import SupporterFactory

# site, page, its ancestors, view restrictions, settings, supporters, the page's
# versions in the other languages (the language switch), plus the sections other apps
# contribute: upcoming events (1), newsletter sign-up topics (2), the year in numbers
# (3: its year's report, computed and manual figures)
ANONYMOUS_QUERIES = 13
LOGGED_IN_QUERIES = 15  # + session, user (the admin link follows the session)


@pytest.fixture
def furnished_home(home_page):
    """The home page of a site with logo, legal pages, contact address and supporters."""

    def furnish(supporters):
        site_settings = SiteSettings.for_site(home_page.get_site())
        for field, title in (
            ("imprint_page", "Impressum"),
            ("privacy_page", "Datenschutz"),
            ("accessibility_page", "Erklärung zur Barrierefreiheit"),
        ):
            page = home_page.add_child(instance=Page(title=title, slug=field.replace("_", "-")))
            setattr(site_settings, field, page)
        site_settings.logo = Image.objects.create(
            title="Beispiel-Logo", file=get_test_image_file(filename="logo.png")
        )
        site_settings.contact_email = "kontakt@beispiel-netzwerk.example"
        site_settings.save()
        SupporterFactory.create_batch(supporters)
        return home_page

    return furnish


def render_home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("supporters", [1, 6])
def test_home_page_queries_for_an_anonymous_visitor(
    client, furnished_home, supporters, django_assert_num_queries
):
    furnished_home(supporters)
    render_home(client)  # the first request creates the logo's rendition
    with django_assert_num_queries(ANONYMOUS_QUERIES):
        html = render_home(client)
    assert "Impressum" in html and "Erklärung zur Barrierefreiheit" in html
    assert "kontakt@beispiel-netzwerk.example" in html
    assert 'class="site-brand__logo"' in html


@pytest.mark.parametrize("supporters", [1, 6])
def test_home_page_queries_for_a_logged_in_member(
    client, furnished_home, supporters, django_assert_num_queries
):
    furnished_home(supporters)
    client.force_login(UserFactory(roles=["Mitglied"]))
    render_home(client)
    with django_assert_num_queries(LOGGED_IN_QUERIES):
        html = render_home(client)
    assert "Mein Konto" in html and "Impressum" in html
