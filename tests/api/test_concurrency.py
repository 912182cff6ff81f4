"""Keys created at once (PostgreSQL): the limit of valid keys holds."""

import threading

import pytest
from django.db import connection, connections

from kommune360.api import tokens

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_postgres_keys_created_at_once_stay_within_the_limit(provider):
    user = provider.maintainers.get()
    for number in range(tokens.MAX_ACTIVE - 1):
        tokens.create_token(user, f"Schlüssel {number}", 30)
    barrier = threading.Barrier(4)
    made, refused, errors = [], [], []

    def create(number):
        try:
            barrier.wait()
            made.append(tokens.create_token(user, f"Gleichzeitig {number}", 30))
        except tokens.TooManyTokens:
            refused.append(number)
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert (len(made), len(refused)) == (1, 3)
    assert tokens.valid_tokens_of(user).count() == tokens.MAX_ACTIVE
