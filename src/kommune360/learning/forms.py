from django import forms
from django.utils.translation import gettext_lazy as _


class ApplicationForm(forms.Form):
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
