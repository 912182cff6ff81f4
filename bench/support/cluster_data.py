"""Data of bench/cluster_load.py, run inside the cluster's environment
(``kommune360 shell`` as app server 1): ``prepare`` before the load, ``start_campaign``
when it begins, ``count`` afterwards. Each writes JSON to the file it is given."""

import json
from datetime import timedelta
from pathlib import Path

RUSH_SLUG = "cluster-rush"


def prepare(output, members, capacity, addresses):
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from kommune360.accounts.models import User
    from kommune360.atlas.models import Offer
    from kommune360.events.models import Event
    from kommune360.learning.models import LearningPath
    from kommune360.newsletter.models import Campaign, Subscriber, Topic, new_token

    from .sessions import logged_in

    now = timezone.now()
    Event.objects.create(
        title="Ansturm im Cluster",
        slug=RUSH_SLUG,
        kind=Event.Kind.FESTIVAL,
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=8),
        city="Musterstadt",
        capacity=capacity,
        is_published=True,
    )
    users = User.objects.bulk_create(
        User(email=f"last{n}@beispiel.example", first_name="Last", last_name=str(n), password="!")
        for n in range(members)
    )
    people = logged_in(users, "Last")
    with transaction.atomic():
        Subscriber.objects.bulk_create(
            (
                Subscriber(email=f"leser{n:06d}@cluster.example", state="active", token=new_token())
                for n in range(addresses)
            ),
            batch_size=5000,
        )
    from kommune360.newsletter.demo import december_body

    campaign = Campaign.objects.create(subject="Rückblick (Cluster-Last)", body=december_body())
    published = Offer.objects.filter(status=Offer.Status.PUBLISHED)
    offers = [o.get_absolute_url() for o in published[:30]]
    from django.contrib.contenttypes.models import ContentType

    from kommune360.participation.models import Role

    contribution = {
        "content_type": ContentType.objects.get_for_model(Offer).pk,
        "object_id": str(published.first().pk),
        "kind": "comment",
        "role": Role.values[0],
        "text": "Ein Beitrag aus dem Lasttest: wie war Ihre Erfahrung mit diesem Angebot?",
        "name": "Lasttest",
        "consent": "on",
    }
    events = [e.get_absolute_url() for e in Event.objects.filter(is_published=True)[:20]]
    paths = [p.get_absolute_url() for p in LearningPath.objects.all()[:10]]
    Path(output).write_text(
        json.dumps(
            {
                "people": people,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "campaign": campaign.pk,
                "topic": Topic.objects.order_by("pk").values_list("pk", flat=True).first(),
                "offers": offers,
                "contribution": contribution,
                "events": events,
                "paths": paths,
            }
        )
    )


def start_campaign(campaign_id):
    from kommune360.newsletter import services
    from kommune360.newsletter.models import Campaign

    return services.start_sending(Campaign.objects.get(pk=campaign_id))


def count(output, campaign_id):
    from django.db.models import Count

    from kommune360.events.models import Event, Registration
    from kommune360.newsletter.models import Campaign, Delivery

    event = Event.objects.get(slug=RUSH_SLUG)
    # Confirmed places and places offered from the waitlist both hold a place.
    confirmed = Registration.objects.filter(
        event=event, status__in=["confirmed", "offered"]
    ).count()
    deliveries = dict(
        Delivery.objects.filter(campaign_id=campaign_id)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    Path(output).write_text(
        json.dumps(
            {
                "confirmed": confirmed,
                "capacity": event.capacity,
                "campaign": Campaign.objects.get(pk=campaign_id).state,
                "deliveries": deliveries,
            }
        )
    )
