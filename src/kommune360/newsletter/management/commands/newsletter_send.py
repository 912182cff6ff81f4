import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from kommune360.newsletter import sending
from kommune360.newsletter.models import Campaign


class Command(BaseCommand):
    help = "Versendet laufende Newsletter-Ausgaben (nach einem Abbruch: setzt sie fort)."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="nur diese Ausgabe (ID)")
        parser.add_argument("--connections", type=int, help="parallele SMTP-Verbindungen")
        parser.add_argument("--batch-size", type=int)
        parser.add_argument("--rate", type=float, help="höchstens so viele Mails pro Sekunde")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="auf fällige Wiederholungen warten, bis alles raus ist",
        )

    def handle(self, *args, **options):
        ids = (
            [options["campaign"]]
            if options["campaign"]
            else list(
                Campaign.objects.filter(state=Campaign.State.SENDING).values_list("pk", flat=True)
            )
        )
        for campaign_id in ids:
            while True:
                result = sending.run_campaign(
                    campaign_id,
                    connections=options["connections"],
                    batch_size=options["batch_size"],
                    rate=options["rate"],
                )
                self.stdout.write(f"campaign={campaign_id} {result}")
                next_retry = result.get("next_retry")
                if not options["wait"] or result.get("state") != "sending" or not next_retry:
                    break
                time.sleep(max(0.0, (next_retry - timezone.now()).total_seconds()))
