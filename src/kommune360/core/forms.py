"""Forms the way every page of the site shows them.

``KernFormRenderer`` renders them with the KERN UX components. ``RequiredMessages``
gives an empty required field the same message in every form: one per kind of input
(text, choice, several choices, checkbox, file), whatever the field or the form. App
forms derive from ``Form`` or ``ModelForm`` here; allauth's forms get it through
``accounts.forms`` (``ACCOUNT_FORMS``, ``MFA_FORMS``). ``tests/core/test_forms.py``
submits every form of the site empty and compares the messages.
"""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

REQUIRED_TEXT = _("Bitte füllen Sie dieses Feld aus.")
REQUIRED_CHOICE = _("Bitte wählen Sie eine Möglichkeit aus.")
REQUIRED_CHOICES = _("Bitte wählen Sie mindestens eine Möglichkeit aus.")
REQUIRED_CHECKBOX = _("Bitte setzen Sie das Häkchen, um fortzufahren.")
REQUIRED_FILE = _("Bitte wählen Sie eine Datei aus.")
# What a Wagtail stream (a page's body) says about itself when something in it is wrong:
# Wagtail's own text is the English "Validation error in StreamBlock", whatever the
# language, and names nothing; the blocks keep their own messages beside them.
STREAM_ERRORS = _("Bitte prüfen Sie die markierten Blöcke.")
REQUIRED_BLOCKS = _("Bitte fügen Sie mindestens einen Block hinzu.")


class KernFormRenderer(TemplatesSetting):
    """Renders every Django form with the KERN UX form components.

    Fields get their label, hint and error message in KERN markup; errors are tied
    to the field with ``aria-describedby`` and ``aria-invalid``.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


def required_message(field: forms.Field):
    """What an empty required ``field`` says, by the kind of input it is."""
    if isinstance(field, forms.BooleanField):
        return REQUIRED_CHECKBOX
    if isinstance(field, forms.FileField):
        return REQUIRED_FILE
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return REQUIRED_CHOICES
    if isinstance(field, forms.ChoiceField):  # model and typed choice fields, too
        return REQUIRED_CHOICE
    return REQUIRED_TEXT


class RequiredMessages:
    """Mixin for a form class: every field's "required" message from ``required_message``,
    replacing what the field or the form set. Applied when the form is cleaned, so it
    reaches fields a form adds in its ``__init__`` as well."""

    def full_clean(self):
        for field in self.fields.values():
            field.error_messages["required"] = required_message(field)
        super().full_clean()
        _name_stream_errors(self)


def _name_stream_errors(form):
    """Give each stream's error a German message that says what to do (``STREAM_ERRORS``,
    or ``REQUIRED_BLOCKS`` for an empty required stream). The error stays Wagtail's
    ``StreamBlockValidationError``, so the editor still marks each block's own errors."""
    if not getattr(form, "_errors", None):
        return
    from wagtail.blocks import StreamBlockValidationError

    for errors in form._errors.values():
        for error in errors.as_data():
            if not isinstance(error, StreamBlockValidationError):
                continue
            error.message = STREAM_ERRORS if error.block_errors else REQUIRED_BLOCKS
            if not error.block_errors and len(error.non_block_errors) == 1:
                error.non_block_errors = forms.utils.ErrorList([REQUIRED_BLOCKS])


class Form(RequiredMessages, forms.Form):
    """The base of every form of the apps."""


class ModelForm(RequiredMessages, forms.ModelForm):
    """The base of every model form of the apps."""


class StoredFileInput(forms.ClearableFileInput):
    """A file input that names the file already stored instead of linking to it:
    private files have no address (``core.storage``), and audio must be fetched
    through the view that counts it."""

    template_name = "core/forms/stored_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None) and getattr(value, "_committed", True))


def give_wagtail_forms_the_site_messages():
    """Editors get the messages visitors get: every editing form of Wagtail (pages,
    snippets, images, documents, the apps' admin viewsets) derives from
    ``WagtailAdminModelForm``, which takes ``RequiredMessages`` among its bases here
    (called once from ``CoreConfig.ready``). Without it an empty field in the admin said
    Django's „Dieses Feld muss ausgefüllt werden.“"""
    from wagtail.admin.forms.models import WagtailAdminModelForm

    if not issubclass(WagtailAdminModelForm, RequiredMessages):
        WagtailAdminModelForm.__bases__ = (RequiredMessages, *WagtailAdminModelForm.__bases__)
