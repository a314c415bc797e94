"""Forms of the customer pages. They check shape only; the services decide the rules
(valid phone, email) and the views show the service's error beside the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.customers.models import TrustLevel
from hanout.customers.selectors_crm import SEGMENTS


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

    segment = forms.ChoiceField(
        label=_("Segment"),
        required=False,
        choices=[("", _("Any segment")), *SEGMENTS.items()],
    )
    trust = forms.ChoiceField(
        label=_("Trust"),
        required=False,
        choices=[("", _("Any trust level")), *TrustLevel.choices],
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "segment": data.get("segment") or None,
            "trust_level": data.get("trust") or None,
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
    card_code = forms.CharField(
        label=_("Loyalty card"),
        max_length=64,
        required=False,
        help_text=_("Scan or type the code on the customer's card; the register finds them by it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )


class TrustForm(forms.Form):
    trust_level = forms.ChoiceField(label=_("Trust level"), choices=TrustLevel.choices)
    note = forms.CharField(label=_("Why (optional)"), max_length=200, required=False)


class PointsAdjustForm(forms.Form):
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-10_000_000,
        max_value=10_000_000,
        help_text=_("Positive to add, negative to take away."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)


class LoyaltyRuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Loyalty programme on"), required=False)
    spend_step = forms.DecimalField(
        label=_("For every (amount spent)"), max_digits=14, decimal_places=3, min_value=0
    )
    points_per_step = forms.IntegerField(label=_("Points earned"), min_value=1, max_value=1000)
    point_value = forms.DecimalField(
        label=_("Value of one point at the register"),
        max_digits=14,
        decimal_places=3,
        min_value=0,
    )
