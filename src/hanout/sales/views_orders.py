"""Customer-order pages: the list (status tabs, filters, CSV/XLSX export), a new
order, an order's page with its lines, stock, shipments, history and the next
steps (confirm, pick, ship — partly or all —, deliver, cancel).

Thin: each POST calls one service; a DomainError is shown on the page with the
service's words (every short product when stock is missing). Objects are read
through selectors scoped to request.business: another business's id is a 404.
Reading needs `read` on Sales; every POST needs `full`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from hanout.core.errors import DomainError
from hanout.core.money import quantize
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.core.tax import tax_breakdown
from hanout.customers import exports
from hanout.customers import selectors as customer_selectors
from hanout.inventory.models import Location
from hanout.sales import selectors_orders as selectors
from hanout.sales import services_orders as services
from hanout.sales.api_orders import may_set_prices
from hanout.sales.forms_orders import OrderFilterForm, OrderForm, ShipForm
from hanout.sales.models import CustomerOrder, OrderStatus
from hanout.sales.services_orders_lines import OrderLineInput

PAGE_SIZE = 50
LINE_ROWS = 5
MAX_ROWS = 100
PRODUCT_CHOICES = 500


def _order_or_404(request, pk) -> CustomerOrder:
    try:
        return selectors.order_get(business=request.business, pk=pk)
    except (CustomerOrder.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _filtered(request):
    form = OrderFilterForm(request.GET or None)
    filters = form.filters()
    customer = None
    if form.is_valid() and form.cleaned_data.get("customer"):
        customer = customer_selectors.customer_for_business(
            business=request.business, pk=form.cleaned_data["customer"]
        )
        if customer is None:
            raise Http404
        filters["customer"] = customer
    return form, customer, selectors.order_list(business=request.business, **filters)


@member_required(Module.SALES)
def order_list(request):
    form, customer, orders = _filtered(request)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "sales/order_list.html#rows" if request.htmx else "sales/order_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "customer": customer,
            "page": page,
            "query": _query_without_page(request),
        },
    )


@require_GET
@member_required(Module.SALES)
def order_export(request):
    """The list as filtered on the page: CSV (default) or XLSX (`?file=xlsx`)."""
    _form, _customer, orders = _filtered(request)
    header, rows = selectors.order_export_rows(orders=orders)
    return exports.file_response(
        request.GET.get("file", "csv"), name="orders", title=_("Orders"), header=header, rows=rows
    )


# --- a new order ---------------------------------------------------------------------------------


def _rows_from_post(post, count: int, allow_price: bool) -> tuple[list[dict], list[OrderLineInput]]:
    """The line rows as typed (to show again) and the filled ones as service input."""
    rows, lines = [], []
    for i in range(count):
        row = {
            key: (post.get(f"{key}-{i}") or "").strip()[:64]
            for key in ("product", "code", "quantity", "price", "discount")
        }
        rows.append(row)
        if not (row["product"] or row["code"]):
            continue
        lines.append(
            OrderLineInput(
                product=row["product"] or None,
                code=row["code"] if not row["product"] else "",
                quantity=row["quantity"] or "1",
                unit_price=(row["price"] or None) if allow_price else None,
                discount=(row["discount"] or 0) if allow_price else 0,
            )
        )
    return rows, lines


def _form_context(request, form, rows, error="", line_errors=None) -> dict:
    from hanout.suppliers.selectors import product_choices

    business = request.business
    return {
        "form": form,
        "rows": rows,
        "error": error,
        "line_errors": line_errors or {},
        "customers": customer_selectors.customer_choices(business=business, limit=500),
        "locations": Location.objects.for_business(business).select_related("shop"),
        "products": product_choices(business=business, limit=PRODUCT_CHOICES),
        "allow_price": may_set_prices(request.membership),
        "client_uuid": request.POST.get("client_uuid") or uuid.uuid4(),
    }


@member_required(Module.SALES, level=Level.FULL)
def order_create(request):
    allow_price = may_set_prices(request.membership)
    count = LINE_ROWS
    if request.method == "POST":
        try:
            count = min(max(int(request.POST.get("rows", LINE_ROWS)), 1), MAX_ROWS)
        except ValueError:
            count = LINE_ROWS
    if request.method != "POST":
        form = OrderForm(initial={"customer": request.GET.get("customer", "")})
        rows = [{} for _ in range(count)]
        return render(request, "sales/order_form.html", _form_context(request, form, rows))
    form = OrderForm(request.POST)
    rows, lines = _rows_from_post(request.POST, count, allow_price)
    if "add_rows" in request.POST:
        rows += [{} for _ in range(min(LINE_ROWS, MAX_ROWS - count))]
        return render(request, "sales/order_form.html", _form_context(request, form, rows))
    error, line_errors, status = "", {}, 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            key = uuid.UUID(request.POST.get("client_uuid", ""))
        except ValueError:
            key = None
        try:
            order = services.order_create(
                business=request.business,
                actor=request.user,
                customer=data["customer"],
                location=data["location"],
                lines=lines,
                promised_on=data["promised_on"],
                shipping_address=data["shipping_address"] or None,
                note=data["note"],
                allow_price=allow_price,
                client_uuid=key,
            )
        except DomainError as exc:
            status = exc.status
            line_errors = {k: v for k, v in exc.fields.items() if k.startswith("lines")}
            head = {k: v for k, v in exc.fields.items() if not k.startswith("lines")}
            if head:
                apply_domain_error(form, type(exc)(exc.message, fields=head))
            else:
                error = exc.message
        else:
            messages.success(request, _("Order %(ref)s was created.") % {"ref": order.reference})
            return redirect("order_detail", pk=order.pk)
    return render(
        request,
        "sales/order_form.html",
        _form_context(request, form, rows, error=error, line_errors=line_errors),
        status=status,
    )


# --- one order -----------------------------------------------------------------------------------


def _maybe_url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _detail_context(request, order: CustomerOrder, *, ship_form=None, error="") -> dict:
    lines = list(order.lines.all())
    stock = selectors.order_stock(order=order)
    for line in lines:
        line.left = line.quantity - line.shipped_quantity
        line.stock = stock.get(line.product_id)
    currency = request.business.currency
    taxes = tax_breakdown([(ln.tax_rate, ln.total, ln.tax_amount) for ln in lines], currency)
    status = order.status
    return {
        "order": order,
        "lines": lines,
        "taxes": taxes,
        "ship_form": ship_form or ShipForm(),
        "error": error,
        "client_uuid": uuid.uuid4(),
        "can_confirm": status == OrderStatus.DRAFT,
        "can_pick": status == OrderStatus.CONFIRMED,
        "can_ship": status in services.SHIPPABLE,
        "can_deliver": status == OrderStatus.SHIPPED,
        "can_cancel": status in services.CANCELLABLE,
        "can_close_short": status == OrderStatus.PARTIAL,
        "invoice_url": _maybe_url("invoice_for_order", order.pk)
        if status == OrderStatus.DELIVERED
        else "",
        "return_url": (_maybe_url("return_create") + f"?order={order.pk}")
        if status in (OrderStatus.PARTIAL, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
        and _maybe_url("return_create")
        else "",
    }


@member_required(Module.SALES)
def order_detail(request, pk):
    order = _order_or_404(request, pk)
    return render(request, "sales/order_detail.html", _detail_context(request, order))


@require_POST
@member_required(Module.SALES)
def order_step(request, pk, step: str):
    """Confirm, pick, deliver, cancel or close short (the URL names the step)."""
    order = _order_or_404(request, pk)
    text = (request.POST.get("note") or request.POST.get("reason") or "").strip()[:500]
    try:
        if step == "confirm":
            services.order_confirm(order=order, actor=request.user, note=text)
            done = _("Order %(ref)s is confirmed: its stock is reserved.")
        elif step == "pick":
            services.order_pick(order=order, actor=request.user, note=text)
            done = _("Order %(ref)s is being picked.")
        elif step == "deliver":
            services.order_deliver(order=order, actor=request.user, note=text)
            done = _("Order %(ref)s is delivered.")
        elif step == "cancel":
            services.order_cancel(order=order, actor=request.user, reason=text)
            done = _("Order %(ref)s is cancelled; its reservation is released.")
        elif step == "close-short":
            from hanout.sales.services_orders_close import order_close_short

            order_close_short(order=order, actor=request.user, reason=text)
            done = _("Order %(ref)s is closed short: what was shipped stays, the rest is released.")
        else:
            raise Http404
    except DomainError as exc:
        order = _order_or_404(request, pk)
        return render(
            request,
            "sales/order_detail.html",
            _detail_context(request, order, error=exc.message),
            status=exc.status,
        )
    messages.success(request, done % {"ref": order.reference})
    return redirect("order_detail", pk=order.pk)


@member_required(Module.SALES, level=Level.FULL)
def order_edit(request, pk):
    """Change a draft order: its head and its lines (replaced as typed)."""
    order = _order_or_404(request, pk)
    if order.status != OrderStatus.DRAFT:
        messages.error(
            request,
            _("Order %(ref)s is no longer a draft: cancel it and make a new one to change it.")
            % {"ref": order.reference},
        )
        return redirect("order_detail", pk=order.pk)
    allow_price = may_set_prices(request.membership)
    if request.method != "POST":
        currency = request.business.currency
        lines = list(order.lines.order_by("position", "pk"))
        rows = [
            {
                "product": str(line.product_id),
                "quantity": format(line.quantity.normalize(), "f"),
                "price": str(quantize(line.unit_price, currency)) if allow_price else "",
                "discount": str(quantize(line.discount, currency))
                if allow_price and line.discount
                else "",
            }
            for line in lines
        ] + [{} for _ in range(2)]
        form = OrderForm(
            initial={
                "customer": order.customer_id,
                "location": order.location_id,
                "promised_on": order.promised_on,
                "shipping_address": order.shipping_address,
                "note": order.note,
            }
        )
        context = _form_context(request, form, rows)
        return render(request, "sales/order_form.html", {**context, "order": order})
    try:
        count = min(max(int(request.POST.get("rows", LINE_ROWS)), 1), MAX_ROWS)
    except ValueError:
        count = LINE_ROWS
    form = OrderForm(request.POST)
    rows, lines = _rows_from_post(request.POST, count, allow_price)
    if "add_rows" in request.POST:
        rows += [{} for _ in range(min(LINE_ROWS, MAX_ROWS - count))]
        context = _form_context(request, form, rows)
        return render(request, "sales/order_form.html", {**context, "order": order})
    error, line_errors, status = "", {}, 400
    if form.is_valid():
        data = form.cleaned_data
        head = {
            "customer": data["customer"],
            "promised_on": data["promised_on"],
            "shipping_address": data["shipping_address"],
            "note": data["note"],
        }
        if data["location"]:
            head["location"] = data["location"]
        try:
            services.order_update(
                order=order, actor=request.user, data=head, lines=lines, allow_price=allow_price
            )
        except DomainError as exc:
            status = exc.status
            line_errors = {k: v for k, v in exc.fields.items() if k.startswith("lines")}
            fields = {k: v for k, v in exc.fields.items() if not k.startswith("lines")}
            if fields:
                apply_domain_error(form, type(exc)(exc.message, fields=fields))
            else:
                error = exc.message
        else:
            messages.success(request, _("Order %(ref)s was saved.") % {"ref": order.reference})
            return redirect("order_detail", pk=order.pk)
    context = _form_context(request, form, rows, error=error, line_errors=line_errors)
    return render(request, "sales/order_form.html", {**context, "order": order}, status=status)


@require_POST
@member_required(Module.SALES)
def order_ship(request, pk):
    """Ship the quantities typed per line (all that is left by default)."""
    order = _order_or_404(request, pk)
    form = ShipForm(request.POST)
    quantities = []
    for line in order.lines.all():
        typed = (request.POST.get(f"ship-{line.pk}") or "").strip()
        if typed and _number(typed) != 0:
            quantities.append((line.pk, typed))
    status, error = 400, ""
    if form.is_valid():
        try:
            key = uuid.UUID(request.POST.get("client_uuid", ""))
        except ValueError:
            key = None
        try:
            shipment = services.order_ship(
                order=order,
                actor=request.user,
                lines=quantities,
                carrier=form.cleaned_data["carrier"],
                tracking=form.cleaned_data["tracking"],
                client_uuid=key,
            )
        except DomainError as exc:
            status, error = exc.status, exc.message
        else:
            count = shipment.lines.count()
            messages.success(
                request,
                ngettext(
                    "Shipment recorded for %(ref)s (%(n)s line).",
                    "Shipment recorded for %(ref)s (%(n)s lines).",
                    count,
                )
                % {"ref": order.reference, "n": count},
            )
            return redirect("order_detail", pk=order.pk)
    order = _order_or_404(request, pk)
    return render(
        request,
        "sales/order_detail.html",
        _detail_context(request, order, ship_form=form, error=error),
        status=status,
    )


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None
