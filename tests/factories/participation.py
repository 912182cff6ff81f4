"""Factories for Mitdenken: accounts with a role, the call, contributions."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from kommune360.participation.models import (
    Call,
    Contribution,
    FollowUp,
    Kind,
    Role,
    Status,
    TargetSettings,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Beispiel{n}")
    password = factory.django.Password("Vier-Jahreszeiten-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Aufruf {n}")
    lead = "Sagen Sie uns, was fehlt."
    questions = "Wo liegen wir richtig?\nWas haben wir übersehen?"


class ContributionFactory(factory.django.DjangoModelFactory):
    """A contribution written straight into the table (for lists); services are tested apart."""

    class Meta:
        model = Contribution

    class Params:
        target = None

    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.target or Call)
    )
    object_id = factory.LazyAttribute(lambda o: str(o.target.pk) if o.target else "1")
    target_title = factory.LazyAttribute(lambda o: str(o.target) if o.target else "")
    kind = Kind.COMMENT
    role = Role.MUNICIPAL
    affiliation = "Jugendamt Musterstadt"
    text = factory.Sequence(lambda n: f"Beitrag Nummer {n} mit etwas Inhalt.")
    author_name = "Erika Beispiel"
    author_email = factory.Sequence(lambda n: f"autorin{n}@example.org")
    status = Status.PUBLISHED
    published_at = factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC)


class TargetSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetSettings

    class Params:
        target = factory.SubFactory(CallFactory)

    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: str(o.target.pk))


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    contribution = factory.SubFactory(ContributionFactory, kind=Kind.COOPERATION)
