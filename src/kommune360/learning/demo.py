"""Demo content: Lernpfad Change and Lernpfad Führung, each with a finished cohort
(attendance recorded, certificates issued) and a cohort open for applications.

People and places the brief does not name are made up and look made up (Musterstadt,
Beispiel-Akademie, addresses at kommune360.example). Idempotent: paths by slug,
cohorts by title, applications by (cohort, person); certificates are issued once.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.demo import DEMO_PASSWORD
from kommune360.core.models import TargetGroup

from .models import (
    Application,
    Attendance,
    Cohort,
    CohortDate,
    Feedback,
    LearningPath,
    Material,
    Module,
)

BERLIN = timezone.get_default_timezone()

PATHS = [
    {
        "slug": "change",
        "title": "Lernpfad Change",
        "summary": (
            "Veränderung im Jugendamt gemeinsam angehen: Werkzeuge für Change, Vernetzung "
            "mit Kolleg:innen aus anderen Kommunen und Zeit für das eigene Vorhaben."
        ),
        "goals": (
            "Ein eigenes Veränderungsvorhaben im Amt planen\n"
            "Kolleg:innen und Leitung für Veränderung gewinnen\n"
            "Kollegiale Beratung für schwierige Situationen nutzen"
        ),
        "modules": [
            ("Auftakt: Warum Veränderung?", Module.Kind.ONLINE, "3"),
            ("Werkstatt Veränderungsvorhaben", Module.Kind.PRESENCE, "7"),
            ("Lesen und Ausprobieren", Module.Kind.SELF_STUDY, "4"),
            ("Kollegiale Beratung", Module.Kind.PEER, "3"),
            ("Abschluss und Ausblick", Module.Kind.ONLINE, "3"),
        ],
    },
    {
        "slug": "fuehrung",
        "title": "Lernpfad Führung",
        "summary": (
            "Führen, wenn sich die Verwaltung verändert: für Leitungen und alle, die es "
            "werden wollen, mit Präsenztreffen und Online-Sitzungen."
        ),
        "goals": (
            "Die eigene Rolle als Führungskraft im Wandel klären\n"
            "Teams durch Veränderung begleiten\n"
            "Steuerung und Beteiligung verbinden"
        ),
        "modules": [
            ("Rolle und Haltung", Module.Kind.ONLINE, "3"),
            ("Führen im Wandel", Module.Kind.PRESENCE, "8"),
            ("Fallarbeit in Kleingruppen", Module.Kind.PEER, "4"),
            ("Selbststudium Steuerung", Module.Kind.SELF_STUDY, "3"),
        ],
    },
]


def _person(n, email=None, first_name="Beispiel", last_name=None, password=None):
    from allauth.account.models import EmailAddress

    from kommune360.accounts.models import User

    email = email or f"lernpfad-teilnehmerin-{n}@kommune360.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first_name,
            last_name=last_name or f"Teilnehmerin {n}",
            organisation="Jugendamt Musterstadt",
        )
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user


def _cohort(path, title, starts_on, ends_on, opens, closes, modules):
    cohort, _created = Cohort.objects.get_or_create(
        path=path,
        title=title,
        defaults={
            "starts_on": starts_on,
            "ends_on": ends_on,
            "place": "Beispiel-Akademie, Musterstadt",
            "facilitator_names": "Erika Beispiel, Max Muster",
            "capacity": 16,
            "applications_open_on": opens,
            "applications_close_on": closes,
        },
    )
    # The facilitator's account records attendance on the cohort's attendance lists.
    cohort.facilitators.add(
        _person(0, FACILITATOR_LOGIN, "Erika", "Beispiel", password=DEMO_PASSWORD)
    )
    span = (ends_on - starts_on).days // max(len(modules), 1)
    for index, module in enumerate(modules):
        day = starts_on + datetime.timedelta(days=index * span)
        start = datetime.datetime.combine(day, datetime.time(10), tzinfo=BERLIN)
        CohortDate.objects.get_or_create(
            cohort=cohort,
            module=module,
            defaults={"starts_at": start, "ends_at": start + datetime.timedelta(hours=3)},
        )
    return cohort


FACILITATOR_LOGIN = "lernpfad-begleitung@kommune360.example"
DEMO_LOGINS = ((FACILITATOR_LOGIN, _("Begleitung einer Lernpfad-Kohorte (Anwesenheit, Material)")),)


def load_learning_demo():
    from .services import certificate_eligibility, issue_learning_certificate

    groups = list(TargetGroup.objects.filter(is_municipal=True)[:2])
    today = timezone.localdate()
    for spec in PATHS:
        path, _created = LearningPath.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "summary": spec["summary"],
                "goals": spec["goals"],
                "cost": Decimal("0"),
                "cost_note": "Material und Verpflegung bei Präsenztreffen",
                "is_published": True,
            },
        )
        path.target_groups.add(*groups)
        modules = []
        for order, (title, kind, hours) in enumerate(spec["modules"], start=1):
            module, _created = Module.objects.get_or_create(
                path=path,
                title=title,
                defaults={"order": order, "kind": kind, "hours": Decimal(hours)},
            )
            modules.append(module)
        finished = _cohort(
            path,
            "Kohorte Frühjahr 2024",
            datetime.date(2024, 2, 1),
            datetime.date(2024, 6, 30),
            datetime.date(2023, 11, 1),
            datetime.date(2023, 12, 31),
            modules,
        )
        _cohort(
            path,
            f"Kohorte {today.year + 1}",
            today + datetime.timedelta(days=60),
            today + datetime.timedelta(days=180),
            today - datetime.timedelta(days=10),
            today + datetime.timedelta(days=30),
            modules,
        )
        now = timezone.now()
        for n in range(1, 7):
            application, created = Application.objects.get_or_create(
                cohort=finished,
                user=_person(n),
                defaults={
                    "role": "Jugendhilfeplaner:in" if n % 2 else "Jugendamtsleitung",
                    "employer": "Jugendamt Musterstadt",
                    "motivation": "Ich möchte Veränderung in unserem Amt begleiten.",
                    "status": Application.Status.ACCEPTED,
                    "created_at": now,
                    "decided_at": now,
                },
            )
            # Person 6 missed most of it: the demo shows someone without a certificate.
            attended = modules if n < 6 else modules[:1]
            for module in attended:
                Attendance.objects.get_or_create(
                    application=application, module=module, defaults={"recorded_at": now}
                )
            if certificate_eligibility(application, log=False)[0]:
                issue_learning_certificate(application)
        _material(modules)
        if spec["slug"] == "change":
            _quote(finished)


def _material(modules):
    """One made-up link per module, for every cohort of the path."""
    for module in modules:
        Material.objects.get_or_create(
            module=module,
            cohort=None,
            title=f"Arbeitsblatt: {module.title}",
            defaults={"url": f"https://beispiel-akademie.example/material/{module.pk}/"},
        )


def _quote(cohort):
    """The feedback of a participant of Lernpfad Change named in the brief, in our own
    words, published as a quote on the path's page. Given on paper at the closing
    meeting, so it belongs to no account."""
    from .services import publish_feedback

    feedback, _created = Feedback.objects.get_or_create(
        cohort=cohort,
        application=None,
        author_name="Martin Mende-Döring",
        defaults={
            "rating": 5,
            "text": (
                "Der Lernpfad hat bei uns Vernetzung und gemeinsames Verändern richtig in "
                "Schwung gebracht. Ich gehe gestärkt zurück in den Alltag und gestalte ihn "
                "jetzt bewusster."
            ),
            "publish_consent": True,
            "attribution": Feedback.Attribution.NAME_AND_ROLE,
            "author_role": "Landkreis Augsburg",
            "created_at": datetime.datetime(2024, 6, 28, 15, tzinfo=BERLIN),
        },
    )
    publish_feedback(feedback)
