from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kommune360.core.forms import Form, ModelForm
from kommune360.core.models import Municipality, Topic

from .models import FIELDS, Profile

MAX_LINKS = 5


class MunicipalityField(forms.CharField):
    """A Kommune by its AGS, or by its name when only one has it."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        value = value.strip()
        if value.isdigit():
            found = Municipality.objects.filter(ags=value).first()
        else:
            matches = list(Municipality.objects.filter(name__iexact=value)[:2])
            if len(matches) > 1:
                raise ValidationError(
                    _("Diesen Namen tragen mehrere Kommunen. Bitte geben Sie den AGS an.")
                )
            found = matches[0] if matches else None
        if found is None:
            raise ValidationError(_("Diese Kommune kennen wir nicht. Bitte prüfen Sie den AGS."))
        return found


def _topics(label):
    return forms.ModelMultipleChoiceField(
        Topic.objects.all(), label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


class ProfileForm(ModelForm):
    municipality = MunicipalityField(
        label=gettext_lazy("Kommune"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("AGS oder Name Ihrer Kommune, z. B. 05124000 oder Wuppertal."),
    )
    topics = _topics(gettext_lazy("Themen, die mich beschäftigen"))
    offers_topics = _topics(gettext_lazy("Themen, zu denen ich etwas biete"))
    seeks_topics = _topics(gettext_lazy("Themen, zu denen ich etwas suche"))
    photo_upload = forms.FileField(
        label=gettext_lazy("Foto"),
        required=False,
        help_text=gettext_lazy(
            "JPEG oder PNG. Wir verkleinern es und entfernen alle Angaben aus der Datei "
            "(Kamera, Ort, Zeit)."
        ),
    )
    remove_photo = forms.BooleanField(label=gettext_lazy("Foto entfernen"), required=False)

    class Meta:
        model = Profile
        fields = [
            "is_active",
            "name",
            "name_visibility",
            "role",
            "role_visibility",
            "municipality_visibility",
            "topics_visibility",
            "offers",
            "offers_visibility",
            "seeks",
            "seeks_visibility",
            "languages",
            "languages_visibility",
            "photo_visibility",
            "links",
            "links_visibility",
            "show_as_fellow",
        ]
        widgets = {f"{name}_visibility": forms.RadioSelect for name in FIELDS} | {
            "offers": forms.Textarea(attrs={"rows": 3}),
            "seeks": forms.Textarea(attrs={"rows": 3}),
            "links": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = self.instance
        if profile.pk:
            if profile.municipality_id:
                self.initial["municipality"] = profile.municipality.ags
            for name in ("topics", "offers_topics", "seeks_topics"):
                self.initial[name] = [t.pk for t in getattr(profile, name).all()]
        if not profile.is_fellow:
            del self.fields["show_as_fellow"]
        for name in FIELDS:
            self.fields[f"{name}_visibility"].choices = [
                c for c in self.fields[f"{name}_visibility"].choices if c[0]
            ]

    def clean_links(self):
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(
                ngettext(
                    "Bitte geben Sie höchstens %(count)s Link an.",
                    "Bitte geben Sie höchstens %(count)s Links an.",
                    MAX_LINKS,
                )
                % {"count": MAX_LINKS}
            )
        check = URLValidator(schemes=["https", "http"])
        for line in lines:
            try:
                check(line)
            except ValidationError as error:
                raise ValidationError(
                    _("„%(link)s“ ist keine Web-Adresse (https://…).") % {"link": line[:80]}
                ) from error
        return "\n".join(lines)

    def clean_languages(self):
        parts = [p.strip() for p in self.cleaned_data["languages"].split(",") if p.strip()]
        return ", ".join(parts)


class ContactForm(Form):
    message = forms.CharField(
        label=gettext_lazy("Ihre Nachricht"),
        max_length=800,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Warum möchten Sie Kontakt? Ihre E-Mail-Adresse sieht die Person erst, wenn sie "
            "annimmt."
        ),
    )


class DeclineForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Begründung (freiwillig)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReportForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("Was möchten Sie melden?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Die Moderation liest Ihre Meldung; die Person erfährt nicht, von wem sie kommt."
        ),
    )


class FellowForm(Form):
    is_fellow = forms.BooleanField(label=gettext_lazy("Fellow"), required=False)
    fellow_year = forms.IntegerField(
        label=gettext_lazy("Jahrgang"), required=False, min_value=2000, max_value=2100
    )
