"""Every app's admin screen stands on one base (``core/admin/base.html``).

The base draws the header (title, subtitle, icon or breadcrumbs) and the window title
from what the view passes, the way Wagtail's own generic views do; a screen only fills
``main_content``. The templates are found on disk, so a new app's screen cannot be
forgotten. Partials (``_*.html``) and panels (``*panel*``, ``dashboard_*``) are pieces
of a screen, not screens: they extend nothing.
"""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import reverse

import kommune360

SOURCES = Path(kommune360.__file__).parent
BASE = "core/admin/base.html"
EXTENDS = re.compile(r'\A\s*{%\s*extends\s+"([^"]+)"\s*%}')
BLOCK = re.compile(r"{%\s*block\s+\w+\s*%}")


def _name(path):
    return str(path.relative_to(SOURCES))


def _is_piece(path):
    """Partials (``_*.html``) and panels (a dashboard's or an edit form's) are pieces
    of a screen, included by it; they extend nothing."""
    return path.name.startswith("_") or "panel" in path.stem or path.stem.startswith("dashboard_")


TEMPLATES = sorted(SOURCES.glob("*/templates/*/admin/**/*.html"))
SCREENS = [p for p in TEMPLATES if not _is_piece(p) and not _name(p).endswith(BASE)]
PIECES = [p for p in TEMPLATES if _is_piece(p)]


def test_the_apps_have_admin_screens():
    apps = {path.relative_to(SOURCES).parts[0] for path in SCREENS}
    assert {"atlas", "events", "learning", "newsletter", "participation"} <= apps


@pytest.mark.parametrize("path", SCREENS, ids=_name)
def test_each_admin_screen_extends_the_core_base(path):
    match = EXTENDS.match(path.read_text())
    assert match is not None, f"{_name(path)} extends nothing"
    assert match.group(1) == BASE


@pytest.mark.parametrize("path", PIECES, ids=_name)
def test_pieces_of_screens_are_no_screens_of_their_own(path):
    # A screen named like a partial or a panel would escape the test above.
    text = path.read_text()
    assert EXTENDS.match(text) is None
    assert BLOCK.search(text) is None


@pytest.mark.parametrize("path", SCREENS, ids=_name)
def test_no_admin_screen_draws_its_own_header(path):
    text = path.read_text()
    assert "wagtailadmin/shared/header" not in text
    assert "{% block titletag %}" not in text
    assert "{% block content %}" not in text, "fill main_content; the base draws the header"


def test_the_core_base_builds_on_wagtails_generic_base():
    base = get_template(BASE).template
    assert EXTENDS.match(base.source).group(1) == "wagtailadmin/generic/base.html"


def _title_and_heading(response):
    page = response.content.decode()
    title = re.search(r"<title>(.*?) - ", page, re.S).group(1).strip()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    return title, " ".join(re.sub(r"<[^>]+>", " ", heading).split()), page


@pytest.mark.django_db
def test_the_base_draws_title_subtitle_and_window_title_from_the_view(client, home_page):
    from kommune360.atlas.models import OfferImportJob
    from tests.factories.accounts import UserFactory
    from tests.factories.events import EventFactory

    client.force_login(UserFactory(roles=["Redaktion"], is_staff=True))
    event = EventFactory(title="Fellow-Treffen Beispiel")
    response = client.get(reverse("events_participants", args=[event.pk]))
    title, heading, _page = _title_and_heading(response)
    assert title == heading == "Teilnehmende: Fellow-Treffen Beispiel"

    job = OfferImportJob.objects.create(filename="liste.csv", content=b"x", dry_run=True)
    response = client.get(reverse("atlas_import_job", args=[job.pk]))
    title, heading, page = _title_and_heading(response)
    assert title == "Angebote importieren: liste.csv"
    assert heading.startswith("Probelauf") and "liste.csv" in heading
    assert '<meta http-equiv="refresh" content="2">' in page


@pytest.mark.django_db
def test_with_breadcrumbs_the_base_draws_wagtails_slim_header(rf, home_page):
    from django.template.loader import render_to_string

    from tests.factories.accounts import UserFactory

    request = rf.get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    crumbs = [{"url": "/admin/", "label": "Dashboard"}, {"url": "", "label": "Teilnehmende"}]
    page = render_to_string(
        BASE,
        {"page_title": "Teilnehmende", "header_icon": "group", "breadcrumbs_items": crumbs},
        request=request,
    )
    assert re.search(r"<title>\s*Teilnehmende - ", page)
    assert "w-slim-header" in page and 'href="/admin/"' in page
    assert re.search(r'<h1 class="w-sr-only">\s*Teilnehmende\s*</h1>', page)
