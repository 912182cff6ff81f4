"""The network's locks under real concurrency (PostgreSQL, threads, one connection
each): a double-clicked contact request stays one open request; accept and decline at
once decide once; a double opt-in stays one participation; both sides accepting a
tandem at once exchange the contact details once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from kommune360.network.matching import services as rounds
from kommune360.network.models import ContactRequest, Pair, Participation, Role
from kommune360.network.services import contact
from tests.factories.accounts import UserFactory
from tests.factories.network import MunicipalityFactory, ProfileFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.postgres,
    # No Wagtail site needed: after another transactional test's flush there is none.
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls):
    """Run the calls in threads released together; their results or the errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except ValidationError as error:
            results[index] = error
        except Exception as error:  # an unexpected error fails the test below
            results[index] = RuntimeError(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(isinstance(r, RuntimeError) for r in results), results
    return results


def sent_to(outbox, address, subject=""):
    """Mails delivered (after the commit) to ``address``."""
    return [m for m in outbox if m.to == [address] and subject in m.subject]


def test_a_double_clicked_contact_request_stays_one(mailoutbox):
    sender = ProfileFactory().user
    recipient = ProfileFactory(user=UserFactory(email="empfang@amt.example"))
    results = at_once(
        *[lambda: contact.send_request(sender, recipient, "Hallo!") for _n in range(3)]
    )
    assert sum(isinstance(r, ContactRequest) for r in results) == 1
    assert all(
        "noch offen" in " ".join(r.messages) for r in results if isinstance(r, ValidationError)
    )
    assert ContactRequest.objects.filter(state=ContactRequest.State.OPEN).count() == 1
    assert len(sent_to(mailoutbox, "empfang@amt.example")) == 1


def test_accept_and_decline_at_once_decide_once(mailoutbox):
    sender = ProfileFactory(user=UserFactory(email="frage@amt.example")).user
    recipient = ProfileFactory()
    request = contact.send_request(sender, recipient, "Hallo!")
    user = recipient.user
    results = at_once(
        lambda: contact.accept_request(user, request.pk),
        lambda: contact.decline_request(user, request.pk, "Keine Zeit"),
        lambda: contact.accept_request(user, request.pk),
    )
    decided = [r for r in results if isinstance(r, ContactRequest)]
    assert len(decided) == 1
    assert all(
        "schon entschieden" in " ".join(r.messages)
        for r in results
        if isinstance(r, ValidationError)
    )
    request.refresh_from_db()
    assert request.state == decided[0].state
    # The sender got one answer.
    assert len(sent_to(mailoutbox, "frage@amt.example")) == 1


def test_a_double_opt_in_stays_one_participation():
    round_obj = rounds.open_round(None, rounds.create_round(None, "Tandems"))
    user = ProfileFactory().user
    others = [ProfileFactory().user for _n in range(3)]
    results = at_once(
        lambda: rounds.join(user, round_obj, {"partners": 1}),
        lambda: rounds.join(user, round_obj, {"partners": 2, "excluded": others[:1]}),
        *[lambda u=u: rounds.join(u, round_obj, {"partners": 1}) for u in others],
    )
    assert all(isinstance(r, Participation) for r in results)
    assert Participation.objects.filter(round=round_obj, user=user).count() == 1
    assert Participation.objects.filter(round=round_obj).count() == 4


def test_both_sides_accepting_a_tandem_at_once_exchange_details_once(mailoutbox):
    round_obj = rounds.open_round(None, rounds.create_round(None, "Tandems"))
    lead = ProfileFactory(
        role=Role.YOUTH_OFFICE_HEAD,
        municipality=MunicipalityFactory(ags="03990001", state="03"),
        user=UserFactory(email="leitung@amt.example"),
    ).user
    planner = ProfileFactory(
        role=Role.YOUTH_PLANNING,
        municipality=MunicipalityFactory(ags="05990001", state="05"),
        user=UserFactory(email="planung@amt.example"),
    ).user
    for user in (lead, planner):
        rounds.join(user, round_obj, {"partners": 1})
    rounds.compute_pairs(None, round_obj)
    rounds.release(None, round_obj)
    pair = Pair.objects.get()
    results = at_once(
        lambda: rounds.answer_pair(lead, pair.pk, True),
        lambda: rounds.answer_pair(planner, pair.pk, True),
    )
    assert all(isinstance(r, Pair) for r in results)
    pair.refresh_from_db()
    assert pair.both_accepted
    for address in ("leitung@amt.example", "planung@amt.example"):
        assert len(sent_to(mailoutbox, address, "Tandem steht")) == 1
