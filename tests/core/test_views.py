"""Health check, error pages, language switch, helpers."""

import pytest
from django.utils import translation

from kommune360.core.text import slugify_de
from kommune360.core.views import server_error

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_tasks(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["database"]["vendor"] in ("sqlite", "postgresql")
    assert data["tasks"]["ok"] is True


def test_healthz_says_503_when_the_database_is_down(client, monkeypatch):
    from kommune360.core import views

    monkeypatch.setattr(
        views, "_database_state", lambda: {"ok": False, "error": "OperationalError"}
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"


def test_404_is_german_and_in_the_layout(client, home_page):
    response = client.get("/diese-seite-gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Diese Seite gibt es nicht" in html
    assert "Zum Inhalt springen" in html  # the layout's skip link
    assert 'href="/"' in html


def test_404_in_english(client, home_page):
    response = client.get("/en/diese-seite-gibt-es-nicht/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Diese Seite gibt es nicht" not in html


def test_500_handler_renders_the_german_page(rf, home_page):
    request = rf.get("/")

    with translation.override("de"):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert "Da ist etwas schiefgegangen" in html
    assert '<html lang="de"' in html


def test_500_handler_falls_back_to_a_plain_page(rf, monkeypatch):
    from django.template import loader

    real = loader.render_to_string

    def broken_layout(name, *args, **kwargs):
        if name == "500.html":
            raise RuntimeError("Layout kaputt")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(loader, "render_to_string", broken_layout)

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert response.content


def test_the_language_switch_links_to_english_and_back(client, home_page):
    german = client.get("/").content.decode()
    assert 'href="/en/"' in german
    assert 'hreflang="en"' in german

    response = client.get("/en/")

    assert response.status_code == 200
    english = response.content.decode()
    assert '<html lang="en"' in english
    assert 'hreflang="de"' in english
    assert "Skip to content" in english


def test_english_login_page(client):
    response = client.get("/en/konto/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Sign In" in html or "Sign in" in html
    assert "Anmelden" not in html
    assert "Passwort" not in html


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Führung", "fuehrung"),
        ("Größe & Straße", "groesse-strasse"),
        ("Änderungs-Management", "aenderungs-management"),
        ("Öffentliche Übung", "oeffentliche-uebung"),
        ("Design Thinking", "design-thinking"),
        ("  Agilität!  ", "agilitaet"),
    ],
)
def test_slugify_de(text, slug):
    assert slugify_de(text) == slug


def test_every_area_of_the_navigation_renders_in_english(client, home_page):
    from django.core.management import call_command
    from django.urls import NoReverseMatch, reverse

    from kommune360.core.registry import registry

    call_command("load_demo", verbosity=0)
    checked = 0
    for entry in registry.navigation():
        try:
            german_url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        with translation.override("en"):
            english_url = reverse(entry.url_name)
        german = client.get(german_url)
        english = client.get(english_url)
        assert english.status_code == german.status_code == 200, english_url
        assert '<html lang="en"' in english.content.decode(), english_url
        checked += 1
    assert checked == len(registry.navigation())


@pytest.mark.parametrize(
    "path, label", [("/angebote/", "Quellcode"), ("/en/angebote/", "Source code")]
)
def test_the_footer_links_to_the_source_code_when_the_operator_names_it(
    client, home_page, settings, path, label
):
    settings.SOURCE_CODE_URL = "https://code.beispiel.example/kommune360/"
    html = client.get(path).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert (
        f'<a class="kern-link" href="https://code.beispiel.example/kommune360/">{label}</a>'
        in footer
    )


def test_no_source_code_link_without_an_address(client, home_page, settings):
    settings.SOURCE_CODE_URL = ""
    html = client.get("/").content.decode()
    assert "Quellcode" not in html.split('<footer class="site-footer">', 1)[1]
