"""Forms of the customer-order pages. Shape only: the services decide the rules
(stock, prices, statuses) and the views show their errors beside the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.sales.models import OrderStatus

STATUS_CHOICES = [
    ("", _("Open (not delivered or cancelled)")),
    ("all", _("All statuses")),
    *OrderStatus.choices,
]


class OrderFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or customer")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)
    customer = forms.UUIDField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filters(self) -> dict:
        from hanout.sales.selectors_orders import OPEN_STATUSES

        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status", "")
        return {
            "search": data.get("q", ""),
            "status": OPEN_STATUSES if status == "" else (None if status == "all" else status),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class OrderForm(forms.Form):
    """The order's head; its lines are rows of inputs read by the view (`lines_from_post`)."""

    customer = forms.UUIDField(
        label=_("Customer"), error_messages={"invalid": _("Choose a customer from the list.")}
    )
    location = forms.UUIDField(label=_("Ship from"), required=False)
    promised_on = forms.DateField(
        label=_("Promised delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    shipping_address = forms.CharField(
        label=_("Delivery address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Left empty: the customer's address."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ShipForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=80, required=False)
    tracking = forms.CharField(
        label=_("Tracking number"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
