from django.core.management.base import BaseCommand

from kommune360.editorial import search_index


class Command(BaseCommand):
    help = (
        "Rebuild the German index of the site search (/suche/): every live page and every "
        "registered model without its own search. Publishing keeps it current; run this "
        "after an import that bypassed publishing or after registering a new model."
    )

    def handle(self, *args, **options):
        count = search_index.rebuild()
        self.stdout.write(f"{count} objects indexed.")
