# Date formats of German pages (see kommune360/formats/__init__.py); what is not named
# here comes from Django's German formats (input formats, number separators).

DATE_FORMAT = "j. F Y"  # 12. Januar 2027
DATETIME_FORMAT = "j. F Y, H:i"  # 12. Januar 2027, 14:30
TIME_FORMAT = "H:i"  # 14:30
YEAR_MONTH_FORMAT = "F Y"  # Januar 2027
MONTH_DAY_FORMAT = "j. F"  # 12. Januar
SHORT_DATE_FORMAT = "d.m.Y"  # 12.01.2027
SHORT_DATETIME_FORMAT = "d.m.Y H:i"  # 12.01.2027 14:30

# Names of kommune360's own (core.dates).
LONG_DATE_FORMAT = "l, j. F Y"  # Dienstag, 12. Januar 2027
LONG_DATETIME_FORMAT = "l, j. F Y, H:i"  # Dienstag, 12. Januar 2027, 14:30
WEEKDAY_DATE_FORMAT = "D, j. F Y"  # Di, 12. Januar 2027
WEEKDAY_DATETIME_FORMAT = "D j.n. H:i"  # Di 12.1. 14:30 (a programme's sessions)
