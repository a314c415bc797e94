"""Forms of the customer pages. They check shape only; the services decide the rules
(valid phone, email) and the views show the service's error beside the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CustomerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, phone, email or tax id")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active")), ("inactive", _("Inactive")), ("all", _("All"))],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Anyone")), ("company", _("Companies")), ("person", _("People"))],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "active": {"": True, "inactive": False}.get(data.get("status", "")),
            "is_company": {"company": True, "person": False}.get(data.get("kind", "")),
        }


class CustomerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    is_company = forms.BooleanField(
        label=_("This is a company"),
        required=False,
        help_text=_("Companies get invoices with their tax / VAT number."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("With the country code if the number is from abroad, e.g. +32 470 12 34 56."),
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
    tax_id = forms.CharField(
        label=_("Tax / VAT number"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Delivery instructions, preferences, anything worth remembering."),
    )
