from django import forms
from django.utils.translation import gettext_lazy as _

from kommune360.core.forms import Form

from .models import Feedback


class ApplicationForm(Form):
    role = forms.CharField(
        label=_("Ihre Rolle oder Funktion"),
        max_length=200,
        help_text=_("Zum Beispiel Jugendhilfeplaner:in oder Jugendamtsleitung."),
    )
    employer = forms.CharField(
        label=_("Ihre Kommune oder Arbeitgeber:in"),
        max_length=300,
        help_text=_("Zum Beispiel Jugendamt Musterstadt."),
    )
    motivation = forms.CharField(
        label=_("Warum möchten Sie teilnehmen?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text=_("Ein paar Sätze genügen: was Sie vorhaben und was Sie sich erhoffen."),
    )
    show_to_cohort = forms.BooleanField(
        label=_("Die anderen Teilnehmer:innen der Kohorte dürfen meinen Namen sehen"),
        required=False,
        help_text=_(
            "Name, Rolle und Kommune erscheinen im Bereich der Kohorte, damit Sie sich "
            "vernetzen können. Sie können das dort jederzeit ändern."
        ),
    )


class FeedbackForm(Form):
    rating = forms.TypedChoiceField(
        label=_("Wie bewerten Sie den Lernpfad insgesamt?"),
        choices=[
            ("5", _("5 – sehr gut")),
            ("4", _("4 – gut")),
            ("3", _("3 – mittel")),
            ("2", _("2 – weniger gut")),
            ("1", _("1 – schlecht")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Was nehmen Sie mit? Was sollten wir ändern?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        required=False,
    )
    publish_consent = forms.BooleanField(
        label=_(
            "Das Team darf meine Rückmeldung als Zitat auf der Seite des Lernpfads veröffentlichen"
        ),
        required=False,
        help_text=_("Das Team wählt aus; Sie können die Einwilligung per E-Mail widerrufen."),
    )
    attribution = forms.ChoiceField(
        label=_("Wenn veröffentlicht, dann"),
        choices=Feedback.Attribution.choices,
        initial=Feedback.Attribution.NAME_AND_ROLE,
        widget=forms.RadioSelect,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publish_consent") and not (cleaned.get("text") or "").strip():
            self.add_error("text", _("Für ein Zitat schreiben Sie bitte ein paar Worte."))
        return cleaned
