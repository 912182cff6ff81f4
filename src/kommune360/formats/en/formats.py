# Date formats of English pages (see kommune360/formats/__init__.py): day before month
# as in British English, the 24-hour clock as on the German pages; what is not named
# here comes from Django's English formats.

DATE_FORMAT = "j F Y"  # 12 January 2027
DATETIME_FORMAT = "j F Y, H:i"  # 12 January 2027, 14:30
TIME_FORMAT = "H:i"  # 14:30
YEAR_MONTH_FORMAT = "F Y"  # January 2027
MONTH_DAY_FORMAT = "j F"  # 12 January
SHORT_DATE_FORMAT = "j M Y"  # 12 Jan 2027
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 12 Jan 2027, 14:30

# Names of kommune360's own (core.dates).
LONG_DATE_FORMAT = "l, j F Y"  # Tuesday, 12 January 2027
LONG_DATETIME_FORMAT = "l, j F Y, H:i"  # Tuesday, 12 January 2027, 14:30
WEEKDAY_DATE_FORMAT = "D, j F Y"  # Tue, 12 January 2027
WEEKDAY_DATETIME_FORMAT = "D j M, H:i"  # Tue 12 Jan, 14:30 (a programme's sessions)
