from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommune360.core.addresses import EmailAddressField
from kommune360.core.forms import Form
from kommune360.core.models import Municipality

from . import consent as wording
from .models import Application, Question, Review
from .services.applications import Details

SUMMARY_MAX = 1500
ANSWER_MAX = 20000


class ApplicationForm(Form):
    """The application: who applies, for which municipality, and the round's questions
    (one field per question; file questions are answered by attachments)."""

    ags = forms.CharField(
        label=gettext_lazy("Amtlicher Gemeindeschlüssel (AGS) Ihrer Kommune"),
        max_length=8,
        min_length=5,
        help_text=gettext_lazy("Fünf Ziffern für einen Kreis, acht für eine Gemeinde."),
    )
    applicant_kind = forms.ChoiceField(label=gettext_lazy("Sie bewerben sich als"))
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200)
    contact_name = forms.CharField(label=gettext_lazy("Ansprechperson"), max_length=200)
    contact_email = EmailAddressField(label=gettext_lazy("E-Mail der Ansprechperson"))
    title = forms.CharField(label=gettext_lazy("Titel der Lösung"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Kurzbeschreibung"),
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    consent = forms.BooleanField(label=wording.REVIEW, required=False)
    showcase_consent = forms.BooleanField(label=wording.SHOWCASE, required=False)

    def __init__(self, *args, round_, submitting=False, submitted=False, **kwargs):
        """``submitting``: the agreement to the review is required (not for a draft);
        ``submitted``: it can no longer be taken back."""
        super().__init__(*args, **kwargs)
        self.round = round_
        self.fields["consent"].required = submitting
        self.fields["consent"].disabled = submitted
        kinds = dict(Application.ApplicantKind.choices)
        self.fields["applicant_kind"].choices = [(k, kinds[k]) for k in round_.eligible_kinds()]
        self.questions = [q for q in round_.questions.all() if q.kind != Question.Kind.FILE]
        for question in self.questions:
            self.fields[f"q{question.pk}"] = self._field(question)

    @staticmethod
    def _field(question):
        common = {
            "label": question.label,
            "help_text": question.help_text,
            "required": False,  # required answers are checked when submitting
        }
        if question.kind == Question.Kind.CHOICE:
            options = question.choice_list()
            return forms.ChoiceField(choices=[("", "–")] + [(o, o) for o in options], **common)
        limit = min(question.max_chars or ANSWER_MAX, ANSWER_MAX)
        if question.kind == Question.Kind.SHORT:
            return forms.CharField(max_length=min(limit, 300), **common)
        return forms.CharField(max_length=limit, widget=forms.Textarea(attrs={"rows": 6}), **common)

    def clean_ags(self):
        ags = self.cleaned_data["ags"].strip()
        if not ags.isdigit():
            raise forms.ValidationError(_("Der AGS besteht nur aus Ziffern."))
        municipality = Municipality.objects.filter(ags=ags).first()
        if municipality is None:
            raise forms.ValidationError(_("Diesen Gemeindeschlüssel kennen wir nicht."))
        return municipality

    def details(self) -> Details:
        data = self.cleaned_data
        return Details(
            municipality=data["ags"],
            applicant_kind=data["applicant_kind"],
            organisation=data["organisation"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            title=data["title"],
            summary=data["summary"],
            answers={str(q.pk): data.get(f"q{q.pk}", "") for q in self.questions},
            consent=data.get("consent", False),
            showcase_consent=data.get("showcase_consent", False),
        )

    @classmethod
    def initial_for(cls, application=None, user=None):
        if application is None:
            municipality = getattr(user, "municipality", None)
            return {
                "ags": municipality.ags if municipality else "",
                "organisation": getattr(user, "organisation", ""),
                "contact_name": user.get_full_name() if user else "",
                "contact_email": getattr(user, "email", ""),
            }
        initial = {
            "ags": application.municipality.ags,
            "applicant_kind": application.applicant_kind,
            "organisation": application.organisation,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "title": application.title,
            "summary": application.summary,
            "consent": bool(application.consent_at),
            "showcase_consent": bool(application.showcase_consent_at),
        }
        for key, value in application.answers.items():
            initial[f"q{key}"] = value
        return initial


class AttachmentForm(Form):
    file = forms.FileField(label=gettext_lazy("Datei (PDF, JPEG oder PNG, bis 10 MB)"))
    question = forms.TypedChoiceField(
        label=gettext_lazy("Zu welcher Frage?"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        files = [q for q in round_.questions.all() if q.kind == Question.Kind.FILE]
        self.fields["question"].choices = [("", _("allgemeiner Anhang"))] + [
            (q.pk, q.label) for q in files
        ]


class CoApplicantForm(Form):
    email = EmailAddressField(label=gettext_lazy("E-Mail-Adresse der mitbewerbenden Person"))


class ReviewForm(Form):
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Empfehlung"),
        choices=[("", "–")] + list(Review.Recommendation.choices),
        required=False,
    )
    comment = forms.CharField(
        label=gettext_lazy("Begründung"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    meeting_note = forms.CharField(
        label=gettext_lazy("Notiz für die Jurysitzung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[("", "–")]
                + [
                    (value, f"{value} – {text}" if text else str(value))
                    for value, text in criterion.level_list()
                ],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Kommentar zu „%(name)s“") % {"name": criterion.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self):
        return {
            c.pk: (self.cleaned_data.get(f"score_{c.pk}"), self.cleaned_data.get(f"note_{c.pk}"))
            for c in self.criteria
        }


class ConflictForm(Form):
    reason = forms.CharField(label=gettext_lazy("Warum sind Sie befangen?"), max_length=300)


class DecisionForm(Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Entscheidung"),
        choices=[c for c in Application.Decision.choices if c[0]],
    )
    reason = forms.CharField(
        label=gettext_lazy("Begründung"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdoptionRequestForm(Form):
    organisation = forms.CharField(label=gettext_lazy("Ihre Organisation"), max_length=200)
    message = forms.CharField(
        label=gettext_lazy("Was möchten Sie wissen oder nachnutzen?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
