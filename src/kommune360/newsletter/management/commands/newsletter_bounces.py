from django.core.management.base import BaseCommand

from kommune360.newsletter.bounces import process_bounce_mailbox


class Command(BaseCommand):
    help = (
        "Liest Unzustellbarkeitsnachrichten (DSN) aus einer mbox-Datei oder einem "
        "Maildir-Ordner und sperrt dauerhaft unzustellbare Adressen."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="mbox-Datei oder Maildir-Ordner")
        parser.add_argument(
            "--remove", action="store_true", help="verarbeitete Nachrichten danach löschen"
        )

    def handle(self, *args, path, remove, **options):
        counts = process_bounce_mailbox(path, remove=remove)
        self.stdout.write(
            "Nachrichten: {messages}, gesperrt: {bounced}, "
            "ohne dauerhaften Fehler: {ignored}".format(**counts)
        )
