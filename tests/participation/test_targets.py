"""Targets come from the registry only: sections, visibility, URLs."""

import pytest
from django.contrib.contenttypes.models import ContentType

from kommune360.core.registry import Commentable, registry
from kommune360.participation import services
from kommune360.participation.models import Call, Contribution, Kind, Role
from kommune360.participation.targets import resolve, target_for
from tests.factories.participation import ContributionFactory


@pytest.fixture
def sectioned(monkeypatch):
    """Call registered like the analysis: with sections and its own URL."""
    entry = Commentable(
        Call,
        "Analyse",
        {
            "sections": lambda obj: [("matrix", "Matrix"), ("kosten", "Kosten")],
            "url": lambda obj: f"/analyse/{obj.slug}/",
            "premoderation": False,
        },
    )
    monkeypatch.setitem(registry._entries, Commentable, [entry])
    return entry


def test_section_targets(sectioned, call, client):
    whole, matrix = target_for(call), target_for(call, "matrix")
    assert target_for(call, "unbekannt") is None
    assert matrix.title == "Mitdenker:innen gesucht – Matrix"
    assert matrix.anchor_url == f"/analyse/{call.slug}/#mitdenken-matrix"
    assert whole.anchor_url.endswith("#mitdenken-gesamt")
    assert resolve(matrix.content_type.pk, call.pk, "matrix") == matrix
    contribution = services.submit_contribution(
        matrix,
        kind=Kind.COMMENT,
        role=Role.SCIENCE,
        text="Zur Matrix",
        name="A",
        email="a@example.org",
    )
    services.confirm_contribution(services.confirmation_token(contribution))
    contribution.refresh_from_db()
    # premoderation False from the registry options: published at once.
    assert contribution.status == "published"
    assert contribution.section == "matrix"
    assert contribution.target_title == "Mitdenker:innen gesucht – Matrix"
    # The list under the whole item and under another section stay apart.
    ct = ContentType.objects.get_for_model(Call)
    assert Contribution.objects.for_target(ct, call.pk, "matrix").count() == 1
    assert Contribution.objects.for_target(ct, call.pk, "").count() == 0


def test_unregistered_model_is_no_target(monkeypatch, call):
    monkeypatch.setitem(registry._entries, Commentable, [])
    assert target_for(call) is None
    assert resolve(ContentType.objects.get_for_model(Call).pk, call.pk) is None


def test_object_is_public_convention(call):
    class Thing:
        pk = 1
        is_public = False

    from kommune360.participation.targets import Target

    target = Target(obj=Thing(), content_type=ContentType.objects.get_for_model(Call))
    assert not target.is_public()
    Thing.is_public = lambda self: True
    assert target.is_public()
    del Thing.is_public
    Thing.live = False
    assert not target.is_public()


def test_page_extra_renders_sections_apart(sectioned, call):
    from django.template import Context, Template
    from django.test import RequestFactory

    ContributionFactory(target=call, section="matrix", text="Nur in der Matrix")
    ContributionFactory(target=call, text="Zum Ganzen")
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = Template(
        '{% load core %}{% page_extras call "end" section="matrix" heading_level=3 %}'
    ).render(Context({"call": call, "request": request}))
    assert "Nur in der Matrix" in html and "Zum Ganzen" not in html
    assert 'id="mitdenken-matrix"' in html and "<h3" in html
    assert 'name="section" value="matrix"' in html
