"""English stays complete: every German text of the code has its translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import kommune360

PACKAGE = Path(kommune360.__file__).parent
KOMMUNE360 = Path(sys.executable).parent / "kommune360"


def test_every_german_text_has_an_english_translation(tmp_path):
    # makemessages on a copy of the package (its LOCALE_PATHS point into the copy), as
    # the catalogue's header says, then gettext's own count of what is left to do.
    copy = tmp_path / "kommune360"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(tmp_path),
        "DEBUG": "true",
        "KOMMUNE360_DATA_DIR": str(tmp_path / "data"),
        "LANG": "C.UTF-8",
    }
    result = subprocess.run(
        [str(KOMMUNE360), "makemessages", "-l", "en", "--add-location=file",
         "--ignore=migrations/*"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The package's catalogue and those of apps that keep their own (decision 0015).
    catalogues = sorted(copy.glob("**/locale/en/LC_MESSAGES/django.po"))
    assert copy / "locale" / "en" / "LC_MESSAGES" / "django.po" in catalogues
    for catalogue in catalogues:
        stats = subprocess.run(
            ["msgfmt", "--statistics", "--check", "-o", os.devnull, str(catalogue)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert stats.returncode == 0, stats.stderr
        assert "fuzzy" not in stats.stderr, (catalogue, stats.stderr)
        assert "untranslated" not in stats.stderr, (catalogue, stats.stderr)
