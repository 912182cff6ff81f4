"""Turning a campaign into mail: HTML (tables, inline styles) and plain text.

A campaign is rendered once per send run with placeholders for the per-recipient
links and encoded once (quoted-printable, dots stuffed for SMTP);
``MailTemplate.message_bytes`` then only encodes the two links and joins the pieces,
which keeps per-recipient cost to a few microseconds.
"""

from __future__ import annotations

import binascii
import re
import secrets
import socket
import time
from email.header import Header
from email.utils import formataddr, formatdate, parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from kommune360.core.languages import default_language
from kommune360.core.models import SiteSettings
from kommune360.core.text import mail_subject

from . import services
from .models import ConsentEvent
from .tokens import click_token, link_token
from .transport import stuff_dots

UNSUBSCRIBE = "K360UNSUBSCRIBEURL"
PREFERENCES = "K360PREFERENCESURL"
ORIGIN = "K360ADDRESSORIGIN"

# What the footer tells a subscriber whose address came from an import, by the source
# of that import in the consent history (``models.address_origin``); subscribers who
# signed up themselves read none of it.
ORIGIN_SENTENCES = {
    ConsentEvent.Source.PUBLIC: _(
        "Sie erhalten diesen Newsletter, weil wir Ihre Adresse aus öffentlich zugänglichen "
        "Quellen übernommen haben."
    ),
    ConsentEvent.Source.PERSONAL: _(
        "Sie erhalten diesen Newsletter, weil wir Ihre Adresse aus einem persönlichen Kontakt "
        "übernommen haben."
    ),
    ConsentEvent.Source.EVENT: _(
        "Sie erhalten diesen Newsletter, weil wir Ihre Adresse aus Ihrer Anmeldung zu einer "
        "Veranstaltung übernommen haben."
    ),
}


def _site_settings():
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return SiteSettings.for_site(site) if site else None


def _absolute(url: str) -> str:
    if url and url.startswith("/"):
        return settings.SITE_URL + url
    return url or ""


def base_context(campaign, *, unsubscribe_url, preferences_url, origin_notice=""):
    site_settings = _site_settings()
    imprint = site_settings.imprint_page if site_settings else None
    privacy = site_settings.privacy_page if site_settings else None
    with default_language():
        return {
            "campaign": campaign,
            "network_name": site_settings.network_name if site_settings else "kommune360",
            "imprint_url": _absolute(imprint.url) if imprint and imprint.live else "",
            "privacy_url": _absolute(privacy.url) if privacy and privacy.live else "",
            "archive_url": services.absolute_url("newsletter:archive_detail", campaign.slug)
            if campaign.slug
            else "",
            "unsubscribe_url": unsubscribe_url,
            "preferences_url": preferences_url,
            "origin_notice": origin_notice,
            "site_url": settings.SITE_URL,
        }


def render_html(campaign, context) -> str:
    with default_language():
        return render_to_string("newsletter/mail/campaign.html", context)


def render_text(campaign, context) -> str:
    parts = []
    for child in campaign.body:
        render = getattr(child.block, "render_text", None)
        if render is not None:
            parts.append(render(child.value))
    with default_language():
        return render_to_string(
            "newsletter/mail/campaign.txt", {**context, "blocks_text": "\n\n\n".join(parts)}
        )


def origin_notices() -> dict[str, tuple[str, str]]:
    """The footer's paragraph on the address's origin as (plain text, HTML), by the
    value ``models.address_origin`` gives; empty for subscribers who signed up."""
    notices = {"": ("", "")}
    with default_language():
        for source, sentence in ORIGIN_SENTENCES.items():
            context = {"sentence": sentence}
            notices[source] = (
                render_to_string("newsletter/mail/origin.txt", context),
                render_to_string("newsletter/mail/origin.html", context),
            )
    return notices


def count_clicks(campaign, content: str, pattern: str) -> str:
    """Route the campaign's links through the anonymous click counter."""
    import html as html_module
    import re

    own = settings.SITE_URL + "/newsletter/"

    def replace(match):
        url = html_module.unescape(match.group(1))
        if url.startswith(own):
            return match.group(0)
        counted = services.absolute_url("newsletter:click", click_token(campaign.pk, url))
        return match.group(0).replace(match.group(1), counted)

    return re.sub(pattern, replace, content)


def preview_context(campaign, request):
    context = base_context(campaign, unsubscribe_url="#", preferences_url="#")
    context["preview"] = True
    return context


def _qp(text: str) -> bytes:
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    encoded = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    return encoded.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def _qp_piece(text: str, last=False) -> bytes:
    """Quoted-printable for a piece of a body that more pieces may follow.

    The piece ends on a line boundary (a soft line break ``=`` when the text does not
    end with a newline), so pieces encoded separately join into valid lines of at most
    76 characters and decode to the joined text. Dots are already stuffed.
    """
    encoded = _qp(text)
    if not last and encoded and not encoded.endswith(b"\r\n"):
        encoded += b"=\r\n"
    return stuff_dots(encoded)


def _pieces(content: str) -> list:
    """Fixed parts as ready bytes; the links and the origin paragraph as their markers
    (``UNSUBSCRIBE``, ``PREFERENCES``, ``ORIGIN``)."""
    parts = re.split(f"({UNSUBSCRIBE}|{PREFERENCES}|{ORIGIN})", content)
    last = len(parts) - 1
    return [
        part if index % 2 else _qp_piece(part, last=index == last)
        for index, part in enumerate(parts)
    ]


def _encode_header(value: str) -> str:
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        return Header(value, "utf-8").encode()


