"""The visitor's address behind trusted proxies (core/visitor.py), and that every rate
limit and counter of the site uses it."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import get_resolver

from kommune360.core import ratelimit
from kommune360.core.visitor import visitor_address
from tests.factories.accounts import UserFactory

SOURCE = Path(__file__).resolve().parents[2] / "src" / "kommune360"
PROXY = "10.0.0.2"


def request(forwarded=None, remote=PROXY):
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    made = RequestFactory().post("/", REMOTE_ADDR=remote, **headers)
    made.user = AnonymousUser()
    return made


@pytest.fixture
def one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return settings


def test_without_proxies_the_header_is_ignored(settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0
    assert visitor_address(request("192.0.2.1", remote="198.51.100.4")) == "198.51.100.4"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("203.0.113.66, 192.0.2.1", "192.0.2.1"),  # the visitor's own entry on the left
        ("not-an-address, 192.0.2.1", "192.0.2.1"),
        (" 2001:db8::1 ", "2001:db8::1"),
        ("2001:0DB8:0::1", "2001:db8::1"),  # one address, one spelling
        (None, PROXY),
        ("", PROXY),
        ("192.0.2.1, garbage", PROXY),  # malformed: what our proxy wrote is not an address
        ("192.0.2.1:4711", PROXY),
    ],
)
def test_one_proxy_counts_from_the_right(one_proxy, forwarded, expected):
    assert visitor_address(request(forwarded)) == expected


def test_two_proxies(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    assert visitor_address(request("203.0.113.66, 192.0.2.1, 10.0.0.1")) == "192.0.2.1"
    assert visitor_address(request("192.0.2.1")) == PROXY  # too short: not through both


def test_only_core_reads_the_address_headers():
    """Everything else asks ``core.visitor``: one place honours the trusted proxies."""
    pattern = re.compile(r"REMOTE_ADDR|X_FORWARDED_FOR|x-forwarded-for", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).parts[0] != "core"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_every_limit_is_declared():
    """A bare counter call outside core would count per whatever it likes; limits are
    declared as ``ratelimit.Limit`` so the tests below see them."""
    pattern = re.compile(r"ratelimit\.limited\(|\blimited\(\s*[\"']")
    offenders = [
        str(path.relative_to(SOURCE))
        for path in sorted(SOURCE.rglob("*.py"))
        if path.relative_to(SOURCE).parts[0] != "core" and pattern.search(path.read_text())
    ]
    assert offenders == []


def site_limits(per):
    assert get_resolver().url_patterns  # imports every view module, which declares its limits
    return [
        pytest.param(limit, id=scope)
        for scope, limit in sorted(ratelimit.LIMITS.items())
        if limit.per == per and not scope.startswith("test:")
    ]


def exhaust(limit, made):
    for _ in range(limit.limit):
        assert not limit.exceeded(made)
    assert limit.exceeded(made)


def test_the_site_declares_its_limits():
    scopes = {p.id for per in (ratelimit.VISITOR, ratelimit.USER) for p in site_limits(per)}
    assert {"newsletter:signup", "events:register", "participation:client"} <= scopes
    assert "training_requests:mail" in scopes


@pytest.mark.parametrize("limit", site_limits(ratelimit.VISITOR))
def test_behind_the_proxy_each_visitor_has_their_own_limit(one_proxy, limit):
    exhaust(limit, request("192.0.2.1"))
    assert not limit.exceeded(request("192.0.2.2"))
    # Forged entries on the left give the first visitor no fresh limit.
    assert limit.exceeded(request("203.0.113.66, 192.0.2.1"))
    assert limit.exceeded(request("192.0.2.2, 192.0.2.1"))


@pytest.mark.parametrize("limit", site_limits(ratelimit.USER))
def test_limits_per_account_count_each_account(one_proxy, limit, db):
    first, second = UserFactory(), UserFactory()
    made = request("192.0.2.1")
    made.user = first
    exhaust(limit, made)
    other = request("192.0.2.1")  # the same network, another person
    other.user = second
    assert not limit.exceeded(other)
    made.META["HTTP_X_FORWARDED_FOR"] = "192.0.2.9"  # another network, the same person
    assert limit.exceeded(made)
