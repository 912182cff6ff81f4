"""Security of the foundation: CSP, production settings, rate limits, health check."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import OperationalError

from kommune360.core import views as core_views
from tests.factories.accounts import PASSWORD, UserFactory

KOMMUNE360 = Path(sys.executable).parent / "kommune360"
OWN_SOURCES = {"'self'", "'none'", "data:", "blob:"}


def policy(response, header="Content-Security-Policy"):
    """The CSP header as {directive: [sources]}."""
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Content-Security-Policy ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/en/", "/konto/login/", "/konto/signup/", "/gibt-es-nicht/"]
)
def test_public_pages_allow_only_scripts_and_styles_from_the_site(client, home_page, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    for sources in csp.values():
        assert set(sources) <= OWN_SOURCES, "no page may load anything from another host"


def test_logged_in_visitors_get_the_strict_policy_on_public_pages(client, home_page):
    client.force_login(UserFactory(roles=["Redaktion"]))
    csp = policy(client.get("/"))
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]


def test_the_admin_has_its_own_narrow_policy(client, db):
    client.force_login(UserFactory(roles=["Redaktion"]))
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = policy(response)
    # Wagtail's admin renders inline scripts and style attributes (docs/decisions/0002).
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in str(csp)
    for sources in csp.values():
        assert set(sources) <= OWN_SOURCES | {"'unsafe-inline'"}


def test_the_admin_loads_no_avatars_from_other_hosts(client, db):
    client.force_login(UserFactory(roles=["Administration"]))
    for path in ("/admin/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"gravatar" not in response.content


def test_page_previews_keep_the_strict_policy_but_may_be_framed_by_the_admin(rf, home_page):
    editor = UserFactory(roles=["Redaktion"])
    request = rf.get("/admin/pages/")
    request.user = editor
    response = home_page.make_preview_request(request)
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert "X-Page-Cache" not in response


# --- Login for staff -------------------------------------------------------------------------


def test_admin_login_redirects_to_the_allauth_login(client, db):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/admin/pages/"


def test_the_admin_sends_anonymous_visitors_to_the_allauth_login(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


# --- Production settings -------------------------------------------------------------------


def production_env(tmp_path, **changes):
    """A clean environment as on a server: DEBUG unset, no pytest defaults."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": os.environ.get("PYTHONPATH"),  # a checkout's own sources, if set
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "KOMMUNE360_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "kommune360.example",
        "SITE_URL": "https://kommune360.example",
        "EMAIL_URL": "smtp+tls://versand:geheim@mail.kommune360.example:587",
        "DEFAULT_FROM_EMAIL": "Kommune 360° <noreply@kommune360.example>",
    }
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def run(env, *args):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "PAGE_CACHE_SECONDS",
]}))
"""


def test_production_values_turn_on_https_secure_cookies_and_hsts(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="kommune360.settings")
    result = run(env, sys.executable, "-c", PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["PAGE_CACHE_SECONDS"] > 0


def test_check_deploy_reports_nothing_with_production_values(tmp_path):
    # Every deprecation warning shown: the check loads all models, forms and URLs
    # (Wagtail's admin included), where deprecated use would announce itself.
    env = production_env(tmp_path, PYTHONWARNINGS="always::DeprecationWarning")
    result = run(env, str(KOMMUNE360), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "Warning" not in result.stderr, result.stderr


def test_development_start_shows_no_deprecation_warning_and_follows_the_port(tmp_path):
    env = production_env(
        tmp_path, DEBUG="true", SITE_URL=None, PORT="8123", PYTHONWARNINGS="always"
    )
    result = run(env, str(KOMMUNE360), "shell", "-c", SHOW_SITE_URL)
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr, result.stderr
    assert result.stdout.split()[-2:] == ["http://127.0.0.1:8123", "http://127.0.0.1:8123"]


SHOW_SITE_URL = """
from django.conf import settings
from django.urls import get_resolver
get_resolver().url_patterns  # loads every app's URLs, the Wagtail admin's viewsets too
print(settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)
"""


def test_check_deploy_complains_about_a_weak_setup(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="kurz", SECURE_HSTS_SECONDS="0")
    result = run(env, str(KOMMUNE360), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr  # weak SECRET_KEY
    assert "security.W004" in result.stderr  # no HSTS


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None)
    result = run(env, sys.executable, "-c", "import kommune360.settings")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_without_debug_and_secret_key_no_command_runs(tmp_path):
    result = run(production_env(tmp_path, SECRET_KEY=None), str(KOMMUNE360), "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_with_debug_a_secret_key_is_generated_and_kept(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=None, DEBUG="true")
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env["DJANGO_SETTINGS_MODULE"] = "kommune360.settings"
    first = run(env, sys.executable, "-c", code)
    second = run(env, sys.executable, "-c", code)
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.strip()) >= 50
    assert first.stdout == second.stdout
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o077 == 0


def test_https_redirect_and_hsts_on_the_wire(client, home_page, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/impressum/?x=1")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/impressum/?x=1"
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_session_and_csrf_cookies_are_secure_with_production_values(
    client, db, settings, fast_passwords
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    user = UserFactory()
    form = client.get("/konto/login/", secure=True)
    assert form.cookies["csrftoken"]["secure"] is True
    response = client.post(
        "/konto/login/", {"login": user.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


# --- Rate limits -------------------------------------------------------------------------


def test_login_and_signup_are_rate_limited(settings):
    limits = settings.ACCOUNT_RATE_LIMITS
    assert limits["login"] and limits["login_failed"] and limits["signup"]


def test_repeated_failed_logins_block_the_account_for_a_while(client, db, fast_passwords):
    user = UserFactory()
    for _ in range(5):
        response = client.post("/konto/login/", {"login": user.email, "password": "falsch-123"})
        assert response.status_code == 200
    # The sixth attempt fails even with the right password, with a German message.
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()


def test_too_many_login_attempts_get_429_with_a_german_page(client, db, fast_passwords):
    statuses = [
        client.post(
            "/konto/login/", {"login": f"person{n}@beispiel.example", "password": "falsch-123"}
        ).status_code
        for n in range(31)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    response = client.post("/konto/login/", {"login": "x@beispiel.example", "password": "y"})
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="de"' in html
    assert "Zu viele Versuche in kurzer Zeit" in html
    assert 'class="site-header"' in html  # in the layout of the site


def test_too_many_sign_ups_from_one_address_get_429(client, db, fast_passwords):
    statuses = [
        client.post("/konto/signup/", {"email": f"neu{n}@beispiel.example"}).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "Zu viele Versuche" in client.post("/konto/signup/", {}).content.decode()


def test_rate_limits_count_per_visitor_not_per_proxy(client, db, fast_passwords, settings):
    # Behind the reverse proxy every request comes from the proxy's address; allauth
    # must take the visitor's address from X-Forwarded-For (set by our one proxy).
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # no proxy in tests
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    statuses = [
        client.post(
            "/konto/login/",
            {"login": "a@beispiel.example", "password": "falsch"},
            headers={"X-Forwarded-For": "192.0.2.1"},
        ).status_code
        for _ in range(31)
    ]
    assert statuses[-1] == 429
    other_visitor = client.post(
        "/konto/login/",
        {"login": "b@beispiel.example", "password": "falsch"},
        headers={"X-Forwarded-For": "192.0.2.2"},
    )
    assert other_visitor.status_code == 200


def test_login_limits_use_the_sites_visitor_address(client, db, settings):
    """allauth asks core.visitor too: a header shorter than the proxies promised is the
    proxy's address, not a server error (allauth alone raises ImproperlyConfigured)."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = client.post(
        "/konto/login/",
        {"login": "a@beispiel.example", "password": "falsch"},
        headers={"X-Forwarded-For": "192.0.2.1"},
    )
    assert response.status_code == 200


# --- Health check --------------------------------------------------------------------------


def test_healthz_reports_database_and_task_backend(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["tasks"]["ok"] is True
    assert data["tasks"]["backend"]


class UnreachableDatabase:
    vendor = "postgresql"

    def cursor(self):
        raise OperationalError("connection to server at 127.0.0.1 failed")


def test_healthz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    monkeypatch.setattr(core_views, "connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["database"] == {"ok": False, "error": "OperationalError"}