def _from_header() -> str:
    raw = getattr(settings, "NEWSLETTER_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    name, address = parseaddr(raw)
    return formataddr((name, address), charset="utf-8") if name else address


def envelope_sender() -> str:
    raw = getattr(settings, "NEWSLETTER_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL
    return parseaddr(raw)[1]


class MailTemplate:
    """A campaign rendered once, ready to become one message per recipient."""

    def __init__(self, campaign):
        self.campaign = campaign
        context = base_context(
            campaign,
            unsubscribe_url=UNSUBSCRIBE,
            preferences_url=PREFERENCES,
            origin_notice=ORIGIN,
        )
        self.html = render_html(campaign, context)
        self.text = render_text(campaign, context)
        if campaign.count_clicks:
            self.html = count_clicks(campaign, self.html, r'href="(https?://[^"]+)"')
            self.text = count_clicks(campaign, self.text, r"(https?://\S+)")
        self.boundary = "k360-" + secrets.token_hex(12)
        self.host = urlsplit(settings.SITE_URL).hostname or socket.getfqdn()
        with default_language():
            probe = services.absolute_url("newsletter:unsubscribe", "TOKEN")
            pref_probe = services.absolute_url("newsletter:preferences", "TOKEN")
        self.unsubscribe_prefix, self.unsubscribe_suffix = probe.split("TOKEN")
        self.preferences_prefix, self.preferences_suffix = pref_probe.split("TOKEN")
        self.from_header = _from_header()
        self.subject_header = _encode_header(mail_subject(campaign.subject))
        self.sender = envelope_sender()
        # The MIME body, encoded once: per recipient only the two links are encoded and
        # the paragraph on the address's origin chosen (each variant encoded once).
        self._text_pieces = _pieces(self.text)
        self._html_pieces = _pieces(self.html)
        self.notices = origin_notices()
        self._notice_pieces = {
            origin: (_qp_piece(text), _qp_piece(html))
            for origin, (text, html) in self.notices.items()
        }
        self._date = (0, "")
        self._head = (
            f"From: {self.from_header}\r\nSubject: {self.subject_header}\r\n"
            f"MIME-Version: 1.0\r\nList-Id: <newsletter.{self.host}>\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nPrecedence: bulk\r\n"
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"\r\n'
        ).encode()
        html_parts = self.html.split(UNSUBSCRIBE)
        self._html_parts = [p.split(PREFERENCES) for p in html_parts]
        self._text_parts = [p.split(PREFERENCES) for p in self.text.split(UNSUBSCRIBE)]

    def links(self, subscriber_token: str) -> tuple[str, str]:
        token = link_token(subscriber_token, self.campaign.pk)
        return (
            self.unsubscribe_prefix + token + self.unsubscribe_suffix,
            self.preferences_prefix + token + self.preferences_suffix,
        )

    @staticmethod
    def _fill(parts, unsubscribe, preferences) -> str:
        return unsubscribe.join(preferences.join(inner) for inner in parts)

    def bodies(self, subscriber_token: str, origin: str = "") -> tuple[str, str, str]:
        """Plain text, HTML and the unsubscribe link for one subscriber; ``origin`` is
        what ``models.address_origin`` gives for them."""
        unsubscribe, preferences = self.links(subscriber_token)
        text, html = self.notices.get(origin, self.notices[""])
        return (
            self._fill(self._text_parts, unsubscribe, preferences).replace(ORIGIN, text),
            self._fill(self._html_parts, unsubscribe, preferences).replace(ORIGIN, html),
            unsubscribe,
        )

    def message_id(self, delivery_id: int) -> str:
        return f"<k360.{self.campaign.pk}.{delivery_id}@{self.host}>"

    def _date_header(self) -> str:
        second = int(time.time())
        if self._date[0] != second:
            self._date = (second, formatdate(second, localtime=True))
        return self._date[1]

    def message_bytes(
        self, *, to: str, subscriber_token: str, delivery_id: int, origin: str = ""
    ) -> bytes:
        """The whole message, ready for SMTP DATA: CRLF lines, dots already stuffed.
        ``origin`` is what ``models.address_origin`` gives for the subscriber."""
        unsubscribe, preferences = self.links(subscriber_token)
        links = {UNSUBSCRIBE: _qp_piece(unsubscribe), PREFERENCES: _qp_piece(preferences)}
        text_notice, html_notice = self._notice_pieces.get(origin, self._notice_pieces[""])
        boundary = self.boundary.encode()
        out = [
            self._head,
            (
                f"To: {to}\r\nDate: {self._date_header()}\r\n"
                f"Message-ID: {self.message_id(delivery_id)}\r\n"
                f"List-Unsubscribe: <{unsubscribe}>\r\n"
                f"X-K360-Delivery: {self.campaign.pk}.{delivery_id}\r\n\r\n--"
            ).encode(),
            boundary,
            b"\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
        ]
        text_fill = {**links, ORIGIN: text_notice}
        out += [text_fill.get(piece, piece) for piece in self._text_pieces]
        out += [
            b"\r\n--",
            boundary,
            b"\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
        ]
        html_fill = {**links, ORIGIN: html_notice}
        out += [html_fill.get(piece, piece) for piece in self._html_pieces]
        out += [b"\r\n--", boundary, b"--\r\n"]
        return b"".join(out)


def send_test_mail(campaign, user) -> None:
    """Queue the campaign to ``user`` alone, with working links of a test subscriber."""
    from kommune360.core.mail import queue_email

    template = MailTemplate(campaign)
    text, html, unsubscribe = template.bodies("test-" + secrets.token_hex(8))
    queue_email(
        "[Test] " + campaign.subject,
        [user.email],
        text,
        html=html,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
