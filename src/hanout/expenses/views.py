"""Expense pages: the list (filters, totals, CSV/XLSX export), an expense's page with its
documents, create, edit and delete, and the documents themselves (served from private
storage after the permission check).

Thin on purpose: each POST validates a form, calls one service and shows the
service's DomainError beside its field. Every object is looked up through a
selector scoped to request.business, so another business's id is a 404.
Reading needs `read` on Expenses; every POST needs `full`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hanout.core.errors import DomainError
from hanout.core.money import quantize
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.expenses import exports, selectors, services
from hanout.expenses.forms import ExpenseFilterForm, ExpenseForm
from hanout.expenses.models import Expense, ExpenseAttachment
from hanout.purchasing.selectors_bills import local_today

EXPENSES = Module.EXPENSES
PAGE_SIZE = 50


def _expense_or_404(request, pk) -> Expense:
    try:
        return selectors.expense_get(business=request.business, pk=pk)
    except Expense.DoesNotExist as exc:
        raise Http404 from exc


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@member_required(EXPENSES)
def expense_list(request):
    form = ExpenseFilterForm(request.GET or None, business=request.business)
    expenses = selectors.expense_list(business=request.business, **form.filters())
    page = Paginator(expenses, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "expenses/expense_list.html#rows" if request.htmx else "expenses/expense_list.html"
    context = {
        "form": form,
        "page": page,
        "totals": selectors.totals(expenses),
        "query": _query_without_page(request),
    }
    return render(request, template, context)


@require_GET
@member_required(EXPENSES)
def expense_export(request):
    """The list as filtered on the page, as CSV (default) or XLSX (`?file=xlsx`)."""
    form = ExpenseFilterForm(request.GET or None, business=request.business)
    expenses = selectors.expense_list(business=request.business, **form.filters())
    header, rows = exports.expense_export_rows(expenses)
    return exports.file_response(
        request.GET.get("file", "csv"),
        name="expenses",
        title=_("Expenses"),
        header=header,
        rows=rows,
    )


def _form_page(request, form, expense, status):
    context = {
        "form": form,
        "expense": expense,
        "attachments": selectors.expense_attachments(expense=expense) if expense else [],
    }
    return render(request, "expenses/expense_form.html", context, status=status)


@member_required(EXPENSES, level=Level.FULL)
def expense_create(request):
    form = ExpenseForm(
        request.POST or None,
        request.FILES or None,
        business=request.business,
        initial={"spent_on": local_today(request.business)},
    )
    if request.method != "POST":
        return _form_page(request, form, None, 200)
    if form.is_valid():
        try:
            expense = services.expense_create(
                business=request.business,
                actor=request.user,
                data=form.service_data(),
                attachments=form.cleaned_data["attachments"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The expense was recorded."))
            return redirect("expense_detail", pk=expense.pk)
    return _form_page(request, form, None, 400)


@member_required(EXPENSES, level=Level.FULL)
def expense_edit(request, pk):
    expense = _expense_or_404(request, pk)
    initial = {
        "category": str(expense.category_id),
        "amount": quantize(expense.amount, expense.currency),
        "spent_on": expense.spent_on,
        "comment": expense.comment,
        "description": expense.description,
        "supplier": str(expense.supplier_id or ""),
    }
    form = ExpenseForm(
        request.POST or None, request.FILES or None, business=request.business, initial=initial
    )
    if request.method != "POST":
        return _form_page(request, form, expense, 200)
    if form.is_valid():
        try:
            services.expense_update(expense=expense, actor=request.user, data=form.service_data())
            if form.cleaned_data["attachments"]:
                services.expense_attach(
                    expense=expense, actor=request.user, uploads=form.cleaned_data["attachments"]
                )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The expense was saved."))
            return redirect("expense_detail", pk=expense.pk)
    return _form_page(request, form, expense, 400)


@member_required(EXPENSES)
def expense_detail(request, pk):
    expense = _expense_or_404(request, pk)
    context = {
        "expense": expense,
        "attachments": selectors.expense_attachments(expense=expense),
    }
    return render(request, "expenses/expense_detail.html", context)


@require_POST
@member_required(EXPENSES, level=Level.FULL)
def expense_delete(request, pk):
    expense = _expense_or_404(request, pk)
    services.expense_delete(expense=expense, actor=request.user)
    messages.success(request, _("The expense was deleted."))
    return redirect("expense_list")


def _attachment_or_404(request, pk, attachment_pk) -> ExpenseAttachment:
    try:
        return selectors.attachment_get(business=request.business, expense_pk=pk, pk=attachment_pk)
    except ExpenseAttachment.DoesNotExist as exc:
        raise Http404 from exc


@require_GET
@member_required(EXPENSES)
def expense_attachment(request, pk, attachment_pk):
    """The document (`?download=1` to save it), or its thumbnail (`?thumbnail=1`)."""
    att = _attachment_or_404(request, pk, attachment_pk)
    thumb = request.GET.get("thumbnail") == "1"
    if thumb and not att.thumbnail:
        raise Http404
    return exports.attachment_response(
        att, thumbnail=thumb, download=request.GET.get("download") == "1"
    )


@require_POST
@member_required(EXPENSES, level=Level.FULL)
def expense_attachment_delete(request, pk, attachment_pk):
    att = _attachment_or_404(request, pk, attachment_pk)
    services.expense_detach(attachment=att, actor=request.user)
    messages.success(request, _("The document was removed."))
    return redirect("expense_detail", pk=pk)
