"""The report pages' filters."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hanout.core.models import Shop
from hanout.reports import selectors_tables
from hanout.reports.models import FileFormat, Frequency
from hanout.reports.selectors_sales import GROUPS, MAX_DAYS, MAX_YEARS_DAYS
from hanout.reports.selectors_tables import TOP_LIMITS

DATE_ATTRS = {"type": "date", "class": "form-control form-control-sm"}


class PeriodForm(forms.Form):
    """A report's filters: a span of local days (default: this month so far), and a shop
    where the report has one. What the query leaves out takes the defaults; a span longer
    than `max_days` (or `day_max_days` when grouped by day) is refused."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(DATE_ATTRS, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(DATE_ATTRS, format="%Y-%m-%d"))
    shop = forms.ModelChoiceField(
        label=_("Shop"), queryset=Shop.objects.none(), required=False, empty_label=_("All shops")
    )
    has_shop = True
    start_default_label = _("the 1st of this month")
    max_days = MAX_YEARS_DAYS
    day_max_days = MAX_DAYS

    def __init__(self, data=None, *, business, today, **kwargs):
        first = self.default_start(today)
        defaults = {name: field.initial for name, field in self.base_fields.items()}
        defaults.update({"start": first, "end": today})
        defaults = {k: v for k, v in defaults.items() if v is not None}
        if data is not None:
            given = {k: v for k, v in data.items() if v != "" or k == "shop"}
            data = {**{k: _text(v) for k, v in defaults.items()}, **given}
        super().__init__(data, initial=defaults, **kwargs)
        if self.has_shop:
            self.fields["shop"].queryset = Shop.objects.filter(business=business).order_by("name")
        else:
            del self.fields["shop"]
        self.business = business
        self.today = today

    @staticmethod
    def default_start(today):
        return today.replace(day=1)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end comes before the start."))
            elif data.get("by") == "day" and end - start > timedelta(days=self.day_max_days):
                self.add_error(
                    "start",
                    _("Day by day, choose at most two years; group by month for longer."),
                )
            elif end - start > timedelta(days=self.max_days):
                self.add_error("start", _("Choose at most ten years."))
        return data

    def filters(self) -> dict:
        """The cleaned filters (or the defaults when the page opens without any)."""
        return self.cleaned_data if self.is_bound else dict(self.initial)


def _text(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class SalesReportForm(PeriodForm):
    by = forms.ChoiceField(label=_("Group by"), choices=list(GROUPS.items()), initial="day")
    field_order = ["by", "start", "end", "shop"]


class TableReportForm(PeriodForm):
    """A report of the Reports section that `build()`s a `tables.Table`."""

    title = ""

    def build(self):
        raise NotImplementedError


class TopProductsForm(TableReportForm):
    title = _("Top products")
    sort = forms.ChoiceField(
        label=_("Best by"),
        choices=[("revenue", _("Sales")), ("quantity", _("Quantity sold"))],
        initial="revenue",
    )
    limit = forms.TypedChoiceField(
        label=_("How many"), choices=[(n, n) for n in TOP_LIMITS], coerce=int, initial=25
    )
    field_order = ["sort", "limit", "start", "end", "shop"]

    def build(self):
        f = self.filters()
        return selectors_tables.top_products(
            business=self.business,
            start=f["start"],
            end=f["end"],
            shop=f.get("shop"),
            sort=f["sort"],
            limit=int(f["limit"]),
        )


class ProfitForm(TableReportForm):
    title = _("Profit")
    has_shop = False  # expenses belong to the business, not to a shop
    by = forms.ChoiceField(
        label=_("Group by"), choices=[("month", _("Month")), ("day", _("Day"))], initial="month"
    )
    field_order = ["by", "start", "end"]

    start_default_label = _("1 January")

    @staticmethod
    def default_start(today):  # by month: the year so far
        return today.replace(month=1, day=1)

    def build(self):
        f = self.filters()
        return selectors_tables.profit(
            business=self.business, start=f["start"], end=f["end"], by=f["by"]
        )


class CustomersReportForm(TableReportForm):
    title = _("Customers")

    def build(self):
        f = self.filters()
        return selectors_tables.customers(
            business=self.business, start=f["start"], end=f["end"], shop=f.get("shop")
        )


class ExpensesReportForm(TableReportForm):
    title = _("Expenses")
    has_shop = False  # an expense belongs to the business
    by = forms.ChoiceField(
        label=_("Group by"),
        choices=[("category", _("Category")), ("month", _("Month"))],
        initial="category",
    )
    field_order = ["by", "start", "end"]

    def build(self):
        f = self.filters()
        return selectors_tables.expenses(
            business=self.business, start=f["start"], end=f["end"], by=f["by"]
        )


# slug → form: the pages /reports/<slug>/ and the API's /reports/<slug>/
TABLE_REPORTS: dict[str, type[TableReportForm]] = {
    "top-products": TopProductsForm,
    "profit": ProfitForm,
    "customers": CustomersReportForm,
    "expenses": ExpensesReportForm,
}


class ScheduleForm(forms.Form):
    """A scheduled report: which, how often, at what hour, to whom."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Report"), initial="sales:day")
    frequency = forms.ChoiceField(label=_("When"), choices=Frequency.choices, initial="weekly")
    hour = forms.TypedChoiceField(
        label=_("At (shop time)"),
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        coerce=int,
        initial=7,
    )
    shop = forms.ModelChoiceField(
        label=_("Shop"), queryset=Shop.objects.none(), required=False, empty_label=_("All shops")
    )
    file_format = forms.ChoiceField(label=_("File"), choices=FileFormat.choices, initial="pdf")
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    members = forms.MultipleChoiceField(
        label=_("People of the business"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipients = forms.CharField(
        label=_("Other email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, or separated by commas (your accountant, say)."),
    )

    def __init__(self, *args, business, schedule=None, **kwargs):
        super().__init__(*args, **kwargs)
        from hanout.accounts.models import Membership
        from hanout.reports.services_schedules import kinds

        self.fields["kind"].choices = kinds()
        self.fields["shop"].queryset = Shop.objects.filter(business=business).order_by("name")
        self.fields["shop"].help_text = _("Profit and expenses are always for all shops.")
        people = (
            Membership.objects.filter(business=business, is_active=True)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        )
        self.fields["members"].choices = [
            (m.user.email, f"{m.user.full_name or m.user.email} <{m.user.email}>") for m in people
        ]
        self.fields["language"].initial = business.default_language
        if schedule is not None:
            known = {email for email, _label in self.fields["members"].choices}
            self.initial.update(
                {
                    "name": schedule.name,
                    "kind": f"{schedule.report}:{schedule.by}",
                    "frequency": schedule.frequency,
                    "hour": schedule.hour,
                    "shop": schedule.shop_id,
                    "file_format": schedule.file_format,
                    "language": schedule.language,
                    "members": [e for e in schedule.recipients if e in known],
                    "recipients": "\n".join(e for e in schedule.recipients if e not in known),
                }
            )

    def schedule_data(self) -> dict:
        skip = ("members", "recipients", "kind")
        data = {k: v for k, v in self.cleaned_data.items() if k not in skip}
        data["report"], data["by"] = self.cleaned_data["kind"].split(":", 1)
        others = re.split(r"[\s,;]+", self.cleaned_data.get("recipients") or "")
        data["recipients"] = [*self.cleaned_data.get("members", []), *[e for e in others if e]]
        return data
