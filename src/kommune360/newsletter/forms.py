import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kommune360.core.addresses import EmailAddressField
from kommune360.core.forms import Form
from kommune360.core.uploads import decode_text

from .models import ConsentEvent, ImportJob, Topic
from .services import CONSENT_TEXT


class TopicChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(queryset=Topic.objects.all(), **kwargs)


class SignupForm(Form):
    email = EmailAddressField(
        label=_("E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    topics = TopicChoiceField(label=_("Themen"), required=True)
    consent = forms.BooleanField(label=CONSENT_TEXT)
    # Honeypot: people never see or fill it; form-filling bots do.
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["topics"] = list(
                Topic.objects.filter(default_selected=True).values_list("pk", flat=True)
            )

    @property
    def is_bot(self):
        return bool(self.data.get("website"))


class PreferencesForm(Form):
    topics = TopicChoiceField(
        label=_("Ihre Themen"),
        required=True,
        help_text=_("Wenn Sie keinen Newsletter mehr möchten, bestellen Sie ihn unten ab."),
    )


class ImportForm(Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_("Eine Spalte „email“ (Pflicht), optional „name“; Trennzeichen ; oder ,"),
    )
    source = forms.ChoiceField(
        label=_("Herkunft der Adressen"),
        choices=[("", "---------"), *ConsentEvent.Source.choices],
    )
    legal_basis = forms.CharField(
        label=_("Rechtsgrundlage"),
        max_length=255,
        help_text=_("z. B. „Art. 6 Abs. 1 lit. f DSGVO, berechtigtes Interesse: Fachaustausch“"),
    )
    topics = TopicChoiceField(label=_("Themen"), required=True)
    dry_run = forms.BooleanField(
        label=_("Nur prüfen (Probelauf, nichts wird gespeichert)"), required=False, initial=True
    )

    def clean_file(self):
        """The file as text (UTF-8, or Windows-1252 as Excel writes it in Germany), if it
        is a CSV file within the size limit (``core.uploads``)."""
        upload = ImportJob.upload.check(self.cleaned_data["file"])
        return {"name": upload.name, "text": decode_text(upload.content)}


class ScheduleForm(Form):
    """When a planned sending starts: a date and a time in Europe/Berlin, in the future."""

    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 24.03.2027.")},
    )
    time = forms.TimeField(
        label=_("Uhrzeit"),
        help_text=_("deutsche Zeit"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Bitte geben Sie eine gültige Uhrzeit an, z. B. 09:30.")},
    )

    def clean(self):
        cleaned = super().clean()
        date, time = cleaned.get("date"), cleaned.get("time")
        if date and time:
            # settings.TIME_ZONE is Europe/Berlin: the time the editor means.
            at = timezone.make_aware(
                datetime.datetime.combine(date, time), timezone.get_default_timezone()
            )
            if at <= timezone.now():
                # Next to the part to change: the date if that day is over, else the time.
                past_day = date < timezone.localdate()
                self.add_error(
                    "date" if past_day else "time",
                    _("Bitte wählen Sie einen Zeitpunkt in der Zukunft."),
                )
            else:
                cleaned["at"] = at
        return cleaned
