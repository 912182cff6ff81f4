from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from kommune360.core.registry import registry


class Command(BaseCommand):
    help = (
        "Füllt die Instanz mit den Demo-Inhalten aller Apps (Netzwerk, Taxonomie, Seiten, "
        "Angebote …). Kann beliebig oft laufen: Vorhandenes bleibt, Fehlendes kommt hinzu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="nur diese Apps (app label)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="nur, wenn es noch kein Konto gibt (erster Start von `make run`)",
        )

    def handle(self, *args, only=None, if_empty=False, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("Die Datenbank enthält schon Daten; keine Demo-Inhalte geladen.")
            return
        for step in registry.demo_steps():
            if only and step.app_label not in only:
                continue
            with transaction.atomic():
                step.load()
            self.stdout.write(f"Demo-Inhalte geladen: {step.app_label}")
