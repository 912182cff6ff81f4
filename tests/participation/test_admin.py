"""The moderation screens and every action, for every role."""

import pytest
from django.urls import reverse

from kommune360.core.models import AuditEntry
from kommune360.participation import services
from kommune360.participation.models import Contribution, FollowUp, Kind, Status
from tests.factories.participation import ContributionFactory

ROLES = ["anonymous", "member", "provider", "moderator", "editor"]
# What each role may do in the admin: moderate, follow up.
MAY_MODERATE = {"moderator"}
MAY_FOLLOW_UP = {"moderator", "editor"}
MAIL = {
    "member": "mitglied@example.org",
    "provider": "anbieterin@example.org",
    "moderator": "moderation@example.org",
    "editor": "redaktion@example.org",
}


@pytest.fixture
def as_role(request, client):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def pending(call):
    return ContributionFactory(target=call, status=Status.PENDING, text="Wartet auf Freigabe")


@pytest.fixture
def follow_up(call):
    contribution = ContributionFactory(
        target=call, kind=Kind.COOPERATION, status=Status.INTERNAL, text="Kooperation?"
    )
    return FollowUp.objects.create(contribution=contribution)


def allowed(response):
    return response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_public_views_for_every_role(as_role, role, call, target):
    client = as_role(role)
    published = ContributionFactory(target=call)
    assert client.get("/mitdenken/").status_code == 200
    submit_page = client.get(
        "/mitdenken/beitragen/",
        {"content_type": target.content_type.pk, "object_id": target.object_id},
    )
    assert submit_page.status_code == 200
    assert client.get(reverse("participation:report", args=[published.pk])).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_public_posts_for_every_role(as_role, role, call, target, mailoutbox):
    """Everyone may contribute and report; without an account the address confirms first."""
    client = as_role(role)
    published = ContributionFactory(target=call)
    data = {
        "content_type": target.content_type.pk,
        "object_id": target.object_id,
        "section": "",
        "kind": "objection",
        "text": "Ich sehe das anders: Bei uns fehlen vor allem Zeitfenster.",
        "role": "municipal",
        "affiliation": "",
        "name": "Max Mustermann",
        "email": "max@example.org",
        "consent": "on",
    }
    assert client.post("/mitdenken/beitragen/", data).status_code == 302
    contribution = Contribution.objects.exclude(pk=published.pk).get()
    if role == "anonymous":
        assert contribution.author is None and contribution.status == Status.UNCONFIRMED
    else:
        assert contribution.author.email == f"{MAIL[role]}"
        assert contribution.status == Status.PENDING  # moderators too: another one decides
    response = client.post(
        reverse("participation:report", args=[published.pk]), {"reason": "off_topic"}
    )
    assert response.status_code == 302
    assert published.reports.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_admin_screens_for_every_role(as_role, role, pending, follow_up):
    client = as_role(role)
    screens = {
        reverse("participation_admin:queue"): role in MAY_MODERATE,
        reverse("participation_admin:detail", args=[pending.pk]): role in MAY_MODERATE,
        reverse("participation_admin:follow_ups"): role in MAY_FOLLOW_UP,
        reverse("participation_admin:follow_up", args=[follow_up.pk]): role in MAY_FOLLOW_UP,
    }
    for url, may in screens.items():
        response = client.get(url)
        assert allowed(response) is may, (url, role, response.status_code)


