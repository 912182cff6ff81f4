"""The `kommune360` command: Django's manage.py, installed into the virtual environment."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kommune360.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reads the settings module)
    except ImproperlyConfigured as error:
        # Django would go on without settings and fail later with an unrelated
        # "Models aren't loaded yet"; say what is missing instead.
        sys.exit(f"kommune360: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
