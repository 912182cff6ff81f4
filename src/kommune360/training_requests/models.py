"""The only thing this app stores: what a logged-in person asked it to keep for the
next training request. Requests themselves, and the supervisor's e-mail address, are
never stored (see docs/training-requests.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedDetails(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Konto"),
        on_delete=models.CASCADE,
        related_name="training_request_details",
    )
    name = models.CharField(_("Name"), max_length=200)
    position = models.CharField(_("Funktion oder Stelle"), max_length=200)
    employer = models.CharField(_("Dienststelle oder Arbeitgeber:in"), max_length=300)
    supervisor_name = models.CharField(_("Name der oder des Vorgesetzten"), max_length=200)
    updated_at = models.DateTimeField(_("zuletzt gespeichert"), auto_now=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("gemerkte Angaben für Fortbildungsanträge")
        verbose_name_plural = _("gemerkte Angaben für Fortbildungsanträge")

    def __str__(self):
        return self.name
