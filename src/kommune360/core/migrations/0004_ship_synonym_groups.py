"""Groups of search words that the field uses for the same thing; editors may change them.

A term matches every word it begins (stems, as the search compares them), so short or
common words ("Kurs" → "kur…", "Begleitung" → "begleit…") stay out: they would find
nearly everything.
"""

from django.db import migrations

from kommune360.core.migration_operations import grant_model_permissions

GROUPS = {
    "Fortbildung und Weiterbildung": [
        "Fortbildung",
        "Weiterbildung",
        "Qualifizierung",
        "Schulung",
        "Lehrgang",
        "Training",
    ],
    "Agile Methoden": ["agil", "agile Methoden", "Agilität", "Scrum", "Kanban", "Sprint"],
    "Design Thinking": [
        "Design Thinking",
        "nutzerzentriert",
        "Nutzerzentrierung",
        "Human-Centered Design",
        "Prototyping",
        "Prototyp",
    ],
    "Beteiligung": ["Beteiligung", "Partizipation", "Mitwirkung", "Mitbestimmung"],
    "Jugendhilfeplanung": ["Jugendhilfeplanung", "Jugendhilfeplaner", "JHP"],
    "Leitung und Führung": [
        "Leitung",
        "Führung",
        "Führungskraft",
        "Leitungskraft",
        "Amtsleitung",
        "Management",
    ],
    "Digitalisierung": [
        "Digitalisierung",
        "digitale Transformation",
        "E-Government",
        "Onlinezugangsgesetz",
        "OZG",
    ],
    "Online-Formate": ["online", "Webinar", "virtuell", "E-Learning", "Videokonferenz"],
    "Veränderung": [
        "Veränderungsmanagement",
        "Change Management",
        "Organisationsentwicklung",
        "Transformation",
        "Wandel",
    ],
    "Austausch und Vernetzung": [
        "Vernetzung",
        "Netzwerk",
        "Austausch",
        "Peer-Learning",
        "kollegiale Beratung",
        "Hospitation",
    ],
    "Coaching": ["Coaching", "Supervision", "Mentoring"],
    "Kinder- und Jugendhilfe": ["Kinder- und Jugendhilfe", "Jugendhilfe", "SGB VIII"],
    "Fachkräfte": ["Fachkräfte", "Mitarbeitende", "Beschäftigte", "Personal"],
    "Verwaltung": ["Verwaltung", "Kommunalverwaltung", "Behörde", "öffentliche Verwaltung"],
    "Innovation": ["Innovation", "innovativ", "Verwaltungsinnovation", "Experimentierraum"],
    "Wirkung": ["Wirkungsorientierung", "Wirkungsmessung", "Evaluation", "Wirkungsanalyse"],
    "Kostenfrei": ["kostenfrei", "kostenlos", "gratis", "gebührenfrei"],
    "Bescheinigung": ["Teilnahmebescheinigung", "Bescheinigung", "Zertifikat", "Nachweis"],
}


def ship(apps, schema_editor):
    SynonymGroup = apps.get_model("core", "SynonymGroup")
    for name, terms in GROUPS.items():
        SynonymGroup.objects.get_or_create(name=name, defaults={"terms": "\n".join(terms)})


def unship(apps, schema_editor):
    apps.get_model("core", "SynonymGroup").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0003_synonym_groups"), ("accounts", "0003_roles")]

    operations = [
        migrations.RunPython(ship, unship),
        # Editors keep the groups, as they keep the taxonomy.
        migrations.RunPython(
            grant_model_permissions("core", ["synonymgroup"], ["Redaktion", "Administration"]),
            migrations.RunPython.noop,
        ),
    ]
