"""Ordering names as people read them: a number in a name by its value, so that
"Person 2" comes before "Person 10" and "Person 100" (a database compares text
character by character: 1, 10, 100, 2).

``NaturalKey(field)`` is the sort key in the query itself, on both databases: every
run of digits padded with zeros to ``WIDTH`` digits. PostgreSQL builds it with two
regular expressions; SQLite calls ``natural_key`` below, registered on each of its
connections (``connect_sqlite``, from ``CoreConfig.ready``). ``by_name(field)`` is an
ordering with that key and the name itself as tie-break (``007`` and ``7``).
"""

import re

from django.db.models import F, Func, TextField

WIDTH = 10
SQLITE_FUNCTION = "k360_natural_key"
_DIGITS = re.compile(r"[0-9]+")


def _pad(match) -> str:
    digits = match.group()
    # As PostgreSQL's expressions do: a longer run keeps all its digits behind the zeros.
    return "0" * WIDTH + digits if len(digits) > WIDTH else digits.zfill(WIDTH)


def natural_key(text):
    return None if text is None else _DIGITS.sub(_pad, text)


class NaturalKey(Func):
    arity = 1
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        # First put WIDTH zeros before every run of digits, then keep the last WIDTH
        # digits of each run (the zeros a short number needs).
        template = (
            "regexp_replace(regexp_replace(%(expressions)s, '([0-9]+)', "
            f"'{'0' * WIDTH}\\1', 'g'), '0*([0-9]{{{WIDTH}}})(?![0-9])', '\\1', 'g')"
        )
        return self.as_sql(compiler, connection, template=template, **extra_context)


def by_name(*fields):
    """An ``order_by`` for names: by ``NaturalKey`` of each field, then the field."""
    return [*(NaturalKey(F(name)) for name in fields), *fields]


def connect_sqlite(sender, connection, **kwargs):
    """``connection_created`` receiver: SQLite learns ``natural_key``."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, natural_key, deterministic=True)
