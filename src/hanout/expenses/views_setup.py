"""Expense pages around the list: categories, recurring expenses and the charts.

Same rules as `views`: forms check shape, one service per POST, every lookup
scoped to request.business (another business's id is a 404).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.core.errors import DomainError
from hanout.core.money import quantize
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.expenses import selectors, services, services_recurring
from hanout.expenses.forms import CategoryForm, ChartsForm, RecurringForm
from hanout.expenses.models import ExpenseCategory, RecurringExpense
from hanout.purchasing.selectors_bills import local_today

EXPENSES = Module.EXPENSES


# --- categories --------------------------------------------------------------------------------


@member_required(EXPENSES)
def category_list(request):
    form = CategoryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.category_create(
                    business=request.business, actor=request.user, name=form.cleaned_data["name"]
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The category was added."))
                return redirect("expense_categories")
    categories = selectors.category_list(business=request.business)
    return render(
        request,
        "expenses/categories.html",
        {"form": form, "categories": categories},
        status=status,
    )


@require_POST
@member_required(EXPENSES, level=Level.FULL)
def category_action(request, pk):
    """`action`: rename (with `name`), archive, restore or delete (archives when used)."""
    try:
        category = selectors.category_get(business=request.business, pk=pk)
    except ExpenseCategory.DoesNotExist as exc:
        raise Http404 from exc
    what = request.POST.get("action")
    try:
        if what == "rename":
            services.category_update(
                category=category, actor=request.user, data={"name": request.POST.get("name")}
            )
        elif what in ("archive", "restore"):
            services.category_update(
                category=category, actor=request.user, data={"is_archived": what == "archive"}
            )
        elif what == "delete":
            if services.category_delete(category=category, actor=request.user):
                messages.success(request, _("The category was deleted."))
            else:
                messages.info(request, _("The category is in use, so it was archived instead."))
            return redirect("expense_categories")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The category was saved."))
    return redirect("expense_categories")


# --- recurring ---------------------------------------------------------------------------------


@member_required(EXPENSES)
def recurring_list(request):
    templates = selectors.recurring_list(business=request.business)
    return render(request, "expenses/recurring_list.html", {"templates": templates})


def _recurring_or_404(request, pk) -> RecurringExpense:
    try:
        return selectors.recurring_get(business=request.business, pk=pk)
    except RecurringExpense.DoesNotExist as exc:
        raise Http404 from exc


@member_required(EXPENSES, level=Level.FULL)
def recurring_edit(request, pk=None):
    template = _recurring_or_404(request, pk) if pk else None
    initial = {"starts_on": local_today(request.business)}
    if template is not None:
        initial = {name: getattr(template, name) for name in services_recurring.RECURRING_FIELDS}
        initial["amount"] = quantize(template.amount, request.business.currency)
        initial["category"] = str(template.category_id)
        initial["supplier"] = str(template.supplier_id or "")
    form = RecurringForm(request.POST or None, business=request.business, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if template is None:
                    services_recurring.recurring_create(
                        business=request.business, actor=request.user, data=form.service_data()
                    )
                else:
                    services_recurring.recurring_update(
                        template=template, actor=request.user, data=form.service_data()
                    )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The recurring expense was saved."))
                return redirect("expense_recurring_list")
    return render(
        request,
        "expenses/recurring_form.html",
        {"form": form, "template": template},
        status=status,
    )


@require_POST
@member_required(EXPENSES, level=Level.FULL)
def recurring_stop(request, pk):
    template = _recurring_or_404(request, pk)
    services_recurring.recurring_stop(template=template, actor=request.user)
    messages.success(request, _("The recurring expense was stopped; past expenses stay."))
    return redirect("expense_recurring_list")


# --- charts ------------------------------------------------------------------------------------


def _chart(kind: str, rows: list[dict], *, currency: str, title: str, label: str) -> dict:
    return {
        "type": kind,
        "labels": [r["label"] for r in rows],
        "datasets": [{"label": label, "data": [str(r["total"]) for r in rows]}],
        "currency": currency,
        "title": title,
    }


@member_required(EXPENSES)
def expense_charts(request):
    """Spending by month of a chosen year, by year, and by category for that year."""
    form = ChartsForm(request.GET or None)
    year = local_today(request.business).year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    business = request.business
    currency = business.currency
    all_rows = selectors.expense_list(business=business)
    of_year = all_rows.filter(spent_on__year=year)
    months = selectors.months_of_year(selectors.summary(qs=of_year, group="month"), year)
    for month, row in enumerate(months, start=1):
        row["label"] = date_format(datetime.date(year, month, 1), "M")
    years = selectors.summary(qs=all_rows, group="year")
    categories = selectors.summary(qs=of_year, group="category")
    spent = _("Spent")
    context = {
        "form": form,
        "year": year,
        "years": [int(r["key"]) for r in years] or [year],
        "months": months,
        "by_year": years,
        "by_category": categories,
        "year_total": selectors.totals(of_year)["total"],
        "month_chart": _chart("bar", months, currency=currency, title=_("By month"), label=spent),
        "year_chart": _chart("bar", years, currency=currency, title=_("By year"), label=spent),
        "category_chart": _chart(
            "doughnut", categories, currency=currency, title=_("By category"), label=spent
        ),
    }
    return render(request, "expenses/charts.html", context, status=400 if form.errors else 200)
