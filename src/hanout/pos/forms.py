"""Forms for the register shell: registers, pairing, the PIN sign-in, and the cash
session (opening float, paid in/out, counting the drawer at closing).

They check shape only (digits, amounts, a reason); the pos services decide the
rules (one open session per register, a closed session stays closed) and the
views show their DomainError beside the field it names.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.core.money import MONEY_DIGITS, MONEY_PLACES, minor_unit
from hanout.pos.models import CashMovementKind, PrinterKind

# Text inputs, not type=number: the on-screen keypad types "12." on the way to "12.50",
# which a number input would wipe.
_AMOUNT = {"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}
_DIGITS = {"inputmode": "numeric", "autocomplete": "off", "dir": "ltr"}

# Notes and coins in a drawer, largest first, in the currency's units. A currency not
# listed is counted as one total (the form asks for the amount instead).
DENOMINATIONS: dict[str, dict[str, list[str]]] = {
    "EUR": {
        "notes": ["500", "200", "100", "50", "20", "10", "5"],
        "coins": ["2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01"],
    },
    "MAD": {
        "notes": ["200", "100", "50", "20"],
        "coins": ["10", "5", "2", "1", "0.50", "0.20", "0.10", "0.05"],
    },
    "USD": {
        "notes": ["100", "50", "20", "10", "5", "2", "1"],
        "coins": ["0.50", "0.25", "0.10", "0.05", "0.01"],
    },
    "GBP": {
        "notes": ["50", "20", "10", "5"],
        "coins": ["2", "1", "0.50", "0.20", "0.10", "0.05", "0.02", "0.01"],
    },
}


class AmountField(forms.DecimalField):
    """A money amount; a decimal comma (12,50 typed in French) is read as a point."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def money_field(label, *, min_value=None, required=True, help_text="") -> forms.DecimalField:
    return AmountField(
        label=label,
        required=required,
        max_digits=MONEY_DIGITS,
        decimal_places=MONEY_PLACES,
        min_value=min_value,
        help_text=help_text,
        widget=forms.TextInput(attrs={**_AMOUNT, "class": "form-control-lg"}),
    )


