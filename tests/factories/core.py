import factory
from factory.django import DjangoModelFactory

from kommune360.core.models import (
    Format,
    Method,
    Municipality,
    OutgoingMail,
    Person,
    Supporter,
    TargetGroup,
    Topic,
)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Beispielthema {n}")


class MethodFactory(DjangoModelFactory):
    class Meta:
        model = Method
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Beispielmethode {n}")
    is_innovative = False


class TargetGroupFactory(DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Beispielzielgruppe {n}")


class FormatFactory(DjangoModelFactory):
    class Meta:
        model = Format
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Beispielformat {n}")


class MunicipalityFactory(DjangoModelFactory):
    """A made-up Gemeinde in Bayern (AGS 09 9xx xxx never exists)."""

    class Meta:
        model = Municipality
        django_get_or_create = ["ags"]

    ags = factory.Sequence(lambda n: f"0999{n:04d}")
    name = factory.Sequence(lambda n: f"Musterstadt {n}")
    kind = Municipality.Kind.GEMEINDE
    state = "09"


class SupporterFactory(DjangoModelFactory):
    class Meta:
        model = Supporter

    name = factory.Sequence(lambda n: f"Beispiel-Stiftung {n}")
    url = "https://stiftung.example/"


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Erika Beispiel {n}")
    role = "Jugendamtsleitung"


class OutgoingMailFactory(DjangoModelFactory):
    class Meta:
        model = OutgoingMail

    subject = "Beispielbetreff"
    to = factory.LazyFunction(lambda: ["erika@beispiel.example"])
    text = "Guten Tag!"
