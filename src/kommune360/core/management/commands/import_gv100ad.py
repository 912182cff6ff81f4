from django.core.management.base import BaseCommand, CommandError

from kommune360.core.dates import local_date
from kommune360.core.gv100ad import GV100ADError, import_file


class Command(BaseCommand):
    help = (
        "Importiert Kreise und Gemeinden aus dem Gemeindeverzeichnis des Statistischen "
        "Bundesamts (GV100AD, Datei GV100AD_TTMMJJJJ.txt aus dem ZIP von destatis.de). "
        "Vorhandene Kommunen werden anhand des AGS aktualisiert; eine fehlerhafte Datei "
        "ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Pfad zur GV100AD-Textdatei")
        parser.add_argument(
            "--encoding",
            default="auto",
            help="Zeichensatz der Datei (Standard: auto – UTF-8, sonst Windows-1252)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="nur prüfen und zählen, nichts speichern",
        )

    def handle(self, *args, file, encoding, dry_run, **options):
        verbosity = options["verbosity"]

        def progress(done, total):
            if verbosity >= 1:
                self.stdout.write(f"  {done} von {total} Kreisen und Gemeinden verarbeitet …")

        try:
            result = import_file(file, encoding=encoding, dry_run=dry_run, progress=progress)
        except GV100ADError as error:
            raise CommandError(f"Import abgebrochen, nichts wurde gespeichert. {error}") from None

        prefix = "Probelauf (nichts gespeichert): " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{result.created} neu, {result.updated} aktualisiert, "
                f"{result.unchanged} unverändert, {result.skipped} andere Einträge übersprungen "
                f"(Gebietsstand {local_date(result.territorial_status, 'SHORT_DATE_FORMAT')})."
            )
        )