class ClientUuidForm(forms.Form):
    """Carries a client UUID made when the form is drawn: a double submit records once."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("client_uuid", uuid.uuid4())
        super().__init__(*args, **kwargs)


# --- registers and devices ------------------------------------------------------------------


class RegisterForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    shop = forms.ModelChoiceField(label=_("Shop"), queryset=None)
    location = forms.ModelChoiceField(
        label=_("Stock location"),
        queryset=None,
        required=False,
        empty_label=_("The shop's selling location"),
        help_text=_("Where sales take stock from."),
    )
    idle_lock_seconds = forms.IntegerField(
        label=_("Lock after idle (seconds)"),
        min_value=0,
        max_value=86_400,
        initial=120,
        help_text=_(
            "The register goes back to the PIN keypad after this time without a touch. 0 never locks."
        ),
        widget=forms.NumberInput(attrs=_DIGITS),
    )
    printer_kind = forms.ChoiceField(
        label=_("Receipt printer"), choices=PrinterKind.choices, initial=PrinterKind.NONE
    )
    printer_target = forms.CharField(
        label=_("Printer address"),
        max_length=200,
        required=False,
        help_text=_(
            "Network: host:port (e.g. 192.168.1.50:9100). USB: vendor:product (e.g. 04b8:0202). File: a device path (e.g. /dev/usb/lp0)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
    )

    def __init__(self, *args, business, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        from hanout.core.models import Shop
        from hanout.inventory.selectors import location_list

        self.business = business
        self.fields["shop"].queryset = Shop.objects.for_business(business).filter(is_active=True)
        if not editing:
            # A business with one shop: that shop, chosen already. With several, the
            # manager picks one.
            shops = list(self.fields["shop"].queryset[:2])
            if len(shops) == 1:
                self.fields["shop"].initial = shops[0].pk
                self.fields["shop"].empty_label = None
        self.fields["location"].queryset = location_list(business=business, active=True)
        self.fields["location"].label_from_instance = lambda loc: f"{loc.name} · {loc.shop.name}"
        if editing:
            self.fields["is_active"] = forms.BooleanField(
                label=_("Active"),
                required=False,
                help_text=_("An inactive register cannot be used; its sales and sessions stay."),
            )

    def clean(self):
        data = super().clean()
        shop, location = data.get("shop"), data.get("location")
        if shop is not None and location is not None and location.shop_id != shop.pk:
            self.add_error(
                "location",
                _("“%(location)s” is in another shop. Pick a location of %(shop)s.")
                % {"location": location.name, "shop": shop.name},
            )
        kind = data.get("printer_kind")
        target = (data.get("printer_target") or "").strip()
        data["printer_target"] = target
        if kind and kind != PrinterKind.NONE and not target:
            self.add_error("printer_target", _("Give the printer's address."))
        if kind == PrinterKind.NETWORK and target:
            host, sep, port = target.rpartition(":")
            if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
                self.add_error(
                    "printer_target",
                    _("Write the network printer as host:port, e.g. 192.168.1.50:9100."),
                )
        if kind == PrinterKind.NONE:
            data["printer_target"] = ""
        return data


class PairForm(forms.Form):
    register = forms.ModelChoiceField(label=_("Register"), queryset=None)
    label = forms.CharField(
        label=_("Name of this device"),
        max_length=80,
        required=False,
        help_text=_("To recognise it in the list, e.g. “Counter tablet”."),
    )

    def __init__(self, *args, registers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = registers


# --- sign-in at the register ----------------------------------------------------------------


class SignInForm(forms.Form):
    """Employee code, then PIN. A malformed value is simply wrong: the message never
    says which of the two was wrong."""

    code = forms.CharField(
        label=_("Employee code"),
        max_length=8,
        widget=forms.TextInput(attrs={**_DIGITS, "pattern": "[0-9]*", "class": "form-control-lg"}),
        error_messages={"required": _("Type your employee code.")},
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=6,
        strip=False,
        widget=forms.PasswordInput(
            attrs={**_DIGITS, "pattern": "[0-9]*", "class": "form-control-lg"}
        ),
        error_messages={"required": _("Type your PIN.")},
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


# --- the cash session ---------------------------------------------------------------------


class SessionOpenForm(ClientUuidForm):
    opening_float = money_field(
        _("Opening float"),
        min_value=Decimal(0),
        help_text=_("The cash in the drawer before the first sale."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opening_float"].error_messages["min_value"] = _(
            "The opening float cannot be negative."
        )


class CashMovementForm(ClientUuidForm):
    kind = forms.ChoiceField(
        label=_("Movement"),
        choices=CashMovementKind.choices,
        widget=forms.RadioSelect,
        initial=CashMovementKind.PAID_OUT,
    )
    amount = money_field(_("Amount"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("E.g. change from the bank, paid the window cleaner."),
        error_messages={"required": _("Say why the cash goes in or out.")},
    )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class SessionCloseForm(forms.Form):
    """The drawer counted note by note and coin by coin (or as one total for a
    currency without a denomination set), a note, and the number of sales the
    register still holds offline (the page fills it; more than 0 is refused)."""

    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Anything the manager should know about this drawer."),
    )
    pending = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.denominations: list[dict] = []
        unit = minor_unit(currency)
        sets = DENOMINATIONS.get(currency)
        if sets:
            for kind in ("notes", "coins"):
                for value in sets[kind]:
                    amount = Decimal(value).quantize(unit)
                    name = f"n_{int(amount / unit)}"
                    self.fields[name] = forms.IntegerField(
                        label=str(amount),
                        min_value=0,
                        max_value=1_000_000,
                        required=False,
                        error_messages={
                            "invalid": _("Type how many, as a whole number."),
                            "min_value": _("A count cannot be negative."),
                        },
                        widget=forms.TextInput(
                            attrs={**_DIGITS, "maxlength": "7", "data-value": str(amount)}
                        ),
                    )
                    self.denominations.append(
                        {"name": name, "value": amount, "kind": kind, "field": None}
                    )
        else:
            self.fields["counted_cash"] = money_field(
                _("Cash counted in the drawer"), min_value=Decimal(0)
            )
        for d in self.denominations:
            d["field"] = self[d["name"]]

    @property
    def by_denomination(self) -> bool:
        return bool(self.denominations)

    def clean(self):
        data = super().clean()
        if self.by_denomination and not self.errors:
            if all(data.get(d["name"]) is None for d in self.denominations):
                raise forms.ValidationError(
                    _(
                        "Count the drawer: type how many of each note and coin (0 if the drawer is empty)."
                    )
                )
            data["counted_denominations"] = {
                str(d["value"]): data[d["name"]] for d in self.denominations if data.get(d["name"])
            }
            data["counted_total"] = sum(
                (d["value"] * (data.get(d["name"]) or 0) for d in self.denominations), Decimal(0)
            )
        elif not self.by_denomination and "counted_cash" in data:
            data["counted_total"] = data["counted_cash"]
        return data
