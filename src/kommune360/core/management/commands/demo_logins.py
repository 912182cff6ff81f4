from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kommune360.core.demo import DEMO_PASSWORD
from kommune360.core.registry import registry


class Command(BaseCommand):
    help = "Zeigt die Demo-Logins aller Apps (E-Mail-Adresse und wofür sie gedacht sind)."

    def handle(self, *args, **options):
        logins = [login for step in registry.demo_steps() for login in step.logins]
        self.stdout.write(_("Demo-Logins (Passwort: %(password)s):") % {"password": DEMO_PASSWORD})
        width = max(len(email) for email, _label in logins)
        for email, label in logins:
            self.stdout.write(f"    {email.ljust(width)}  {label}")
