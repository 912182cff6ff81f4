import re

import pytest
from django.core.exceptions import PermissionDenied

from kommune360.core.models import AuditEntry
from kommune360.participation import personal_data, services
from kommune360.participation.models import (
    BlockedAuthor,
    Contribution,
    FollowUp,
    Kind,
    Role,
    Status,
)
from kommune360.participation.tasks import send_moderation_digest
from tests.factories.participation import ContributionFactory, UserFactory

TEXT = "Bei uns scheitert Fortbildung fast immer am Antrag."


def submit(target, **extra):
    values = {"kind": Kind.COMMENT, "role": Role.MUNICIPAL, "text": TEXT}
    values.update(extra)
    return services.submit_contribution(target, **values)


def confirm_link(mail):
    return re.search(r"http://\S+/mitdenken/bestaetigen/(\S+)/", mail.body).group(1)


def test_member_contribution_waits_for_moderation(target, member):
    contribution = submit(target, user=member, affiliation="Jugendamt Musterstadt")
    assert contribution.status == Status.PENDING
    assert contribution.author == member
    assert contribution.author_name == member.get_full_name()
    assert contribution.consent_version == services.CONSENT_VERSION
    assert AuditEntry.objects.filter(action="participation.submitted").count() == 1


def test_without_account_confirm_by_mail(target, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit(target, name="Max Mustermann", email="Max@Example.org")
    assert contribution.status == Status.UNCONFIRMED
    assert contribution.author_email == "max@example.org"
    (mail,) = mailoutbox
    assert mail.to == ["max@example.org"]
    assert "bestätigen" in mail.subject
    assert str(services.CONSENT_TEXT)[:40] in mail.body
    token = confirm_link(mail)
    confirmed = services.confirm_contribution(token)
    assert confirmed.status == Status.PENDING
    assert confirmed.email_confirmed_at is not None
    # A second click changes nothing.
    assert services.confirm_contribution(token).status == Status.PENDING


def test_tampered_or_foreign_token_is_refused(target):
    contribution = submit(target, name="Max", email="max@example.org")
    token = services.confirmation_token(contribution)
    with pytest.raises(services.ParticipationError):
        services.confirm_contribution(token[:-2] + "xx")
    other = submit(target, name="Eva", email="eva@example.org")
    Contribution.objects.filter(pk=other.pk).update(author_email="mallory@example.org")
    with pytest.raises(services.ParticipationError):
        services.confirm_contribution(services.confirmation_token(other).replace("a", "b", 1))
    assert Contribution.objects.get(pk=contribution.pk).status == Status.UNCONFIRMED


def test_approve_publishes_and_tells_author(
    target, member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    contribution = submit(target, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(contribution, moderator)
    contribution.refresh_from_db()
    assert contribution.status == Status.PUBLISHED
    assert contribution.decided_by == moderator
    assert contribution.published_at is not None
    (mail,) = mailoutbox
    assert mail.to == [member.email]
    assert "veröffentlicht" in mail.subject
    entry = AuditEntry.objects.get(action="participation.approved")
    assert entry.actor == moderator and entry.object_id == str(contribution.pk)


def test_reject_needs_reason_and_mails_it(
    target, member, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    contribution = submit(target, user=member)
    with pytest.raises(services.ParticipationError):
        services.reject(contribution, moderator, " ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject(contribution, moderator, "Bitte ohne Namen Dritter.")
    contribution.refresh_from_db()
    assert contribution.status == Status.REJECTED
    (mail,) = mailoutbox
    assert "Bitte ohne Namen Dritter." in mail.body
    entry = AuditEntry.objects.get(action="participation.rejected")
    assert entry.data["reason"] == "Bitte ohne Namen Dritter."


@pytest.mark.parametrize(
    ("decide", "status"),
    [
        (lambda c, moderator: services.mark_spam(c, moderator), Status.SPAM),
        (lambda c, moderator: services.reject(c, moderator, "Kein Bezug."), Status.REJECTED),
    ],
    ids=["spam", "rejected"],
)
def test_an_unconfirmed_contribution_taken_off_sends_nothing(
    target, moderator, mailoutbox, django_capture_on_commit_callbacks, decide, status
):
    # The address was never confirmed: it may be anyone's.
    contribution = submit(target, name="Bot", email="bot@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(contribution, moderator)
    assert Contribution.objects.get(pk=contribution.pk).status == status
    assert mailoutbox == []


def test_answer_is_official_one_level_and_mailed(
    target, member, moderator, other_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    contribution = submit(target, user=member)
    services.approve(contribution, moderator)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.answer(contribution, moderator, "Danke, wir greifen das auf.")
    assert reply.is_official and reply.parent == contribution
    assert reply.status == Status.PUBLISHED
    assert str(reply.display_name) == "Team"
    assert "geantwortet" in mailoutbox[-1].subject
    assert "Danke, wir greifen das auf." in mailoutbox[-1].body
    with pytest.raises(services.ParticipationError):
        services.answer(reply, other_moderator, "Noch eine Ebene")


def test_taken_up(target, member, moderator):
    contribution = submit(target, user=member)
    services.mark_taken_up(contribution, moderator)
    contribution.refresh_from_db()
    assert contribution.taken_up and contribution.taken_up_at
    services.mark_taken_up(contribution, moderator, taken_up=False)
    contribution.refresh_from_db()
    assert not contribution.taken_up


def test_moderators_never_moderate_their_own(target, moderator, other_moderator):
    own = submit(target, user=moderator)
    for action in (
        lambda: services.approve(own, moderator),
        lambda: services.reject(own, moderator, "nein"),
        lambda: services.mark_spam(own, moderator),
        lambda: services.answer(own, moderator, "selbst"),
        lambda: services.mark_taken_up(own, moderator),
        lambda: services.block_author(own, moderator),
    ):
        with pytest.raises(PermissionDenied):
            action()
    services.approve(own, other_moderator)
    assert Contribution.objects.get(pk=own.pk).status == Status.PUBLISHED


def test_own_contribution_by_address_counts_too(target, moderator):
    own = submit(target, name="Ich", email=moderator.email.upper())
    with pytest.raises(PermissionDenied):
        services.approve(own, moderator)


@pytest.mark.parametrize("role_fixture", ["member", "provider", "editor"])
def test_other_roles_cannot_moderate(request, target, member, role_fixture):
    contribution = submit(target, name="Max", email="max@example.org")
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.approve(contribution, user)
    with pytest.raises(PermissionDenied):
        services.add_remark(contribution, user, "x")


@pytest.mark.parametrize("kind", [Kind.COOPERATION, Kind.DISCOURSE])
def test_follow_up_kinds_stay_internal(
    target, member, editor, kind, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit(target, user=member, kind=kind)
    assert contribution.status == Status.INTERNAL
    follow_up = FollowUp.objects.get(contribution=contribution)
    assert follow_up.state == FollowUp.State.NEW
    assert "angekommen" in mailoutbox[-1].subject
    services.update_follow_up(
        follow_up, editor, state=FollowUp.State.IN_CONTACT, owner=editor, note="Termin am Montag"
    )
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.IN_CONTACT
    assert follow_up.owner == editor
    assert "Termin am Montag" in follow_up.notes
    assert AuditEntry.objects.filter(action="participation.follow_up").exists()
    with pytest.raises(PermissionDenied):
        services.update_follow_up(follow_up, member, state=FollowUp.State.DONE)
    # Nobody in charge any more: the owner can be cleared (and it is logged).
    services.update_follow_up(follow_up, editor, owner=None)
    follow_up.refresh_from_db()
    assert follow_up.owner is None and follow_up.state == FollowUp.State.IN_CONTACT
    entry = AuditEntry.objects.filter(action="participation.follow_up").order_by("-pk").first()
    assert entry.data["owner"] == [editor.pk, None]


def test_a_report_made_before_the_keyed_hash_still_counts_once(target, member, moderator):
    """Migration 0003 rewrites the reports of accounts into the keyed hash."""
    import hashlib
    import importlib

    from django.apps import apps

    from kommune360.participation.models import Report

    migration = importlib.import_module(
        "kommune360.participation.migrations.0003_report_hash_keyed"
    )
    contribution = submit(target, name="Max", email="max@example.org")
    services.confirm_contribution(services.confirmation_token(contribution))
    services.approve(contribution, moderator)
    Report.objects.create(
        contribution=contribution,
        reporter=member,
        reason="spam",
        client_hash=hashlib.sha256(f"user:{member.pk}".encode()).hexdigest()[:32],
    )
    migration.rewrite(apps, None)
    services.report(contribution, reason="spam", reporter=member)
    assert contribution.reports.count() == 1
    assert member.email not in contribution.reports.get().client_hash


def test_three_reports_hide_until_a_moderator_decides(target, member, moderator):
    contribution = submit(target, user=member)
    services.approve(contribution, moderator)
    services.report(contribution, reason="spam", client="a")
    services.report(contribution, reason="spam", client="a")  # the same person counts once
    services.report(contribution, reason="offensive", client="b")
    contribution.refresh_from_db()
    assert contribution.status == Status.PUBLISHED
    assert contribution.report_count == 2
    services.report(contribution, reason="off_topic", client="c")
    contribution.refresh_from_db()
    assert contribution.status == Status.HIDDEN and contribution.hidden_by_reports
    with pytest.raises(services.ParticipationError):
        services.report(contribution, reason="spam", client="d")
    services.approve(contribution, moderator)
    contribution.refresh_from_db()
    assert contribution.status == Status.PUBLISHED and not contribution.hidden_by_reports
    assert not contribution.reports.filter(resolved=False).exists()


def test_blocking_hides_everything_and_stops_new_ones(target, member, moderator):
    first = submit(target, user=member)
    second = submit(target, user=member)
    services.approve(first, moderator)
    hidden = services.block_author(second, moderator, "wiederholt beleidigend")
    assert hidden == 2
    assert set(Contribution.objects.filter(author=member).values_list("status", flat=True)) == {
        Status.HIDDEN
    }
    with pytest.raises(services.ParticipationError):
        submit(target, user=member)
    with pytest.raises(services.ParticipationError):
        submit(target, name="Neu", email=member.email)
    assert AuditEntry.objects.filter(action="participation.author_blocked").exists()


def test_blocked_address_cannot_confirm(target, moderator):
    contribution = submit(target, name="Max", email="max@example.org")
    BlockedAuthor.objects.create(email="max@example.org", created_by=moderator)
    with pytest.raises(services.ParticipationError):
        services.confirm_contribution(services.confirmation_token(contribution))


def test_a_block_outlives_the_erased_account(target, member, moderator):
    """Erasure leaves a keyed hash of the blocked address; it still blocks, also in the
    form stored before the hash had its purpose."""
    from kommune360.core.hashing import unprefixed_keyed_hash

    services.block_author(submit(target, user=member), moderator, reason="Spam")
    personal_data.erase_personal_data(member)
    (block,) = BlockedAuthor.objects.all()
    assert member.email not in block.email
    assert services.is_blocked(email=member.email.upper())
    block.email = unprefixed_keyed_hash(member.email.lower())
    block.save()
    assert services.is_blocked(email=member.email)
    assert not services.is_blocked(email="someone.else@example.org")


def test_without_premoderation_comments_appear_at_once(target, member, moderator):
    services.set_premoderation(target, moderator, False)
    contribution = submit(target, user=member)
    assert contribution.status == Status.PUBLISHED
    objection = submit(target, user=member, kind=Kind.OBJECTION)
    assert objection.status == Status.PUBLISHED
    cooperation = submit(target, user=member, kind=Kind.COOPERATION)
    assert cooperation.status == Status.INTERNAL
    with pytest.raises(PermissionDenied):
        services.set_premoderation(target, member, True)


def test_rate_limit_per_client_and_per_account(target, member, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"address": (2, 3600), "client": (3, 3600)}
    for name in "ABC":
        submit(target, name=name, email=f"{name.lower()}@example.org", client="c1")
    with pytest.raises(services.ParticipationError, match="später"):
        submit(target, name="D", email="d@example.org", client="c1")
    submit(target, name="D", email="d@example.org", client="c2")
    submit(target, user=member)
    submit(target, user=member)
    with pytest.raises(services.ParticipationError, match="später"):
        submit(target, user=member, client="c3")


def test_unconfirmed_contributions_do_not_count_for_the_address(target, settings, clock):
    """Anyone may type anyone's address: until it is confirmed it counts for the sender."""
    settings.PARTICIPATION_RATE_LIMITS = {"address": (2, 3600), "client": (3, 3600)}
    for number in range(3):
        submit(target, name="Fremd", email="erika@example.org", client=f"someone-{number}")
    own = [
        submit(target, name="Erika", email="erika@example.org", client="erika") for _ in range(3)
    ]
    services.confirm_contribution(services.confirmation_token(own[0]))
    services.confirm_contribution(services.confirmation_token(own[1]))
    with pytest.raises(services.ParticipationError, match="der Link bleibt gültig"):
        services.confirm_contribution(services.confirmation_token(own[2]))
    own[2].refresh_from_db()
    assert own[2].status == Status.UNCONFIRMED and own[2].email_confirmed_at is None
    clock.advance(3600)
    assert services.confirm_contribution(services.confirmation_token(own[2])).email_confirmed_at


def test_a_confirmation_link_sent_before_still_works(target):
    from django.core import signing

    from kommune360.core.hashing import unprefixed_keyed_hash

    contribution = submit(target, name="Erika", email="erika@example.org")
    older = signing.dumps(
        [contribution.pk, unprefixed_keyed_hash("erika@example.org")[:16]],
        salt=services.CONFIRMATION.salt,
    )
    assert services.confirm_contribution(older).email_confirmed_at


def test_no_contribution_to_hidden_target(call):
    from kommune360.participation.targets import target_for

    call.is_active = False
    call.save()
    with pytest.raises(services.ParticipationError):
        submit(target_for(call), name="A", email="a@example.org")


def test_digest_once_a_day_to_moderators(
    target, member, moderator, other_moderator, mailoutbox, django_capture_on_commit_callbacks
):
    assert send_moderation_digest.call() == "nothing-pending"
    submit(target, user=member)
    UserFactory(email="inactive-mod@example.org", roles=["Moderation"], is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_moderation_digest.call() == "sent:2"
    assert sorted(m.to[0] for m in mailoutbox) == sorted([moderator.email, other_moderator.email])
    assert "1 Beiträge warten" in mailoutbox[0].subject or "1 Beitrag" in mailoutbox[0].body
    assert send_moderation_digest.call() == "already-sent"


def test_digest_lists_fifty_and_says_how_many_more(
    call, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    from kommune360.participation.tasks import DIGEST_ITEMS

    ContributionFactory.create_batch(DIGEST_ITEMS + 3, target=call, status=Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_moderation_digest.call() == "sent:1"
    (message,) = mailoutbox
    assert f"{DIGEST_ITEMS + 3} Beiträge warten" in message.subject
    assert message.body.count("\n- Kommentar zu") == DIGEST_ITEMS
    assert "… und 3 weitere Beiträge." in message.body
    assert "… und 3 weitere Beiträge." in message.alternatives[0][0]


def test_digest_is_in_the_registry():
    from kommune360.core.registry import registry

    names = [p.name for p in registry.periodic_tasks()]
    assert "participation.digest" in names


def test_export_and_erase(target, member, moderator):
    kept = submit(
        target, user=member, text="Das darf bleiben, ohne Namen.", keep_text_on_erasure=True
    )
    gone = submit(target, user=member, text="Das soll verschwinden.")
    by_mail = submit(target, name="Erika", email=member.email, text="Ohne Konto geschrieben.")
    services.confirm_contribution(services.confirmation_token(by_mail))
    # Someone else typed the member's address; nobody confirmed it: not the member's.
    forged = submit(target, name="Jemand", email=member.email, text="Unter fremder Adresse.")
    services.approve(kept, moderator)
    services.approve(gone, moderator)
    reply = services.answer(gone, moderator, "Antwort des Teams")
    other = submit(target, name="Jemand", email="jemand@example.org", text="Fremder Beitrag.")
    services.confirm_contribution(services.confirmation_token(other))
    services.approve(other, moderator)
    services.report(other, reason="off_topic", note="Passt nicht zur Analyse.", reporter=member)
    exported = personal_data.export_personal_data(member)
    assert {e["text"] for e in exported["contributions"]} == {kept.text, gone.text, by_mail.text}
    assert exported["reports"] == [
        {
            "contribution": other.pk,
            "target": other.target_title,
            "reason": "gehört nicht hierher",
            "note": "Passt nicht zur Analyse.",
            "created": other.reports.get().created,
        }
    ]
    assert exported["blocked"] == []
    personal_data.erase_personal_data(member)
    kept.refresh_from_db()
    assert kept.author is None and kept.author_name == "" and kept.author_email == ""
    assert kept.anonymous and kept.text == "Das darf bleiben, ohne Namen."
    gone_rows = [gone.pk, by_mail.pk, forged.pk, reply.pk]
    assert not Contribution.objects.filter(pk__in=gone_rows).exists()
    # The report still counts, but no longer points at the person nor keeps their words.
    report = other.reports.get()
    assert report.reporter is None and report.note == ""
    assert personal_data.export_personal_data(member) == {
        "contributions": [],
        "reports": [],
        "blocked": [],
    }


def test_export_names_a_block(target, member, moderator):
    contribution = submit(target, user=member)
    services.block_author(contribution, moderator, reason="wiederholt beleidigend")
    exported = personal_data.export_personal_data(member)
    assert [b["reason"] for b in exported["blocked"]] == ["wiederholt beleidigend"]
    assert exported["contributions"][0]["status"] == "ausgeblendet"


def test_erasure_through_account_deletion(target, member):
    from kommune360.accounts.services import delete_account, export_personal_data

    submit(target, user=member)
    data = export_personal_data(member)
    assert len(data["sections"]["participation"]["data"]["contributions"]) == 1
    delete_account(member)
    assert Contribution.objects.count() == 0


def test_published_factory_shows_up(call):
    contribution = ContributionFactory(target=call)
    assert Contribution.objects.public().get() == contribution


def test_what_visitors_send_empties_the_page_cache_only_when_published(
    target, mailoutbox, django_capture_on_commit_callbacks
):
    """Sending, confirming and waiting for moderation show nothing on public pages, so
    the whole-page cache stays (anyone may send); publishing empties it."""
    from django.core.cache import cache

    from kommune360.core.cache import GENERATION_KEY, start_generation

    generation = start_generation()
    assert cache.get(GENERATION_KEY) == generation
    with django_capture_on_commit_callbacks(execute=True):
        contribution = submit(target, name="Max Mustermann", email="max@example.org")
    services.confirm_contribution(confirm_link(mailoutbox[0]))
    assert cache.get(GENERATION_KEY) == generation
    moderator = UserFactory(roles=["Moderation"])
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(Contribution.objects.get(pk=contribution.pk), moderator)
    assert cache.get(GENERATION_KEY) != generation
