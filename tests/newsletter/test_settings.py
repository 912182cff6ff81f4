import json
import os
import subprocess
import sys

import pytest

NAMES = [
    "FROM_EMAIL",
    "CONNECTIONS",
    "BATCH_SIZE",
    "RATE_LIMIT",
    "MAX_ATTEMPTS",
    "RETRY_BASE_SECONDS",
    "PAUSE_AFTER_ERRORS",
    "WORKER_TIMEOUT",
    "JOURNAL_DIR",
]


def _settings_in_child(env):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, 'NEWSLETTER_' + n) for n in {NAMES!r}}}))"
    )
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NEWSLETTER_")},
        "DJANGO_SETTINGS_MODULE": "kommune360.settings",
        **env,
    }
    output = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, check=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.parametrize("mode", ["defaults", "environment"])
def test_newsletter_settings_come_from_the_environment(mode, tmp_path):
    if mode == "defaults":
        values = _settings_in_child({})
        assert values == {
            "FROM_EMAIL": "",
            "CONNECTIONS": 4,
            "BATCH_SIZE": 200,
            "RATE_LIMIT": 0,
            "MAX_ATTEMPTS": 5,
            "RETRY_BASE_SECONDS": 60,
            "PAUSE_AFTER_ERRORS": 25,
            "WORKER_TIMEOUT": 120,
            "JOURNAL_DIR": "",
        }
        return
    env = {
        "NEWSLETTER_FROM_EMAIL": "Initiative <brief@example.org>",
        "NEWSLETTER_CONNECTIONS": "8",
        "NEWSLETTER_BATCH_SIZE": "500",
        "NEWSLETTER_RATE_LIMIT": "12.5",
        "NEWSLETTER_MAX_ATTEMPTS": "3",
        "NEWSLETTER_RETRY_BASE_SECONDS": "30",
        "NEWSLETTER_PAUSE_AFTER_ERRORS": "10",
        "NEWSLETTER_WORKER_TIMEOUT": "300",
        "NEWSLETTER_JOURNAL_DIR": str(tmp_path),
    }
    values = _settings_in_child(env)
    assert values == {
        "FROM_EMAIL": "Initiative <brief@example.org>",
        "CONNECTIONS": 8,
        "BATCH_SIZE": 500,
        "RATE_LIMIT": 12.5,
        "MAX_ATTEMPTS": 3,
        "RETRY_BASE_SECONDS": 30,
        "PAUSE_AFTER_ERRORS": 10,
        "WORKER_TIMEOUT": 300,
        "JOURNAL_DIR": str(tmp_path),
    }
