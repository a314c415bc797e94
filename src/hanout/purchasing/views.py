"""Purchase-order pages: the list (filters, CSV/XLSX export), drafting (by hand or
from restock suggestions), the PO page (lines, deliveries, dated history, send,
close, cancel, PDF) and receiving a delivery.

Thin on purpose: each POST validates a form, calls one service and shows the
service's DomainError beside the field it names (or at the top). Every object
is looked up through a selector scoped to request.business (another business's
id is a 404). Reading needs `read` on Purchasing; every POST needs `full`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.core import clock
from hanout.core.errors import DomainError
from hanout.core.exports import XLSX_TYPE, file_response, xlsx_file
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.core.selectors import business_time_zone
from hanout.inventory.models import Location
from hanout.purchasing import pdf, selectors, services, services_receipts
from hanout.purchasing.forms import NoteForm, POFilterForm, POForm, ReceiveForm, SendForm
from hanout.purchasing.models import POStatus, PurchaseOrder

PAGE_SIZE = 50


def _order_or_404(request, pk) -> PurchaseOrder:
    try:
        return selectors.po_get(business=request.business, pk=pk)
    except (PurchaseOrder.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _locations(request):
    return (
        Location.objects.for_business(request.business)
        .filter(is_active=True)
        .select_related("shop")
        .order_by("-is_default", "shop__name", "name")
    )


def _location(request, pk):
    try:
        return _locations(request).get(pk=pk)
    except (Location.DoesNotExist, ValidationError, ValueError):
        return None


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _filtered(request):
    suppliers = list(selectors.active_suppliers(business=request.business).only("id", "name"))
    form = POFilterForm(request.GET or None, suppliers=suppliers)
    filters = form.filters()
    return form, selectors.po_list(business=request.business, **filters)


# --- list and export -----------------------------------------------------------------------------


@member_required(Module.PURCHASING)
def po_list(request):
    form, orders = _filtered(request)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "purchasing/po_list.html#rows" if request.htmx else "purchasing/po_list.html"
    return render(
        request, template, {"form": form, "page": page, "query": _query_without_page(request)}
    )


@member_required(Module.PURCHASING)
def po_export(request):
    """The filtered list, one row per PO line, as CSV (streamed) or XLSX."""
    _form, orders = _filtered(request)
    return po_file(request.GET.get("format"), orders, business=request.business)


def po_file(fmt: str | None, orders, *, business):
    """`orders` as the page's and the API's file: XLSX for "xlsx", else CSV (both streamed);
    money as numbers shown with 2 decimals, quantities with up to 3."""
    tz = ZoneInfo(business_time_zone(business) or "UTC")
    header = [str(h) for h in selectors.EXPORT_COLUMNS]
    rows = selectors.export_rows(orders=orders, tz=tz)
    name = f"purchase-orders-{clock.now().strftime('%Y%m%d')}"
    if fmt != "xlsx":
        return file_response("csv", name=name, title="", header=header, rows=rows)
    quantities = {header.index(key): "0.###" for key in ("quantity", "received")}
    return FileResponse(
        xlsx_file(_("Purchase orders"), header, rows, column_formats=quantities),
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type=XLSX_TYPE,
    )


# --- drafting ------------------------------------------------------------------------------------


@member_required(Module.PURCHASING, level=Level.FULL)
def po_create(request):
    suppliers = list(selectors.active_suppliers(business=request.business))
    locations = list(_locations(request))
    initial = {"supplier": request.GET.get("supplier", "")}
    if locations:
        initial["location"] = str(locations[0].pk)
    form = POForm(request.POST or None, initial=initial, suppliers=suppliers, locations=locations)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            supplier = next((s for s in suppliers if str(s.pk) == data["supplier"]), None)
            try:
                order = services.purchase_order_create(
                    business=request.business,
                    actor=request.user,
                    supplier=supplier,
                    location=_location(request, data["location"]),
                    expected_on=data.get("expected_on"),
                    note=data.get("note", ""),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(ref)s was drafted: add its lines.") % {"ref": order.reference},
                )
                return redirect("po_detail", pk=order.pk)
    return render(request, "purchasing/po_form.html", {"form": form}, status=status)


@member_required(Module.PURCHASING)
def po_restock(request):
    """Restock suggestions grouped by preferred supplier; POST drafts the chosen groups."""
    from hanout.inventory.selectors import restock_groups, restock_suggestions

    try:
        days = min(max(int(request.GET.get("days", 30)), 1), 365)
    except ValueError:
        days = 30
    groups = restock_groups(restock_suggestions(business=request.business, days=days))
    if request.method == "POST":
        if not request.can_edit:
            raise Http404
        wanted = request.POST.getlist("supplier")
        try:
            orders = services.purchase_orders_from_restock(
                business=request.business,
                actor=request.user,
                groups=groups,
                supplier_ids=wanted or None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if len(orders) == 1:
                messages.success(request, _("%(ref)s was drafted.") % {"ref": orders[0].reference})
                return redirect("po_detail", pk=orders[0].pk)
            messages.success(
                request,
                _("%(n)d purchase orders were drafted.") % {"n": len(orders)},
            )
            return redirect("po_list")
    return render(request, "purchasing/po_restock.html", {"groups": groups, "days": days})


# --- one purchase order --------------------------------------------------------------------------


def _editor_rows(request, order: PurchaseOrder, lines) -> list[dict]:
    """A draft's line editor: its lines first, then the rest of the supplier's catalog."""
    rows = [
        {
            "product": line.product,
            "supplier_sku": line.supplier_sku,
            "quantity": line.quantity,
            "cost": line.unit_cost,
            "on_order": True,
        }
        for line in lines
    ]
    taken = {line.product_id for line in lines}
    for item in selectors.supplier_catalog(business=request.business, supplier=order.supplier):
        if item.product_id not in taken:
            rows.append(
                {
                    "product": item.product,
                    "supplier_sku": item.supplier_sku,
                    "quantity": None,
                    "cost": item.cost,
                    "min_order": item.min_order_quantity,
                    "on_order": False,
                }
            )
    return rows


def _detail_context(request, order: PurchaseOrder, **extra) -> dict:
    lines = list(selectors.po_lines(order=order))
    context = {
        "order": order,
        "lines": lines,
        "receipts": list(selectors.po_receipts(order=order)),
        "events": list(selectors.po_events(order=order)),
        "statuses": POStatus,
        "can_receive": order.status in services.OPEN,
        "can_close": order.status in (*services.OPEN, POStatus.RECEIVED),
        "can_cancel": order.status in (POStatus.DRAFT, POStatus.SENT),
        "ordered_total": sum((x.quantity for x in lines), 0),
        "received_total": sum((x.received_quantity for x in lines), 0),
    }
    if request.can_edit and order.status == POStatus.DRAFT:
        context["editor_rows"] = _editor_rows(request, order, lines)
        context["header_form"] = extra.pop("header_form", None) or POForm(
            initial={
                "location": str(order.location_id),
                "expected_on": order.expected_on,
                "note": order.note,
            },
            locations=list(_locations(request)),
            with_supplier=False,
        )
    if request.can_edit and order.status in (POStatus.DRAFT, *services.OPEN):
        context["send_form"] = extra.pop("send_form", None) or SendForm(
            initial={"email": order.sent_to or order.supplier.email, "notify": True}
        )
    return context | extra


@member_required(Module.PURCHASING)
def po_detail(request, pk):
    order = _order_or_404(request, pk)
    return render(request, "purchasing/po_detail.html", _detail_context(request, order))


@require_POST
@member_required(Module.PURCHASING)
def po_update(request, pk):
    """Save a draft's header (delivery location, expected date, note)."""
    order = _order_or_404(request, pk)
    form = POForm(request.POST, locations=list(_locations(request)), with_supplier=False)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.purchase_order_update(
                order=order,
                actor=request.user,
                data={
                    "location": _location(request, data["location"]),
                    "expected_on": data.get("expected_on"),
                    "note": data.get("note", ""),
                },
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The order was saved."))
            return redirect("po_detail", pk=order.pk)
    context = _detail_context(request, order, header_form=form)
    return render(request, "purchasing/po_detail.html", context, status=400)


@require_POST
@member_required(Module.PURCHASING)
def po_lines_save(request, pk):
    """Save a draft's lines: every row with a quantity above zero is a line."""
    from hanout.catalog.models import Product

    order = _order_or_404(request, pk)
    ids = [key[4:] for key in request.POST if key.startswith("qty_")]
    products = {}
    for product in Product.objects.for_business(request.business).filter(
        pk__in=[i for i in ids if _is_uuid(i)]
    ):
        products[str(product.pk)] = product
    lines, errors = [], []
    for pid in ids:
        raw = request.POST.get(f"qty_{pid}", "").strip().replace(",", ".")
        if not raw or raw in ("0", "0.0", "0.000"):
            continue
        product = products.get(pid)
        if product is None:
            raise Http404
        cost = request.POST.get(f"cost_{pid}", "").strip().replace(",", ".") or None
        lines.append(services.POLineInput(product=product, quantity=raw, unit_cost=cost))
    try:
        services.purchase_order_set_lines(order=order, actor=request.user, lines=lines)
    except DomainError as exc:
        errors = [exc.message]
        if any(k.startswith("lines[") for k in exc.fields):
            key = next(iter(exc.fields))
            index = int(key[6 : key.index("]")])
            if index < len(lines):
                errors = [f"{lines[index].product.name}: {exc.fields[key][0]}"]
        for message in errors:
            messages.error(request, message)
        context = _detail_context(request, order, posted=request.POST)
        return render(request, "purchasing/po_detail.html", context, status=exc.status)
    messages.success(
        request,
        _("%(n)d lines saved.") % {"n": len(lines)} if lines else _("The order has no lines now."),
    )
    return redirect("po_detail", pk=order.pk)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@require_POST
@member_required(Module.PURCHASING)
def po_send(request, pk):
    order = _order_or_404(request, pk)
    form = SendForm(request.POST)
    if form.is_valid():
        notify = form.cleaned_data["notify"]
        try:
            order = services.purchase_order_send(
                order=order,
                actor=request.user,
                email=form.cleaned_data.get("email") or None,
                notify=notify,
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            if notify:
                messages.success(
                    request,
                    _("%(ref)s was emailed to %(email)s.")
                    % {"ref": order.reference, "email": order.sent_to},
                )
            else:
                messages.success(request, _("%(ref)s is marked sent.") % {"ref": order.reference})
            return redirect("po_detail", pk=order.pk)
    context = _detail_context(request, order, send_form=form, show_send=True)
    return render(request, "purchasing/po_detail.html", context, status=400)


@require_POST
@member_required(Module.PURCHASING)
def po_close(request, pk):
    order = _order_or_404(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        services_receipts.purchase_order_close(order=order, actor=request.user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(ref)s is closed.") % {"ref": order.reference})
    return redirect("po_detail", pk=order.pk)


@require_POST
@member_required(Module.PURCHASING)
def po_cancel(request, pk):
    order = _order_or_404(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        services_receipts.purchase_order_cancel(order=order, actor=request.user, note=note)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(ref)s was cancelled.") % {"ref": order.reference})
    return redirect("po_detail", pk=order.pk)


@member_required(Module.PURCHASING)
def po_pdf(request, pk):
    order = _order_or_404(request, pk)
    response = HttpResponse(pdf.purchase_order_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.pdf_filename(order)}"'
    return response


# --- receiving -----------------------------------------------------------------------------------


@member_required(Module.PURCHASING)
def po_receive(request, pk):
    """One delivery: how much of each line came (the remaining quantity is proposed)."""
    order = _order_or_404(request, pk)
    if order.status not in services.OPEN:
        messages.error(request, _("This purchase order cannot receive goods now."))
        return redirect("po_detail", pk=order.pk)
    if request.method == "POST" and not request.can_edit:
        raise Http404
    lines = list(selectors.po_lines(order=order))
    locations = list(_locations(request))
    form = ReceiveForm(
        request.POST or None, initial={"location": str(order.location_id)}, locations=locations
    )
    status = 200
    line_errors: dict[str, str] = {}
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            wanted = []
            for line in lines:
                raw = request.POST.get(f"qty_{line.pk}", "").strip().replace(",", ".")
                wanted.append({"line": line.pk, "quantity": raw or "0"})
            try:
                services_receipts.purchase_order_receive(
                    order=order,
                    actor=request.user,
                    lines=wanted,
                    location=_location(request, data["location"]),
                    delivery_note=data.get("delivery_note", ""),
                    over_receipt_reason=data.get("over_receipt_reason", ""),
                    received_at=data.get("received_at"),
                    client_uuid=_client_uuid(request.POST.get("client_uuid")),
                )
            except DomainError as exc:
                status = exc.status
                for key, msgs in exc.fields.items():
                    if key.startswith("lines["):
                        index = int(key[6 : key.index("]")])
                        if index < len(lines):
                            line_errors[str(lines[index].pk)] = msgs[0]
                rest = {k: v for k, v in exc.fields.items() if not k.startswith("lines[")}
                if rest or not line_errors:
                    exc.fields = rest
                    apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The delivery was received into %(place)s.")
                    % {"place": _location(request, data["location"]).name},
                )
                return redirect("po_detail", pk=order.pk)
    rows = [
        {
            "line": line,
            "value": request.POST.get(f"qty_{line.pk}")
            if request.method == "POST"
            else _plain(line.remaining),
            "error": line_errors.get(str(line.pk)),
        }
        for line in lines
    ]
    import uuid

    return render(
        request,
        "purchasing/po_receive.html",
        {
            "order": order,
            "form": form,
            "rows": rows,
            "client_uuid": request.POST.get("client_uuid") or uuid.uuid4(),
        },
        status=status,
    )


def _plain(value) -> str:
    from hanout.inventory.ledger import qty_text

    return qty_text(value)


def _client_uuid(value):
    import uuid

    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None
