from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from kommune360.core.models import AuditEntry, OutgoingMail
from kommune360.network.models import Block, ContactRequest, Report, Visibility
from kommune360.network.services import contact
from tests.factories.accounts import UserFactory
from tests.factories.network import ProfileFactory


def test_request_accept_reveals_addresses_only_then(client, db):
    alice = ProfileFactory(name="Alice Anfragend", user=UserFactory(email="alice@amt.example"))
    bob = ProfileFactory(name="Bob Empfangend", user=UserFactory(email="bob@amt.example"))
    client.force_login(alice.user)
    response = client.post(
        f"/netzwerk/mitglieder/{bob.pk}/anfragen/", {"message": "Hallo, Austausch?"}
    )
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    mail = OutgoingMail.objects.get(to=["bob@amt.example"])
    assert "alice@amt.example" not in mail.text
    assert "alice@amt.example" not in client.get("/netzwerk/kontakte/").content.decode()

    client.force_login(bob.user)
    page = client.get("/netzwerk/kontakte/").content.decode()
    assert "Hallo, Austausch?" in page and "alice@amt.example" not in page
    client.post(f"/netzwerk/kontakte/{request.pk}/annehmen/")
    assert "alice@amt.example" in client.get("/netzwerk/kontakte/").content.decode()
    client.force_login(alice.user)
    assert "bob@amt.example" in client.get("/netzwerk/kontakte/").content.decode()
    assert AuditEntry.objects.filter(action="network.contact_accepted").exists()


def test_decline_with_a_reason_keeps_addresses_hidden(client, db):
    alice = ProfileFactory(user=UserFactory(email="alice@amt.example"))
    bob = ProfileFactory(user=UserFactory(email="bob@amt.example"))
    request = contact.send_request(alice.user, bob, "Hallo")
    client.force_login(bob.user)
    client.post(f"/netzwerk/kontakte/{request.pk}/ablehnen/", {"reason": "Gerade keine Zeit"})
    request.refresh_from_db()
    assert request.state == ContactRequest.State.DECLINED and request.reason == "Gerade keine Zeit"
    client.force_login(alice.user)
    page = client.get("/netzwerk/kontakte/").content.decode()
    assert "Gerade keine Zeit" in page and "bob@amt.example" not in page


def test_only_the_recipient_decides(client, db):
    alice, bob, eve = ProfileFactory(), ProfileFactory(), ProfileFactory()
    request = contact.send_request(alice.user, bob, "Hallo")
    client.force_login(eve.user)
    assert client.post(f"/netzwerk/kontakte/{request.pk}/annehmen/").status_code == 403
    client.force_login(alice.user)
    assert client.post(f"/netzwerk/kontakte/{request.pk}/annehmen/").status_code == 403
    request.refresh_from_db()
    assert request.state == ContactRequest.State.OPEN


def test_no_request_to_someone_who_blocked_you_nor_twice(db):
    alice, bob = ProfileFactory(), ProfileFactory()
    contact.send_request(alice.user, bob, "Hallo")
    with pytest.raises(ValidationError):
        contact.send_request(alice.user, bob, "Noch einmal")
    contact.block(bob.user, alice.user)
    assert ContactRequest.objects.get().state == ContactRequest.State.WITHDRAWN
    with pytest.raises(ValidationError):
        contact.send_request(alice.user, bob, "Hallo?")
    with pytest.raises(ValidationError):
        contact.send_request(bob.user, alice, "Und umgekehrt")
    contact.unblock(bob.user, alice.user)
    contact.send_request(alice.user, bob, "Wieder möglich")


def test_the_daily_limit(client, db):
    alice = ProfileFactory()
    others = [ProfileFactory() for _ in range(contact.REQUESTS_PER_DAY + 1)]
    client.force_login(alice.user)
    for other in others:
        client.post(f"/netzwerk/mitglieder/{other.pk}/anfragen/", {"message": "Hallo"})
    assert ContactRequest.objects.count() == contact.REQUESTS_PER_DAY
    page = client.get("/netzwerk/mitglieder/").content.decode()
    assert "morgen noch einmal" in page


