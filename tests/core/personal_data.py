"""Core's part of a person's data for the erasure test (``tests/core/test_erasure.py``):
a mail to the person waiting in the outbox. Certificates and audit entries come from the
other apps' fills, which use core's machinery."""

from kommune360.core.mail import queue_email


def fill(person, client, name, email):
    queue_email("Ihre Anfrage", [f"{name} <{email}>"], f"Guten Tag {name},\nvielen Dank.")
