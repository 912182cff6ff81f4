"""A corpus of XSS payloads through every field: every output escapes them."""

import pytest
from django.urls import reverse

from kommune360.participation import services
from kommune360.participation.models import Contribution, FollowUp, Kind, Role
from kommune360.participation.targets import target_for
from kommune360.participation.tasks import send_moderation_digest
from tests.factories.participation import CallFactory

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg/onload=alert(3)>",
    '<a href="javascript:alert(4)">x</a>',
    "</textarea><script>alert(5)</script>",
    "<iframe srcdoc='<script>alert(6)</script>'>",
    '" autofocus onfocus="alert(7)',
    "<style>*{display:none}</style>",
]


def assert_escaped(html, where):
    for payload in PAYLOADS:
        assert payload not in html, f"{where}: {payload!r} not escaped"
    assert "<script>alert" not in html, where
    assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", ""), where


def html_parts(mails):
    parts = []
    for mail in mails:
        (html, mime), *_ = mail.alternatives
        assert mime == "text/html"
        parts.append(html)
    return parts


@pytest.fixture
def evil():
    return " ".join(PAYLOADS)


def test_every_field_is_escaped_everywhere(
    client,
    evil,
    moderator,
    other_moderator,
    editor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    call = CallFactory(title=f"Aufruf {PAYLOADS[0]}", lead=evil, questions=evil, body=evil)
    target = target_for(call)
    with django_capture_on_commit_callbacks(execute=True):
        contributions = [
            services.submit_contribution(
                target,
                kind=kind,
                role=Role.OTHER,
                text=f"Text {evil}"[:4000],
                affiliation=PAYLOADS[1][:200],
                name=PAYLOADS[index % len(PAYLOADS)][:120],
                email=f"person{index}@example.org",
            )
            for index, kind in enumerate([Kind.COMMENT, Kind.OBJECTION, Kind.COOPERATION])
        ]
        for contribution in contributions:
            services.confirm_contribution(services.confirmation_token(contribution))
        comment, objection, cooperation = (Contribution.objects.get(pk=c.pk) for c in contributions)
        services.approve(comment, moderator)
        services.answer(comment, moderator, f"Antwort {evil}")
        services.reject(objection, moderator, f"Grund {evil}")
        services.add_remark(comment, moderator, f"Anmerkung {evil}")
        services.report(comment, reason="other", note=evil, client="x")
        follow_up = FollowUp.objects.get(contribution=cooperation)
        services.update_follow_up(follow_up, editor, note=f"Notiz {evil}")
        pending = services.submit_contribution(
            target, kind=Kind.COMMENT, role=Role.OTHER, text=f"Offen {evil}", user=other_moderator
        )
        send_moderation_digest.call()

    assert len(mailoutbox) >= 8
    for index, html in enumerate(html_parts(mailoutbox)):
        assert_escaped(html, f"mail {index}: {mailoutbox[index].subject}")

    public = client.get("/mitdenken/").content.decode()
    assert "Text &lt;script&gt;alert(1)&lt;/script&gt;" in public  # shown, but as text
    assert_escaped(public, "public list")
    assert_escaped(
        client.get(reverse("participation:report", args=[comment.pk])).content.decode(), "report"
    )
    token = services.confirmation_token(contributions[0])
    assert_escaped(client.get(f"/mitdenken/bestaetigen/{token}/").content.decode(), "confirm")
    # The form shown again with errors keeps the input, escaped.
    again = client.post(
        "/mitdenken/beitragen/",
        {
            "content_type": target.content_type.pk,
            "object_id": target.object_id,
            "kind": "comment",
            "text": evil,
            "role": "other",
            "affiliation": PAYLOADS[6],
            "name": PAYLOADS[1],
            "email": PAYLOADS[0],
        },
    ).content.decode()
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in again
    assert_escaped(again, "form with errors")

    client.force_login(moderator)
    for url in (
        reverse("participation_admin:queue") + "?status=all",
        reverse("participation_admin:detail", args=[comment.pk]),
        reverse("participation_admin:detail", args=[objection.pk]),
        reverse("participation_admin:detail", args=[pending.pk]),
        reverse("participation_admin:follow_ups"),
        reverse("participation_admin:follow_up", args=[follow_up.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), url)


def test_payloads_in_hidden_and_choice_fields_are_refused(client, call):
    target = target_for(call)
    valid = {
        "content_type": target.content_type.pk,
        "object_id": target.object_id,
        "section": "",
        "kind": "comment",
        "text": "Ein harmloser Beitrag mit genug Zeichen.",
        "role": "other",
        "name": "Erika",
        "email": "erika@example.org",
        "consent": "on",
    }
    for field in ("content_type", "object_id", "section"):
        response = client.post("/mitdenken/beitragen/", {**valid, field: PAYLOADS[0]})
        assert response.status_code == 404, field
    response = client.post(
        "/mitdenken/beitragen/", {**valid, "kind": PAYLOADS[1], "role": PAYLOADS[2]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte wählen Sie die Art." in html and "Bitte wählen Sie Ihre Rolle." in html
    assert_escaped(html, "choices")
    assert not Contribution.objects.exists()


def test_payloads_under_the_other_apps_pages_are_escaped(client, evil, settings, db):
    """The same list under the analysis (whole and a section), an offer and an article."""
    from kommune360.atlas.models import AnalysisText
    from tests.factories.atlas import OfferFactory
    from tests.factories.editorial import ArticlePageFactory, MagazineIndexPageFactory
    from tests.factories.participation import ContributionFactory

    settings.PAGE_CACHE_SECONDS = 0
    analysis = AnalysisText.current()
    offer = OfferFactory()
    article = ArticlePageFactory(parent=MagazineIndexPageFactory()).specific
    for obj, section in ((analysis, ""), (analysis, "kosten"), (offer, ""), (article, "")):
        parent = ContributionFactory(
            target=obj,
            section=section,
            text=f"Text {evil}",
            author_name=PAYLOADS[1][:120],
            affiliation=PAYLOADS[2],
        )
        ContributionFactory(
            target=obj, section=section, parent=parent, is_official=True, text=f"Antwort {evil}"
        )
    for url in ("/angebote/analyse/", offer.get_absolute_url(), article.url):
        html = client.get(url).content.decode()
        assert "Text &lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert_escaped(html, url)
