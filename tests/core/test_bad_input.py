"""Bad input is answered with 4xx, never 500 (kommune360.core.http).

The fuzz tests discover what they send to: every URL pattern with parameters from the
URL resolver, and every form on the pages without parameters. They run on whichever
database DATABASE_URL names (SQLite and PostgreSQL in CI).
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kommune360.core.http import content_disposition, parse_byte_range
from tests.factories.accounts import UserFactory
from tests.factories.editorial import EpisodePageFactory, PodcastIndexPageFactory

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BEYOND_64_BITS = st.integers(min_value=2**63, max_value=2**300).map(str)
NASTY_TEXT = st.one_of(
    BEYOND_64_BITS,
    st.sampled_from(["a\x00b", "\x00", "a\r\nb", "x\nSet-Cookie: a=b", '"; x="', "9" * 5000]),
    st.text(max_size=40),
)
DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=6000)
NASTY_RANGE = st.one_of(
    st.just(None),
    DIGITS.map(lambda digits: f"bytes={digits}-"),
    DIGITS.map(lambda digits: f"bytes=-{digits}"),
    st.tuples(DIGITS, DIGITS).map(lambda pair: "bytes={}-{}".format(*pair)),
)


def _routes(resolver=None, prefix=""):
    """(route, pattern) of every URL pattern, with the prefixes of the includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        route = str(pattern) if isinstance(pattern, RoutePattern) else None
        if isinstance(entry, URLResolver):
            if route is None and not str(pattern).startswith(("^en/", "en/")):
                route = ""  # the i18n prefix for German (no prefix)
            if route is not None:
                yield from _routes(entry, prefix + route)
        elif isinstance(entry, URLPattern) and route is not None:
            yield prefix + route, entry


def _own(entry):
    """A pattern the project writes (not one a Wagtail viewset makes for a project view)."""
    view_class = getattr(entry.callback, "view_class", None)
    from_wagtail = view_class is not None and any(
        base.__module__.startswith("wagtail.") for base in view_class.__mro__
    )
    return entry.lookup_str.startswith("kommune360.") and not from_wagtail


def _admin(route):
    return route.startswith(("admin/", "django-admin/"))


ROUTES_WITH_PARAMETERS = sorted({route for route, entry in _routes() if "<" in route})
ROUTES_WITHOUT_PARAMETERS = sorted(
    {route for route, entry in _routes() if "<" not in route and not _admin(route)}
)


def _url(route, value):
    return "/" + re.sub(r"<(?:\w+:)?\w+>", quote(value, safe=""), route)


def _assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"


def test_the_resolver_yields_what_the_fuzz_tests_need():
    assert "download/<id:page_id>/<str:filename>" in ROUTES_WITH_PARAMETERS
    assert any(route.startswith("admin/") for route in ROUTES_WITH_PARAMETERS)
    assert "angebote/" in ROUTES_WITHOUT_PARAMETERS


def test_ids_in_urls_are_bounded_in_every_pattern_of_the_project():
    unbounded = [
        route
        for route, entry in _routes()
        if _own(entry)
        and any(isinstance(c, IntConverter) for c in entry.pattern.converters.values())
    ]
    assert unbounded == []


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_url_parameters_never_cause_a_server_error(client, home_page, logged_in):
    if logged_in:
        client.force_login(UserFactory())

    @FUZZ
    @given(route=st.sampled_from(ROUTES_WITH_PARAMETERS), value=NASTY_TEXT, byte_range=NASTY_RANGE)
    def request(route, value, byte_range):
        url = _url(route, value)
        headers = {"HTTP_RANGE": byte_range} if byte_range else {}
        _assert_no_server_error(client.get(url, **headers), url)
        _assert_no_server_error(client.get(url, {"q": value, "page": value}), f"{url}?q=")

    request()


class _Forms(HTMLParser):
    """The POST forms of a page: action and field names."""

    def __init__(self):
        super().__init__()
        self.forms = []  # the CSRF token is a field too; the test client does not check it

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "fields": set()})
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].add(attrs["name"])


def _public_forms(client):
    forms = {}
    for route in ROUTES_WITHOUT_PARAMETERS:
        page_url = "/" + route
        response = client.get(page_url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(form["action"]).path or page_url
            if "logout" not in action and form["fields"]:
                forms.setdefault(action, set()).update(form["fields"])
    return sorted((action, sorted(fields)) for action, fields in forms.items())


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "member"])
def test_public_forms_never_cause_a_server_error(client, home_page, logged_in):
    member = UserFactory()
    if logged_in:
        client.force_login(member)
    forms = _public_forms(client)
    assert len(forms) >= 3, forms  # login, sign-up, newsletter at least

    @FUZZ
    @given(form=st.sampled_from(forms), data=st.data())
    def post(form, data):
        if logged_in:
            client.force_login(member)
        action, fields = form
        values = {name: data.draw(NASTY_TEXT, label=name) for name in fields}
        _assert_no_server_error(client.post(action, values), action)

    post()


def test_a_nul_character_is_answered_with_400_and_a_german_message(client, home_page):
    for response in (
        client.get("/angebote/", {"q": "a\x00b"}),
        client.get("/angebote/%00/"),
        client.post("/newsletter/", {"email": "a\x00@example.org"}),
    ):
        assert response.status_code == 400
        assert "unzulässiges Steuerzeichen" in response.content.decode()


def test_ids_beyond_64_bits_are_not_found(client, home_page):
    response = client.get(f"/podcast/folge/{2**70}/kapitel.json")

    assert response.status_code == 404


def test_a_download_survives_a_broken_file_name_and_a_range_of_thousands_of_digits(
    client, home_page
):
    podcast = PodcastIndexPageFactory(parent=home_page)
    episode = EpisodePageFactory(parent=podcast, slug="folge", duration=10)
    broken_name = quote("a\r\nSet-Cookie: x=1.mp3")
    url = f"/download/{episode.pk}/{broken_name}"

    response = client.get(url, HTTP_RANGE="bytes=" + "9" * 5000 + "-")
    tail = client.get(url, HTTP_RANGE="bytes=-" + "9" * 5000)

    assert response.status_code == 416
    assert "\n" not in response["Content-Disposition"]
    assert response["Content-Disposition"] == 'inline; filename="aSet-Cookie: x=1.mp3"'
    assert "Set-Cookie" not in response.cookies
    assert tail.status_code == 206
    assert tail["Content-Range"].startswith("bytes 0-")


def test_content_disposition_and_byte_ranges():
    assert content_disposition("bericht.csv") == 'attachment; filename="bericht.csv"'
    assert content_disposition("a\r\nb.pdf", attachment=False) == 'inline; filename="ab.pdf"'
    assert content_disposition('x"; y=".pdf') == 'attachment; filename="x\\"; y=\\".pdf"'
    assert content_disposition("Übersicht.pdf") == "attachment; filename*=utf-8''%C3%9Cbersicht.pdf"
    assert content_disposition("\x00\x01") == 'attachment; filename="download"'
    assert parse_byte_range("bytes=" + "1" * 5000 + "-", 100) == "invalid"
    assert parse_byte_range("bytes=10-" + "1" * 5000, 100) == (10, 99)
    assert parse_byte_range("bytes=-" + "1" * 5000, 100) == (0, 99)
    assert parse_byte_range("bytes=٣-", 100) is None  # digits of other scripts are no range
