from tests.newsletter.conftest import smtp_sink  # noqa: F401 (a real SMTP server)
