import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from kommune360.core.certificates import Certificate
from kommune360.core.models import (
    Format,
    Method,
    Municipality,
    OutgoingMail,
    Person,
    Supporter,
    SynonymGroup,
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


class SynonymGroupFactory(DjangoModelFactory):
    class Meta:
        model = SynonymGroup

    name = factory.Sequence(lambda n: f"Gruppe {n}")
    terms = "Fortbildung\nWeiterbildung"


class CertificateFactory(DjangoModelFactory):
    """A certificate of participation for something made up (its verification page)."""

    class Meta:
        model = Certificate

    holder_name = "Erika Beispiel"
    title = "Lernpfad Beteiligung"
    issued_on = datetime.date(2026, 3, 1)
    issuer = "Kommune 360°"
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Supporter))
    object_id = factory.Sequence(str)
