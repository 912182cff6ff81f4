"""Logged-in members for load benchmarks without logging in: a session row per user,
written directly (no password hashing, no login requests). Runs with Django set up."""

from datetime import timedelta


def logged_in(users, name_prefix):
    """Create a session per user; ``[{"session": key, "name": "<prefix> <last name>"}]``."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    now = timezone.now()
    store = SessionStore()
    sessions, people = [], []
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        sessions.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=now + timedelta(days=1),
            )
        )
        people.append({"session": key, "name": f"{name_prefix} {user.last_name}"})
    Session.objects.bulk_create(sessions, batch_size=500)
    return people
