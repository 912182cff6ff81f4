import factory
from factory.django import DjangoModelFactory

from kommune360.newsletter.models import Campaign, ConsentEvent, Subscriber, Topic


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Thema {n}")


class SubscriberFactory(DjangoModelFactory):
    """An active subscriber who confirmed by double opt-in."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"leser{n}@musterstadt.example")
    state = Subscriber.State.ACTIVE
    basis = Subscriber.Basis.CONSENT

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create and self.state == Subscriber.State.ACTIVE:
            ConsentEvent.objects.create(subscriber=self, kind=ConsentEvent.Kind.REQUESTED)
            ConsentEvent.objects.create(subscriber=self, kind=ConsentEvent.Kind.CONFIRMED)


def campaign_body():
    return [
        {
            "type": "letter",
            "value": {
                "salutation": "Liebe:r Leser:in,",
                "body": "<p>Ein Jahr voller Begegnungen in Musterstadt.</p>",
                "signature": "Ihr Team",
            },
        },
        {
            "type": "quote",
            "value": {
                "text": "Ein Zitat aus der Praxis.",
                "author": "Erika Beispiel",
                "origin": "Landkreis Musterland",
                "comment": "",
            },
        },
        {
            "type": "section",
            "value": {
                "heading": "Neues aus dem Netzwerk",
                "intro": "",
                "items": [
                    {
                        "item": "",
                        "kicker": "Podcast",
                        "title": "Eine Folge über Mut",
                        "teaser": "Warum Verwaltung Experimente braucht.",
                        "url": "https://kommune360.example/podcast/mut/",
                        "link_text": "Jetzt hören",
                        "image": None,
                        "image_alt": "",
                    }
                ],
            },
        },
        {
            "type": "figures",
            "value": {
                "heading": "Das Jahr in Zahlen",
                "intro": "",
                "figures": [{"value": "über 4.600", "label": "Abrufe des Podcasts"}],
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "heading": "Mitmachen",
                "text": "Bewerben Sie sich.",
                "url": "https://kommune360.example/mitmachen/",
                "link_text": "Zur Bewerbung",
            },
        },
    ]


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Newsletter Ausgabe {n}")
    preheader = "Neues aus dem Netzwerk"
    body = factory.LazyFunction(campaign_body)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
