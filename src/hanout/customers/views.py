"""Customer pages: the list (search, filters, CSV/XLSX export), a customer's page with
their orders, register tickets and invoices, create and edit.

Thin on purpose: each POST validates a form, calls one service and shows the
service's DomainError beside its field. Every object is looked up through a
selector scoped to request.business, so another business's id is a 404.
Reading needs `read` on Customers; every POST needs `full`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.customers import exports, selectors, services
from hanout.customers.forms import CustomerFilterForm, CustomerForm
from hanout.customers.models import Customer

PAGE_SIZE = 50
RECENT = 20


def _customer_or_404(request, pk) -> Customer:
    try:
        return selectors.customer_get(business=request.business, pk=pk)
    except (Customer.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@member_required(Module.CUSTOMERS)
def customer_list(request):
    form = CustomerFilterForm(request.GET or None)
    customers = selectors.customer_list(business=request.business, **form.filters())
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "customers/customer_list.html#rows" if request.htmx else "customers/customer_list.html"
    )
    return render(
        request, template, {"form": form, "page": page, "query": _query_without_page(request)}
    )


@require_GET
@member_required(Module.CUSTOMERS)
def customer_export(request):
    """The list as filtered on the page, as CSV (default) or XLSX (`?file=xlsx`)."""
    form = CustomerFilterForm(request.GET or None)
    customers = selectors.customer_list(business=request.business, **form.filters())
    header, rows = exports.customer_export_rows(customers)
    return exports.file_response(
        request.GET.get("file", "csv"),
        name="customers",
        title=_("Customers"),
        header=header,
        rows=rows,
    )


def _save(request, form: CustomerForm, customer: Customer | None):
    try:
        if customer is None:
            customer = services.customer_create(
                business=request.business, actor=request.user, data=form.cleaned_data
            )
            messages.success(request, _("%(name)s was added.") % {"name": customer.name})
        else:
            services.customer_update(customer=customer, actor=request.user, data=form.cleaned_data)
            messages.success(
                request, _("%(name)s was saved.") % {"name": form.cleaned_data["name"]}
            )
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None, exc.status
    return customer, 200


@member_required(Module.CUSTOMERS, level=Level.FULL)
def customer_create(request):
    form = CustomerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            customer, status = _save(request, form, None)
            if customer is not None:
                return redirect("customer_detail", pk=customer.pk)
    return render(
        request, "customers/customer_form.html", {"form": form, "customer": None}, status=status
    )


@member_required(Module.CUSTOMERS, level=Level.FULL)
def customer_edit(request, pk):
    customer = _customer_or_404(request, pk)
    initial = {name: getattr(customer, name) for name in services.CUSTOMER_FIELDS}
    form = CustomerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            saved, status = _save(request, form, customer)
            if saved is not None:
                return redirect("customer_detail", pk=customer.pk)
    return render(
        request, "customers/customer_form.html", {"form": form, "customer": customer}, status=status
    )


@member_required(Module.CUSTOMERS)
def customer_detail(request, pk):
    """The card, then the latest orders, register tickets and invoices (each list
    capped; the order list links to all of this customer's orders)."""
    customer = _customer_or_404(request, pk)
    membership = request.membership
    sees_sales = membership.allows(Module.SALES, Level.READ)
    context = {
        "customer": customer,
        "orders": selectors.customer_orders(customer=customer, limit=RECENT)
        if sees_sales
        else None,
        "tickets": (
            selectors.customer_tickets(customer=customer, limit=RECENT)
            if membership.allows(Module.REGISTER, Level.READ) or sees_sales
            else None
        ),
        "invoices": (
            selectors.customer_invoices(customer=customer, limit=RECENT) if sees_sales else None
        ),
        "can_order": membership.allows(Module.SALES, Level.FULL),
        "recent": RECENT,
    }
    return render(request, "customers/customer_detail.html", context)


@require_POST
@member_required(Module.CUSTOMERS)
def customer_toggle_active(request, pk):
    customer = _customer_or_404(request, pk)
    wanted = request.POST.get("active")
    active = (wanted == "1") if wanted in ("0", "1") else not customer.is_active
    services.customer_set_active(customer=customer, actor=request.user, active=active)
    if active:
        messages.success(request, _("%(name)s was reactivated.") % {"name": customer.name})
    else:
        messages.success(
            request,
            _("%(name)s was deactivated; their orders and invoices are kept.")
            % {"name": customer.name},
        )
    return redirect("customer_detail", pk=customer.pk)
