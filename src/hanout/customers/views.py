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
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hanout.core import clock
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.customers import exports, selectors, selectors_crm, services, services_loyalty
from hanout.customers.forms import (
    CustomerFilterForm,
    CustomerForm,
    LoyaltyRuleForm,
    PointsAdjustForm,
    TrustForm,
)
from hanout.customers.models import Customer
from hanout.purchasing.selectors_bills import local_today

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
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "segments": selectors_crm.SEGMENTS,
            "badges": selectors_crm.SEGMENT_BADGES,
        },
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
    context.update(_crm_context(request, customer))
    return render(request, "customers/customer_detail.html", context)


def _crm_context(request, customer: Customer, *, trust_form=None, adjust_form=None) -> dict:
    """The CRM part of a customer's page: figures, trust, points."""
    stats = selectors_crm.customer_stats(customer=customer)
    rule = services_loyalty.loyalty_rule_of(request.business)
    return {
        "stats": stats,
        "sees_margin": request.membership.allows(Module.REPORTS, Level.READ),
        "points_value": rule.point_value * customer.loyalty_points,
        "suggestion": selectors_crm.trust_suggestion(stats=stats),
        "segment_label": selectors_crm.SEGMENTS.get(customer.segment, ""),
        "segment_badge": selectors_crm.SEGMENT_BADGES.get(customer.segment, ""),
        "rule": rule,
        "entries": selectors_crm.loyalty_entries(customer=customer, limit=RECENT),
        "trust_form": trust_form or TrustForm(initial={"trust_level": customer.trust_level}),
        "adjust_form": adjust_form or PointsAdjustForm(),
    }


def _detail_with_errors(request, customer, **forms_):
    context = {
        "customer": customer,
        "orders": None,
        "tickets": None,
        "invoices": None,
        "recent": RECENT,
        **_crm_context(request, customer, **forms_),
    }
    return render(request, "customers/customer_detail.html", context, status=400)


def _crm_post(request, pk, *, form_class, form_key: str, save, done: str, anchor: str = ""):
    """A form posted from the customer's page: `save(customer, cleaned_data)` through a
    service, then back to the page (at `anchor`); refused, the page again with the errors."""
    customer = _customer_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            save(customer, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(f"{reverse('customer_detail', args=[customer.pk])}{anchor}")
    return _detail_with_errors(request, customer, **{form_key: form})


@require_POST
@member_required(Module.CUSTOMERS, level=Level.FULL)
def customer_trust(request, pk):
    """Set the trust level by hand (audited)."""
    return _crm_post(
        request,
        pk,
        form_class=TrustForm,
        form_key="trust_form",
        save=lambda customer, data: services.customer_set_trust(
            customer=customer, actor=request.user, level=data["trust_level"], note=data["note"]
        ),
        done=_("The trust level was saved."),
    )


@require_POST
@member_required(Module.CUSTOMERS, level=Level.FULL)
def customer_points_adjust(request, pk):
    """Add or take away loyalty points by hand, with a reason."""
    return _crm_post(
        request,
        pk,
        form_class=PointsAdjustForm,
        form_key="adjust_form",
        save=lambda customer, data: services_loyalty.loyalty_adjust(
            customer=customer, actor=request.user, points=data["points"], reason=data["reason"]
        ),
        done=_("The points were adjusted."),
        anchor="#points",
    )


def _growth_chart(rows: list[dict], *, title: str, label: str) -> dict:
    return {
        "type": "bar",
        "labels": [r["label"] for r in rows],
        "datasets": [{"label": label, "data": [r["count"] for r in rows]}],
        "title": title,
    }


@require_GET
@member_required(Module.CUSTOMERS)
def customer_dashboard(request):
    """New customers by month (last 12) and by year, the segments and the top customers."""
    business = request.business
    now = clock.now()
    month_rows = [
        {"label": date_format(r["month"], "M Y"), "count": r["count"]}
        for r in selectors_crm.new_customers_last_months(
            business=business, today=local_today(business)
        )
    ]
    year_rows = [
        {"label": str(r["key"].year), "count": r["count"]}
        for r in selectors_crm.new_customers_by(business=business, period="year")
    ]
    counts = selectors_crm.segment_counts(business=business, now=now)
    segment_rows = [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "badge": selectors_crm.SEGMENT_BADGES[key],
        }
        for key, label in selectors_crm.SEGMENTS.items()
    ]
    label = _("New customers")
    context = {
        "month_rows": month_rows,
        "year_rows": year_rows,
        "segment_rows": segment_rows,
        "top": selectors_crm.top_customers(business=business, now=now),
        "segments": selectors_crm.SEGMENTS,
        "badges": selectors_crm.SEGMENT_BADGES,
        "month_chart": _growth_chart(month_rows, title=_("By month"), label=label),
        "year_chart": _growth_chart(year_rows, title=_("By year"), label=label),
        "segment_chart": {
            "type": "doughnut",
            "labels": [str(r["label"]) for r in segment_rows],
            "datasets": [{"label": _("Customers"), "data": [r["count"] for r in segment_rows]}],
            "title": _("Segments"),
        },
    }
    return render(request, "customers/dashboard.html", context)


@member_required(Module.CUSTOMERS)
def loyalty_settings(request):
    """The loyalty programme: on/off, points per amount spent, value of a point."""
    rule = services_loyalty.loyalty_rule_of(request.business)
    initial = {
        "enabled": rule.enabled,
        "spend_step": rule.spend_step,
        "points_per_step": rule.points_per_step,
        "point_value": rule.point_value,
    }
    form = LoyaltyRuleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_loyalty.loyalty_rule_set(
                    business=request.business, actor=request.user, data=form.cleaned_data
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("The loyalty programme was saved."))
                return redirect("customer_loyalty")
    return render(request, "customers/loyalty.html", {"form": form, "rule": rule}, status=status)


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
