from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kommune360.core.addresses import EmailAddressField
from kommune360.core.dates import local_date
from kommune360.core.forms import Form

from .models import Question


class RegistrationForm(Form):
    """Name, address, the organiser's questions and the sessions of the programme."""

    name = forms.CharField(label=_("Vor- und Nachname"), max_length=200)
    email = EmailAddressField(
        label=_("E-Mail-Adresse"),
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie die Anmeldung bestätigen."),
    )
    organisation = forms.CharField(
        label=_("Organisation oder Kommune"), max_length=200, required=False
    )

    def __init__(self, *args, event, user=None, questions=(), sessions=(), held=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(questions)
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            del self.fields["email"]
            self.fields["name"].initial = self.user.get_full_name() or ""
            self.fields["organisation"].initial = getattr(self.user, "organisation", "")
        for question in questions:
            self.fields[f"q_{question.pk}"] = self._question_field(question)
        if sessions:
            self.sessions_by_id, self.fields["sessions"] = session_field(sessions, held)
        self.fields["privacy"] = forms.BooleanField(
            label=_(
                "Ich bin einverstanden, dass meine Angaben für diese Veranstaltung gespeichert "
                "und den Veranstalter:innen angezeigt werden."
            ),
            help_text=_("Sie können die Anmeldung jederzeit stornieren; dann löschen wir sie."),
        )

    @staticmethod
    def _question_field(question):
        return question_field(question)

    def answers(self):
        return {
            int(name[2:]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value
        }

    def chosen_sessions(self):
        return [self.sessions_by_id[pk] for pk in self.cleaned_data.get("sessions", [])]


def session_field(sessions, held=None):
    """The programme as checkboxes with time, room and seats left; returns (by id, field)."""
    held = held or {}
    tz = timezone.get_default_timezone()
    choices = []
    for session in sessions:
        label = "{}–{} · {}".format(
            local_date(session.starts_at.astimezone(tz), "WEEKDAY_DATETIME_FORMAT"),
            local_date(session.ends_at.astimezone(tz), "TIME_FORMAT"),
            session.title,
        )
        if session.room:
            label += f" ({session.room})"
        if session.capacity is not None:
            free = max(session.capacity - held.get(session.pk, 0), 0)
            label += " – " + (
                ngettext("noch %(n)s Platz", "noch %(n)s Plätze", free) % {"n": free}
                if free
                else str(_("ausgebucht"))
            )
        choices.append((str(session.pk), label))
    field = forms.MultipleChoiceField(
        label=_("Programmpunkte"),
        help_text=_("Wählen Sie, woran Sie teilnehmen möchten."),
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    return {str(s.pk): s for s in sessions}, field


def question_field(question):
    common = {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
    }
    if question.kind == Question.Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "–")] + [(c, c) for c in question.choice_list], **common
        )
    if question.kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("ja", _("Ja")), ("nein", _("Nein"))],
            widget=forms.RadioSelect,
            **common,
        )
    return forms.CharField(max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), **common)


class SessionChoiceForm(Form):
    def __init__(self, *args, sessions, held=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions_by_id, self.fields["sessions"] = session_field(sessions, held)

    def chosen_sessions(self):
        return [self.sessions_by_id[pk] for pk in self.cleaned_data.get("sessions", [])]


class PostcardForm(Form):
    sender_name = forms.CharField(label=_("Ihr Name (Absender:in)"), max_length=120)
    recipient = EmailAddressField(
        label=_("E-Mail-Adresse der Empfänger:in"),
        help_text=_("Wird nur für diese eine E-Mail verwendet und nicht gespeichert."),
    )
    message = forms.CharField(
        label=_("Ihre Nachricht"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Höchstens 600 Zeichen."),
    )


class MessageForm(Form):
    to = forms.ChoiceField(
        label=_("An"),
        choices=[("all", _("alle Teilnehmer:innen")), ("waitlisted", _("die Warteliste"))],
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Betreff"), max_length=200)
    text = forms.CharField(label=_("Nachricht"), widget=forms.Textarea(attrs={"rows": 8}))


class CancelEventForm(Form):
    reason = forms.CharField(
        label=_("Grund der Absage (steht in der E-Mail an alle)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    confirm = forms.BooleanField(label=_("Ja, die Veranstaltung absagen und alle informieren"))
