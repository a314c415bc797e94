"""The report pages' filters."""

from __future__ import annotations

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from hanout.core.models import Shop
from hanout.reports.models import FileFormat, Frequency
from hanout.reports.selectors_sales import GROUPS, MAX_DAYS, MAX_YEARS_DAYS

DATE_ATTRS = {"type": "date", "class": "form-control form-control-sm"}


class SalesReportForm(forms.Form):
    by = forms.ChoiceField(label=_("Group by"), choices=list(GROUPS.items()), initial="day")
    start = forms.DateField(label=_("From"), widget=forms.DateInput(DATE_ATTRS, format="%Y-%m-%d"))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(DATE_ATTRS, format="%Y-%m-%d"))
    shop = forms.ModelChoiceField(
        label=_("Shop"), queryset=Shop.objects.none(), required=False, empty_label=_("All shops")
    )

    def __init__(self, data=None, *, business, today, **kwargs):
        first = today.replace(day=1)
        initial = {"by": "day", "start": first, "end": today}
        if data is not None:  # what the query leaves out takes the defaults
            defaults = {"by": "day", "start": first.isoformat(), "end": today.isoformat()}
            data = {**defaults, **{k: v for k, v in data.items() if v != "" or k == "shop"}}
        super().__init__(data, initial=initial, **kwargs)
        self.fields["shop"].queryset = Shop.objects.filter(business=business).order_by("name")
        self.today = today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end comes before the start."))
            elif data.get("by") == "day" and end - start > timedelta(days=MAX_DAYS):
                self.add_error(
                    "start",
                    _("Day by day, choose at most two years; group by month for longer."),
                )
            elif end - start > timedelta(days=MAX_YEARS_DAYS):
                self.add_error("start", _("Choose at most ten years."))
        return data


class ScheduleForm(forms.Form):
    """A scheduled report: which, how often, at what hour, to whom."""

    name = forms.CharField(label=_("Name"), max_length=120)
    by = forms.ChoiceField(label=_("Group by"), choices=list(GROUPS.items()), initial="day")
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

        self.fields["shop"].queryset = Shop.objects.filter(business=business).order_by("name")
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
                    "by": schedule.by,
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
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("members", "recipients")}
        others = re.split(r"[\s,;]+", self.cleaned_data.get("recipients") or "")
        data["recipients"] = [*self.cleaned_data.get("members", []), *[e for e in others if e]]
        return data
