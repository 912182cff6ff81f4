"""A matching round from opt-in to the tandem question, with the erasure of a partner."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kommune360.core.models import OutgoingMail
from kommune360.network.matching import services
from kommune360.network.models import (
    MatchingRound,
    Pair,
    Participation,
    Role,
    TandemAnswer,
    Visibility,
)
from kommune360.network.personal_data import erase_personal_data
from tests.factories.accounts import UserFactory
from tests.factories.core import TopicFactory
from tests.factories.network import MunicipalityFactory, ProfileFactory


@pytest.fixture
def round_obj(db):
    found = services.create_round(None, "Tandems Leitung & Planung")
    return services.open_round(None, found)


def test_round_from_opt_in_to_contact(client, round_obj):
    topic = TopicFactory(name="Steuerung")
    lead = ProfileFactory(
        role=Role.YOUTH_OFFICE_HEAD,
        municipality=MunicipalityFactory(ags="03990001", state="03"),
        offers_topics=[topic],
        user=UserFactory(email="leitung@amt.example"),
    )
    planner = ProfileFactory(
        role=Role.YOUTH_PLANNING,
        municipality=MunicipalityFactory(ags="05990001", state="05"),
        user=UserFactory(email="planung@amt.example"),
    )
    client.force_login(planner.user)
    response = client.post(
        f"/netzwerk/runden/{round_obj.pk}/",
        {"seeks": "Austausch", "topics": [topic.pk], "partners": "1", "exclude_municipality": "on"},
    )
    assert response.status_code == 302
    services.join(lead.user, round_obj, {"partners": 2})
    pairs = services.compute_pairs(None, round_obj)
    assert len(pairs) == 1
    services.release(None, round_obj)
    assert OutgoingMail.objects.filter(to=["planung@amt.example"]).exists()

    html = client.get(f"/netzwerk/runden/{round_obj.pk}/").content.decode()
    assert "Warum ihr?" in html
    assert "Leitung und Planung ergänzen sich" in html
    assert "„Steuerung“" in html
    assert "leitung@amt.example" not in html
    pair = Pair.objects.get()
    client.post(f"/netzwerk/tandems/{pair.pk}/annehmen/")
    assert (
        "leitung@amt.example"
        not in client.get(f"/netzwerk/runden/{round_obj.pk}/").content.decode()
    )
    services.answer_pair(lead.user, pair.pk, True)
    assert "leitung@amt.example" in client.get(f"/netzwerk/runden/{round_obj.pk}/").content.decode()

    # Three months later both are asked once; the answers become figures.
    assert services.send_follow_ups(timezone.now() + timedelta(days=92)) == 1
    assert services.send_follow_ups(timezone.now() + timedelta(days=93)) == 0
    client.post(f"/netzwerk/tandems/{pair.pk}/wie-laeuft-es/", {"answer": "sehr_gut"})
    assert TandemAnswer.objects.get().answer == "sehr_gut"
    from kommune360.network import figures

    assert figures.tandems_going_well() == 1
    assert figures.accepted_tandems() == 1

    # An erased partner leaves; the other is told neutrally.
    erase_personal_data(lead.user)
    pair.refresh_from_db()
    assert pair.ended and pair.first_id is None or pair.second_id is None
    mail = OutgoingMail.objects.filter(to=["planung@amt.example"]).order_by("-pk").first()
    assert "besteht nicht mehr" in mail.subject


def test_the_unmatched_are_told_why_in_general_terms(client, round_obj):
    place = MunicipalityFactory(ags="03990001", state="03")
    first = ProfileFactory(municipality=place)
    second = ProfileFactory(municipality=place)
    services.join(first.user, round_obj, {"partners": 1, "exclude_municipality": True})
    services.join(second.user, round_obj, {"partners": 1})
    assert services.compute_pairs(None, round_obj) == []
    services.release(None, round_obj)
    client.force_login(second.user)
    html = client.get(f"/netzwerk/runden/{round_obj.pk}/").content.decode()
    assert "Diesmal haben wir kein Tandem für Sie gefunden." in html
    assert "Ausschlüssen" in html


def test_the_opt_in_excludes_named_members_chosen_from_a_list(client, round_obj):
    """Named exclusions are chosen among members whose name the participant may see
    (never free text), are kept, and the two are never paired — though they would be
    the best (only) tandem of the round."""
    lead = ProfileFactory(
        name="Lea Leitung",
        role=Role.YOUTH_OFFICE_HEAD,
        municipality=MunicipalityFactory(ags="03990001", state="03"),
    )
    planner = ProfileFactory(
        name="Paul Planung",
        role=Role.YOUTH_PLANNING,
        municipality=MunicipalityFactory(ags="05990001", state="05"),
    )
    hidden = ProfileFactory(name="Hanna Verborgen", name_visibility=Visibility.NOBODY)
    switched_off = ProfileFactory(name="Otto Ausgeschaltet", is_active=False)
    client.force_login(planner.user)
    url = f"/netzwerk/runden/{round_obj.pk}/"
    html = client.get(url).content.decode()
    assert f'<option value="{lead.user_id}">Lea Leitung</option>' in html
    for absent in ("Hanna Verborgen", "Otto Ausgeschaltet", f'<option value="{planner.user_id}"'):
        assert absent not in html
    # A name typed in, a hidden or switched-off member: not a choice.
    for wrong in ("Lea Leitung", hidden.user_id, switched_off.user_id, planner.user_id):
        response = client.post(url, {"partners": "1", "excluded": [wrong]})
        assert response.status_code == 200
        assert "excluded" in response.context["form"].errors
    response = client.post(url, {"partners": "1", "excluded": [lead.user_id]})
    assert response.status_code == 302
    participation = Participation.objects.get(round=round_obj, user=planner.user)
    assert list(participation.excluded.all()) == [lead.user]
    assert f'<option value="{lead.user_id}" selected>' in client.get(url).content.decode()

    services.join(lead.user, round_obj, {"partners": 1})
    assert services.compute_pairs(None, round_obj) == []
    participation.refresh_from_db()
    assert participation.unmatched_reason == "excluded"
    # Without the exclusion the two would have been paired.
    participation.excluded.clear()
    assert len(services.compute_pairs(None, round_obj)) == 1


def test_joining_needs_a_visible_profile_and_an_open_round(round_obj):
    with pytest.raises(ValidationError):
        services.join(UserFactory(), round_obj, {"partners": 1})
    profile = ProfileFactory()
    with pytest.raises(ValidationError):
        services.join(profile.user, round_obj, {"partners": 4})
    round_obj.state = MatchingRound.State.REVIEW
    round_obj.save()
    with pytest.raises(ValidationError):
        services.join(profile.user, round_obj, {"partners": 1})


def test_only_editors_run_rounds(round_obj):
    assert UserFactory(roles=["Redaktion"]).has_perm("network.change_matchinground")
    assert not UserFactory(roles=["Moderation"]).has_perm("network.change_matchinground")
    assert not UserFactory(roles=["Mitglied"]).has_perm("network.change_matchinground")


@pytest.mark.parametrize("accepted_before", [True, False])
def test_a_block_ends_the_tandem_and_hides_the_addresses(client, round_obj, accepted_before):
    first = ProfileFactory(
        municipality=MunicipalityFactory(ags="03990001", state="03"),
        user=UserFactory(email="erste@amt.example"),
    )
    second = ProfileFactory(
        municipality=MunicipalityFactory(ags="05990001", state="05"),
        user=UserFactory(email="zweite@amt.example"),
    )
    services.join(first.user, round_obj, {"partners": 1})
    services.join(second.user, round_obj, {"partners": 1})
    services.compute_pairs(None, round_obj)
    services.release(None, round_obj)
    pair = Pair.objects.get()
    services.answer_pair(first.user, pair.pk, True)
    if accepted_before:
        services.answer_pair(second.user, pair.pk, True)
    client.force_login(first.user)
    client.post(f"/netzwerk/mitglieder/{second.pk}/blockieren/")

    client.force_login(second.user)
    client.post(f"/netzwerk/tandems/{pair.pk}/annehmen/")
    html = client.get(f"/netzwerk/runden/{round_obj.pk}/").content.decode()
    assert "erste@amt.example" not in html
    pair.refresh_from_db()
    assert not pair.both_accepted


def test_whoever_blocked_me_is_no_choice_among_the_named_exclusions(client, round_obj):
    """The list of names to exclude is the directory's people: who blocked the viewer
    is not in it (else comparing the two would tell who blocked whom)."""
    from kommune360.network.services import contact

    blocker = ProfileFactory(name="Berta Blockiert")
    other = ProfileFactory(name="Olga Offen")
    viewer = ProfileFactory()
    contact.block(blocker.user, viewer.user)
    client.force_login(viewer.user)
    html = client.get(f"/netzwerk/runden/{round_obj.pk}/").content.decode()
    assert f'<option value="{other.user_id}">Olga Offen</option>' in html
    assert "Berta Blockiert" not in html
