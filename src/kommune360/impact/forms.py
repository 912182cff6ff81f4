from django import forms
from django.utils.translation import gettext_lazy as _

from kommune360.core.forms import Form

from .models import Question

SCALE_CHOICES = [
    ("1", _("1 – trifft gar nicht zu")),
    ("2", _("2 – trifft eher nicht zu")),
    ("3", _("3 – teils, teils")),
    ("4", _("4 – trifft eher zu")),
    ("5", _("5 – trifft voll zu")),
]
YES_NO_CHOICES = [("1", _("ja")), ("0", _("nein"))]
TEXT_MAX = 2000


class SurveyForm(Form):
    """The questions of one survey; every answer is optional."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = self._field(question)

    @staticmethod
    def _field(question):
        label = question.text
        if question.kind == Question.Kind.SCALE:
            return forms.ChoiceField(
                label=label, choices=SCALE_CHOICES, widget=forms.RadioSelect, required=False
            )
        if question.kind == Question.Kind.YES_NO:
            return forms.ChoiceField(
                label=label, choices=YES_NO_CHOICES, widget=forms.RadioSelect, required=False
            )
        if question.kind == Question.Kind.NUMBER:
            return forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_value=10**9,
                decimal_places=2,
                error_messages={"invalid": _("Bitte geben Sie eine Zahl ein.")},
            )
        return forms.CharField(
            label=label,
            required=False,
            max_length=TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_(
                "Nur das Team der Initiative liest Ihre Antwort; sie erscheint nirgends öffentlich."
            ),
        )

    def answers(self) -> dict:
        """Question id → cleaned value (a number, or text for free-text questions)."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, ""):
                continue
            if question.kind in (Question.Kind.SCALE, Question.Kind.YES_NO):
                value = int(value)
            values[question.pk] = value
        return values
