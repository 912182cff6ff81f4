from django.core.management.base import BaseCommand

from kommune360.atlas.tasks import remind_stale_offers


class Command(BaseCommand):
    help = (
        "Bittet Anbieter:innen, seit zwölf Monaten nicht bestätigte Angebote zu prüfen. "
        "Monatlich aufrufen (z. B. per cron am 1. des Monats); ein zweiter Aufruf im selben "
        "Monat schreibt niemandem erneut."
    )

    def handle(self, *args, **options):
        result = remind_stale_offers.enqueue()
        self.stdout.write(f"Erinnerung eingeplant ({result.id}).")
