import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from kommune360.newsletter import sending, services
from kommune360.newsletter.models import Delivery, Subscriber
from tests.factories.newsletter import CampaignFactory, SubscriberFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_claim_disjoint_batches():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SKIP LOCKED)")
    Subscriber.objects.bulk_create(
        Subscriber(email=f"p{n}@musterstadt.example", state="active") for n in range(400)
    )
    campaign = CampaignFactory()
    services.start_sending(campaign, enqueue_task=False)
    barrier = threading.Barrier(4)
    claimed = {}

    def worker(name):
        run = SimpleNamespace(
            campaign_id=campaign.pk,
            worker=name,
            batch_size=25,
            last_heartbeat=time.monotonic(),
            stop=False,
        )
        ids = []
        try:
            barrier.wait()
            while batch := sending.claim_batch(run):
                ids.extend(d["id"] for d in batch)
        finally:
            connection.close()
        claimed[name] = ids

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    all_ids = [i for ids in claimed.values() for i in ids]
    assert len(all_ids) == len(set(all_ids)) == 400
    assert sum(1 for ids in claimed.values() if ids) > 1  # they really ran side by side
    for name, ids in claimed.items():
        assert set(Delivery.objects.filter(id__in=ids).values_list("claimed_by", flat=True)) <= {
            name
        }


@pytest.mark.django_db
def test_editors_see_the_consent_history(admin_client):
    subscriber = SubscriberFactory(email="historie@musterstadt.example")
    services.unsubscribe(subscriber, channel="web")
    page = admin_client.get(reverse("newsletter_history", args=[subscriber.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Anmeldung angefordert" in content
    assert "Anmeldung bestätigt" in content
    assert "Abmeldeseite" in content


@pytest.mark.django_db
def test_editors_cannot_add_subscribers_by_hand(admin_client):
    response = admin_client.get(reverse("wagtailsnippets_newsletter_subscriber:add"))
    assert response.status_code in (302, 403)
    assert (
        admin_client.get(reverse("wagtailsnippets_newsletter_subscriber:list")).status_code == 200
    )
