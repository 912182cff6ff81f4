"""Demo content of the newsletter: topics, a few subscribers, the December 2024 issue
(sent, in the archive) and a draft of the next one. Idempotent."""

from .models import Topic

TOPICS = [
    ("Allgemein", "Neues aus dem Netzwerk, Magazin und Podcast", True, 10),
    ("Jugendhilfe", "Lernpfade, Praxis und Austausch rund um das Jugendamt", False, 20),
    ("Festival", "Programm und Anmeldung zum K360-Festival", False, 30),
]


def load_topics():
    for name, description, default, order in TOPICS:
        Topic.objects.get_or_create(
            name=name,
            defaults={"description": description, "default_selected": default, "sort_order": order},
        )


def load_newsletter_demo():
    load_topics()
