"""Signed values in links (core.signed_links): one mechanism for every kind of link."""

import time

import pytest
from django.core import signing

from kommune360.core.signed_links import SignedLink

CONFIRM = SignedLink("tests.confirm", max_age=3600)
FOREVER = SignedLink("tests.forever", timestamped=False)


@pytest.mark.parametrize("link", [CONFIRM, FOREVER], ids=["expiring", "forever"])
@pytest.mark.parametrize("value", [7, [7, "ab12"], {"m": "erika@example.org", "t": [1, 2]}])
def test_a_signed_value_reads_back(link, value):
    assert link.read(link.sign(value)) == value
    assert link.read_text(link.sign_text("abc.0")) == "abc.0"


@pytest.mark.parametrize("link", [CONFIRM, FOREVER], ids=["expiring", "forever"])
def test_forged_damaged_or_foreign_links_read_as_nothing(link):
    token = link.sign({"e": 1})
    other = SignedLink("tests.other", timestamped=link.timestamped)
    damaged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (damaged, other.sign({"e": 1}), "", "kein:link", "x" * 500, token + ":"):
        assert link.read(bad) is None
        assert link.read_text(bad) is None
        assert not link.is_expired(bad)


def test_an_expired_link_reads_as_nothing_and_says_it_expired(monkeypatch):
    token = CONFIRM.sign({"e": 1})
    assert not CONFIRM.is_expired(token)
    later = time.time() + 3600 + 5
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert CONFIRM.read(token) is None
    assert CONFIRM.is_expired(token)
    assert FOREVER.read(FOREVER.sign({"e": 1})) == {"e": 1}


def test_links_already_sent_keep_working():
    # The forms the apps wrote before they shared this mechanism.
    assert CONFIRM.read(signing.dumps([3, "ab"], salt="tests.confirm")) == [3, "ab"]
    assert CONFIRM.read(signing.dumps({"e": 1}, salt="tests.confirm", compress=True)) == {"e": 1}
    assert FOREVER.read_text(signing.Signer(salt="tests.forever").sign("tok.0")) == "tok.0"
    old_click = signing.Signer(salt="tests.forever").sign_object({"c": 1}, compress=True)
    assert FOREVER.read(old_click) == {"c": 1}
