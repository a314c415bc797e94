"""Invoice pages: the list (filters, CSV/XLSX), one document (PDF, email, credit), and
issuing from a register ticket or a delivered order.

Thin: each POST calls one service and shows its DomainError. Every object is
read through a selector scoped to request.business, so another business's id
is a 404. Reading needs `read` on Sales; every POST needs `full`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from hanout.core.errors import DomainError
from hanout.core.exports import file_response
from hanout.core.pages import member_required
from hanout.core.permissions import Level, Module
from hanout.core.selectors import business_zone
from hanout.customers.models import Customer
from hanout.sales import selectors_invoices as selectors
from hanout.sales import services_credit_notes
from hanout.sales import services_invoices as services
from hanout.sales.invoice_pdf import invoice_document, invoice_filename, invoice_pdf
from hanout.sales.models import CustomerOrder, Invoice, InvoiceKind

PAGE_SIZE = 50


class InvoiceFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("Invoices and credit notes")), *InvoiceKind.choices],
    )
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    customer = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def filters(self, business) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        out = {
            "search": data.get("q") or None,
            "kind": data.get("kind") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
        if data.get("customer"):
            out["customer"] = (
                Customer.objects.for_business(business).filter(pk=data["customer"]).first()
            )
            if out["customer"] is None:
                out["customer"] = Customer(pk=data["customer"])  # matches nothing
        return out


def _invoice_or_404(request, pk) -> Invoice:
    try:
        return selectors.invoice_get(business=request.business, pk=pk)
    except Invoice.DoesNotExist as exc:
        raise Http404 from exc


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("file", None)
    return params.urlencode()


@member_required(Module.SALES)
def invoice_list(request):
    form = InvoiceFilterForm(request.GET or None)
    tz = business_zone(request.business)
    invoices = selectors.invoice_list(
        business=request.business, tz=tz, **form.filters(request.business)
    )
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "sales/invoice_list.html#rows" if request.htmx else "sales/invoice_list.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "query": _query_without_page(request), "tz": tz},
    )


@member_required(Module.SALES)
def invoice_export(request):
    form = InvoiceFilterForm(request.GET or None)
    tz = business_zone(request.business)
    invoices = selectors.invoice_list(
        business=request.business, tz=tz, **form.filters(request.business)
    )
    return file_response(
        request.GET.get("file"),
        name="invoices",
        title=_("Invoices"),
        header=selectors.export_header(),
        rows=selectors.export_rows(invoices, tz=tz),
        stream=False,
    )


@member_required(Module.SALES)
def invoice_detail(request, pk, *, status=200, email_error="", credit_error=""):
    invoice = _invoice_or_404(request, pk)
    doc = invoice_document(invoice, language=request.LANGUAGE_CODE)
    credited = selectors.credited_so_far(invoice)
    return render(
        request,
        "sales/invoice_detail.html",
        {
            "invoice": invoice,
            "doc": doc,
            "credited": credited,
            "left_to_credit": invoice.total - credited,
            "lines": list(invoice.lines.all()),
            "email_error": email_error,
            "credit_error": credit_error,
            "client_uuid": uuid.uuid4(),
        },
        status=status,
    )


@member_required(Module.SALES)
def invoice_pdf_view(request, pk):
    invoice = _invoice_or_404(request, pk)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice_filename(invoice)}"'
    return response


@require_POST
@member_required(Module.SALES, level=Level.FULL)
def invoice_email_view(request, pk):
    invoice = _invoice_or_404(request, pk)
    try:
        services.invoice_email(
            invoice=invoice, actor=request.user, email=request.POST.get("email") or None
        )
    except DomainError as exc:
        return invoice_detail(request, pk, status=exc.status, email_error=exc.message)
    messages.success(
        request,
        _("%(number)s was sent to %(email)s.")
        % {"number": invoice.reference, "email": invoice.emailed_to},
    )
    return redirect("invoice_detail", pk=invoice.pk)


@require_POST
@member_required(Module.SALES, level=Level.FULL)
def invoice_credit_view(request, pk):
    """Credit the quantities typed beside each line (all of them when `all` is sent)."""
    invoice = _invoice_or_404(request, pk)
    lines = None
    if not request.POST.get("all"):
        lines = {}
        for line in invoice.lines.all():
            raw = (request.POST.get(f"qty-{line.pk}") or "").strip().replace(",", ".")
            if not raw:
                continue
            try:
                lines[str(line.pk)] = Decimal(raw)
            except InvalidOperation:
                return invoice_detail(
                    request,
                    pk,
                    status=400,
                    credit_error=_("%(name)s: enter a number.") % {"name": line.name},
                )
    try:
        note = services_credit_notes.credit_note_issue_for_invoice(
            invoice=invoice,
            actor=request.user,
            reason=request.POST.get("reason", ""),
            lines=lines,
            client_uuid=_uuid(request.POST.get("client_uuid")),
        )
    except DomainError as exc:
        return invoice_detail(request, pk, status=exc.status, credit_error=exc.message)
    messages.success(request, _("Credit note %(number)s was issued.") % {"number": note.reference})
    return redirect("invoice_detail", pk=note.pk)


def _uuid(value):
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@member_required(Module.SALES)
def invoice_for_sale(request, sale_pk):
    """From a ticket: its invoice if there is one, else a page to issue it (choose the buyer)."""
    from hanout.pos.models import Sale

    sale = (
        Sale.objects.for_business(request.business)
        .select_related("customer", "shop")
        .filter(pk=sale_pk)
        .first()
    )
    if sale is None:
        raise Http404
    existing = selectors.invoice_for_sale(business=request.business, sale=sale)
    if existing is not None:
        return redirect("invoice_detail", pk=existing.pk)
    error, status = "", 200
    if request.method == "POST":
        customer = None
        if request.POST.get("customer"):
            customer = (
                Customer.objects.for_business(request.business)
                .filter(pk=_uuid(request.POST["customer"]))
                .first()
            )
        try:
            invoice = services.invoice_issue_for_sale(
                sale=sale,
                actor=request.user,
                customer=customer,
                client_uuid=_uuid(request.POST.get("client_uuid")),
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(
                request, _("Invoice %(number)s was issued.") % {"number": invoice.reference}
            )
            return redirect("invoice_detail", pk=invoice.pk)
    customers = (
        Customer.objects.for_business(request.business)
        .filter(is_active=True)
        .order_by("name")[:200]
    )
    return render(
        request,
        "sales/invoice_issue.html",
        {
            "sale": sale,
            "order": None,
            "customers": customers,
            "error": error,
            "client_uuid": uuid.uuid4(),
        },
        status=status,
    )


@member_required(Module.SALES)
def invoice_for_order(request, order_pk):
    """From a delivered order: its invoice if there is one, else a page to issue it."""
    order = (
        CustomerOrder.objects.for_business(request.business)
        .select_related("customer")
        .filter(pk=order_pk)
        .first()
    )
    if order is None:
        raise Http404
    existing = selectors.invoice_for_order(business=request.business, order=order)
    if existing is not None:
        return redirect("invoice_detail", pk=existing.pk)
    error, status = "", 200
    if request.method == "POST":
        try:
            invoice = services.invoice_issue_for_order(
                order=order, actor=request.user, client_uuid=_uuid(request.POST.get("client_uuid"))
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(
                request, _("Invoice %(number)s was issued.") % {"number": invoice.reference}
            )
            return redirect("invoice_detail", pk=invoice.pk)
    return render(
        request,
        "sales/invoice_issue.html",
        {
            "sale": None,
            "order": order,
            "customers": [],
            "error": error,
            "client_uuid": uuid.uuid4(),
        },
        status=status,
    )
