import pytest
from django.urls import reverse

from kommune360.newsletter import rendering, services
from kommune360.newsletter.demo import DECEMBER_SUBJECT, NEXT_SUBJECT, load_newsletter_demo
from kommune360.newsletter.models import Campaign
from tests.factories.newsletter import CampaignFactory

pytestmark = pytest.mark.django_db


def test_demo_has_the_december_issue_in_the_archive_and_a_draft(client, home_page):
    load_newsletter_demo()
    load_newsletter_demo()  # idempotent
    december = Campaign.objects.get(subject=DECEMBER_SUBJECT)
    assert december.state == Campaign.State.SENT
    assert Campaign.objects.get(subject=NEXT_SUBJECT).state == Campaign.State.DRAFT
    assert Campaign.objects.count() == 2

    archive = client.get(reverse("newsletter:archive")).content.decode()
    assert DECEMBER_SUBJECT in archive
    assert NEXT_SUBJECT not in archive
    page = client.get(reverse("newsletter:archive_detail", args=[december.slug]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Brauchen wir einen Diensteid für Transformation?" in content
    assert "über 4.600" in content
    # Where a subscriber's address came from is for their own mail only.
    assert "Ihre Adresse" not in content
    assert " style=" not in content  # the site's CSP forbids inline styles
    assert (
        client.get(reverse("newsletter:archive_detail", args=["gibt-es-nicht"])).status_code == 404
    )

    # The same issue as a mail: plain text written from the blocks, HTML in tables.
    template = rendering.MailTemplate(december)
    text, html, unsubscribe = template.bodies("token")
    assert "Wir machen das einfach so! Unser Jahr 2024 in Zahlen" in text
    assert "- über 4.600: Abrufe unserer Podcastfolgen" in text
    assert '<table role="presentation"' in html and "<h2" in html


def test_archive_list_and_detail_query_counts(client, django_assert_num_queries, home_page):
    for _n in range(3):
        campaign = CampaignFactory()
        Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.SENT)
    client.get(reverse("newsletter:archive"))  # warm up site settings and the like
    with django_assert_num_queries(5):
        client.get(reverse("newsletter:archive"))
    for _n in range(5):
        campaign = CampaignFactory()
        Campaign.objects.filter(pk=campaign.pk).update(state=Campaign.State.SENT)
    with django_assert_num_queries(5):
        response = client.get(reverse("newsletter:archive"))
    assert response.status_code == 200
    # Reading the teasers' item keys builds no choice list (ItemChoiceBlock).
    with django_assert_num_queries(4):
        client.get(reverse("newsletter:archive_detail", args=[campaign.slug]))


def test_draft_is_not_in_the_archive(client):
    draft = CampaignFactory()
    assert client.get(reverse("newsletter:archive_detail", args=[draft.slug])).status_code == 404
    assert services.recipients(draft).count() == 0


def test_teaser_block_fills_in_from_a_registered_platform_item(monkeypatch):
    from kommune360.core.models import Topic as CoreTopic
    from kommune360.core.registry import NewsletterItem, registry
    from kommune360.newsletter.blocks import TeaserBlock, item_choices

    entry = NewsletterItem(
        CoreTopic,
        "Thema",
        lambda t: {"title": t.name, "text": "Worum es geht.", "url": "https://x.example/t/"},
    )
    monkeypatch.setattr(registry, "_entries", {**registry._entries, NewsletterItem: [entry]})
    topic = CoreTopic.objects.create(name="Beteiligung im Test")
    key = f"core.topic:{topic.pk}"
    assert ("Thema", [(key, "Beteiligung im Test")]) in item_choices()

    block = TeaserBlock()
    empty = {"item": key, "kicker": "", "title": "", "teaser": "", "url": "", "link_text": ""}
    value = block.clean(block.to_python({**empty, "image": None, "image_alt": ""}))
    assert (value["kicker"], value["title"], value["teaser"], value["url"]) == (
        "Thema",
        "Beteiligung im Test",
        "Worum es geht.",
        "https://x.example/t/",
    )
    edited = block.clean(
        block.to_python({**empty, "title": "Eigener Titel", "image": None, "image_alt": ""})
    )
    assert edited["title"] == "Eigener Titel"  # what the editor wrote stays
    assert edited["teaser"] == "Worum es geht."


def test_teaser_with_image_needs_an_alt_text():
    from wagtail.blocks.struct_block import StructBlockValidationError
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from kommune360.newsletter.blocks import TeaserBlock

    image = Image.objects.create(title="Festival", file=get_test_image_file())
    block = TeaserBlock()
    raw = {
        "item": "",
        "kicker": "",
        "title": "Festival 2024",
        "teaser": "",
        "url": "",
        "link_text": "",
        "image": image.pk,
        "image_alt": "",
    }
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python(raw))
    assert "image_alt" in error.value.block_errors
    value = block.clean(block.to_python({**raw, "image_alt": "Menschen vor einer Bühne"}))
    assert value["image_alt"] == "Menschen vor einer Bühne"


def test_events_and_offers_are_teaser_items_filled_in_automatically():
    from django.conf import settings

    from kommune360.newsletter.blocks import TeaserBlock, item_choices
    from tests.factories.atlas import OfferFactory
    from tests.factories.events import EventFactory

    event = EventFactory(title="Festival Kommune 360°", is_published=True)
    hidden = EventFactory(title="Noch geheim", is_published=False)
    offer = OfferFactory(title="Coaching für Leitungen")
    groups = dict(item_choices()[1:])
    assert (f"events.event:{event.pk}", str(event)[:120]) in groups["Veranstaltung"]
    assert f"events.event:{hidden.pk}" not in dict(groups["Veranstaltung"])
    assert (f"atlas.offer:{offer.pk}", str(offer)[:120]) in groups["Angebot"]

    block = TeaserBlock()
    empty = {"kicker": "", "title": "", "teaser": "", "url": "", "link_text": ""}
    for key, obj, kicker in [
        (f"events.event:{event.pk}", event, "Veranstaltung"),
        (f"atlas.offer:{offer.pk}", offer, "Angebot"),
    ]:
        value = block.clean(block.to_python({**empty, "item": key, "image": None, "image_alt": ""}))
        assert (value["kicker"], value["title"], value["teaser"], value["url"]) == (
            kicker,
            obj.title,
            obj.summary,
            settings.SITE_URL + obj.get_absolute_url(),
        )
