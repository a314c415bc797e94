"""Forms of the supplier pages. They check shape only (lengths, required, numbers);
the services decide the rules (unique name, valid phone, no negative cost) and the
views show the service's DomainError beside the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.suppliers.services import MAX_LEAD_TIME_DAYS


class SupplierFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, contact, email or phone")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("active", _("Active")), ("inactive", _("Inactive"))],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "active": {"active": True, "inactive": False}.get(data.get("status", "")),
        }


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    contact_name = forms.CharField(label=_("Contact person"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("With the country code if the supplier is abroad, e.g. +32 470 12 34 56."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "dir": "ltr"}),
    )
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Delivery days, payment terms, anything worth remembering."),
    )


class SupplierItemForm(forms.Form):
    """One line of the supplier's catalog. `product` is picked in the page's search
    select; the view looks it up in the business (anything else is "not found")."""

    product = forms.UUIDField(
        label=_("Product"), error_messages={"invalid": _("Choose a product from the list.")}
    )
    supplier_sku = forms.CharField(label=_("Supplier's reference"), max_length=64, required=False)
    cost = forms.DecimalField(
        label=_("Cost"),
        max_digits=20,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_LEAD_TIME_DAYS}),
    )
    min_order_quantity = forms.DecimalField(
        label=_("Minimum order quantity"),
        max_digits=20,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    is_preferred = forms.BooleanField(
        label=_("Preferred supplier for this product"),
        required=False,
        help_text=_("Restock suggestions go to the preferred supplier first."),
    )

    def service_data(self) -> dict:
        """What to send to supplier_item_set: empty number boxes keep the current value."""
        data = self.cleaned_data
        out = {"supplier_sku": data["supplier_sku"], "is_preferred": data["is_preferred"]}
        for name in ("cost", "lead_time_days", "min_order_quantity"):
            if data.get(name) is not None:
                out[name] = data[name]
        return out
