from django.core.management.base import BaseCommand

from kommune360.impact.tallies import rebuild


class Command(BaseCommand):
    help = (
        "Zählt die Antworten der Nachbefragungen je Frage und Monat neu aus den Antworten "
        "(alle Jahre oder die genannten)."
    )

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int)

    def handle(self, *args, years, **options):
        for year in years or [None]:
            rows = rebuild(year)
            self.stdout.write(f"{year or 'alle Jahre'}: {rows}")
