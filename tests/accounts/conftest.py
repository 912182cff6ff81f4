import re

import pytest
from django.core.cache import cache

from tests.factories.accounts import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts logins and sign-ups in the cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


def log_in(client, user, password=PASSWORD):
    """Log in through allauth's form, as a person would (records the login method)."""
    response = client.post("/konto/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def link_in(body, path_fragment):
    match = re.search(r"https?://[^\s/]+(\S*" + re.escape(path_fragment) + r"\S*)", body)
    assert match, body
    return match.group(1)
