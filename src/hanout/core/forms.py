"""Page forms for settings and history. They validate shape; services decide."""

from __future__ import annotations

import unicodedata
import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hanout.core.models import Weekday
from hanout.core.validation import country_codes, currency_codes


def _currency_choices():
    return [(c, c) for c in sorted(currency_codes())]


def _country_choices():
    from babel import Locale
    from django.utils.translation import get_language

    try:
        names = Locale.parse((get_language() or "en").replace("-", "_")).territories
    except Exception:
        names = Locale("en").territories
    return sorted(
        ((c, f"{names.get(c, c)} ({c})") for c in country_codes()), key=lambda p: _collate(p[1])
    )


def _collate(text: str) -> str:
    """A sort key that reads as people do: accents and case aside ("Émirats" among the E's,
    not after "Zimbabwe")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _tz_choices():
    return [
        (z, z)
        for z in sorted(zoneinfo.available_timezones())
        if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    ]


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Business name"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=_currency_choices)
    country = forms.ChoiceField(label=_("Country"), choices=_country_choices)
    default_language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)

    def __init__(self, *args, instance_data=None, **kwargs):
        if instance_data is not None:
            kwargs.setdefault(
                "initial",
                {
                    f: getattr(instance_data, f)
                    for f in ("name", "currency", "country", "default_language")
                },
            )
        super().__init__(*args, **kwargs)


class LegalDetailsForm(forms.Form):
    """The legal details printed on invoices and credit notes (issued ones keep theirs)."""

    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        required=False,
        help_text=_("As registered; the business name is printed when empty."),
    )
    legal_address = forms.CharField(
        label=_("Registered address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tax_id = forms.CharField(label=_("Tax / VAT number"), max_length=64, required=False)
    registration_number = forms.CharField(
        label=_("Company registration number"), max_length=64, required=False
    )
    invoice_email = forms.EmailField(label=_("Email on invoices"), max_length=254, required=False)
    invoice_phone = forms.CharField(label=_("Phone on invoices"), max_length=32, required=False)
    invoice_footer = forms.CharField(
        label=_("Invoice footer"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Payment terms, bank details or legal mentions printed under every invoice."),
    )

    FIELDS = (
        "legal_name",
        "legal_address",
        "tax_id",
        "registration_number",
        "invoice_email",
        "invoice_phone",
        "invoice_footer",
    )

    def __init__(self, *args, instance_data=None, **kwargs):
        if instance_data is not None:
            kwargs.setdefault("initial", {f: getattr(instance_data, f) for f in self.FIELDS})
        kwargs.setdefault("prefix", "legal")
        super().__init__(*args, **kwargs)


class ShopForm(forms.Form):
    name = forms.CharField(label=_("Shop name"), max_length=120)
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_tz_choices)

    def __init__(self, *args, instance_data=None, **kwargs):
        if instance_data is not None:
            kwargs.setdefault(
                "initial",
                {f: getattr(instance_data, f) for f in ("name", "address", "phone", "time_zone")},
            )
        super().__init__(*args, **kwargs)


class OpeningHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, widget=forms.HiddenInput)
    opens_at = forms.TimeField(
        label=_("Opens"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("Closes"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    is_closed = forms.BooleanField(label=_("Closed"), required=False)

    def _weekday(self) -> int:
        return int(self.initial.get("weekday", self["weekday"].value()))

    def day_label(self):
        return Weekday(self._weekday()).label

    def day_short(self):
        from hanout.core.templatetags.hanout import weekday_short

        return weekday_short(self._weekday())

    def clean(self):
        data = super().clean()
        if (
            not data.get("is_closed")
            and data.get("opens_at")
            and data.get("opens_at") == data.get("closes_at")
        ):
            self.add_error(
                "closes_at", _("Opening and closing time are the same; tick “Closed” instead.")
            )
        return data


class BaseOpeningHoursFormSet(forms.BaseFormSet):
    def clean(self):
        days = [f.cleaned_data.get("weekday") for f in self.forms if f.cleaned_data]
        if sorted(days) != list(range(7)):
            raise forms.ValidationError(_("Give the hours of each of the seven days once."))


OpeningHoursFormSet = forms.formset_factory(
    OpeningHoursForm,
    formset=BaseOpeningHoursFormSet,
    extra=0,
    min_num=7,
    max_num=7,
    validate_min=True,
    validate_max=True,
)


def check_period(form: forms.Form, start: str = "since", end: str = "until") -> None:
    """A filter's period that ends before it starts: said at its end field (from `clean`)."""
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, _("The end date is before the start date."))


def _action_choices():
    from hanout.core.audit import ACTION_LABELS

    return [
        ("", "—"),
        *sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda p: p[1]),
    ]


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    actor = forms.ModelChoiceField(label=_("Who"), queryset=None, required=False)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=lambda: _action_choices())
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, business=None, **kwargs):
        super().__init__(*args, **kwargs)
        from hanout.accounts.models import User

        self.fields["actor"].queryset = User.objects.filter(
            memberships__business=business
        ).order_by("full_name", "email")
