from django.core.management.base import BaseCommand, CommandError

from kommune360.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Spielt ein Archiv von `kommune360 backup` in eine leere Datenbank und leere "
        "Speicher zurück und prüft es gegen sein Manifest. Ein beschädigtes oder fremdes "
        "Archiv wird abgelehnt, ohne etwas zu ändern."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Pfad des Archivs")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="vorhandene Datenbank und Dateien ersetzen (sonst nur in ein leeres Ziel)",
        )

    def handle(self, *args, archive, replace=False, **options):
        try:
            restore(archive, replace=replace, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
