import re

import pytest
from django.test import Client
from django.urls import reverse

from kommune360.participation import services
from kommune360.participation.models import Contribution, Kind, Report, Status
from tests.factories.participation import ContributionFactory

URL = "/mitdenken/"
SUBMIT = "/mitdenken/beitragen/"


def form_data(target, **extra):
    data = {
        "content_type": target.content_type.pk,
        "object_id": target.object_id,
        "section": "",
        "kind": "objection",
        "text": "Ich sehe das anders: Bei uns fehlen vor allem Zeitfenster.",
        "role": "municipal",
        "affiliation": "Stadt Musterstadt",
        "name": "Max Mustermann",
        "email": "max@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


def test_call_page_shows_list_and_form(client, call):
    ContributionFactory(target=call, text="Sichtbarer Kommentar", author_name="Erika Beispiel")
    ContributionFactory(
        target=call,
        text="Anonymer Widerspruch",
        kind=Kind.OBJECTION,
        anonymous=True,
        author_name="Geheim",
    )
    ContributionFactory(target=call, text="Wartet noch", status=Status.PENDING)
    ContributionFactory(target=call, text="Intern", kind=Kind.COOPERATION, status=Status.INTERNAL)
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mitdenker:innen gesucht" in html
    assert "Sichtbarer Kommentar" in html and "Erika Beispiel" in html
    assert "Anonymer Widerspruch" in html and "anonym" in html and "Geheim" not in html
    assert "Widerspruch" in html and "kommunale:r Akteur:in" in html
    assert "Wartet noch" not in html and "Intern" not in html
    assert 'name="csrfmiddlewaretoken"' not in html  # the page may be cached
    assert 'action="/mitdenken/beitragen/"' in html


def test_list_shows_type_role_date_taken_up_and_official_answer(client, call):
    from datetime import UTC, datetime

    contribution = ContributionFactory(
        target=call,
        kind=Kind.OBJECTION,
        role="science",
        affiliation="Hochschule Musterstadt",
        author_name="Erika Beispiel",
        taken_up=True,
        published_at=datetime(2026, 3, 5, 10, 0, tzinfo=UTC),
    )
    ContributionFactory(
        target=call, parent=contribution, is_official=True, text="Danke, wir prüfen."
    )
    html = client.get(URL).content.decode()
    item = html[html.index(f'id="beitrag-{contribution.pk}"') :]
    item = item[: item.index("</li>")]
    assert "Widerspruch" in item and "Wissenschaft" in item and "Hochschule Musterstadt" in item
    assert "Erika Beispiel" in item and "5. März 2026" in item
    assert "aufgegriffen" in item
    assert "Offizielle Antwort des Teams" in item and "Danke, wir prüfen." in item


def test_call_page_is_cacheable_for_anonymous_visitors(client, call, settings, home_page):
    from kommune360.core.models import SiteSettings

    # On a running site the settings exist; creating them would empty the cache.
    SiteSettings.for_site(home_page.get_site())
    settings.PAGE_CACHE_SECONDS = 600
    client.get(URL)
    assert client.get(URL)["X-Page-Cache"] == "hit"


def test_member_form_has_csrf_token_and_no_address_fields(client, call, member):
    client.force_login(member)
    html = client.get(URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="email"' not in html
    assert "Sie schreiben als" in html


@pytest.mark.parametrize("count", [5, 500])
def test_list_query_count_is_constant(client, call, count, django_assert_num_queries):
    contributions = ContributionFactory.create_batch(count, target=call)
    # Official answers under some of them: prefetched, not one query each.
    for contribution in contributions[:30]:
        ContributionFactory(target=call, parent=contribution, is_official=True, text="Antwort")
    client.get(URL)  # warms the content type cache
    with django_assert_num_queries(8):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('class="participation__item') == min(count, 20)


def test_pagination(client, call):
    ContributionFactory.create_batch(45, target=call)
    html = client.get(URL, {"mitdenken-seite": 3}).content.decode()
    assert html.count('class="participation__item') == 5
    assert "Seite 3 von 3" in html


def test_anonymous_submission_waits_for_confirmation(
    client, target, mailoutbox, django_capture_on_commit_callbacks
):
    csrf_client = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = csrf_client.post(SUBMIT, form_data(target))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.status == Status.UNCONFIRMED
    assert contribution.kind == Kind.OBJECTION
    assert contribution.consent_version == services.CONSENT_VERSION
    assert len(mailoutbox) == 1
    link = re.search(r"http://[^/]+(/mitdenken/bestaetigen/\S+/)", mailoutbox[0].body).group(1)
    page = client.get(link)
    assert "Ja, Beitrag bestätigen" in page.content.decode()
    assert Contribution.objects.get().status == Status.UNCONFIRMED  # GET changes nothing
    confirmed = client.post(link)
    assert "geprüft" in confirmed.content.decode()
    assert Contribution.objects.get().status == Status.PENDING


def test_invalid_confirmation_link(client, db):
    response = client.get("/mitdenken/bestaetigen/kaputt/")
    assert "ungültig oder abgelaufen" in response.content.decode()


def test_member_submission_needs_csrf(target, member):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(member)
    response = csrf_client.post(SUBMIT, form_data(target))
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_member_submission(client, target, member):
    client.force_login(member)
    response = client.post(SUBMIT, form_data(target, name="", email=""))
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.author == member and contribution.status == Status.PENDING


def test_errors_are_german_and_keep_what_was_entered(client, target):
    data = form_data(target, email="keine-adresse", consent="", role="")
    html = client.post(SUBMIT, data).content.decode()
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert "Bitte setzen Sie das Häkchen, um fortzufahren." in html
    assert "Bitte wählen Sie eine Möglichkeit aus." in html
    assert "Ich sehe das anders: Bei uns fehlen vor allem Zeitfenster." in html
    assert 'value="Max Mustermann"' in html and 'value="Stadt Musterstadt"' in html
    assert 'aria-invalid="true"' in html
    assert not Contribution.objects.exists()


def test_link_and_length_limits(client, target):
    links = "Siehe https://a.example und https://b.example und www.c.example bitte."
    html = client.post(SUBMIT, form_data(target, text=links)).content.decode()
    assert "höchstens 2 Links" in html
    html = client.post(SUBMIT, form_data(target, text="x" * 4001)).content.decode()
    assert "zu lang" in html
    html = client.post(SUBMIT, form_data(target, text="kurz")).content.decode()
    assert "mindestens 10 Zeichen" in html
    html = client.post(SUBMIT, form_data(target, name="n" * 121)).content.decode()
    assert "höchstens 120 Zeichen" in html
    assert not Contribution.objects.exists()


def test_honeypot_stores_nothing(client, target, mailoutbox):
    response = client.post(SUBMIT, form_data(target, website="http://spam.example"))
    assert response.status_code == 302
    assert not Contribution.objects.exists() and not mailoutbox


def test_rate_limit_in_the_form_keeps_the_text(client, target, settings):
    settings.PARTICIPATION_RATE_LIMITS = {"client": (2, 3600)}
    for number in range(2):
        client.post(SUBMIT, form_data(target, email=f"p{number}@example.org"))
    html = client.post(SUBMIT, form_data(target, email="p9@example.org")).content.decode()
    assert "Bitte versuchen Sie es später" in html
    assert "Bei uns fehlen vor allem Zeitfenster" in html
    assert Contribution.objects.count() == 2


def test_unknown_target_is_404(client, db):
    assert client.post(SUBMIT, {"content_type": 1, "object_id": 1}).status_code == 404
    assert client.get(SUBMIT, {"content_type": "x"}).status_code == 404


def test_get_form_page(client, target):
    response = client.get(
        SUBMIT, {"content_type": target.content_type.pk, "object_id": target.object_id}
    )
    assert response.status_code == 200
    assert "Beitrag senden" in response.content.decode()


def test_report_flow(client, call):
    contribution = ContributionFactory(target=call)
    url = reverse("participation:report", args=[contribution.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "offensive", "note": "Beleidigt jemanden."})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.reason == "offensive" and report.note == "Beleidigt jemanden."
    html = client.post(url, {"reason": ""}).content.decode()
    assert "Bitte wählen Sie eine Möglichkeit aus." in html


def test_report_unpublished_is_404(client, call):
    contribution = ContributionFactory(target=call, status=Status.PENDING)
    assert client.get(reverse("participation:report", args=[contribution.pk])).status_code == 404


def test_without_a_call_the_page_explains(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Derzeit gibt es keinen offenen Aufruf" in response.content.decode()
    assert 'action="/mitdenken/beitragen/"' not in response.content.decode()
