import os
import subprocess
import sys
from pathlib import Path


def test_home_page_renders_in_german(client, home_page):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "de"
    assert b'<html lang="de"' in response.content


def test_the_command_says_what_is_missing_instead_of_a_traceback(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "PYTEST_VERSION"}
    }
    env["KOMMUNE360_DATA_DIR"] = str(tmp_path)
    command = str(Path(sys.executable).with_name("kommune360"))
    result = subprocess.run(
        [command, "makemigrations", "--check", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "kommune360: SECRET_KEY must be set when DEBUG is off (see README, 'Konfiguration')."
    )
