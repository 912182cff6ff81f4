"""Date and time formats per language (``FORMAT_MODULE_PATH``).

Templates and code never type a date format: they name one of these
(``{{ value|local_date:"LONG_DATE_FORMAT" }}``, ``core.dates.local_date(value,
"SHORT_DATE_FORMAT")``), and each language says how it looks. Names Django knows
(``DATE_FORMAT`` …) work with Django's ``date`` filter as well; the others only through
``core.dates``. ``tests/core/test_date_formats.py`` keeps both languages complete.
"""
