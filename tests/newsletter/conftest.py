import asyncio
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class Sink:
    """An aiosmtpd handler that keeps every accepted message.

    ``reject`` maps an address to an SMTP reply for RCPT (e.g. ``"550 5.1.1 unknown"``);
    ``delay`` slows each DATA down, so a test can kill a worker mid-batch;
    ``pipelining = False`` makes it a server without RFC 2920 PIPELINING.
    """

    def __init__(self):
        self.messages = []
        self.reject = {}
        self.reject_data = {}  # address -> reply to the end-of-data
        self.times = []  # time.monotonic() of each accepted message
        self.delay = 0.0
        self.lock = threading.Lock()
        self.pipelining = True  # announce RFC 2920 PIPELINING in the EHLO answer
        self.pipelined = False  # set when a MAIL, RCPT and DATA arrived in one packet

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.pipelining:
            responses = [*responses[:-1], "250-PIPELINING", responses[-1]]
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # The reader's buffer already holds RCPT and DATA when the client pipelines.
        if b"DATA" in bytes(server._reader._buffer):
            self.pipelined = True
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return self.reject[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            if rcpt in self.reject_data:
                return self.reject_data[rcpt]
        # Kept before the delay, as a mail server queues a message before it answers:
        # a client that dies while waiting for the answer does not take it back
        # (aiosmtpd cancels this handler when the client's connection ends).
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, envelope.content))
                self.times.append(time.monotonic())
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Ok: queued"

    def parsed(self):
        with self.lock:
            return [
                (rcpt, message_from_bytes(raw, policy=policy.default))
                for rcpt, raw in self.messages
            ]

    def counts(self):
        with self.lock:
            return Counter(rcpt for rcpt, _raw in self.messages)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_sink(settings):
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    sink.port = controller.port
    yield sink
    controller.stop()
