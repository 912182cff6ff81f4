"""Editors' listings say yes and no in words, in every boolean column."""

import re

import pytest

from tests.factories.accounts import UserFactory
from tests.factories.core import MethodFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def cells(html):
    return [
        re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


@pytest.mark.parametrize(
    ("url", "make", "expected"),
    [
        ("/admin/snippets/events/event/", lambda: EventFactory(is_published=True), "ja"),
        ("/admin/snippets/core/method/", lambda: MethodFactory(is_innovative=False), "nein"),
    ],
)
def test_boolean_columns_read_ja_or_nein(client, home_page, url, make, expected):
    make()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    found = cells(client.get(url).content.decode())

    assert expected in found
    assert "True" not in found and "False" not in found
