"""Marketplace page forms: shape only. Amounts stay text so the services check them and
their messages (decimals of the currency, the largest amount, more than zero) reach the
page word for word, the same as the API's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.core.forms import check_period
from hanout.marketplace.models import (
    EntryKind,
    ListingCategory,
    RequestKind,
    RequestStatus,
)

SORT_CHOICES = [
    ("recent", _("Newest first")),
    ("price", _("Price, lowest first")),
    ("-price", _("Price, highest first")),
    ("name", _("Name")),
]


class AmountField(forms.CharField):
    """Text for the service to check; "12,50" (a decimal comma, as French and Arabic write it)
    is read as 12.50 — thousands separators are not guessed."""

    def to_python(self, value):
        text = super().to_python(value).replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        return text


def _amount(label):
    return AmountField(
        label=label,
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr", "autocomplete": "off"}),
    )


QUANTITY = _("Quantity")


def _quantity(label=QUANTITY):
    return forms.CharField(
        label=label,
        max_length=10,
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )


class _Keyed(forms.Form):
    """A hidden client-made UUID: sending the same form twice changes nothing."""

    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)


# The API's words for a bad price filter (PriceFilter), so both say the same.
PRICE_ERRORS = {
    "invalid": _("Enter a price of zero or more, such as 12.50."),
    "min_value": _("Enter a price of zero or more, such as 12.50."),
}


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *ListingCategory.choices],
    )
    min_price = forms.DecimalField(
        label=_("Lowest price"), required=False, min_value=0, error_messages=PRICE_ERRORS
    )
    max_price = forms.DecimalField(
        label=_("Highest price"), required=False, min_value=0, error_messages=PRICE_ERRORS
    )
    country = forms.CharField(
        label=_("Seller's country"), required=False, max_length=2, min_length=2
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def clean(self):
        data = super().clean()
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and high < low:
            self.add_error("max_price", _("The highest price is below the lowest price."))
        return data

    def filters(self) -> dict:
        """The filters to apply: a bad one is left out (the form says what is wrong with it
        beside its field, as the API's 400 does), the others still apply."""
        self.is_valid()  # an unbound form has nothing to filter on
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "category": data.get("category") or None,
            "min_price": data.get("min_price"),
            "max_price": data.get("max_price"),
            "country": data.get("country") or None,
            "sort": data.get("sort") or "recent",
        }


class BuyForm(_Keyed):
    quantity = _quantity()


OFFER_DAYS = [
    (1, _("1 day")),
    (3, _("3 days")),
    (7, _("1 week")),
    (14, _("2 weeks")),
    (30, _("30 days")),
]


class OfferForm(_Keyed):
    unit_price = _amount(_("Your price per unit"))
    quantity = _quantity()
    valid_for_days = forms.TypedChoiceField(
        label=_("The offer stands for"),
        choices=OFFER_DAYS,
        coerce=int,
        empty_value=None,
        required=False,
        initial=3,
        help_text=_("After that, it closes by itself if the seller has not answered."),
    )
    message = forms.CharField(
        label=_("Message to the seller (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class CounterForm(forms.Form):
    unit_price = _amount(_("Your price per unit"))
    quantity = forms.CharField(
        label=_("Quantity"),
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ListingForm(_Keyed):
    name = forms.CharField(
        label=_("Name"), max_length=160, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=ListingCategory.choices)
    price = _amount(_("Price per unit"))
    quantity = _quantity(_("Quantity for sale"))
    product = forms.CharField(
        label=_("Catalog product (barcode or SKU, optional)"),
        required=False,
        max_length=64,
        help_text=_(
            "From a catalog product, its stock is reserved while the listing is published."
        ),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    location = forms.ChoiceField(label=_("Stock location"), required=False)
    pictures = MultipleFileField(
        label=_("Pictures"),
        required=False,
        help_text=_("Up to 8 pictures: JPEG, PNG, WebP or GIF."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    publish = forms.BooleanField(label=_("Publish on the marketplace"), required=False)

    def __init__(self, *args, locations=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].choices = [("", _("—"))] + [
            (str(loc.pk), loc.name) for loc in locations
        ]
        if editing:  # the catalog link and publishing are chosen when the listing is made
            for name in ("product", "location", "publish"):
                del self.fields[name]

    def service_data(self) -> dict:
        return {
            k: self.cleaned_data[k]
            for k in ("name", "description", "category", "price", "quantity")
        }


class WalletRequestForm(_Keyed):
    amount = _amount(_("Amount"))
    reference = forms.CharField(
        label=_("Payment reference"),
        required=False,
        max_length=120,
        help_text=_("The bank transfer or receipt number the administrator can check."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )


class PeriodFilterForm(forms.Form):
    """The analytics page's span of days; either end may stay empty (from the first entry,
    up to today)."""

    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        check_period(self)
        return data

    def filters(self) -> dict:
        """The span to read, or every day when the form says what is wrong with it."""
        if self.is_valid():
            return {"since": self.cleaned_data["since"], "until": self.cleaned_data["until"]}
        return {"since": None, "until": None}


class LedgerFilterForm(PeriodFilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *EntryKind.choices]
    )

    def filters(self) -> dict:
        """The filters to apply: dates only when they make a period (the form says what is
        wrong with them, and the ledger is shown unfiltered by date meanwhile)."""
        kind = None
        if self.is_bound and "kind" not in self.errors:
            kind = self.cleaned_data.get("kind")
        return {"kind": kind or None, **super().filters()}


class ProfileForm(forms.Form):
    bio = forms.CharField(
        label=_("About us"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    picture = forms.FileField(
        label=_("Picture"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class AdminQueueForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *RequestStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *RequestKind.choices]
    )
