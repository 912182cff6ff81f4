import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import default_task_backend

from kommune360.core.scheduler import run_forever


class Command(BaseCommand):
    help = (
        "Startet den Task-Worker (Datenbank- oder RQ-Backend, je nach Konfiguration) "
        "und plant die wiederkehrenden Aufgaben ein."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-scheduler", action="store_true", help="keine wiederkehrenden Aufgaben"
        )

    def handle(self, *args, no_scheduler=False, **options):
        stop = threading.Event()
        if not no_scheduler:
            threading.Thread(target=run_forever, args=(stop,), daemon=True).start()
        try:
            if type(default_task_backend).__name__ == "RQBackend":
                call_command("rqworker", "default", with_scheduler=True)
            else:
                call_command("db_worker", queue_name="*", interval=1)
        finally:
            stop.set()
