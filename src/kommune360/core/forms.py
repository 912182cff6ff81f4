from django.forms.renderers import TemplatesSetting


class KernFormRenderer(TemplatesSetting):
    """Renders every Django form with the KERN UX form components.

    Fields get their label, hint and error message in KERN markup; errors are tied
    to the field with ``aria-describedby`` and ``aria-invalid``.
    """

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
