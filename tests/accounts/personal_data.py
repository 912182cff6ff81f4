"""Fills the account's part of a person's data for the erasure test
(``tests/core/test_erasure.py``): a second address, a profile change, an export."""

from allauth.account.models import EmailAddress

from kommune360.accounts import services


def fill(person, client, name, email):
    EmailAddress.objects.create(user=person, email=f"zweit.{email}", verified=False)
    services.update_profile(
        person,
        first_name=person.first_name,
        last_name=person.last_name,
        organisation=person.organisation,
        position="Jugendhilfeplanerin",
    )
    assert client.post("/konto/meine-daten/herunterladen/").status_code == 200
