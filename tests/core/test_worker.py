"""The task worker's log: problems, not every routine task."""

import io
import logging

import pytest
from django_tasks_db.compat import TASKS_LOGGER

from kommune360.core.management.commands.worker import QuietDatabaseWorker


@pytest.fixture
def restore_levels():
    names = (TASKS_LOGGER, "django_tasks_db")
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize(("verbosity", "level"), [(1, logging.WARNING), (2, logging.DEBUG)])
def test_the_database_worker_logs_tasks_at_debug_level_only(restore_levels, verbosity, level):
    QuietDatabaseWorker(stdout=io.StringIO()).configure_logging(verbosity)
    for name in (TASKS_LOGGER, "django_tasks_db"):
        logger = logging.getLogger(name)
        assert logger.getEffectiveLevel() == level
        assert logger.isEnabledFor(logging.WARNING)
        assert logger.isEnabledFor(logging.INFO) is (verbosity >= 2)
