"""What an applicant agrees to in the application form, and the version of that wording.

Change ``VERSION`` whenever a wording changes: each agreement is stored with the version
it was given to (``Application.consent_version``, ``showcase_consent_version``).
"""

from django.utils.translation import gettext_lazy as _

VERSION = "2026-12"

REVIEW = _(
    "Ich bin einverstanden, dass die Redaktion und die Jury dieser Ausschreibung die "
    "Bewerbung mit allen Angaben und Anhängen lesen und bewerten."
)
SHOWCASE = _(
    "Freiwillig: Wird die Lösung ausgezeichnet, darf sie mit den Angaben der Bewerbung "
    "und der Ansprechperson öffentlich als Lösungsprofil gezeigt werden. Sie können "
    "dies bis zum Bewerbungsschluss zurücknehmen."
)
MISSING = _("Bitte stimmen Sie der Begutachtung durch die Jury zu, bevor Sie einreichen.")
