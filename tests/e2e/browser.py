"""Helpers for browser tests: axe-core, mail links, logging in.

Import them in any app's browser test (``from tests.e2e.browser import axe_check``); the
fixtures in ``tests/e2e/conftest.py`` (``page``, ``live_url``, ``make_user`` …) wrap them.
"""

import re
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA (what BITV 2.0 asks for).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "Vier-Jahreszeiten-2026"


@dataclass
class PageLog:
    """What the pages of a test did that should fail it (the ``page`` fixture checks
    ``problems()`` after the test; a test that provokes one on purpose clears it)."""

    origin: str
    requests_seen: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    script_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def on_request(self, request):
        self.requests_seen += 1
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"}:
            origin = f"{parts.scheme.replace('ws', 'http')}://{parts.netloc}"
            if origin != self.origin:
                self.foreign_requests.append(request.url)

    def on_response(self, response):
        if response.status >= 500:
            self.server_errors.append(f"HTTP {response.status} {response.url}")

    def on_console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(f"{message.page.url if message.page else ''}: {text}")

    def on_page_error(self, error):
        self.script_errors.append(str(error))

    def problems(self):
        lines = []
        lines += [f"request to another host: {url}" for url in self.foreign_requests]
        lines += [f"CSP violation: {text}" for text in self.csp_violations]
        lines += [f"script error: {text}" for text in self.script_errors]
        lines += [f"server error: {text}" for text in self.server_errors]
        return lines


@cache
def _axe_source():
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} fehlt: `make install` (npm ci) ausführen.")
    return AXE_JS.read_text()


def axe_violations(page, *, tags=AXE_TAGS):
    """Run axe-core on the page as it is now; returns axe's list of violations.

    axe is evaluated through the DevTools protocol, which the page's CSP does not
    govern, so the page keeps its real policy while it is checked.
    """
    try:
        return _run_axe(page, tags)
    except PlaywrightError:
        # A navigation that began just before (a click on a link, say) replaced the
        # document while axe ran: check the page it led to once it has loaded.
        page.wait_for_load_state()
        return _run_axe(page, tags)


def _run_axe(page, tags):
    page.wait_for_load_state()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            // Colours are measured as painted: let finite CSS transitions and animations
            // (e.g. Wagtail's messages fading in) end first, for at most two seconds.
            const running = document.getAnimations().filter(
                (a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
            await Promise.race([
                Promise.all(running.map((a) => a.finished.catch(() => null))),
                new Promise((resolve) => setTimeout(resolve, 2000)),
            ]);
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.map((t) => Array.isArray(t) ? t.join(" >>> ") : t),
                    summary: n.failureSummary,
                })),
            }));
        }""",
        list(tags),
    )


def format_violations(url, violations):
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {', '.join(node['target'])}")
            if node["summary"]:
                summary = " ".join(node["summary"].split())
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def axe_check(page, *, tags=AXE_TAGS):
    """Fail unless axe-core finds no WCAG 2.0/2.1 A+AA violations on the current page."""
    violations = axe_violations(page, tags=tags)
    assert not violations, format_violations(page.url, violations)


def follow(page, name, **options):
    """Click the link named ``name`` and wait until the page it leads to has loaded
    (a click only starts the navigation; a check right after it could see either page)."""
    link = page.get_by_role("link", name=name, **options)
    target = link.evaluate("(a) => a.href")  # resolved as the browser does
    link.click()
    page.wait_for_url(target)


def wait_for_mail(outbox, to, *, timeout=5.0):
    """The last message sent to ``to`` (mail is sent by a task right after the commit)."""
    deadline = time.monotonic() + timeout
    while True:
        messages = [m for m in list(outbox) if to in m.to]
        if messages:
            return messages[-1]
        if time.monotonic() > deadline:
            sent = [(m.to, m.subject) for m in outbox]
            raise AssertionError(f"no mail to {to} within {timeout} s; sent: {sent}")
        time.sleep(0.05)


def link_from_mail(message, pattern=r"https?://\S+/konto/confirm-email/\S+/"):
    """The first link in the plain-text body of ``message`` that matches ``pattern``."""
    match = re.search(pattern, message.body)
    assert match, f"no link matching {pattern!r} in mail {message.subject!r}:\n{message.body}"
    return match.group(0)


def confirmation_link(outbox, to, *, timeout=5.0):
    """The e-mail confirmation link allauth sent to ``to``."""
    return link_from_mail(wait_for_mail(outbox, to, timeout=timeout))


def login(page, email, password=PASSWORD, *, next_url=""):
    """Log in through the login form; leaves the page where the site redirects to."""
    from django.urls import reverse

    url = reverse("account_login")
    page.goto(url + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("E-Mail-Adresse", exact=True).fill(email)
    page.get_by_label("Passwort", exact=True).fill(password)
    with page.expect_navigation():
        page.locator(f'main form[action="{url}"] button[type=submit]').click()
    assert url not in page.url, f"login as {email} failed, still on {page.url}"