def test_report_reaches_the_moderation_and_not_others(client, db):
    alice, bob = ProfileFactory(), ProfileFactory(name="Bob Gemeldet")
    client.force_login(alice.user)
    client.post(f"/netzwerk/mitglieder/{bob.pk}/melden/", {"reason": "Werbung im Profil"})
    report = Report.objects.get()
    assert report.profile == bob and report.reporter == alice.user

    moderator = UserFactory(roles=["Moderation"])
    editor = UserFactory(roles=["Redaktion"])
    assert moderator.has_perm("network.moderate_report")
    assert not editor.has_perm("network.moderate_report")
    assert not alice.user.has_perm("network.moderate_report")
    contact.close_report(moderator, report, "erledigt")
    assert Report.objects.get().state == Report.State.DONE


def test_block_from_the_profile_page(client, db):
    alice, bob = ProfileFactory(), ProfileFactory()
    client.force_login(alice.user)
    client.post(f"/netzwerk/mitglieder/{bob.pk}/blockieren/")
    assert Block.objects.filter(blocker=alice.user, blocked=bob.user).exists()
    client.force_login(bob.user)
    assert client.get(f"/netzwerk/mitglieder/{alice.pk}/").status_code == 404


def test_the_blocked_list_names_only_whom_the_profile_lets_members_see(client, db):
    alice = ProfileFactory()
    open_name = ProfileFactory(name="Olga Offen")
    own_eyes = ProfileFactory(name="Nora Nurich", name_visibility=Visibility.NOBODY)
    switched_off = ProfileFactory(name="Anton Aus")
    for profile in (open_name, own_eyes, switched_off):
        contact.block(alice.user, profile.user)
    Block.objects.update(created=datetime(2026, 3, 4, 12, tzinfo=UTC))
    switched_off.is_active = False
    switched_off.save()
    client.force_login(alice.user)
    html = client.get("/netzwerk/kontakte/").content.decode()
    assert "Olga Offen, blockiert am 4. März 2026" in html
    assert html.count("Ein Mitglied, blockiert am 4. März 2026") == 2
    assert "Nora Nurich" not in html and "Anton Aus" not in html
    # Each can still be unblocked.
    for profile in (open_name, own_eyes, switched_off):
        assert f'action="/netzwerk/mitglieder/{profile.pk}/' in html
    client.post(f"/netzwerk/mitglieder/{own_eyes.pk}/freigeben/")
    assert not Block.objects.filter(blocker=alice.user, blocked=own_eyes.user).exists()


def test_views_answer_get_with_405(member_client):
    bob = ProfileFactory()
    assert member_client.get(f"/netzwerk/mitglieder/{bob.pk}/anfragen/").status_code == 405


def test_erasure_removes_the_profile_name_from_the_audit_log(db):
    """The name a member gives the profile may differ from the account's; others'
    entries about the profile (a report, the Fellow mark) must not keep it."""
    from kommune360.accounts.services import delete_account
    from kommune360.network.services import profiles as profile_services

    person = ProfileFactory(name="Pia Profilname").user
    other = ProfileFactory().user
    contact.report(other, person.network_profile, "Bitte prüfen")
    profile_services.set_fellow(None, person.network_profile, is_fellow=True, year=2025)
    assert AuditEntry.objects.filter(object_repr__contains="Pia Profilname").exists()
    delete_account(person)
    assert not AuditEntry.objects.filter(object_repr__contains="Pia Profilname").exists()


def test_whoever_blocked_me_is_not_among_the_fellows_i_see(client, db):
    """As in the directory and on the profile: a block hides the blocker's profile from
    the blocked member, the Fellows page included (its member-only fields above all)."""
    fellow = ProfileFactory(
        name="Frida Fellow", is_fellow=True, fellow_year=2025, show_as_fellow=True
    )
    blocked = ProfileFactory().user
    contact.block(fellow.user, blocked)
    client.force_login(blocked)
    assert "Frida Fellow" not in client.get("/netzwerk/fellows/").content.decode()
    client.force_login(ProfileFactory().user)
    assert "Frida Fellow" in client.get("/netzwerk/fellows/").content.decode()
