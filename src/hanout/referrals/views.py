"""The sponsor page: the code, the link, the invitation form, the sponsees, the
rewards and a chart of the revenue from sponsoring by month.

Reading needs `read` on Sponsorship; sending an invitation needs `full`. The
tables and the chart come from selectors in a fixed number of queries.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.core import clock
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.referrals import selectors, services
from hanout.referrals.forms import InviteForm

SPONSORSHIP = Module.SPONSORSHIP
PAGE_SIZE = 25
CHART_MONTHS = 12


def _chart(currency: str, months: list) -> dict:
    return {
        "type": "bar",
        "labels": [date_format(first, "M Y") for first, _total in months],
        "datasets": [
            {"label": _("Rewards earned"), "data": [str(total) for _first, total in months]}
        ],
        "currency": currency,
        "title": _("Rewards by month"),
    }


def _page(request, form, *, status=200):
    business = request.business
    today = clock.now().date()
    code = services.referral_code_ensure(business=business)
    sponsees = list(selectors.sponsee_list(business=business, day=today))
    for s in sponsees:
        s.is_active_now = selectors.is_active_now(s)
    rewards = Paginator(selectors.reward_list(business=business), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for entry in rewards.object_list:
        entry.country = business.country  # amounts written the way the shop's country does
    first = datetime.date(today.year, today.month, 1)
    for _i in range(CHART_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    by_month = selectors.rewards_by_month(business=business, first=first, months=CHART_MONTHS)
    charts = [
        {
            "id": f"rewards-chart-{currency.lower()}",
            "currency": currency,
            "spec": _chart(currency, rows),
        }
        for currency, rows in sorted(by_month.items())
    ]
    context = {
        "code": code.code,
        "link": selectors.referral_link(code.code),
        "form": form,
        "sponsees": sponsees,
        "active_count": sum(1 for s in sponsees if s.is_active_now),
        "rewards": rewards,
        "totals": [
            SimpleNamespace(currency=currency, total=total, country=business.country)
            for currency, total in selectors.reward_totals(business=business).items()
        ],
        "charts": charts,
        "programme": selectors.programme_for(today),
        "invites_per_day": services.invites_per_day(),
        "activity_days": selectors.ACTIVITY_DAYS,
    }
    return render(request, "referrals/home.html", context, status=status)


@member_required(SPONSORSHIP)
def referral_home(request):
    return _page(request, InviteForm())


@require_POST
@member_required(SPONSORSHIP, level=Level.FULL)
def referral_invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.referral_invite(
                business=request.business,
                actor=request.user,
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _page(request, form, status=exc.status)
        messages.success(
            request,
            _("The invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("referral_home")
    return _page(request, form, status=400)
