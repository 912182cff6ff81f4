"""The training requests' part of a person's data for the erasure test: a request mailed
to the supervisor, with the details kept for the next one."""

from decimal import Decimal

from django.urls import reverse

from tests.factories.learning import CohortFactory, LearningPathFactory, ModuleFactory


def fill(person, client, name, email):
    path = LearningPathFactory(cost=Decimal("350"), provider="Beispiel-Akademie für Verwaltung")
    ModuleFactory(path=path, hours=Decimal("3"))
    CohortFactory(path=path)
    response = client.post(
        reverse("training_requests:form", args=["lernpfad", path.pk]),
        {
            "name": name,
            "position": "Jugendhilfeplanerin",
            "employer": "Jugendamt Ostermoor",
            "supervisor_name": "Dr. Bernd Vorgesetzter",
            "supervisor_email": "bernd.vorgesetzter@ostermoor.example",
            "relevance": "Ich plane die Neuaufstellung unserer Jugendhilfeplanung.",
            "remember": "on",
            "format": "mail",
        },
    )
    assert response.status_code == 200, response.status_code
    assert "unterwegs" in response.content.decode()
