"""Public-sector users expect "Sie": no page or mail of the account area says "Du"."""

import re

import pytest

from kommune360.accounts import roles
from tests.factories.accounts import PASSWORD, UserFactory

from .conftest import log_in

pytestmark = pytest.mark.django_db

INFORMAL = re.compile(
    r"\b(Du|du|Dich|dich|Dir|dir|Dein|dein|Deine|deine|Deinen|deinen|Deinem|deinem|Deiner|deiner|"
    r"gib|Gib|klick|Klicke|klicke|bestätige|Bestätige|hast|bist|möchtest|kannst|musst|erhältst)\b"
)


def informal_words(text):
    # Only what a person reads: drop tags, scripts and attribute values.
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return sorted(set(INFORMAL.findall(text)))


@pytest.mark.parametrize(
    "path",
    [
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/konto/password/reset/done/",
        "/konto/login/code/",
        "/konto/confirm-email/",
    ],
)
def test_entrance_pages_are_formal(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert informal_words(response.content.decode()) == []


@pytest.mark.parametrize(
    "path",
    [
        "/konto/",
        "/konto/email/",
        "/konto/password/change/",
        "/konto/logout/",
        "/konto/2fa/",
        "/konto/reauthenticate/",
        "/konto/meine-daten/",
        "/konto/loeschen/",
    ],
)
def test_account_pages_are_formal(client, path):
    log_in(client, UserFactory(roles=[roles.EDITOR]))

    response = client.get(path)

    assert response.status_code == 200
    assert informal_words(response.content.decode()) == []


def test_totp_pages_are_formal(client):
    log_in(client, UserFactory(roles=[roles.EDITOR]))
    client.post(
        "/konto/reauthenticate/", {"password": PASSWORD, "next": "/konto/2fa/totp/activate/"}
    )

    response = client.get("/konto/2fa/totp/activate/")

    assert response.status_code == 200
    assert informal_words(response.content.decode()) == []


def test_the_mails_are_formal(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        # confirmation, "account already exists", password reset, unknown account, login code
        client.post(
            "/konto/signup/",
            {
                "first_name": "Erika",
                "last_name": "Beispiel",
                "email": "neu@beispiel.example",
                "password1": "ein-langes-passwort-42",
                "password2": "ein-langes-passwort-42",
            },
        )
        client.logout()
        client.post(
            "/konto/signup/",
            {
                "first_name": "Erika",
                "last_name": "Beispiel",
                "email": user.email,
                "password1": "ein-langes-passwort-42",
                "password2": "ein-langes-passwort-42",
            },
        )
        client.logout()
        client.post("/konto/password/reset/", {"email": user.email})
        client.post("/konto/password/reset/", {"email": "niemand@beispiel.example"})
        client.post("/konto/login/code/", {"email": user.email})

    assert len(mailoutbox) == 5
    for message in mailoutbox:
        assert informal_words(message.subject + "\n" + message.body) == [], message.body
        assert "Sie" in message.body or "Ihr" in message.body, message.body


def _titled_sign_in():
    """allauth's templates the site serves whose title or text is allauth's „Sign In“."""
    from pathlib import Path

    import allauth

    root = Path(allauth.__file__).parent / "templates"
    return sorted(
        str(path.relative_to(root))
        for folder in ("account", "mfa")
        for path in (root / folder).glob("*.html")
        if re.search(r'\{%\s*(trans|translate)\s+"Sign In"\s*%\}', path.read_text())
    )


def test_every_sign_in_page_names_the_action_as_the_header_does():
    """allauth's German for „Sign In“ is „Anmeldung“; the header's link, the login
    page's heading and its button say „Anmelden“. Every allauth page with that title has
    the site's variant (``accounts/templates``), and the login page reads alike in both
    languages."""
    from django.template.loader import get_template

    for name in _titled_sign_in():
        origin = get_template(name).origin.name
        assert "kommune360/accounts/templates" in origin, (name, origin)


@pytest.mark.parametrize(
    ("path", "word"), [("/konto/login/", "Anmelden"), ("/en/konto/login/", "Sign in")]
)
def test_the_login_page_says_the_action_in_title_heading_and_button(client, path, word):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get(path).content, "lxml")
    main = page.find("main")
    assert page.title.text.split(" – ")[0].strip() == word
    assert " ".join(main.h1.text.split()) == word
    assert [" ".join(b.text.split()) for b in main.select("form button[type=submit]")] == [word]
    assert "Anmeldung" not in page.title.text + main.text
