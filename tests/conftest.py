import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Static files straight from the finders (no collectstatic needed for tests);
    # mail to Django's in-memory outbox unless a test starts a real SMTP server.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home_page(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True).root_page.specific
