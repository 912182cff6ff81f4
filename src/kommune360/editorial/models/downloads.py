"""Download counts of podcast episodes and publications, without personal data.

See ``kommune360.editorial.downloads`` for how a request becomes a count and
docs/decisions/0031-download-counting.md for why.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySalt(models.Model):
    """A random salt for one day; deleted (with the client rows) once the day is over."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("Tagesschlüssel")

    def __str__(self):
        return self.day.isoformat()


class DownloadClient(models.Model):
    """Which parts of a file one client fetched today. Only today's rows exist.

    ``client`` is a keyed hash of the day's salt, the visitor's address and the user
    agent; with the salt gone the next day, it cannot be tied to an address any more.
    """

    day = models.DateField()
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=64)
    ranges = models.JSONField(default=list)
    counted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "page", "client"], name="download_client_once")
        ]

    def __str__(self):
        return f"{self.day} {self.page_id} {self.client[:8]}"


class DownloadDay(models.Model):
    """Downloads of one episode or publication on one day (kept for good)."""

    class Kind(models.TextChoices):
        EPISODE = "episode", _("Podcastfolge")
        PUBLICATION = "publication", _("Publikation")

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="download_days"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Downloads pro Tag")
        verbose_name_plural = _("Downloads pro Tag")
        constraints = [models.UniqueConstraint(fields=["page", "day"], name="download_day_once")]
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self):
        return f"{self.day}: {self.count}"
