from django.forms.renderers import TemplatesSetting


class BootstrapFormRenderer(TemplatesSetting):
    """`{{ form }}` renders Bootstrap fields with the server's error beside each."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    formset_template_name = "django/forms/formsets/div.html"
