from django.core.management.base import BaseCommand

from kommune360.core.mail import send_pending_mail


class Command(BaseCommand):
    help = "Reicht alle noch nicht zugestellten E-Mails erneut an den Task-Worker."

    def handle(self, *args, **options):
        count = send_pending_mail()
        self.stdout.write(f"{count} E-Mail(s) erneut eingereiht.")
