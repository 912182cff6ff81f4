"""Becoming a provider (Anbieter:in werden): a member asks for an organisation of the
atlas or proposes a new one, editors approve or decline in the Wagtail admin; every
role, bad input, mails, audit entries, the account navigation and query counts."""

import pytest
from django.core import mail

from kommune360.accounts.roles import PROVIDER, has_role
from kommune360.atlas import provider_requests
from kommune360.atlas.models import Provider, ProviderRequest
from kommune360.core.models import AuditEntry
from tests.factories.accounts import UserFactory
from tests.factories.atlas import ProviderFactory

pytestmark = pytest.mark.django_db

BECOME = "/angebote/anbieter-werden/"
ADMIN = "/admin/angebotsatlas/anbieter-anfragen/"
Status = ProviderRequest.Status


@pytest.fixture
def member(client, home_page):
    user = UserFactory(roles=["Mitglied"], first_name="Erika", last_name="Beispiel")
    client.force_login(user)
    return user


@pytest.fixture
def academy(db):
    return ProviderFactory(name="Beispiel-Akademie Musterstadt")


def actions(*names):
    return list(
        AuditEntry.objects.filter(action__in=names).order_by("pk").values_list("action", flat=True)
    )


def ask(client, **data):
    return client.post(BECOME, {"provider": "", "name": "", "website": "", "note": "", **data})


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """Mail leaves the outbox after the commit: ``with sending():`` sends it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- The member's side --------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, home_page):
    for response in (client.get(BECOME), ask(client, name="Neue Akademie")):
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    assert not ProviderRequest.objects.exists()


def test_a_member_asks_for_an_organisation_of_the_atlas(
    client, member, academy, mailoutbox, sending
):
    assert "Anbieter:in werden" in client.get(BECOME).content.decode()

    with sending():
        response = ask(client, provider=academy.pk, note="Ich leite dort die Fortbildung.")

    assert response.status_code == 302 and response["Location"] == BECOME
    request = ProviderRequest.objects.get()
    assert (request.user, request.provider, request.status) == (member, academy, Status.OPEN)
    assert request.note == "Ich leite dort die Fortbildung."
    assert actions("atlas.provider_request_created") == ["atlas.provider_request_created"]
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "Ihre Anfrage als Anbieter:in ist eingegangen"
    assert "„Beispiel-Akademie Musterstadt“" in message.body
    page = client.get(BECOME).content.decode()
    assert "Danke! Ihre Anfrage ist bei der Redaktion." in page
    assert "Beispiel-Akademie Musterstadt" in page and "offen" in page
    # Not a provider yet: the self-service points back to the request.
    assert client.get("/angebote/verwalten/")["Location"] == BECOME


def test_a_member_proposes_a_new_organisation(client, member, mailoutbox, sending):
    with sending():
        response = ask(
            client,
            name="  Fortbildungswerk   Nordheide ",
            website="fortbildungswerk.example",
            note="Wir bieten Kurse zur Jugendhilfeplanung an.",
        )

    assert response.status_code == 302
    request = ProviderRequest.objects.get()
    assert request.provider is None
    assert request.name == "Fortbildungswerk Nordheide"
    assert request.website == "https://fortbildungswerk.example"
    assert "„Fortbildungswerk Nordheide“" in mailoutbox[0].body


def test_the_subject_holds_nothing_the_member_typed(client, member, mailoutbox, sending):
    with sending():
        ask(client, name="Gewinnspiel: Sie haben gewonnen")

    assert mailoutbox[0].subject == "Ihre Anfrage als Anbieter:in ist eingegangen"


LONG = "x" * 201


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Bitte wählen Sie eine Organisation aus oder nennen Sie eine neue."),
        ({"name": "   "}, "Bitte wählen Sie eine Organisation aus oder nennen Sie eine neue."),
        ({"name": LONG}, "höchstens 200 Zeichen"),
        ({"name": "Neue Akademie", "note": "x" * 1001}, "höchstens 1000 Zeichen"),
        (
            {"name": "Neue Akademie", "website": "nicht eine adresse"},
            "Bitte eine gültige Adresse eingeben.",
        ),
        ({"provider": "999999999"}, "gültige Auswahl"),
        ({"provider": "abc"}, "gültige Auswahl"),
        ({"provider": "9" * 25}, "gültige Auswahl"),
        (
            {"provider": "ACADEMY", "name": "Neue Akademie"},
            "entweder eine Organisation aus der Liste oder nennen Sie eine neue",
        ),
        (
            {"name": "beispiel-akademie musterstadt"},
            "Diese Organisation gibt es schon im Angebotsatlas.",
        ),
    ],
    ids=[
        "empty",
        "blank-name",
        "name-too-long",
        "note-too-long",
        "bad-website",
        "unknown-provider",
        "provider-not-a-number",
        "provider-beyond-64-bits",
        "both",
        "existing-name",
    ],
)
def test_bad_input_is_refused_in_german_and_kept(client, member, academy, data, message):
    data = {key: academy.pk if value == "ACADEMY" else value for key, value in data.items()}
    data.setdefault("note", "Meine Notiz bleibt stehen.")

    response = ask(client, **data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Meine Notiz bleibt stehen." in html or len(data["note"]) > 1000
    assert not ProviderRequest.objects.exists()
    assert not mail.outbox


def test_one_open_request_per_member_and_organisation(client, member, academy):
    assert ask(client, provider=academy.pk).status_code == 302
    assert ask(client, name="Fortbildungswerk Nordheide").status_code == 302

    for again in ({"provider": academy.pk}, {"name": "FORTBILDUNGSWERK  nordheide"}):
        response = ask(client, **again)
        assert response.status_code == 200
        assert "Sie haben für diese Organisation schon eine Anfrage gestellt." in (
            response.content.decode()
        )
    assert ProviderRequest.objects.count() == 2
    # Another person may ask for the same organisation.
    other = UserFactory(roles=["Mitglied"])
    provider_requests.request_provider_role(other, provider=academy)
    assert ProviderRequest.objects.filter(provider=academy).count() == 2


def test_the_database_refuses_a_second_open_request_too(member, academy):
    from django.db import IntegrityError, transaction

    ProviderRequest.objects.create(user=member, name="Fortbildungswerk Nordheide")
    ProviderRequest.objects.create(user=member, provider=academy)
    for duplicate in ({"name": "fortbildungswerk nordheide"}, {"provider": academy}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ProviderRequest.objects.create(user=member, **duplicate)
    # A decided request does not count.
    ProviderRequest.objects.filter(provider=academy).update(status=Status.DECLINED)
    ProviderRequest.objects.create(user=member, provider=academy)


def test_requests_per_account_are_limited(client, member):
    providers = ProviderFactory.create_batch(6)
    for provider in providers[:5]:
        assert ask(client, provider=provider.pk).status_code == 302

    response = ask(client, provider=providers[5].pk, note="Die sechste.")

    assert response.status_code == 200
    assert "Sie haben heute schon mehrere Anfragen gestellt." in response.content.decode()
    assert "Die sechste." in response.content.decode()
    assert ProviderRequest.objects.count() == 5


def test_a_provider_reaches_the_offers_and_may_ask_for_another_organisation(client, home_page):
    user = UserFactory(roles=["Anbieter:in"])
    own = ProviderFactory(name="Beratungsbüro Nordlicht", maintainers=[user])
    client.force_login(user)

    page = client.get(BECOME).content.decode()
    assert "Sie pflegen schon Angebote." in page and 'href="/angebote/verwalten/"' in page
    response = ask(client, provider=own.pk)
    assert "Sie pflegen die Angebote dieser Organisation schon." in response.content.decode()
    assert ask(client, provider=ProviderFactory().pk).status_code == 302


# --- "Mein Konto" -------------------------------------------------------------------------


def nav(client):
    html = client.get("/konto/").content.decode()
    return html.split('class="account-nav"')[1].split("</nav>")[0]


def test_the_account_page_links_members_to_the_request(client, member):
    links = nav(client)
    assert 'href="/angebote/anbieter-werden/"' in links and "Anbieter:in werden" in links
    assert "/angebote/verwalten/" not in links


def test_the_account_page_links_providers_to_their_offers(client, home_page):
    user = UserFactory(roles=["Anbieter:in"])
    ProviderFactory(maintainers=[user])
    client.force_login(user)

    links = nav(client)
    assert 'href="/angebote/verwalten/"' in links and "Meine Angebote" in links
    assert "/angebote/anbieter-werden/" not in links
    assert client.get("/angebote/verwalten/").status_code == 200


def test_the_role_alone_without_a_provider_still_gets_the_request_link(client, home_page):
    client.force_login(UserFactory(roles=["Anbieter:in"]))
    assert "/angebote/anbieter-werden/" in nav(client)


# --- The editors' side --------------------------------------------------------------------


@pytest.fixture
def editor(client, home_page):
    user = UserFactory(roles=["Redaktion"], first_name="Rita", last_name="Redaktion")
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        (["Redaktion"], True),
        (["Administration"], True),
        (["Moderation"], False),
        (["Jury"], False),
        (["Mitglied", "Anbieter:in"], False),
    ],
)
def test_who_sees_and_decides_requests(client, home_page, academy, roles, allowed):
    request = provider_requests.request_provider_role(
        UserFactory(roles=["Mitglied"]), provider=academy
    )
    client.force_login(UserFactory(roles=roles))

    listing = client.get(ADMIN)
    decision = client.post(f"{ADMIN}{request.pk}/", {"decision": "approve", "message": ""})

    if allowed:
        assert listing.status_code == 200 and academy.name in listing.content.decode()
        assert decision.status_code == 302
        request.refresh_from_db()
        assert request.status == Status.APPROVED
    else:
        assert listing.status_code in (302, 403) and decision.status_code in (302, 403)
        request.refresh_from_db()
        assert request.status == Status.OPEN


def test_anonymous_visitors_of_the_admin_screens_log_in(client, home_page, academy):
    request = provider_requests.request_provider_role(UserFactory(), provider=academy)
    for url in (ADMIN, f"{ADMIN}{request.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def test_approval_makes_the_member_a_provider_of_the_organisation(
    client, editor, academy, mailoutbox, sending
):
    member = UserFactory(roles=["Mitglied"])
    request = provider_requests.request_provider_role(member, provider=academy, note="Leitung")
    page = client.get(f"{ADMIN}{request.pk}/").content.decode()
    assert "Leitung" in page and member.email in page

    with sending():
        response = client.post(
            f"{ADMIN}{request.pk}/", {"decision": "approve", "message": "Willkommen!"}
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.reason) == (
        Status.APPROVED,
        editor,
        "Willkommen!",
    )
    assert request.decided_at is not None
    assert has_role(member, PROVIDER)
    assert list(academy.maintainers.all()) == [member]
    assert actions("accounts.role_granted", "atlas.provider_request_approved") == [
        "accounts.role_granted",
        "atlas.provider_request_approved",
    ]
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "Sie pflegen jetzt Angebote im Angebotsatlas"
    assert "Willkommen!" in message.body and "/angebote/verwalten/" in message.body
    client.force_login(member)
    assert client.get("/angebote/verwalten/").status_code == 200


def test_approving_a_new_organisation_needs_its_type_and_creates_it(client, editor, mailoutbox):
    member = UserFactory(roles=["Mitglied"])
    request = provider_requests.request_provider_role(
        member, name="Fortbildungswerk Nordheide", website="https://fortbildungswerk.example"
    )
    url = f"{ADMIN}{request.pk}/"

    response = client.post(url, {"decision": "approve", "type": "", "message": "Bleibt."})
    assert response.status_code == 200
    assert "Bitte wählen Sie die Art der Organisation." in response.content.decode()
    assert "Bleibt." in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.OPEN and not Provider.objects.exists()

    response = client.post(url, {"decision": "approve", "type": "verein", "message": ""})

    assert response.status_code == 302
    provider = Provider.objects.get()
    assert (provider.name, provider.type, provider.website) == (
        "Fortbildungswerk Nordheide",
        "verein",
        "https://fortbildungswerk.example",
    )
    assert list(provider.maintainers.all()) == [member]
    request.refresh_from_db()
    assert request.provider == provider and request.status == Status.APPROVED
    assert "atlas.provider_created" in actions("atlas.provider_created")


def test_a_name_taken_in_the_meantime_is_not_created_twice(client, editor):
    request = provider_requests.request_provider_role(UserFactory(), name="Neue Akademie")
    ProviderFactory(name="Neue Akademie")
    assert "gibt es schon" in client.get(f"{ADMIN}{request.pk}/").content.decode()

    response = client.post(f"{ADMIN}{request.pk}/", {"decision": "approve", "type": "verein"})

    assert "Eine Anbieter:in mit diesem Namen gibt es inzwischen." in response.content.decode()
    assert Provider.objects.count() == 1


def test_declining_tells_the_member_why_and_they_may_ask_again(
    client, editor, academy, mailoutbox, sending
):
    member = UserFactory(roles=["Mitglied"])
    request = provider_requests.request_provider_role(member, provider=academy)

    with sending():
        response = client.post(
            f"{ADMIN}{request.pk}/",
            {"decision": "decline", "message": "Bitte schreiben Sie uns von Ihrer Dienstadresse."},
        )

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.DECLINED
    assert not has_role(member, PROVIDER) and not academy.maintainers.exists()
    (message,) = mailoutbox
    assert message.subject == "Ihre Anfrage als Anbieter:in im Angebotsatlas"
    assert "Bitte schreiben Sie uns von Ihrer Dienstadresse." in message.body
    assert actions("atlas.provider_request_declined") == ["atlas.provider_request_declined"]
    # Decided requests are listed apart; the member may ask again.
    client.get(ADMIN)  # shows the message of the decision once
    assert academy.name not in client.get(ADMIN).content.decode()
    assert academy.name in client.get(ADMIN + "?status=entschieden").content.decode()
    provider_requests.request_provider_role(member, provider=academy)


def test_a_decided_request_is_not_decided_again(client, editor, academy):
    request = provider_requests.request_provider_role(UserFactory(), provider=academy)
    provider_requests.decline_request(editor, request)

    response = client.post(f"{ADMIN}{request.pk}/", {"decision": "approve"})

    assert "Über diese Anfrage ist schon entschieden." in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.DECLINED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve", "message": "x" * 1001}, "höchstens 1000 Zeichen"),
        ({"decision": "vielleicht"}, "Unbekannte Aktion."),
        ({"decision": "approve", "type": "raumstation"}, "gültige Auswahl"),
    ],
)
def test_bad_decisions_are_refused_in_german(client, editor, data, message):
    request = provider_requests.request_provider_role(UserFactory(), name="Neue Akademie")

    response = client.post(f"{ADMIN}{request.pk}/", data)

    assert response.status_code == 200 and message in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.OPEN


def test_the_services_check_the_permission_themselves(academy):
    from django.core.exceptions import PermissionDenied

    request = provider_requests.request_provider_role(UserFactory(), provider=academy)
    for user in (UserFactory(roles=["Mitglied"]), UserFactory(roles=["Moderation"])):
        with pytest.raises(PermissionDenied):
            provider_requests.approve_request(user, request)
        with pytest.raises(PermissionDenied):
            provider_requests.decline_request(user, request)


# --- Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 20])
def test_the_admin_list_runs_a_fixed_number_of_queries(
    client, editor, count, django_assert_num_queries
):
    for number, provider in enumerate(ProviderFactory.create_batch(count * 2)):
        request = provider_requests.request_provider_role(UserFactory(), provider=provider)
        if number % 2:
            provider_requests.decline_request(editor, request)
    client.get(ADMIN)

    with django_assert_num_queries(ADMIN_LIST_QUERIES):
        assert client.get(ADMIN).status_code == 200
    with django_assert_num_queries(ADMIN_LIST_QUERIES):
        assert client.get(ADMIN + "?status=entschieden").status_code == 200


ADMIN_LIST_QUERIES = 12  # 10 of them are the admin's own (session, menu)


@pytest.mark.parametrize("count", [1, 5])
def test_the_request_page_runs_a_fixed_number_of_queries(
    client, member, count, django_assert_num_queries
):
    for provider in ProviderFactory.create_batch(count):
        provider_requests.request_provider_role(member, provider=provider)
    client.get(BECOME)

    with django_assert_num_queries(BECOME_QUERIES):
        assert client.get(BECOME).status_code == 200


# session, user, site, settings, footer; maintains offers, has award applications (the
# account navigation), requests, providers
BECOME_QUERIES = 9


# --- Personal data ------------------------------------------------------------------------


def test_requests_are_in_the_export_and_go_with_the_account(academy):
    from kommune360.accounts.services import delete_account, export_personal_data

    member, editor = UserFactory(), UserFactory(roles=["Redaktion"])
    request = provider_requests.request_provider_role(member, provider=academy, note="Leitung")
    provider_requests.decline_request(editor, request, message="Bitte mit Dienstadresse.")
    provider_requests.request_provider_role(member, name="Fortbildungswerk Nordheide")

    requests = export_personal_data(member)["sections"]["atlas"]["data"]["provider_requests"]
    assert [(r["organisation"], r["status"], r["note"], r["message"]) for r in requests] == [
        (academy.name, "abgelehnt", "Leitung", "Bitte mit Dienstadresse."),
        ("Fortbildungswerk Nordheide", "offen", "", ""),
    ]

    delete_account(editor)
    request.refresh_from_db()
    assert request.decided_by is None and request.status == Status.DECLINED
    delete_account(member)
    assert not ProviderRequest.objects.exists()
    assert Provider.objects.filter(pk=academy.pk).exists()
