from django.core.management.base import BaseCommand, CommandError

from kommune360.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Schreibt eine Sicherung in ein Archiv: die Datenbank (pg_dump oder SQLite-Online-"
        "Backup), alle Dateien der Speicher und ein Manifest mit Zeilenzahlen und "
        "Prüfsummen. Läuft, während die Seite arbeitet."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Pfad des Archivs (tar)")

    def handle(self, *args, archive, **options):
        try:
            manifest = backup(archive, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Gesichert: {archive} ({len(manifest['tables'])} Tabellen, {rows} Zeilen, "
            f"{len(manifest['files'])} Dateien)"
        )
