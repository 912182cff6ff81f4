import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends
from django_tasks_db.compat import TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from kommune360.core.scheduler import run_forever


class QuietDatabaseWorker(DatabaseWorker):
    """The database worker, logging each task only at debug level (``-v 2``).

    At the default verbosity it reports warnings and errors, not every task it ran, as
    the RQ worker does at verbosity 0.
    """

    def configure_logging(self, verbosity):
        super().configure_logging(verbosity)
        if verbosity < 2:
            for name in (TASKS_LOGGER, "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)


class Command(BaseCommand):
    help = (
        "Startet den Task-Worker (Datenbank- oder RQ-Backend, je nach Konfiguration) "
        "und plant die wiederkehrenden Aufgaben ein."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-scheduler", action="store_true", help="keine wiederkehrenden Aufgaben"
        )

    def handle(self, *args, no_scheduler=False, verbosity=1, **options):
        stop = threading.Event()
        if not no_scheduler:
            threading.Thread(target=run_forever, args=(stop,), daemon=True).start()
        try:
            # (the backend itself: ``default_task_backend`` is a proxy of another type)
            if type(task_backends["default"]).__name__ == "RQBackend":
                # RQ logs every job at INFO; its verbosity 0 means warnings and errors.
                rq_verbosity = 2 if verbosity >= 2 else 0
                # django-tasks' jobs run only with its job class ("'Task' object is not
                # callable" otherwise).
                call_command(
                    "rqworker",
                    "default",
                    with_scheduler=True,
                    job_class="django_tasks_rq.backend.Job",
                    verbosity=rq_verbosity,
                )
            else:
                call_command(QuietDatabaseWorker(), queue_name="*", interval=1, verbosity=verbosity)
        finally:
            stop.set()
