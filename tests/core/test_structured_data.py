"""JSON-LD in every page that carries it: a hostile value cannot leave the script element.

The pages are discovered: every model of the project's apps with a detail page (a Wagtail
page type or a model with ``get_absolute_url``) is created with a hostile value in each of
its text fields and in those of the objects it points to; the test then checks that every
template using ``{% json_ld %}`` was rendered by one of these pages.
"""

import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from wagtail.models import Page

from kommune360.core.models import SiteSettings
from kommune360.core.templatetags.structured_data import json_ld
from tests.core import hostile

HOSTILE = (
    '</script><meta http-equiv="refresh" content="0;url=https://evil.example">'
    "<!-- &amp; \"zitat\" 'q'"
)
SRC = Path(__file__).resolve().parents[2] / "src" / "kommune360"
ELEMENT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _project_models():
    return [m for m in apps.get_models() if hostile.is_project_model(m)]


def _detail_models():
    return [m for m in _project_models() if issubclass(m, Page) or hasattr(m, "get_absolute_url")]


def _create(model, factories, home_page, index):
    values = hostile.values(model, HOSTILE)
    if issubclass(model, Page):
        values["slug"] = f"feindlich-{index}"
        if model in factories:
            return factories[model](parent=home_page, **values)
        page = model(**values)
        home_page.add_child(instance=page)
        page.save_revision().publish()
        return page
    if model in factories:
        return factories[model](**values)
    return None


def _url(instance):
    return instance.url if isinstance(instance, Page) else instance.get_absolute_url()


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


LISTING_PAGES = ["/offene-daten/"]


def _templates_using_the_tag():
    return {
        str(path.relative_to(SRC / path.relative_to(SRC).parts[0] / "templates"))
        for path in SRC.glob("*/templates/**/*.html")
        if "{% json_ld" in path.read_text()
    }


def test_the_tag_escapes_like_json_script():
    html = json_ld({"name": HOSTILE})
    assert html.startswith('<script type="application/ld+json">')
    assert "</script" not in html[len("<script") : -len("</script>")]
    assert "\\u003C/script\\u003E" in html
    assert json.loads(ELEMENT.search(html).group(1)) == {"name": HOSTILE}


def test_no_app_writes_json_ld_itself():
    offenders = []
    for path in SRC.rglob("*"):
        if path.suffix not in (".py", ".html") or "templatetags/structured_data" in str(path):
            continue
        text = path.read_text()
        if "ld+json" in text or "JSON_ESCAPES" in text or "json_ld|safe" in text:
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_every_page_with_json_ld_keeps_a_hostile_value_inside_its_element(client, home_page):
    factories = hostile.factories()
    home_page.title = HOSTILE
    home_page.save_revision().publish()
    instances = [home_page]
    for index, model in enumerate(_detail_models()):
        if model is type(home_page):
            continue
        instance = _create(model, factories, home_page, index)
        if instance is not None:
            hostile.make_related_hostile(instance, HOSTILE)
            instances.append(instance)

    # Pages that are no object's detail page but carry JSON-LD: the open-data catalogue
    # names the network from the site settings.
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.network_name = HOSTILE[:120]
    site_settings.save()

    rendered_templates = set()
    pages_with_json_ld = []
    for url in [_url(instance) for instance in instances] + LISTING_PAGES:
        response = client.get(url)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        elements = ELEMENT.findall(html)
        if not elements:
            continue
        pages_with_json_ld.append(url)
        rendered_templates |= {t.name for t in response.templates if t.name}
        for text in elements:
            for forbidden in ("</script", "<meta", "<!--", "&amp;"):
                assert forbidden not in text, (url, forbidden)
            strings = list(_strings(json.loads(text)))
            assert HOSTILE in strings, url
            for value in strings:
                if "evil.example" in value:
                    assert HOSTILE in value, (url, value)

    assert len(pages_with_json_ld) >= 3, pages_with_json_ld
    missing = _templates_using_the_tag() - rendered_templates
    assert not missing, f"templates with JSON-LD no discovered page rendered: {missing}"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0
