from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kommune360.events.models import Event, Question, Registration, Session


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Netzwerktreffen Musterstadt {n}")
    kind = Event.Kind.NETWORK
    summary = "Austausch unter Kolleg:innen aus Beispiel-Jugendämtern."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=6))
    venue_name = "Beispiel-Akademie"
    street = "Musterweg 1"
    postal_code = "12345"
    city = "Musterstadt"
    accessibility = "Stufenloser Zugang, Aufzug, barrierefreies WC."
    capacity = 20
    is_published = True


class OnlineEventFactory(EventFactory):
    kind = Event.Kind.ONLINE
    venue_name = street = postal_code = city = accessibility = ""
    online_url = "https://video.beispiel.example/raum-42"


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Werkstatt {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(hours=1))
    room = "Raum A"
    speakers = "Erika Beispiel"
    capacity = 5


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label = "Ernährung"
    kind = Question.Kind.TEXT


class RegistrationFactory(DjangoModelFactory):
    """A registration written directly (for fixtures); tests of the rules use services."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Person {n} Beispiel")
    email = factory.Sequence(lambda n: f"teilnehmer{n}@beispiel.example")
    status = Registration.Status.CONFIRMED
