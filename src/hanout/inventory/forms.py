"""Forms for the stock pages. They check shape (numbers, required notes, which
product a scanned code means); the inventory services decide the rules
(insufficient stock, same location, one default per shop) and the views show
their DomainError beside the field it names.
"""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hanout.catalog.models import QTY_DIGITS, QTY_PLACES, Product
from hanout.core.forms import check_period
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES
from hanout.inventory.models import LocationKind, MovementReason

_QTY = {"inputmode": "decimal", "step": "any", "autocomplete": "off"}
_CODE = {"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "dir": "ltr"}
VALUATION_GROUPS = [("location", _("Location")), ("category", _("Category"))]
RESTOCK_DAYS = [(7, _("7 days")), (30, _("30 days")), (90, _("90 days"))]


def quantity_field(
    label, *, required=True, min_value=None, help_text="", **attrs
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=QTY_DIGITS,
        decimal_places=QTY_PLACES,
        min_value=min_value,
        help_text=help_text,
        widget=forms.NumberInput(attrs={**_QTY, **attrs}),
    )


def _locations(business, *, active_only=True):
    from hanout.inventory import selectors

    qs = selectors.location_list(business=business)
    return qs.filter(is_active=True) if active_only else qs


class LocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        shop = getattr(obj, "shop", None)
        return f"{obj.name} · {shop.name}" if shop is not None else obj.name


class ProductCodeField(forms.CharField):
    """A product picked by scanning or typing its barcode or article number (SKU).

    Links from other pages pass the product's id, which is accepted too.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Product"))
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("help_text", _("Scan or type its barcode, article number or name."))
        attrs = {**_CODE, "placeholder": _("Barcode or article number")}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)


def resolve_product(business, code: str):
    """The business's product for a barcode, an article number or an id; None if none."""
    from hanout.catalog import selectors as catalog

    code = (code or "").strip()
    if not code:
        return None
    try:
        pk = uuid.UUID(code)
    except ValueError:
        pk = None
    if pk is not None:
        with contextlib.suppress(Product.DoesNotExist):
            return catalog.product_get(business=business, pk=pk)
    return catalog.product_lookup(business=business, code=code)


class BusinessForm(forms.Form):
    """A form that knows its business (for product and location choices)."""

    def __init__(self, *args, business, **kwargs):
        self.business = business
        super().__init__(*args, **kwargs)

    def clean_product(self):
        code = self.cleaned_data.get("product", "")
        product = resolve_product(self.business, code)
        if product is not None:
            return product
        # Not a code: a name, if it names one product (a person rarely knows SKUs by heart).
        from hanout.catalog import selectors as catalog

        found = list(catalog.product_list(business=self.business, search=code, active=True)[:6])
        if len(found) == 1:
            return found[0]
        if found:
            raise forms.ValidationError(
                _(
                    "Several products match “%(code)s”: %(names)s. Type more of the name, or its barcode or article number."
                ),
                params={"code": code, "names": ", ".join(p.name for p in found[:5])},
            )
        raise forms.ValidationError(
            _("No product has the barcode, article number or name “%(code)s”."),
            params={"code": code},
        )


class IdempotentForm(BusinessForm):
    """Carries a client UUID made when the form is drawn: a double submit posts once."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)


# --- stock levels ------------------------------------------------------------------------


class StockLevelFilterForm(BusinessForm):
    location = LocationChoiceField(
        label=_("Location"), queryset=None, required=False, empty_label=_("All locations")
    )
    low = forms.BooleanField(label=_("Low stock only"), required=False)
    q = forms.CharField(label=_("Search"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(
            self.business, active_only=False
        ).select_related("shop")

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "location": data.get("location"),
            "low": True if data.get("low") else None,
            "search": data.get("q", "").strip() or None,
        }


class ThresholdForm(forms.Form):
    reorder_point = quantity_field(
        _("Low-stock threshold"), required=False, min_value=Decimal(0), min="0"
    )
    reorder_quantity = quantity_field(
        _("Reorder quantity"), required=False, min_value=Decimal("0.001"), min="0"
    )


# --- the ledger ----------------------------------------------------------------------------


class MovementFilterForm(BusinessForm):
    product = ProductCodeField(required=False, help_text="")
    location = LocationChoiceField(
        label=_("Location"), queryset=None, required=False, empty_label=_("All locations")
    )
    reason = forms.ChoiceField(
        label=_("Reason"), required=False, choices=[("", _("All reasons")), *MovementReason.choices]
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(
            self.business, active_only=False
        ).select_related("shop")

    def clean_product(self):
        if not self.cleaned_data.get("product", "").strip():
            return None
        return super().clean_product()

    def clean(self):
        data = super().clean()
        check_period(self)
        return data


class MovementForm(IdempotentForm):
    product = ProductCodeField()
    location = LocationChoiceField(label=_("Location"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(self.business).select_related("shop")
        if "location" not in self.initial:
            default = next(
                (loc for loc in self.fields["location"].queryset if loc.is_default), None
            )
            if default is not None:
                self.initial["location"] = default.pk


class ReceiptForm(MovementForm):
    quantity = quantity_field(_("Quantity received"), min_value=Decimal("0.001"), min="0")
    unit_cost = forms.DecimalField(
        label=_("Unit cost"),
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        min_value=Decimal(0),
        help_text=_("What one unit cost you, before resale. Updates the average cost."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=120,
        required=False,
        help_text=_("Delivery note or invoice number."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AdjustmentForm(MovementForm):
    # Named like the service's argument, so its errors land beside this field.
    quantity = quantity_field(
        _("Change by"),
        required=False,
        help_text=_("Positive to add, negative to remove (for example -2)."),
    )
    new_quantity = quantity_field(
        _("Or set the quantity on hand to"), required=False, min_value=Decimal(0), min="0"
    )
    note = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("Required: the next person reading the ledger needs to know."),
    )

    def clean(self):
        data = super().clean()
        change, new = data.get("quantity"), data.get("new_quantity")
        if "quantity" in data and "new_quantity" in data:  # both parsed
            if change is None and new is None:
                self.add_error("quantity", _("Enter a change or a new quantity."))
            elif change is not None and new is not None:
                self.add_error(
                    "new_quantity", _("Enter either a change or a new quantity, not both.")
                )
            elif change is not None and change == 0:
                self.add_error("quantity", _("A change of zero changes nothing."))
        return data


class WriteOffForm(MovementForm):
    quantity = quantity_field(_("Quantity written off"), min_value=Decimal("0.001"), min="0")
    note = forms.CharField(
        label=_("Why"),
        max_length=500,
        help_text=_("Required: broken, expired, stolen…"),
    )


class TransferForm(IdempotentForm):
    product = ProductCodeField()
    from_location = LocationChoiceField(
        label=pgettext_lazy("transfer", "From location"), queryset=None
    )
    to_location = LocationChoiceField(label=pgettext_lazy("transfer", "To location"), queryset=None)
    quantity = quantity_field(_("Quantity"), min_value=Decimal("0.001"), min="0")
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locations = _locations(self.business).select_related("shop")
        self.fields["from_location"].queryset = locations
        self.fields["to_location"].queryset = locations

    def clean(self):
        data = super().clean()
        if data.get("from_location") and data.get("from_location") == data.get("to_location"):
            self.add_error("to_location", _("Choose a different location to move the stock to."))
        return data


# --- locations ----------------------------------------------------------------------------


class LocationForm(BusinessForm):
    shop = forms.ModelChoiceField(label=_("Shop"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=LocationKind.choices)
    is_default = forms.BooleanField(
        label=_("The register sells from here"),
        required=False,
        help_text=_("One location per shop; choosing this one replaces the previous one."),
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        from hanout.core.models import Shop

        self.fields["shop"].queryset = Shop.objects.for_business(self.business).filter(
            is_active=True
        )
        if editing:
            del self.fields["shop"]
            self.fields["is_active"] = forms.BooleanField(
                label=_("Active"),
                required=False,
                help_text=_("An inactive location is hidden from the forms; its history stays."),
            )


# --- counts -------------------------------------------------------------------------------


class CountStartForm(BusinessForm):
    location = LocationChoiceField(label=_("Location to count"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations(self.business).select_related("shop")


class CountScanForm(BusinessForm):
    product = ProductCodeField(label=_("Scan or type a barcode or article number"), help_text="")


class CountLineForm(forms.Form):
    product = forms.UUIDField(widget=forms.HiddenInput)
    counted = quantity_field(_("Counted"), min_value=Decimal(0), min="0")


# --- low stock and valuation ---------------------------------------------------------------


class RestockForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Average sales over"), choices=RESTOCK_DAYS, coerce=int, initial=30, required=False
    )

    def days_value(self) -> int:
        if self.is_valid() and self.cleaned_data.get("days"):
            return self.cleaned_data["days"]
        return 30


class ValuationForm(forms.Form):
    at = forms.DateField(
        label=_("On"),
        required=False,
        help_text=_("The value at the end of this day. Empty: now."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    group_by = forms.ChoiceField(
        label=_("Group by"), choices=VALUATION_GROUPS, initial="location", required=False
    )
