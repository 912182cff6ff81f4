import re

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kommune360.core.addresses import EmailAddressField
from kommune360.core.forms import Form

from .models import FOLLOW_UP_KINDS, Kind, Report, Role, kind_names
from .services import CONSENT_TEXT

TEXT_MIN = 10
TEXT_MAX = 4000
MAX_LINKS = 2
LINK_RE = re.compile(r"(https?://|www\.)", re.IGNORECASE)
# Bots fill every field; people never see this one (its wrapper is ``hidden``) and
# browsers do not fill it in.
HONEYPOT = forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


def text_help():
    """The text field's help in the language of the request (not of the import)."""
    return ngettext(
        "Höchstens %(max)s Zeichen und %(links)s Link. HTML wird nicht dargestellt.",
        "Höchstens %(max)s Zeichen und %(links)s Links. HTML wird nicht dargestellt.",
        MAX_LINKS,
    ) % {"max": TEXT_MAX, "links": MAX_LINKS}


def kinds_help():
    """Which kinds appear under the content and which go to the team, by their labels."""
    public = [kind for kind in Kind if kind not in FOLLOW_UP_KINDS]
    return _(
        "Nach der Freigabe unter dem Inhalt sichtbar: %(public)s. "
        "Nur für das Team sichtbar: %(internal)s."
    ) % {"public": kind_names(public, _("und")), "internal": kind_names(FOLLOW_UP_KINDS, _("und"))}


class ContributionForm(Form):
    """A contribution to one target; members leave out name and address."""

    website = forms.CharField(label=_("Bitte leer lassen"), required=False, widget=HONEYPOT)

    content_type = forms.IntegerField(widget=forms.HiddenInput)
    object_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    section = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    kind = forms.ChoiceField(
        label=_("Art Ihres Beitrags"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.COMMENT,
    )
    text = forms.CharField(
        label=_("Ihr Beitrag"),
        min_length=TEXT_MIN,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=lazy(text_help, str)(),
        error_messages={
            "min_length": _("Bitte schreiben Sie mindestens %(limit_value)d Zeichen."),
            "max_length": _(
                "Ihr Beitrag ist zu lang: höchstens %(limit_value)d Zeichen (jetzt %(show_value)d)."
            ),
        },
    )
    role = forms.ChoiceField(
        label=_("In welcher Rolle schreiben Sie?"),
        choices=Role.choices,
        widget=forms.RadioSelect,
    )
    affiliation = forms.CharField(
        label=_("Kommune oder Organisation"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Bitte höchstens %(limit_value)d Zeichen.")},
    )
    name = forms.CharField(
        label=_("Ihr Name"),
        max_length=120,
        error_messages={"max_length": _("Bitte höchstens %(limit_value)d Zeichen.")},
    )
    email = EmailAddressField(
        label=_("Ihre E-Mail-Adresse"),
        help_text=_(
            "Wir senden Ihnen einen Link zur Bestätigung. Die Adresse wird nicht veröffentlicht."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Ohne meinen Namen veröffentlichen (als „anonym“)"), required=False
    )
    keep_text_on_erasure = forms.BooleanField(
        label=_("Wenn ich meine Daten löschen lasse, darf mein Text anonym stehen bleiben"),
        required=False,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user:
            del self.fields["name"]
            del self.fields["email"]
        self.fields["kind"].help_text = kinds_help()
        self.fields["kind"].error_messages["invalid_choice"] = _("Bitte wählen Sie die Art.")
        self.fields["role"].error_messages["invalid_choice"] = _("Bitte wählen Sie Ihre Rolle.")

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != "website"]

    @property
    def honeypot(self):
        return self["website"]

    def is_spam(self):
        return bool(self.data.get("website"))

    def clean_text(self):
        text = self.cleaned_data["text"]
        if count_links(text) > MAX_LINKS:
            raise forms.ValidationError(
                ngettext(
                    "Bitte setzen Sie höchstens %(max)s Link in Ihren Beitrag.",
                    "Bitte setzen Sie höchstens %(max)s Links in Ihren Beitrag.",
                    MAX_LINKS,
                ),
                params={"max": MAX_LINKS},
            )
        return text


class ReportForm(Form):
    website = forms.CharField(label=_("Bitte leer lassen"), required=False, widget=HONEYPOT)
    reason = forms.ChoiceField(
        label=_("Warum melden Sie diesen Beitrag?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Erläuterung"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Bitte höchstens %(limit_value)d Zeichen.")},
    )

    def visible_fields(self):
        return [f for f in super().visible_fields() if f.name != "website"]


class RejectForm(Form):
    reason = forms.CharField(
        label=_("Begründung (geht an die Autor:in)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(Form):
    text = forms.CharField(
        label=_("Offizielle Antwort des Teams"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RemarkForm(Form):
    remark = forms.CharField(
        label=_("Interne Anmerkung"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
