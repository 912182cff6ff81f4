"""The apps' admin menu entries, listing buttons and snippet listings (core.admin_ui)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks

from kommune360.accounts import roles
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory
from tests.factories.learning import CohortFactory, FeedbackFactory, ModuleFactory
from tests.factories.newsletter import CampaignFactory

pytestmark = pytest.mark.django_db


def _menu(user, url_name):
    url = reverse(url_name)
    items = [hook() for hook in hooks.get_hooks("register_admin_menu_item")]
    (item,) = [item for item in items if item.url == url]
    return item.is_shown(_Request(user))


class _Request:
    def __init__(self, user):
        self.user = user


def _buttons(obj, user):
    return [
        (str(button.label), button.url)
        for hook in hooks.get_hooks("register_snippet_listing_buttons")
        for button in hook(obj, user)
    ]


@pytest.mark.parametrize(
    ("url_name", "allowed", "refused"),
    [
        ("atlas_review_queue", roles.EDITOR, roles.MODERATOR),
        ("participation_admin:queue", roles.MODERATOR, roles.JURY),
        ("newsletter_import", roles.EDITOR, roles.MODERATOR),
    ],
)
def test_menu_entries_show_only_with_the_permission_of_their_screen(
    home_page, url_name, allowed, refused
):
    assert _menu(UserFactory(roles=[allowed]), url_name)
    assert not _menu(UserFactory(roles=[refused]), url_name)


def test_listing_buttons_lead_to_the_apps_screens_for_those_allowed(home_page):
    event = EventFactory()
    cohort = CohortFactory()
    campaign = CampaignFactory()
    editor = UserFactory(roles=[roles.EDITOR])

    assert _buttons(event, editor) == [
        ("Teilnehmende", reverse("events_participants", args=[event.pk])),
        ("Check-in", reverse("events_checkin", args=[event.pk])),
    ]
    assert _buttons(cohort, editor)[-1] == (
        "Bereich der Kohorte",
        reverse("learning:cohort", args=[cohort.path.slug, cohort.pk]),
    )
    assert _buttons(campaign, editor) == [
        ("Test und Versand", reverse("newsletter_dispatch", args=[campaign.pk]))
    ]
    jury = UserFactory(roles=[roles.JURY])
    assert _buttons(event, jury) == _buttons(cohort, jury) == _buttons(campaign, jury) == []


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/admin/snippets/learning/module/", lambda: ModuleFactory(path=CohortFactory().path)),
        ("/admin/snippets/learning/feedback/", lambda: FeedbackFactory()),
    ],
)
def test_snippet_listings_load_their_relations_with_the_rows(client, home_page, url, make):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    make()
    few = queries()
    for _ in range(4):
        make()
    assert queries() == few
