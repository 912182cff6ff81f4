from django import forms
from django.utils.translation import gettext_lazy as _

from kommune360.core.forms import Form, ModelForm
from kommune360.core.models import Method, TargetGroup, Topic

from . import imports
from .models import Offer, OfferImportJob
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
