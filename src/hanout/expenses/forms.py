"""Forms of the expense pages. They check shape only; the services decide the rules
(amount above zero, a plausible date, the business's own category and supplier)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hanout.expenses import selectors
from hanout.expenses.models import Frequency
from hanout.suppliers.models import Supplier


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _category_choices(business, *, blank, include_archived=False):
    rows = selectors.category_list(business=business, include_archived=include_archived)
    return [("", blank)] + [(str(c.pk), c.label) for c in rows]


def _supplier_choices(business, blank):
    rows = Supplier.objects.for_business(business).filter(is_active=True).order_by("name")
    return [("", blank)] + [(str(s.pk), s.name) for s in rows.only("id", "name")]


class ExpenseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Comment or description")}
        ),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    amount_min = forms.DecimalField(label=_("Amount from"), required=False, min_value=0)
    amount_max = forms.DecimalField(label=_("Amount up to"), required=False, min_value=0)

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(
            business, blank=_("All categories"), include_archived=True
        )
        self.fields["supplier"].choices = _supplier_choices(business, _("All suppliers"))

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "search": data.get("q", ""),
            "category": data.get("category") or None,
            "supplier": data.get("supplier") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "amount_min": data.get("amount_min"),
            "amount_max": data.get("amount_max"),
        }


class ExpenseForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=20,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "dir": "ltr"}),
    )
    spent_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("A few words shown in the list, e.g. “Electricity, March”."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    attachments = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("Photos or PDF of the bill or receipt: PDF, JPEG, PNG or WebP, 10 MB each."),
        widget=MultipleFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
        ),
    )

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(business, blank="—")
        self.fields["supplier"].choices = _supplier_choices(business, _("No supplier"))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        data["supplier"] = data.get("supplier") or None
        return data


class CategoryForm(forms.Form):
    name = forms.CharField(
        label=_("New category"), max_length=80, widget=forms.TextInput(attrs={"dir": "auto"})
    )


class RecurringForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=20,
        decimal_places=6,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "dir": "ltr"}),
    )
    comment = forms.CharField(
        label=_("Comment"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )
    supplier = forms.ChoiceField(label=_("Supplier"), required=False)
    every = forms.IntegerField(label=_("Every"), min_value=1, max_value=24, initial=1)
    unit = forms.ChoiceField(label=_("Unit"), choices=Frequency.choices, initial=Frequency.MONTHS)
    starts_on = forms.DateField(
        label=_("First date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A monthly expense on the 31st falls on the last day of shorter months."),
    )
    ends_on = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, business, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(business, blank="—")
        self.fields["supplier"].choices = _supplier_choices(business, _("No supplier"))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["supplier"] = data.get("supplier") or None
        return data


class ChartsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
