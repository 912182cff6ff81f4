import factory
from factory.django import DjangoModelFactory

from kommune360.core.models import Municipality
from kommune360.network import search
from kommune360.network.models import Profile, Role, Visibility

from .accounts import UserFactory


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("ags",)

    ags = factory.Sequence(lambda n: f"0399{n:04d}")
    name = factory.Sequence(lambda n: f"Musterort {n}")
    kind = Municipality.Kind.STADT
    state = "03"
    population = 20_000


class ProfileFactory(DjangoModelFactory):
    """A switched-on profile, every field open to members; ``topics=[...]`` sets topics.
    The search words are written after creation."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    is_active = True
    name = factory.Sequence(lambda n: f"Erika Beispiel {n}")
    role = Role.YOUTH_PLANNING
    municipality = factory.SubFactory(MunicipalityFactory)
    offers = "Erfahrung mit Sozialraumanalysen"
    seeks = "Austausch zur Steuerung"
    languages = "Deutsch, Englisch"
    links = "https://beispiel.example/profil"
    name_visibility = Visibility.MEMBERS
    role_visibility = Visibility.MEMBERS
    municipality_visibility = Visibility.MEMBERS
    topics_visibility = Visibility.MEMBERS
    offers_visibility = Visibility.MEMBERS
    seeks_visibility = Visibility.MEMBERS
    languages_visibility = Visibility.MEMBERS
    photo_visibility = Visibility.MEMBERS
    links_visibility = Visibility.MEMBERS

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def offers_topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.offers_topics.set(extracted)

    @factory.post_generation
    def seeks_topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.seeks_topics.set(extracted)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        if create:
            search.index_profile(self)