DETAIL_ACTIONS = {
    "approve": ({}, lambda c: c.status == Status.PUBLISHED),
    "reject": ({"reject-reason": "Passt nicht"}, lambda c: c.status == Status.REJECTED),
    "spam": ({}, lambda c: c.status == Status.SPAM),
    "answer": ({"answer-text": "Danke!"}, lambda c: c.replies.filter(is_official=True).exists()),
    "take_up": ({}, lambda c: c.taken_up),
    "remark": ({"remark-remark": "intern"}, lambda c: "intern" in c.remarks),
    "block": ({"block_reason": "Test"}, lambda c: c.status == Status.HIDDEN),
    "premoderation_off": (
        {},
        lambda c: (
            not services.premoderation_for(
                __import__("kommune360.participation.targets", fromlist=["x"]).resolve(
                    c.content_type_id, c.object_id
                )
            )
        ),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", DETAIL_ACTIONS)
def test_detail_actions_for_every_role(as_role, role, action, pending):
    client = as_role(role)
    data, done = DETAIL_ACTIONS[action]
    client.post(
        reverse("participation_admin:detail", args=[pending.pk]), {"action": action, **data}
    )
    pending.refresh_from_db()
    assert done(pending) is (role in MAY_MODERATE), (role, action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", Status.PUBLISHED), ("reject", Status.REJECTED), ("spam", Status.SPAM)],
)
def test_bulk_actions_for_every_role(as_role, role, action, status, call):
    items = ContributionFactory.create_batch(3, target=call, status=Status.PENDING)
    client = as_role(role)
    client.post(
        reverse("participation_admin:queue"),
        {"action": action, "ids": [c.pk for c in items], "reason": "Gleicher Grund"},
    )
    statuses = set(
        Contribution.objects.filter(pk__in=[c.pk for c in items]).values_list("status", flat=True)
    )
    assert statuses == ({status} if role in MAY_MODERATE else {Status.PENDING})


@pytest.mark.parametrize("role", ROLES)
def test_follow_up_update_for_every_role(as_role, role, follow_up, editor):
    client = as_role(role)
    client.post(
        reverse("participation_admin:follow_up", args=[follow_up.pk]),
        {"state": "in_contact", "owner": editor.pk, "note": "Anruf vereinbart"},
    )
    follow_up.refresh_from_db()
    changed = follow_up.state == FollowUp.State.IN_CONTACT and "Anruf" in follow_up.notes
    assert changed is (role in MAY_FOLLOW_UP)
    if changed:
        assert follow_up.owner == editor


def test_follow_up_owner_can_be_cleared(client, follow_up, editor, moderator):
    follow_up.owner = editor
    follow_up.save()
    client.force_login(moderator)
    url = reverse("participation_admin:follow_up", args=[follow_up.pk])
    client.post(url, {"state": "new", "owner": str(moderator.pk), "note": ""})
    follow_up.refresh_from_db()
    assert follow_up.owner == moderator
    client.post(url, {"state": "new", "owner": "999999", "note": ""})  # not in the team
    follow_up.refresh_from_db()
    assert follow_up.owner == moderator
    client.post(url, {"state": "new", "owner": "", "note": ""})
    follow_up.refresh_from_db()
    assert follow_up.owner is None
    assert AuditEntry.objects.filter(
        action="participation.follow_up", data__owner=[moderator.pk, None]
    ).exists()


@pytest.mark.parametrize("role", ROLES)
def test_undo_actions_for_every_role(as_role, role, pending, moderator):
    """Taking back "aufgegriffen" and switching pre-moderation on again: moderators only."""
    from kommune360.participation.targets import resolve

    target = resolve(pending.content_type_id, pending.object_id)
    services.mark_taken_up(pending, moderator, True)
    services.set_premoderation(target, moderator, False)
    client = as_role(role)
    url = reverse("participation_admin:detail", args=[pending.pk])
    client.post(url, {"action": "untake_up"})
    client.post(url, {"action": "premoderation_on"})
    pending.refresh_from_db()
    may = role in MAY_MODERATE
    assert (not pending.taken_up) is may
    assert services.premoderation_for(target) is may


def test_moderator_sees_own_contribution_without_actions(client, moderator, other_moderator, call):
    own = ContributionFactory(target=call, status=Status.PENDING, author=moderator, author_email="")
    client.force_login(moderator)
    queue = client.get(reverse("participation_admin:queue")).content.decode()
    assert "eigener Beitrag" in queue
    assert f'name="ids" value="{own.pk}"' not in queue
    detail = client.get(reverse("participation_admin:detail", args=[own.pk])).content.decode()
    assert 'value="approve"' not in detail
    client.post(reverse("participation_admin:detail", args=[own.pk]), {"action": "approve"})
    client.post(reverse("participation_admin:queue"), {"action": "approve", "ids": [own.pk]})
    own.refresh_from_db()
    assert own.status == Status.PENDING
    client.force_login(other_moderator)
    client.post(reverse("participation_admin:detail", args=[own.pk]), {"action": "approve"})
    own.refresh_from_db()
    assert own.status == Status.PUBLISHED


def test_queue_filters(client, moderator, call):
    comment = ContributionFactory(target=call, status=Status.PENDING, text="Kommentar offen")
    objection = ContributionFactory(
        target=call, status=Status.PENDING, kind=Kind.OBJECTION, text="Widerspruch offen"
    )
    reported = ContributionFactory(
        target=call,
        status=Status.HIDDEN,
        hidden_by_reports=True,
        report_count=3,
        text="Gemeldet und verborgen",
    )
    ContributionFactory(target=call, status=Status.PUBLISHED, text="Längst veröffentlicht")
    client.force_login(moderator)
    url = reverse("participation_admin:queue")

    def texts(**params):
        html = client.get(url, params).content.decode()
        return {c.text for c in (comment, objection, reported) if c.text in html} | (
            {"published"} if "Längst veröffentlicht" in html else set()
        )

    assert texts() == {comment.text, objection.text, reported.text}
    assert texts(kind="objection") == {objection.text}
    assert texts(reported="1") == {reported.text}
    assert texts(status="published") == {"published"}
    assert texts(status="all", target=f"{comment.content_type_id}-{call.pk}-") >= {
        comment.text,
        "published",
    }
    assert texts(content_type=comment.content_type_id, status="pending") == {
        comment.text,
        objection.text,
    }


def test_reject_without_reason_keeps_status(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("participation_admin:detail", args=[pending.pk]),
        {"action": "reject", "reject-reason": ""},
    )
    assert "Bitte füllen Sie dieses Feld aus." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Status.PENDING
    response = client.post(
        reverse("participation_admin:queue"), {"action": "reject", "ids": [pending.pk]}
    )
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_every_decision_is_logged(client, moderator, pending):
    client.force_login(moderator)
    url = reverse("participation_admin:detail", args=[pending.pk])
    client.post(url, {"action": "approve"})
    client.post(url, {"action": "take_up"})
    client.post(url, {"action": "reject", "reject-reason": "Doch nicht"})
    actions = list(
        AuditEntry.objects.filter(object_id=str(pending.pk))
        .order_by("timestamp", "pk")
        .values_list("action", "actor")
    )
    assert actions == [
        ("participation.approved", moderator.pk),
        ("participation.taken_up", moderator.pk),
        ("participation.rejected", moderator.pk),
    ]
    # Why: the reason of a rejection goes into the entry; when: its timestamp.
    rejected = AuditEntry.objects.get(object_id=str(pending.pk), action="participation.rejected")
    assert rejected.data["reason"] == "Doch nicht" and rejected.timestamp


def test_admin_menu_shows_items_by_permission(client, editor, moderator):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert reverse("participation_admin:follow_ups") in html
    assert f'"{reverse("participation_admin:queue")}"' not in html
    client.force_login(moderator)
    html = client.get("/admin/").content.decode()
    assert reverse("participation_admin:queue") in html


@pytest.mark.parametrize("count", [5, 120])
def test_queue_query_count(client, moderator, call, count, django_assert_num_queries):
    ContributionFactory.create_batch(count, target=call, status=Status.PENDING)
    client.force_login(moderator)
    client.get(reverse("participation_admin:queue"))
    with django_assert_num_queries(11):
        response = client.get(reverse("participation_admin:queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_call_snippets_for_every_role(as_role, role, call):
    client = as_role(role)
    response = client.get(f"/admin/snippets/participation/call/edit/{call.pk}/")
    assert allowed(response) is (role == "editor")
    client.post(
        f"/admin/snippets/participation/call/edit/{call.pk}/",
        {"title": "Neuer Titel", "slug": call.slug, "sort_order": 1, "is_active": "on"},
    )
    call.refresh_from_db()
    assert (call.title == "Neuer Titel") is (role == "editor")
