from django.core.management.base import BaseCommand

from kommune360.impact.figures import refresh


class Command(BaseCommand):
    help = "Berechnet die registrierten Zahlen der Wirkungsseite für die genannten Jahre neu."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int)

    def handle(self, *args, years, **options):
        for year in years:
            changed = refresh(year)
            self.stdout.write(f"{year}: {changed}")
