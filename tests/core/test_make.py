"""The two commands of the README parse: ``make run`` and ``make test`` (a dry run shows
what they would do; a target that GNU make cannot read stops them before anything)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
@pytest.mark.parametrize("target", ["run", "test", "bench", "cluster"])
def test_the_make_targets_parse(target):
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No rule to make target" not in result.stderr


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_run_serves_on_the_port_it_is_given():
    result = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "run", "PORT=8765"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "8765" in result.stdout
