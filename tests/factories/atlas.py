import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from kommune360.atlas.models import AnalysisText, Offer, Provider
from tests.factories.core import FormatFactory


class ProviderFactory(DjangoModelFactory):
    """A made-up provider; ``maintainers=[user, ...]`` links provider accounts."""

    class Meta:
        model = Provider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Beispiel-Akademie {n}")
    type = Provider.Type.ASSOCIATION
    website = "https://akademie.example/"

    @factory.post_generation
    def maintainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.maintainers.add(*extracted)


class OfferFactory(DjangoModelFactory):
    """A published offer; pass ``methods=[...]``, ``topics``, ``target_groups`` to tag it."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Beispielangebot {n}")
    summary = "Ein erfundenes Angebot für Tests."
    description = "Ausführliche Beschreibung des erfundenen Angebots."
    provider = factory.SubFactory(ProviderFactory)
    format = factory.SubFactory(FormatFactory, name="Workshop/Seminar")
    status = Offer.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    last_checked = factory.LazyFunction(timezone.localdate)

    @factory.post_generation
    def methods(self, create, extracted, **kwargs):
        if create and extracted:
            self.methods.add(*extracted)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.add(*extracted)


class AnalysisTextFactory(DjangoModelFactory):
    class Meta:
        model = AnalysisText

    title = "Landschaftsanalyse"
    introduction = "<p>Was die Zahlen zeigen.</p>"
