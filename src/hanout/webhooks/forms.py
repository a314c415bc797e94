"""Forms of the webhook pages: shape only; the services decide (SSRF guard, known events)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.webhooks.models import EVENT_CHOICES, PING, DeliveryStatus


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_("An https:// address on the public internet that accepts POST requests."),
        widget=forms.URLInput(
            attrs={"dir": "ltr", "autocomplete": "off", "placeholder": "https://"}
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EVENT_CHOICES,
        required=False,  # the service says "choose at least one", beside the field
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class DeliveryFilterForm(forms.Form):
    event = forms.ChoiceField(
        label=_("Event"),
        required=False,
        choices=[("", _("Any event")), *EVENT_CHOICES, (PING, _("Test event"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *DeliveryStatus.choices],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"event": data.get("event") or None, "status": data.get("status") or None}
