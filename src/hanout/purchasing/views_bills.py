"""Pages of supplier invoices, payments, a supplier's account, the recap and performance.

Thin on purpose: a form checks the shape, one service does the work, and its
DomainError is shown beside the field it names. Objects are looked up through
selectors scoped to request.business, so another business's id is a 404.
Reading needs `read` on Purchasing; every POST needs `full`.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hanout.core.errors import DomainError
from hanout.core.money import quantize
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.purchasing import exports_bills, performance, selectors_bills, services_bills
from hanout.purchasing.forms_bills import (
    BillFilterForm,
    BillForm,
    PaymentForm,
    PeriodForm,
    ReverseForm,
)
from hanout.purchasing.models import SupplierInvoice, SupplierPayment
from hanout.suppliers.models import Supplier

PAGE_SIZE = 50
PURCHASING = Module.PURCHASING


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _bad_format(request):
    """A 400 for `?format=` other than csv or xlsx (none at all is CSV), else None."""
    if exports_bills.bad_format(request.GET.get("format")):
        return HttpResponseBadRequest(_("Choose the CSV or XLSX format."))
    return None


def _invoice_or_404(request, pk) -> SupplierInvoice:
    try:
        return selectors_bills.supplier_invoice_get(business=request.business, pk=pk)
    except (SupplierInvoice.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _supplier_or_404(request, pk) -> Supplier:
    try:
        return Supplier.objects.for_business(request.business).get(pk=pk)
    except (Supplier.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _today(request) -> datetime.date:
    return selectors_bills.local_today(request.business)


# --- supplier invoices ---------------------------------------------------------------------------


def _invoices(request):
    form = BillFilterForm(request.GET or None, business=request.business)
    return form, selectors_bills.supplier_invoice_list(business=request.business, **form.filters())


@member_required(PURCHASING)
def supplier_bills(request):
    form, invoices = _invoices(request)
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "purchasing/bills_list.html",
        {
            "form": form,
            "page": page,
            "totals": selectors_bills.invoice_totals(invoices),
            "today": _today(request),
            "query": _query_without_page(request),
        },
    )


@require_GET
@member_required(PURCHASING)
def supplier_bills_export(request):
    """The filtered invoice list as CSV (`?format=csv`, the default) or XLSX."""
    if bad := _bad_format(request):
        return bad
    _form, invoices = _invoices(request)
    header, rows = exports_bills.invoice_table(invoices, business=request.business)
    return exports_bills.download(
        request.GET.get("format"),
        name="supplier-invoices",
        title=_("Supplier invoices"),
        header=header,
        rows=rows,
    )


@member_required(PURCHASING, level=Level.FULL)
def supplier_bill_create(request):
    initial = {"issued_on": _today(request)}
    for key in ("supplier", "order"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = BillForm(
        request.POST or None, request.FILES or None, business=request.business, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                invoice = services_bills.supplier_invoice_record(
                    business=request.business,
                    actor=request.user,
                    supplier=_supplier_or_404(request, data["supplier"]),
                    number=data["number"],
                    issued_on=data["issued_on"],
                    due_on=data["due_on"],
                    total=data["total"],
                    tax_total=data["tax_total"] or 0,
                    order=form.order_object(),
                    note=data["note"],
                    attachment=data["attachment"] or None,
                    client_uuid=data["client_uuid"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Invoice %(number)s of %(supplier)s was recorded.")
                    % {"number": invoice.number, "supplier": invoice.supplier.name},
                )
                return redirect("supplier_bill_detail", pk=invoice.pk)
    return render(request, "purchasing/bills_form.html", {"form": form}, status=status)


def _detail_context(request, invoice, *, pay_form=None, reverse_form=None) -> dict:
    payments = selectors_bills.supplier_payment_list(business=request.business, invoice=invoice)
    context = {
        "invoice": invoice,
        "payments": payments,
        "today": _today(request),
        "pay_form": None,
        "reverse_form": reverse_form or ReverseForm(),
    }
    if request.can_edit and invoice.balance > 0:
        context["pay_form"] = pay_form or PaymentForm(
            business=request.business,
            invoices=[invoice],
            initial={
                "supplier": invoice.supplier_id,
                "invoice": invoice.pk,
                "amount": quantize(invoice.balance, request.business.currency),
                "paid_on": _today(request),
                "paid_by": "bank",
            },
        )
    return context


@member_required(PURCHASING)
def supplier_bill_detail(request, pk):
    invoice = _invoice_or_404(request, pk)
    return render(request, "purchasing/bills_detail.html", _detail_context(request, invoice))


@require_GET
@member_required(PURCHASING)
def supplier_bill_scan(request, pk):
    """The stored scan, with the type its content was checked to be; never sniffed again."""
    invoice = _invoice_or_404(request, pk)
    content_type = services_bills.attachment_content_type(invoice)
    if content_type is None:
        raise Http404
    try:
        handle = invoice.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = invoice.attachment.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=request.GET.get("download") == "1",
        filename=f"{invoice.supplier.name}-{invoice.number}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@require_POST
@member_required(PURCHASING)
def supplier_bill_attach(request, pk):
    invoice = _invoice_or_404(request, pk)
    upload = request.FILES.get("attachment")
    if upload is None:
        messages.error(request, _("Choose the scan to upload."))
    else:
        try:
            services_bills.supplier_invoice_attach(
                invoice=invoice, actor=request.user, attachment=upload
            )
        except DomainError as exc:
            messages.error(request, exc.fields.get("attachment", [exc.message])[0])
        else:
            messages.success(request, _("The scan was attached."))
    return redirect("supplier_bill_detail", pk=invoice.pk)


# --- payments ----------------------------------------------------------------------------------


def _payments(request):
    form = BillFilterForm(request.GET or None, business=request.business)
    filters = form.filters()
    return form, selectors_bills.supplier_payment_list(
        business=request.business,
        supplier=filters.get("supplier"),
        date_from=filters["date_from"],
        date_to=filters["date_to"],
    )


@member_required(PURCHASING)
def supplier_payments(request):
    form, payments = _payments(request)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "purchasing/bills_payments.html",
        {
            "form": form,
            "page": page,
            "total": selectors_bills.payment_total(payments),
            "query": _query_without_page(request),
        },
    )


@require_GET
@member_required(PURCHASING)
def supplier_payments_export(request):
    """The filtered payment list as CSV (`?format=csv`, the default) or XLSX."""
    if bad := _bad_format(request):
        return bad
    _form, payments = _payments(request)
    header, rows = exports_bills.payment_table(payments, business=request.business)
    return exports_bills.download(
        request.GET.get("format"),
        name="supplier-payments",
        title=_("Payments to suppliers"),
        header=header,
        rows=rows,
    )


def _open_invoices(request, supplier_id=None):
    qs = selectors_bills.supplier_invoice_list(business=request.business, status="open")
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    return list(qs[:200])


@member_required(PURCHASING, level=Level.FULL)
def supplier_payment_create(request):
    source = request.POST if request.method == "POST" else request.GET
    supplier_id = source.get("supplier") or None
    try:
        invoices = _open_invoices(request, supplier_id)
    except (ValidationError, ValueError):
        invoices = []
    initial = {"paid_on": _today(request), "paid_by": "bank"}
    for key in ("supplier", "invoice"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = PaymentForm(
        request.POST or None, business=request.business, invoices=invoices, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            invoice = _invoice_or_404(request, data["invoice"]) if data["invoice"] else None
            try:
                payment = services_bills.supplier_payment_record(
                    business=request.business,
                    actor=request.user,
                    supplier=_supplier_or_404(request, data["supplier"]),
                    invoice=invoice,
                    amount=data["amount"],
                    method=data["paid_by"],
                    paid_on=data["paid_on"],
                    reference=data["reference"],
                    note=data["note"],
                    client_uuid=data["client_uuid"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The payment was recorded."))
                if payment.invoice_id:
                    return redirect("supplier_bill_detail", pk=payment.invoice_id)
                return redirect("supplier_account", pk=payment.supplier_id)
    return render(request, "purchasing/bills_payment_form.html", {"form": form}, status=status)


@require_POST
@member_required(PURCHASING)
def supplier_payment_reverse(request, pk):
    try:
        payment = selectors_bills.supplier_payment_get(business=request.business, pk=pk)
    except (SupplierPayment.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    form = ReverseForm(request.POST)
    back = (
        reverse("supplier_bill_detail", args=[payment.invoice_id])
        if payment.invoice_id
        else reverse("supplier_account", args=[payment.supplier_id])
    )
    if not form.is_valid():
        messages.error(request, _("Say why the payment is reversed."))
        return redirect(back)
    try:
        services_bills.supplier_payment_reverse(
            payment=payment, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The payment was reversed."))
    return redirect(back)


# --- a supplier's account ------------------------------------------------------------------------


@member_required(PURCHASING)
def supplier_account(request, pk):
    supplier = _supplier_or_404(request, pk)
    account = selectors_bills.supplier_account(business=request.business, supplier=supplier)
    invoices = selectors_bills.supplier_invoice_list(business=request.business, supplier=supplier)
    payments = selectors_bills.supplier_payment_list(business=request.business, supplier=supplier)
    return render(
        request,
        "purchasing/bills_account.html",
        {
            "supplier": account,
            "invoices": invoices[:PAGE_SIZE],
            "payments": payments[:PAGE_SIZE],
            "today": _today(request),
            "reverse_form": ReverseForm(),
        },
    )


# --- recap and performance -----------------------------------------------------------------------


def _month_to_date(request) -> tuple[datetime.date, datetime.date]:
    today = _today(request)
    return today.replace(day=1), today


def _presets(request, form) -> list[dict]:
    """One-click periods: this month, last month, the last 90 days, this year."""
    today = _today(request)
    first_of_month = today.replace(day=1)
    last_month_end = first_of_month - datetime.timedelta(days=1)
    periods = [
        (_("This month"), first_of_month, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("Last 90 days"), today - datetime.timedelta(days=89), today),
        (_("This year"), today.replace(month=1, day=1), today),
    ]
    chosen = form.period()
    supplier = request.GET.get("supplier", "")
    out = []
    for label, first, last in periods:
        query = f"date_from={first.isoformat()}&date_to={last.isoformat()}"
        if supplier:
            query += "&supplier=" + supplier
        out.append({"label": label, "query": query, "active": (first, last) == chosen})
    return out


@member_required(PURCHASING)
def supplier_recap(request):
    form = PeriodForm(
        request.GET or None, business=request.business, default=_month_to_date(request)
    )
    first, last = form.period()
    recap = selectors_bills.supplier_recap(business=request.business, date_from=first, date_to=last)
    slices = selectors_bills.pie_slices(recap, others_label=_("Other suppliers"))
    chart = {
        "type": "pie",
        "labels": [name for name, _amount in slices],
        "datasets": [{"data": [str(amount) for _name, amount in slices]}],
        "currency": request.business.currency,
        "title": _("Invoiced by supplier"),
    }
    owed = {
        str(s.pk): s.owed
        for s in selectors_bills.supplier_accounts(
            business=request.business, only_with_activity=True
        )
    }
    for row in recap.rows:
        row.owed_now = owed.get(row.supplier_id, 0)
    return render(
        request,
        "purchasing/recap.html",
        {
            "form": form,
            "recap": recap,
            "chart": chart if slices else None,
            "presets": _presets(request, form),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


def _performance_report(request):
    form = PeriodForm(
        request.GET or None,
        business=request.business,
        default=performance.default_period(request.business),
    )
    first, last = form.period()
    report = performance.supplier_performance(
        business=request.business, date_from=first, date_to=last, supplier=form.supplier_object()
    )
    return form, report


@member_required(PURCHASING)
def supplier_performance(request):
    form, report = _performance_report(request)
    chart = None
    measured = [r for r in report.rows if r.on_time_rate is not None or r.fill_rate is not None]
    if measured:
        chart = {
            "type": "bar",
            "labels": [r.name for r in measured],
            "datasets": [
                {
                    "label": _("On time (%)"),
                    "data": [str(r.on_time_rate) if r.on_time_rate is not None else None
                             for r in measured],
                },
                {
                    "label": _("Fill rate (%)"),
                    "data": [str(r.fill_rate) if r.fill_rate is not None else None
                             for r in measured],
                },
            ],
            "percent": True,
            "max": 100,
        }  # fmt: skip
    return render(
        request,
        "purchasing/performance.html",
        {
            "form": form,
            "report": report,
            "chart": chart,
            "query": request.GET.urlencode(),
            "presets": _presets(request, form),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_GET
@member_required(PURCHASING)
def supplier_performance_csv(request):
    _form, report = _performance_report(request)
    return exports_bills.performance_download("csv", report, currency=request.business.currency)


@require_GET
@member_required(PURCHASING)
def supplier_performance_xlsx(request):
    _form, report = _performance_report(request)
    return exports_bills.performance_download("xlsx", report, currency=request.business.currency)


@require_GET
@member_required(PURCHASING)
def supplier_performance_pdf(request):
    """The report as an A4 page (the Reports section's table layout)."""
    from hanout.reports import tables
    from hanout.reports.selectors_tables import performance_table

    _form, report = _performance_report(request)
    return tables.download(performance_table(report, business=request.business), "pdf")
