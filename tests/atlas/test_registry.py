from kommune360.atlas.models import AnalysisText, Offer
from kommune360.core.registry import registry


def test_atlas_declares_its_parts_in_the_registry(db):
    assert any(e.url_name == "atlas:list" for e in registry.navigation())
    searchable = next(e for e in registry.searchables() if e.model is Offer)
    assert str(searchable.queryset().query).count("veroeffentlicht") == 1
    commentables = {e.model for e in registry.commentables()}
    assert {Offer, AnalysisText} <= commentables
    assert any(e.app_label == "atlas" for e in registry.personal_data())
    assert any(e.app_label == "atlas" for e in registry.demo_steps())
