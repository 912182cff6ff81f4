"""Participation's part of a person's data for the erasure test: a contribution with the
name shown, one kept anonymously on erasure, and a report."""

from kommune360.participation import services
from kommune360.participation.models import Kind, Role
from kommune360.participation.targets import target_for
from tests.factories.participation import CallFactory, ContributionFactory


def fill(person, client, name, email):
    call = CallFactory()
    target = target_for(call)
    for keep in (False, True):
        services.submit_contribution(
            target,
            kind=Kind.COMMENT,
            role=Role.MUNICIPAL,
            text="Wir brauchen mehr Austausch zwischen den Ämtern.",
            user=person,
            name=name,
            email=email,
            affiliation="Jugendamt Ostermoor",
            keep_text_on_erasure=keep,
        )
    services.report(ContributionFactory(target=call), reason="off_topic", reporter=person)
