"""Demo content of Mitdenken: the general call and a few contributions of each kind.

Names and places are made up and look it (Musterstadt, Beispiel-Akademie). Runs again
without creating anything twice. Other apps' commentable items (the analysis, offers,
articles) get a few contributions too when they exist.
"""

from django.db import transaction

from kommune360.core.registry import registry

from .models import Call, Contribution, Kind, Role, Status
from .services import (
    answer,
    approve,
    confirm_contribution,
    confirmation_token,
    submit_contribution,
)
from .targets import sections_of, target_for

CALL = {
    "title": "Mitdenker:innen gesucht",
    "slug": "mitdenker-innen-gesucht",
    "lead": (
        "Unsere Analyse der Unterstützungsangebote für kommunale Akteur:innen ist ein "
        "Zwischenstand. Sie wird besser, wenn viele Perspektiven sie prüfen."
    ),
    "questions": (
        "Wo liegen wir richtig?\nWas haben wir übersehen?\nWen sollten wir noch mitdenken?"
    ),
    "body": (
        "Arbeiten Sie in einer Kommune? Dann erzählen Sie uns, was Ihnen geholfen hat und "
        "was gefehlt hat. Bieten Sie selbst Fortbildung, Beratung oder Vernetzung an? "
        "Kommentieren Sie unsere Eindrücke oder schlagen Sie eine Zusammenarbeit vor.\n\n"
        "Sie sehen manches ganz anders? Widersprechen Sie ausdrücklich oder bitten Sie um "
        "ein Gespräch. Kooperationsinteressen und Diskursanfragen lesen nur wir; Kommentare "
        "und Widersprüche erscheinen nach einer kurzen Prüfung auf dieser Seite."
    ),
}

# (kind, role, name, affiliation, text, anonymous, answer)
CONTRIBUTIONS = [
    (
        Kind.COMMENT,
        Role.MUNICIPAL,
        "Erika Beispiel",
        "Jugendamt Musterstadt",
        "Bei uns scheitert Fortbildung selten am Interesse, fast immer am Antrag: Ohne "
        "Teilnahmebescheinigung und klare Stundenzahl genehmigt die Personalstelle nichts.",
        False,
        "Danke! Genau diese Angaben zeigen wir jetzt bei jedem Angebot im Kasten für den "
        "Fortbildungsantrag.",
    ),
    (
        Kind.OBJECTION,
        Role.PROVIDER,
        "Max Mustermann",
        "Beispiel-Akademie",
        "Dass agile Methoden die Verwaltung kaum erreichen, stimmt so nicht ganz: Unsere "
        "Kurse sind voll, nur melden sich vor allem Führungskräfte an, kaum Sachbearbeitung.",
        False,
        "",
    ),
    (
        Kind.COMMENT,
        Role.SCIENCE,
        "Dr. Testine Probe",
        "Hochschule Beispielhausen",
        "Spannend wäre ein Blick darauf, wie viele Angebote überhaupt in Arbeitszeit "
        "stattfinden können. Das entscheidet oft mehr als der Preis.",
        True,
        "",
    ),
    (
        Kind.COOPERATION,
        Role.PROVIDER,
        "Beispiel Stiftung für Verwaltung",
        "Beispiel Stiftung für Verwaltung",
        "Wir würden gern einen gemeinsamen Lernpfad für die Jugendhilfeplanung entwickeln.",
        False,
        "",
    ),
    (
        Kind.DISCOURSE,
        Role.CIVIL_SOCIETY,
        "Jonas Exempel",
        "Verein Musterbeteiligung",
        "Können wir über die Rolle freier Träger in Ihrer Analyse sprechen? Wir sehen dort "
        "eine Lücke.",
        False,
        "",
    ),
]

DEMO_EMAIL = "mitdenken-demo-{key}-{index}@example.org"


def _moderator():
    from django.contrib.auth import get_user_model

    from .services import moderators

    user = moderators().first()
    if user is None:
        user = get_user_model().objects.filter(is_superuser=True).first()
    return user


def _fill(target, moderator, rows):
    if target is None or not target.is_public():
        return
    exists = Contribution.objects.for_target(
        target.content_type, target.object_id, target.section
    ).exists()
    if exists:
        return
    for index, (kind, role, name, affiliation, text, anonymous, reply) in enumerate(rows):
        contribution = submit_contribution(
            target,
            kind=kind,
            role=role,
            text=text,
            affiliation=affiliation,
            name=name,
            email=DEMO_EMAIL.format(key=target.key, index=index),
            anonymous=anonymous,
        )
        # Demo people confirm their address through their link, like everybody.
        contribution = confirm_contribution(confirmation_token(contribution))
        if contribution.status == Status.PENDING and moderator is not None:
            approve(contribution, moderator, note="Demo")
            if reply:
                answer(contribution, moderator, reply)


@transaction.atomic
def load_participation_demo():
    call, _created = Call.objects.get_or_create(slug=CALL["slug"], defaults=CALL)
    moderator = _moderator()
    _fill(target_for(call), moderator, CONTRIBUTIONS)
    # Whatever other apps declared commentable: the first item, and each of its
    # sections, gets two published contributions.
    for entry in registry.commentables():
        if entry.model is Call:
            continue
        obj = entry.model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        if hasattr(obj, "specific"):
            obj = obj.specific
        _fill(target_for(obj), moderator, CONTRIBUTIONS[:2])
        for key, _label in sections_of(obj, entry.options)[:3]:
            _fill(target_for(obj, key), moderator, CONTRIBUTIONS[:1])
