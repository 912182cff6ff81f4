"""SMTP transport of the newsletter: one connection that can hold back the
end-of-data line (so the journal can record the offer first), and any other Django
mail backend for files or providers (docs/newsletter.md, "Sending").
"""

from __future__ import annotations

import smtplib
import socket
import ssl

from django.conf import settings

from kommune360.core.text import mail_subject

CRLF = b"\r\n"


def stuff_dots(data: bytes) -> bytes:
    """SMTP transparency (RFC 5321, 4.5.2): a line that starts with '.' gets another.

    ``data`` starts at a line start; CRLF and bare LF line ends both count.
    """
    data = data.replace(b"\n.", b"\n..")
    return b"." + data if data.startswith(b".") else data


class TemporaryError(Exception):
    pass


class PermanentError(Exception):
    pass


class NotAcceptedError(TemporaryError):
    """Failed after ``before_dot`` ran: the journal must record the refusal."""


def smtp_settings_in_use() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def _smtp_address(address: str) -> str:
    """``<local@domain>`` in ASCII: an internationalised domain as IDNA."""
    local, _sep, domain = address.rpartition("@")
    local.encode("ascii")
    return f"<{local}@{domain.encode('idna').decode('ascii')}>"


class SmtpTransport:
    """One SMTP connection that can hold back the end-of-data line.

    With PIPELINING the envelope of the next message (``MAIL``, ``RCPT``, ``DATA``)
    leaves in the same packet as the end-of-data line of the current one, so each
    message costs one round trip. Should the worker die right after that write, the
    server is left waiting for the next message's content; the connection drops and
    the server discards the half-begun message, which was never journaled.
    """

    def __init__(self):
        self.smtp = None
        self.pipelining = False
        self.sender = None
        self.pending = None  # recipient whose envelope went out, replies not yet read

    def open(self):
        host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
        timeout = settings.EMAIL_TIMEOUT or 30
        if settings.EMAIL_USE_SSL:
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if settings.EMAIL_USE_TLS:
                smtp.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            smtp.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        smtp.ehlo_or_helo_if_needed()
        # The end-of-data line must leave at once, not wait behind Nagle's algorithm.
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # RFC 2920: MAIL, RCPT and DATA go out in one packet when the server allows it.
        self.pipelining = smtp.has_extn("pipelining")
        self.pending = None
        self.smtp = smtp

    def close(self):
        if self.smtp is not None:
            if self.pending is not None:
                # The server may be reading the next message's content: dropping the
                # connection without an end-of-data makes it discard that message.
                self.smtp.close()
            else:
                try:
                    self.smtp.quit()
                except (smtplib.SMTPException, OSError):
                    self.smtp.close()
            self.smtp = None
            self.pending = None

    def _check(self, code, response, ok, about_recipient=True):
        if code in ok:
            return
        try:
            self.smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
        if isinstance(response, bytes):
            response = response.decode(errors="replace")
        text = f"{code} {response}"
        if 500 <= code < 600 and about_recipient:
            raise PermanentError(text)
        raise TemporaryError(text)

    @staticmethod
    def _envelope(sender, recipient) -> bytes:
        return (
            f"MAIL FROM:{_smtp_address(sender)}\r\nRCPT TO:{_smtp_address(recipient)}\r\nDATA\r\n"
        ).encode("ascii")

    def _envelope_pipelined(self, sender, recipient):
        """MAIL, RCPT and DATA in one write (or already sent), then the three replies."""
        smtp = self.smtp
        if self.pending != recipient:
            try:
                envelope = self._envelope(sender, recipient)
            except UnicodeError as error:
                raise PermanentError(f"address not usable in SMTP: {recipient}") from error
            smtp.send(envelope)
        self.pending = None
        mail_reply, rcpt_reply, data_reply = smtp.getreply(), smtp.getreply(), smtp.getreply()
        if data_reply[0] == 354 and (mail_reply[0] != 250 or rcpt_reply[0] not in (250, 251)):
            # A server that starts DATA without a recipient gets an empty message, which
            # it cannot deliver to anybody (RFC 2920, section 3.1).
            smtp.send(b"." + CRLF)
            smtp.getreply()
        self._check(*mail_reply, ok=(250,), about_recipient=False)
        self._check(*rcpt_reply, ok=(250, 251))
        self._check(*data_reply, ok=(354,), about_recipient=False)

    def send(
        self, sender, recipient, message: bytes, before_dot, stuffed=False, next_recipient=None
    ) -> bool:
        """Send one message; ``before_dot()`` runs right before the end-of-data.

        ``stuffed``: the message has CRLF line ends and its dots are already doubled
        (``MailTemplate.message_bytes``). ``next_recipient``: the address of the
        message that follows on this connection; with PIPELINING its envelope goes
        out together with this end-of-data.

        Returns True when the server confirmed with 250, False when the answer got
        lost after the end-of-data (then the message most likely arrived).
        """
        if self.smtp is not None and self.pending not in (None, recipient):
            self.close()  # an envelope for someone else is under way: start afresh
        if self.smtp is None:
            self.open()
        smtp = self.smtp
        try:
            if self.pipelining:
                self._envelope_pipelined(sender, recipient)
            else:
                # A refused sender or DATA is the server's problem, not the recipient's.
                self._check(*smtp.mail(sender), ok=(250,), about_recipient=False)
                self._check(*smtp.rcpt(recipient), ok=(250, 251))
                smtp.putcmd("data")
                self._check(*smtp.getreply(), ok=(354,), about_recipient=False)
            data = message if stuffed else stuff_dots(message)
            if not data.endswith(CRLF):
                data += CRLF
            smtp.send(data)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            self.close()
            raise TemporaryError(f"connection: {error}") from error
        tail = b"." + CRLF
        if self.pipelining and next_recipient is not None:
            try:
                tail += self._envelope(sender, next_recipient)
            except UnicodeError:
                next_recipient = None  # its own send() reports the address
        else:
            next_recipient = None
        before_dot()
        try:
            smtp.send(tail)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            # The server never read the end-of-data: not accepted.
            self.close()
            raise NotAcceptedError(f"connection: {error}") from error
        self.pending = next_recipient
        try:
            code, response = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError):
            # End-of-data written, no answer: most likely accepted. Count it as
            # sent rather than risk a second copy (docs/newsletter.md).
            self.close()
            return False
        if code != 250:
            # Refused; the next envelope's replies stay unread for the next send().
            if isinstance(response, bytes):
                response = response.decode(errors="replace")
            text = f"{code} {response}"
            if 500 <= code < 600:
                raise PermanentError(text)
            raise TemporaryError(text)
        return True


class DjangoTransport:
    """Any other Django mail backend (files, anymail providers): commit after sending."""

    def __init__(self, template):
        self.template = template
        self.connection = None

    def open(self):
        from django.core.mail import get_connection

        self.connection = get_connection()

    def close(self):
        self.connection = None

    def send_message(self, delivery, before_dot):
        from django.core.mail import EmailMultiAlternatives

        if self.connection is None:
            self.open()
        text, html, unsubscribe = self.template.bodies(
            delivery["subscriber__token"], delivery.get("origin", "")
        )
        message = EmailMultiAlternatives(
            subject=mail_subject(self.template.campaign.subject),
            body=text,
            to=[delivery["email"]],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Message-ID": self.template.message_id(delivery["id"]),
                "X-K360-Delivery": f"{self.template.campaign.pk}.{delivery['id']}",
            },
        )
        message.attach_alternative(html, "text/html")
        before_dot()
        try:
            self.connection.send_messages([message])
        except Exception as error:
            raise NotAcceptedError(str(error)) from error
        return True
