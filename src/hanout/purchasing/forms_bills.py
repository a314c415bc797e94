"""Forms of the supplier invoice, payment, recap and performance pages.

They check shape only (required, lengths, numbers, dates); the services decide
the rules (no future date, not more than is left to pay, the scan's real type)
and the views put the service's error beside the field it names. Every choice
list is scoped to the business it is built for.
"""

from __future__ import annotations

import datetime
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.catalog.templatetags.catalog_tags import money
from hanout.purchasing.models import POStatus, PurchaseOrder, SupplierPaymentMethod
from hanout.purchasing.performance import MAX_PERIOD_DAYS
from hanout.purchasing.selectors_bills import BILLED_STATUSES
from hanout.suppliers.models import Supplier

DATE = {"type": "date"}
MONEY = {"step": "0.01", "min": "0", "inputmode": "decimal", "dir": "ltr"}
ORDER_CHOICES = 200


def _suppliers(business, *, empty: str):
    return [("", empty)] + [
        (str(pk), name)
        for pk, name in Supplier.objects.for_business(business)
        .order_by("name", "id")
        .values_list("pk", "name")
    ]


class _BusinessForm(forms.Form):
    def __init__(self, *args, business, **kwargs):
        self.business = business
        super().__init__(*args, **kwargs)


class BillFilterForm(_BusinessForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number or supplier")}),
    )
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("open", _("To pay")),
            ("overdue", _("Overdue")),
            ("paid", _("Paid")),
        ],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(DATE))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(DATE))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = _suppliers(self.business, empty=_("All suppliers"))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        out = {
            "search": data.get("q") or None,
            "status": data.get("status") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if data.get("supplier"):
            out["supplier"] = Supplier.objects.for_business(self.business).get(pk=data["supplier"])
        return out


class BillForm(_BusinessForm):
    supplier = forms.ChoiceField(label=_("Supplier"))
    number = forms.CharField(
        label=_("Supplier's invoice number"),
        max_length=64,
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    issued_on = forms.DateField(label=_("Invoice date"), widget=forms.DateInput(DATE))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(DATE))
    total = forms.DecimalField(
        label=_("Total, tax included"),
        max_digits=20,
        decimal_places=6,
        widget=forms.NumberInput(MONEY),
    )
    tax_total = forms.DecimalField(
        label=_("Of which tax"),
        max_digits=20,
        decimal_places=6,
        required=False,
        widget=forms.NumberInput(MONEY),
    )
    order = forms.ChoiceField(
        label=_("Purchase order"),
        required=False,
        help_text=_("The order this invoice bills, if any."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachment = forms.FileField(
        label=_("Scan of the invoice"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = _suppliers(self.business, empty=_("— choose —"))
        orders = (
            PurchaseOrder.objects.filter(business=self.business, status__in=BILLED_STATUSES)
            .select_related("supplier")
            .order_by("-number")[:ORDER_CHOICES]
        )
        self.fields["order"].choices = [("", _("— none —"))] + [
            (str(o.pk), f"{o.reference} · {o.supplier.name}") for o in orders
        ]
        if not self.is_bound:
            self.initial.setdefault("client_uuid", uuid.uuid4())

    def order_object(self):
        pk = self.cleaned_data.get("order")
        if not pk:
            return None
        return (
            PurchaseOrder.objects.filter(business=self.business)
            .exclude(status__in=[POStatus.DRAFT])
            .filter(pk=pk)
            .first()
        )


class PaymentForm(_BusinessForm):
    supplier = forms.ChoiceField(label=_("Supplier"))
    invoice = forms.ChoiceField(
        label=_("Invoice paid"),
        required=False,
        help_text=_("Leave empty for a payment on account."),
    )
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=20, decimal_places=6, widget=forms.NumberInput(MONEY)
    )
    # Not "method": a form control of that name hides the form's own `method` property.
    paid_by = forms.ChoiceField(label=_("Paid by"), choices=SupplierPaymentMethod.choices)
    paid_on = forms.DateField(label=_("Paid on"), widget=forms.DateInput(DATE))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=120,
        required=False,
        help_text=_("Cheque or transfer number."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, invoices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = _suppliers(self.business, empty=_("— choose —"))
        self.fields["invoice"].choices = [("", _("— on account —"))] + [
            (
                str(i.pk),
                _("%(number)s · %(supplier)s · %(left)s left to pay")
                % {
                    "number": i.number,
                    "supplier": i.supplier.name,
                    "left": money(i.balance, self.business),
                },
            )
            for i in invoices
        ]
        if not self.is_bound:
            self.initial.setdefault("client_uuid", uuid.uuid4())


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class PeriodForm(_BusinessForm):
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(DATE))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(DATE))
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)

    def __init__(self, *args, default: tuple[datetime.date, datetime.date], **kwargs):
        self.default = default
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = _suppliers(self.business, empty=_("All suppliers"))

    def clean(self):
        data = super().clean()
        first = data.get("date_from") or self.default[0]
        last = data.get("date_to") or self.default[1]
        if first > last:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif (last - first).days > MAX_PERIOD_DAYS:
            self.add_error("date_from", _("At most five years at a time."))
        data["date_from"], data["date_to"] = first, last
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        if self.is_valid():
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return self.default

    def supplier_object(self):
        pk = self.cleaned_data.get("supplier") if self.is_valid() else None
        return Supplier.objects.for_business(self.business).filter(pk=pk).first() if pk else None
