from django import forms
from django.utils.translation import gettext_lazy as _

from kommune360.core.forms import Form, ModelForm
from kommune360.core.models import Method, TargetGroup, Topic

from . import imports
from .models import Offer, OfferImportJob, Provider
from .services import EDITABLE_FIELDS


class OfferForm(ModelForm):
    """What a provider account fills in for one of its offers."""

    methods = forms.ModelMultipleChoiceField(
        Method.objects.all(),
        label=_("Methoden"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        label=_("Themen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        TargetGroup.objects.all(),
        label=_("Zielgruppen"),
        required=True,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Offer
        fields = [
            "provider",
            *EDITABLE_FIELDS[:3],
            "methods",
            "topics",
            "target_groups",
            *EDITABLE_FIELDS[3:],
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "learning_goals": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        if providers.count() == 1 and not self.instance.pk:
            self.fields["provider"].initial = providers.first()
        if self.instance.pk:
            self.fields["provider"].disabled = True
        self.fields["municipality"].widget = forms.TextInput()
        self.fields["municipality"].help_text = _("AGS der Kommune, z. B. 05124000")
        self.fields["municipality"].to_field_name = "ags"
        if self.instance.pk and self.instance.municipality_id:
            self.initial["municipality"] = self.instance.municipality.ags


class ImportForm(Form):
    """The upload of the offer import: size and type are checked at once; the rows are
    checked by the task (``services.run_import_job``)."""

    file = forms.FileField(
        label=_("Datei"),
        error_messages={"empty": _("Die Datei ist leer.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    status = forms.ChoiceField(
        label=_("Status der importierten Angebote"),
        choices=OfferImportJob._meta.get_field("offer_status").choices,
        initial=Offer.Status.DRAFT,
    )

    def clean_file(self):
        upload = imports.UPLOAD.check(self.cleaned_data["file"])
        return {"name": upload.name, "content": upload.content}


class ProviderRequestForm(Form):
    """A member asks to maintain an organisation's offers: one from the atlas, or a new
    one proposed with its name (``provider_requests.request_provider_role``)."""

    provider = forms.ModelChoiceField(
        Provider.objects.order_by("name").only("pk", "name"),
        label=_("Organisation im Angebotsatlas"),
        required=False,
        empty_label=_("– keine: ich schlage eine neue vor –"),
    )
    name = forms.CharField(
        label=_("Name der neuen Organisation"),
        max_length=200,
        required=False,
        help_text=_("Nur, wenn Ihre Organisation noch nicht in der Liste steht."),
    )
    website = forms.URLField(
        label=_("Website der neuen Organisation"),
        max_length=200,
        required=False,
        assume_scheme="https",
    )
    note = forms.CharField(
        label=_("Kurze Notiz für die Redaktion"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Welche Aufgabe haben Sie in der Organisation? Das hilft der Redaktion bei der "
            "Entscheidung."
        ),
    )

    def clean(self):
        data = super().clean()
        provider, name = data.get("provider"), (data.get("name") or "").strip()
        if "provider" in self.errors or "name" in self.errors:
            return data
        if provider and name:
            self.add_error(
                "name",
                _(
                    "Bitte wählen Sie entweder eine Organisation aus der Liste oder nennen Sie "
                    "eine neue, nicht beides."
                ),
            )
        elif not provider and not name:
            self.add_error(
                "provider",
                _("Bitte wählen Sie eine Organisation aus oder nennen Sie eine neue."),
            )
        return data


class DecisionForm(Form):
    """The editors' decision on a request to become a provider."""

    type = forms.ChoiceField(
        label=_("Art der neuen Organisation"),
        choices=[("", "–"), *Provider.Type.choices],
        required=False,
    )
    message = forms.CharField(
        label=_("Nachricht an die Person (freiwillig, steht in der E-Mail)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
