"""Demo content of the network: made-up members in several Länder and roles (some with
closed fields), Fellows of two cohorts, in made-up municipalities (the AGS "999" of a
Kreis exists nowhere)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from kommune360.accounts import roles
from kommune360.accounts.models import User
from kommune360.core.demo import DEMO_PASSWORD
from kommune360.core.models import Municipality, Topic

from . import search
from .models import Profile, Role, Visibility

# Made-up places: (AGS, name, kind, Land, Kreis AGS, population)
PLACES = [
    ("03999", "Landkreis Musterheide", Municipality.Kind.LANDKREIS, "03", None, 180_000),
    ("03999001", "Musterhausen", Municipality.Kind.STADT, "03", "03999", 42_000),
    ("03999002", "Beispielfelde", Municipality.Kind.GEMEINDE, "03", "03999", 9_000),
    ("05999", "Kreis Exempelland", Municipality.Kind.KREIS, "05", None, 310_000),
    ("05999001", "Exempelstadt", Municipality.Kind.STADT, "05", "05999", 64_000),
    ("05998000", "Musterstadt am Rhein", Municipality.Kind.KREISFREIE_STADT, "05", None, 250_000),
    ("09999", "Landkreis Probenau", Municipality.Kind.LANDKREIS, "09", None, 140_000),
    ("09999001", "Probenau", Municipality.Kind.STADT, "09", "09999", 28_000),
    ("14999", "Landkreis Beispieltal", Municipality.Kind.LANDKREIS, "14", None, 220_000),
    ("14998000", "Musterberg", Municipality.Kind.KREISFREIE_STADT, "14", None, 120_000),
    ("12999", "Landkreis Übungsheide", Municipality.Kind.LANDKREIS, "12", None, 95_000),
    ("08999001", "Modellingen", Municipality.Kind.STADT, "08", None, 35_000),
]

FIRST = [
    "Anna",
    "Bernd",
    "Carla",
    "Deniz",
    "Elif",
    "Frank",
    "Greta",
    "Hakan",
    "Ines",
    "Jonas",
    "Katrin",
    "Lars",
    "Meike",
    "Nils",
    "Olga",
    "Paul",
    "Rana",
    "Stefan",
    "Tanja",
    "Ulf",
    "Vera",
    "Willi",
]
LAST = ["Beispiel", "Muster", "Probe", "Exempel", "Modell", "Vorlage", "Entwurf", "Skizze"]
ROLES = [
    Role.YOUTH_OFFICE_HEAD,
    Role.YOUTH_PLANNING,
    Role.YOUTH_PLANNING,
    Role.SOCIAL_PLANNING,
    Role.ADMINISTRATION_HEAD,
    Role.ORGANISATION,
    Role.OTHER,
]
OFFERS = [
    "Erfahrung mit Sozialraumanalysen und Jugendhilfeplanung im ländlichen Raum",
    "Wie wir unsere Hilfen zur Erziehung mit Kennzahlen steuern",
    "Beteiligung junger Menschen an der Planung – unser Jugendforum",
    "Agile Arbeitsweisen im Jugendamt: was bei uns funktioniert hat",
    "Einarbeitung neuer Fachkräfte mit Lernpfaden",
    "Digitale Akten und Fachverfahren einführen",
]
SEEKS = [
    "Austausch zur Steuerung mit Daten",
    "Sparringspartner:in für eine neue Leitungsrolle",
    "Ideen, wie Planung und Leitung besser zusammenarbeiten",
    "Erfahrungen mit Personalgewinnung in der Jugendhilfe",
    "Kolleg:innen, die KI-Werkzeuge in der Verwaltung erproben",
    "Begleitung bei einem Veränderungsprojekt",
]
LANGUAGES = ["Deutsch", "Deutsch, Englisch", "Deutsch, Türkisch", "Deutsch, Polnisch, Englisch"]
COUNT = 44
FELLOWS = {0: 2024, 3: 2024, 7: 2024, 11: 2024, 15: 2025, 19: 2025, 23: 2025, 27: 2025}

LEAD_EMAIL = "netzwerk-leitung@kommune360.example"
PLANNER_EMAIL = "netzwerk-planung@kommune360.example"
DEMO_LOGINS = (
    (LEAD_EMAIL, _("Mitglied im Netzwerk (Jugendamtsleitung, Fellow)")),
    (PLANNER_EMAIL, _("Mitglied im Netzwerk (Jugendhilfeplanung)")),
)


def _email(index):
    if index == 0:
        return LEAD_EMAIL
    if index == 1:
        return PLANNER_EMAIL
    return f"netzwerk{index:02d}@kommune360.example"


def _places():
    for ags, name, kind, state, district, population in PLACES:
        Municipality.objects.get_or_create(
            ags=ags,
            defaults={
                "name": name,
                "kind": kind,
                "state": state,
                "district": Municipality.objects.filter(ags=district).first() if district else None,
                "population": population,
            },
        )
    return list(Municipality.objects.filter(ags__in=[p[0] for p in PLACES]).order_by("ags"))


def load_network_demo():
    places = _places()
    topics = list(Topic.objects.order_by("sort_order", "pk"))
    member = Group.objects.get(name=roles.MEMBER)
    for index in range(COUNT):
        email = _email(index)
        if index == 1:
            first, last = "Pia", "Planer"
        else:
            first, last = FIRST[index % len(FIRST)], LAST[index % len(LAST)]
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, first_name=first, last_name=last
            )
            user.groups.add(member)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
        if Profile.objects.filter(user=user).exists():
            continue
        closed = index % 5 == 4  # every fifth keeps some fields closed
        role = Role.YOUTH_PLANNING if index == 1 else ROLES[index % len(ROLES)]
        profile = Profile.objects.create(
            user=user,
            is_active=index % 11 != 10,  # a few have not switched theirs on
            name=f"{first} {last}",
            name_visibility=Visibility.EVERYBODY if index % 3 == 0 else Visibility.MEMBERS,
            role=role,
            role_visibility=Visibility.EVERYBODY,
            municipality=places[index % len(places)],
            municipality_visibility=Visibility.NOBODY if closed else Visibility.MEMBERS,
            topics_visibility=Visibility.MEMBERS,
            offers=OFFERS[index % len(OFFERS)],
            offers_visibility=Visibility.MEMBERS,
            seeks=SEEKS[(index * 5) % len(SEEKS)],
            seeks_visibility=Visibility.NOBODY if closed else Visibility.MEMBERS,
            languages=LANGUAGES[index % len(LANGUAGES)],
            languages_visibility=Visibility.MEMBERS,
            links="https://beispiel.example/profil" if index % 4 == 0 else "",
            links_visibility=Visibility.EVERYBODY,
            is_fellow=index in FELLOWS,
            fellow_year=FELLOWS.get(index),
            show_as_fellow=index in FELLOWS and index != 27,
        )
        if topics:
            profile.topics.set([topics[index % len(topics)], topics[(index + 3) % len(topics)]])
            profile.offers_topics.set([topics[(index + 1) % len(topics)]])
            profile.seeks_topics.set([topics[(index + 2) % len(topics)]])
        search.index_profile(profile)
    load_matching_demo()


def load_matching_demo():
    """One released round (tandems of Leitung and Planung) and one open round."""
    from .matching import services as matching
    from .models import MatchingRound, Participation

    released_title = "Tandems Leitung & Planung 2025"
    if not MatchingRound.objects.filter(title=released_title).exists():
        round_obj = matching.create_round(
            None,
            released_title,
            "Jugendamtsleitungen und Jugendhilfeplaner:innen aus verschiedenen Kommunen "
            "tauschen sich ein halbes Jahr lang aus.",
        )
        matching.open_round(None, round_obj)
        for user in (
            User.objects.filter(
                email__endswith="@kommune360.example", network_profile__is_active=True
            )
            .filter(email__startswith="netzwerk")
            .order_by("email")[:24]
        ):
            matching.join(user, round_obj, {"partners": 1, "exclude_municipality": True})
        matching.compute_pairs(None, round_obj)
        matching.release(None, round_obj)
        for pair in round_obj.pairs.all()[:4]:
            for person in (pair.first, pair.second):
                matching.answer_pair(person, pair.pk, True)
    open_title = "Tandems Digitalisierung 2026"
    if not MatchingRound.objects.filter(title=open_title).exists():
        round_obj = matching.create_round(
            None,
            open_title,
            "Wer bringt die Digitalisierung im Jugendamt voran? Finden Sie Ihr Tandem.",
        )
        matching.open_round(None, round_obj)
        lead = User.objects.filter(email=LEAD_EMAIL).first()
        if (
            lead is not None
            and not Participation.objects.filter(round=round_obj, user=lead).exists()
        ):
            matching.join(lead, round_obj, {"partners": 2, "exclude_municipality": True})
