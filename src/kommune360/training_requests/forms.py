from django import forms
from django.utils.translation import gettext_lazy as _

from kommune360.core.addresses import EmailAddressField
from kommune360.core.forms import Form

FORMATS = ("pdf", "docx", "mail")
SINGLE_LINE = ("name", "position", "employer", "supervisor_name")


class TrainingRequestForm(Form):
    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    position = forms.CharField(
        label=_("Ihre Funktion oder Stelle"),
        max_length=200,
        help_text=_("z. B. Jugendhilfeplaner:in, Sachgebietsleitung Allgemeiner Sozialer Dienst"),
    )
    employer = forms.CharField(
        label=_("Ihre Dienststelle oder Arbeitgeber:in"),
        max_length=300,
        help_text=_("z. B. Landkreis Beispielland, Jugendamt"),
    )
    supervisor_name = forms.CharField(label=_("Name Ihrer oder Ihres Vorgesetzten"), max_length=200)
    supervisor_email = EmailAddressField(
        label=_("E-Mail-Adresse Ihrer oder Ihres Vorgesetzten"),
        required=False,
        help_text=_(
            "Nur nötig, wenn wir den Antrag per E-Mail schicken sollen. Die Adresse wird nur "
            "für diese eine E-Mail verwendet und nicht gespeichert."
        ),
    )
    relevance = forms.CharField(
        label=_("Warum ist die Fortbildung für Ihre Arbeit wichtig?"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ein bis drei Sätze zu Ihren Aufgaben. Höchstens 1500 Zeichen."),
    )
    remember = forms.BooleanField(
        label=_("Für den nächsten Antrag merken"),
        required=False,
        help_text=_(
            "Name, Funktion, Dienststelle und Name der oder des Vorgesetzten bleiben in Ihrem "
            "Konto gespeichert (nicht die E-Mail-Adresse und nicht die Begründung). Ohne "
            "Haken löschen wir gemerkte Angaben."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a logged-in account may have the request mailed to someone else (the
        # platform must not relay mail for anyone who fills in a form).
        self.may_mail = bool(user and user.is_authenticated)
        if not self.may_mail:
            del self.fields["remember"]
            del self.fields["supervisor_email"]
        for field in self.fields.values():
            field.error_messages["max_length"] = _(
                "Bitte kürzen Sie auf höchstens %(limit_value)d Zeichen (jetzt %(show_value)d)."
            )
        self.output = (self.data.get("format") if self.is_bound else None) or "pdf"
        if self.output not in FORMATS:
            self.output = "pdf"
        self.mail_refused = self.output == "mail" and not self.may_mail

    def clean(self):
        cleaned = super().clean()
        # One-line fields stay on one line (they go into the mail's subject and the
        # document's table), whatever a client sends.
        for name in SINGLE_LINE:
            if cleaned.get(name):
                cleaned[name] = " ".join(cleaned[name].split())
        if self.mail_refused:
            raise forms.ValidationError(
                _(
                    "Per E-Mail verschicken wir Anträge nur für angemeldete Mitglieder. Bitte "
                    "melden Sie sich an oder laden Sie den Antrag als PDF oder Word-Datei "
                    "herunter."
                ),
                code="login_required",
            )
        wants_mail = self.output == "mail" and "supervisor_email" not in self.errors
        if wants_mail and not cleaned.get("supervisor_email"):
            self.add_error(
                "supervisor_email",
                _(
                    "Bitte geben Sie die E-Mail-Adresse Ihrer oder Ihres Vorgesetzten an, "
                    "damit wir den Antrag schicken können."
                ),
            )
        return cleaned
