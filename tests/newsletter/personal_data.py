"""The newsletter's part of a person's data for the erasure test: a confirmed
subscription with the person's name, through the link of the confirmation mail."""

import re

from kommune360.core.models import OutgoingMail
from kommune360.newsletter import services
from kommune360.newsletter.models import Subscriber
from tests.factories.newsletter import TopicFactory


def fill(person, client, name, email):
    services.request_subscription(email, topics=[TopicFactory()], form="test", name=name)
    (mail,) = [m for m in OutgoingMail.objects.order_by("pk") if m.to == [email]][-1:]
    link = re.search(r"https?://\S+(/newsletter/bestaetigen/\S+/)", mail.text).group(1)
    assert client.post(link).status_code == 200
    assert Subscriber.objects.get(email=email, state=Subscriber.State.ACTIVE).name == name
