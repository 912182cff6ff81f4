"""A number beyond 64 bits in a multiple choice (checkboxes) is an invalid choice, not a 500."""

import pytest

from kommune360.core.models import Topic
from tests.factories.core import TopicFactory
from tests.factories.newsletter import TopicFactory as NewsletterTopicFactory

pytestmark = pytest.mark.django_db

HUGE = 10**23


def test_in_lookups_ignore_values_beyond_the_column():
    topic = TopicFactory()

    assert list(Topic.objects.filter(pk__in=[HUGE])) == []
    assert list(Topic.objects.filter(pk__in=[HUGE, topic.pk, -HUGE])) == [topic]


def test_a_huge_topic_in_the_newsletter_sign_up_is_an_invalid_choice(client, home_page):
    NewsletterTopicFactory()

    response = client.post(
        "/newsletter/", {"email": "gross@beispiel.example", "consent": "on", "topics": str(HUGE)}
    )

    assert response.status_code in (200, 400)
    assert "email" in response.content.decode()  # the form again, with its message


def test_a_huge_method_in_the_providers_offer_form_is_an_invalid_choice(client, home_page):
    from tests.factories.accounts import UserFactory
    from tests.factories.atlas import ProviderFactory

    user = UserFactory(roles=["Anbieter:in"])
    ProviderFactory(maintainers=[user])
    client.force_login(user)

    response = client.post("/angebote/verwalten/neu/", {"title": "Werkstatt", "methods": str(HUGE)})

    assert response.status_code == 200
