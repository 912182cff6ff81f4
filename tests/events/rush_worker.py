"""Run by test_concurrency: one OS process that registers people for an event.

Usage: python rush_worker.py EVENT_ID START_AT EMAIL... (the database comes from
DATABASE_URL). Prints one status per line.
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")

import django

django.setup()

from kommune360.events import services  # noqa: E402
from kommune360.events.models import Event  # noqa: E402


def main():
    event_id, start_at, *emails = sys.argv[1:]
    event = Event.objects.get(pk=int(event_id))
    while time.time() < float(start_at):
        time.sleep(0.005)
    for email in emails:
        try:
            registration = services.register_for_event(event, name=email, email=email)
            print(registration.status, flush=True)
        except services.RegistrationError as error:
            print(type(error).__name__, flush=True)


if __name__ == "__main__":
    main()
