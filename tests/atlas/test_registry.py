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


def test_analysis_is_commentable_with_its_url_and_one_section_per_figure(db):
    from kommune360.atlas.analysis import SECTIONS

    entry = next(e for e in registry.commentables() if e.model is AnalysisText)
    text = AnalysisText.current()
    assert entry.options["url"](text) == "/angebote/analyse/"
    keys = [key for key, _label in entry.options["sections"]]
    assert keys == ["matrix", "reichweite", "format", "kosten", "region", "anbieterart", "quartale"]
    assert keys == [key for key, _label in SECTIONS]
    assert text.is_public
    # Only the text the page shows takes contributions.
    assert not AnalysisText.objects.create(title="Alt").is_public
    assert AnalysisText.current() == text
