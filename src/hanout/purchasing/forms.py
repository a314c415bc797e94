"""Forms of the purchase-order pages. They check shape only (required, lengths,
dates); the services decide the rules and the views show a service's error
beside the field it names. Line quantities come as `qty_<id>` / `cost_<id>`
inputs of one table, read by the views."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.purchasing.models import POStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class POFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("PO number or supplier")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *POStatus.choices]
    )
    supplier = forms.ChoiceField(label=_("Supplier"), required=False, choices=[])
    date_from = forms.DateField(label=_("Ordered from"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Ordered to"), required=False, widget=DateInput())

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [("", _("Any supplier"))] + [
            (str(s.pk), s.name) for s in suppliers
        ]

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q") or None,
            "status": data.get("status") or None,
            "supplier": data.get("supplier") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class POForm(forms.Form):
    supplier = forms.ChoiceField(label=_("Supplier"), choices=[])
    location = forms.ChoiceField(
        label=_("Deliver to"), choices=[], help_text=_("Where the goods are put away.")
    )
    expected_on = forms.DateField(label=_("Expected delivery"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Note to the supplier"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed on the order: delivery hours, the back door…"),
    )

    def __init__(self, *args, suppliers=(), locations=(), with_supplier=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_supplier:
            self.fields["supplier"].choices = [("", _("Choose a supplier"))] + [
                (str(s.pk), s.name) for s in suppliers
            ]
        else:
            del self.fields["supplier"]
        self.fields["location"].choices = [
            (str(loc.pk), f"{loc.shop.name} · {loc.name}") for loc in locations
        ]


class SendForm(forms.Form):
    email = forms.EmailField(
        label=_("Supplier's email"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    notify = forms.BooleanField(label=_("Email the order as a PDF"), required=False, initial=True)


class ReceiveForm(forms.Form):
    location = forms.ChoiceField(label=_("Put away at"), choices=[])
    delivery_note = forms.CharField(
        label=_("Supplier's delivery note"), required=False, max_length=120
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    over_receipt_reason = forms.CharField(
        label=_("Why more than ordered?"),
        required=False,
        max_length=500,
        help_text=_("Needed only when more arrived than is still expected."),
    )

    def __init__(self, *args, locations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [
            (str(loc.pk), f"{loc.shop.name} · {loc.name}") for loc in locations
        ]


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
