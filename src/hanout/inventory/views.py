"""Stock pages: levels, the ledger, receipts/adjustments/write-offs, transfers,
locations, low stock with restock suggestions, and valuation. Counts live in
views_counts.py.

Thin on purpose: each POST validates a form, calls one inventory service and
shows the service's DomainError beside the field it names. Every object is
looked up through a selector scoped to request.business, so another business's
id is a 404. Lists are keyset-paginated (no COUNT over the whole table) and
their query count does not grow with their rows.
"""

from __future__ import annotations

import base64
import contextlib
import json
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hanout.core import clock
from hanout.core.errors import DomainError
from hanout.core.exports import attachment, csv_bytes
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.inventory import selectors, services
from hanout.inventory.forms import (
    AdjustmentForm,
    LocationForm,
    MovementFilterForm,
    ReceiptForm,
    RestockForm,
    StockLevelFilterForm,
    ThresholdForm,
    TransferForm,
    ValuationForm,
    WriteOffForm,
)
from hanout.inventory.models import Location, MovementReason, StockLevel

PAGE_SIZE = 50


# --- helpers ---------------------------------------------------------------------------------


def encode_cursor(values: list) -> str:
    raw = json.dumps([str(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str | None, size: int) -> list[str] | None:
    """The values of a keyset cursor, or None when it is missing or was tampered with."""
    if not token:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError):
        return None
    if (
        not isinstance(values, list)
        or len(values) != size
        or not all(isinstance(v, str) for v in values)
    ):
        return None
    return values


def keyset_page(queryset, *, after: list[str] | None, build_filter, cursor_of):
    """One page of `queryset` after the cursor; returns (rows, next cursor or None).

    One query of PAGE_SIZE + 1 rows (the extra row says whether there is a next page):
    no COUNT over the table, and page 1000 costs what page 1 costs.
    """
    size = PAGE_SIZE
    if after is not None:
        # A cursor that was tampered with starts from the first page.
        with contextlib.suppress(ValueError, TypeError, DjangoValidationError):
            queryset = queryset.filter(build_filter(after))
    rows = list(queryset[: size + 1])
    if len(rows) > size:
        rows = rows[:size]
        return rows, encode_cursor(cursor_of(rows[-1]))
    return rows, None


def query_without(request, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def product_url(pk) -> str | None:
    """The product's page (by the catalog pages), if it exists yet."""
    try:
        return reverse("product_detail", args=[pk])
    except NoReverseMatch:
        return None


def product_link_pattern() -> str | None:
    """A URL with a placeholder the template fills per row, so a list reverses once."""
    sample = "00000000-0000-0000-0000-000000000000"
    url = product_url(sample)
    return url.replace(sample, "__id__") if url else None


def _location_or_404(request, pk, *, active_only=False) -> Location:
    qs = selectors.location_list(business=request.business)
    if active_only:
        qs = qs.filter(is_active=True)
    location = qs.filter(pk=pk).first()
    if location is None:
        raise Http404
    return location


def _level_or_404(request, pk) -> StockLevel:
    try:
        return selectors.stock_level_get(business=request.business, pk=pk)
    except StockLevel.DoesNotExist as exc:
        raise Http404 from exc


def day_start(day) -> datetime:
    """Midnight at the start of `day` in the business's time zone (activated by middleware)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


# --- stock levels --------------------------------------------------------------------------


def _level_rows_context(request, form) -> dict:
    levels = selectors.stock_level_list(business=request.business, **form.filters()).order_by(
        "product__name", "id"
    )
    rows, next_cursor = keyset_page(
        levels,
        after=decode_cursor(request.GET.get("after"), 2),
        build_filter=lambda c: Q(product__name__gt=c[0]) | Q(product__name=c[0], id__gt=c[1]),
        cursor_of=lambda level: [level.product.name, level.pk],
    )
    return {
        "rows": rows,
        "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("after"),
        "query": query_without(request, "after"),
        "product_link": product_link_pattern(),
    }


@member_required(Module.STOCK)
def stock_levels(request):
    form = StockLevelFilterForm(request.GET or None, business=request.business)
    context = {"form": form, **_level_rows_context(request, form)}
    if request.htmx and request.htmx.target == "level-rows":
        return render(request, "inventory/stock_levels.html#rows", context)
    return render(request, "inventory/stock_levels.html", context)


@member_required(Module.STOCK)
def stock_level_thresholds(request, pk):
    """Inline edit of a level's low-stock threshold and reorder quantity (htmx row swap)."""
    level = _level_or_404(request, pk)
    context = {"row": level, "product_link": product_link_pattern()}
    if request.method == "GET" and request.GET.get("cancel"):
        return render(request, "inventory/stock_levels.html#row", context)
    if not request.can_edit:
        raise Http404  # GET of the edit form by a reader: there is nothing to show
    status = 200
    if request.method == "POST":
        form = ThresholdForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                level = services.stock_level_set_thresholds(
                    business=request.business,
                    actor=request.user,
                    product=level.product,
                    location=level.location,
                    reorder_point=form.cleaned_data["reorder_point"],
                    reorder_quantity=form.cleaned_data["reorder_quantity"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                if not request.htmx:
                    messages.success(request, _("The thresholds were saved."))
                    return redirect("stock_levels")
                level = _level_or_404(request, pk)
                context["row"] = level
                return render(request, "inventory/stock_levels.html#row", context)
    else:
        form = ThresholdForm(
            initial={
                "reorder_point": level.reorder_point,
                "reorder_quantity": level.reorder_quantity,
            }
        )
    context["threshold_form"] = form
    if request.htmx:
        # htmx swaps only 2xx answers; the errors are beside the fields of the row it swaps in.
        return render(request, "inventory/_threshold_row.html", context)
    return render(request, "inventory/threshold_form.html", context, status=status)


# --- the ledger ----------------------------------------------------------------------------


def _movement_filters(form) -> dict:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {
        "product": data.get("product"),
        "location": data.get("location"),
        "reason": data.get("reason") or None,
        "since": day_start(data["since"]) if data.get("since") else None,
        # The whole end day, read in the business's time zone.
        "until": day_start(data["until"] + timedelta(days=1)) if data.get("until") else None,
    }


def _parse_when(value: str):
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        raise ValueError(value)
    return moment


@member_required(Module.STOCK)
def stock_movements(request):
    form = MovementFilterForm(request.GET or None, business=request.business)
    movements = (
        selectors.movement_list(business=request.business, **_movement_filters(form))
        .select_related("product", "location", "actor")
        .order_by("-created_at", "-id")
    )
    rows, next_cursor = keyset_page(
        movements,
        after=decode_cursor(request.GET.get("after"), 2),
        build_filter=lambda c: (
            Q(created_at__lt=_parse_when(c[0])) | Q(created_at=_parse_when(c[0]), id__lt=c[1])
        ),
        cursor_of=lambda m: [m.created_at.isoformat(), m.pk],
    )
    context = {
        "form": form,
        "rows": rows,
        "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("after"),
        "query": query_without(request, "after"),
        "product_link": product_link_pattern(),
        "reasons": MovementReason,
    }
    if request.htmx and request.htmx.target == "movement-rows":
        return render(request, "inventory/stock_movements.html#rows", context)
    return render(request, "inventory/stock_movements.html", context)


MOVEMENT_FORMS = {
    "receipt": (ReceiptForm, _("Receive stock")),
    "adjustment": (AdjustmentForm, _("Adjust stock")),
    "write_off": (WriteOffForm, _("Write off stock")),
}


def _initial_from_query(request) -> dict:
    initial = {}
    if request.GET.get("product"):
        initial["product"] = request.GET["product"][:64]
    if request.GET.get("location"):
        initial["location"] = request.GET["location"][:64]
    return initial


def _post_movement(request, kind: str, data: dict):
    common = {
        "business": request.business,
        "actor": request.user,
        "product": data["product"],
        "location": data["location"],
        "client_uuid": data["client_uuid"],
    }
    if kind == "receipt":
        return services.stock_receive(
            **common,
            quantity=data["quantity"],
            unit_cost=data["unit_cost"],
            reference=data["reference"],
            note=data["note"],
        )
    if kind == "adjustment":
        if data.get("new_quantity") is not None:
            return services.stock_adjust(
                **common, new_quantity=data["new_quantity"], note=data["note"]
            )
        return services.stock_adjust(**common, quantity=data["quantity"], note=data["note"])
    return services.stock_write_off(**common, quantity=data["quantity"], note=data["note"])


def _movement_form_page(request, kind: str):
    form_class, title = MOVEMENT_FORMS[kind]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, business=request.business)
        status = 400
        if form.is_valid():
            try:
                movement = _post_movement(request, kind, form.cleaned_data)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                product = form.cleaned_data["product"]
                messages.success(
                    request,
                    _("Posted: %(reason)s of %(product)s.")
                    % {"reason": MovementReason(movement.reason).label, "product": product.name},
                )
                return redirect(f"{reverse('stock_movements')}?product={product.pk}")
    else:
        form = form_class(business=request.business, initial=_initial_from_query(request))
    return render(
        request,
        "inventory/movement_form.html",
        {"form": form, "title": title, "kind": kind},
        status=status,
    )


@member_required(Module.STOCK, level=Level.FULL)
def stock_receive(request):
    return _movement_form_page(request, "receipt")


@member_required(Module.STOCK, level=Level.FULL)
def stock_adjust(request):
    return _movement_form_page(request, "adjustment")


@member_required(Module.STOCK, level=Level.FULL)
def stock_write_off(request):
    return _movement_form_page(request, "write_off")


# --- transfers -----------------------------------------------------------------------------


@member_required(Module.STOCK, level=Level.FULL)
def stock_transfer(request):
    status = 200
    if request.method == "POST":
        form = TransferForm(request.POST, business=request.business)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.stock_transfer(
                    business=request.business,
                    actor=request.user,
                    product=data["product"],
                    from_location=data["from_location"],
                    to_location=data["to_location"],
                    quantity=data["quantity"],
                    note=data["note"],
                    client_uuid=data["client_uuid"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Moved %(product)s from %(source)s to %(target)s.")
                    % {
                        "product": data["product"].name,
                        "source": data["from_location"].name,
                        "target": data["to_location"].name,
                    },
                )
                return redirect(f"{reverse('stock_movements')}?product={data['product'].pk}")
    else:
        initial = _initial_from_query(request)
        if "location" in initial:
            initial["from_location"] = initial.pop("location")
        form = TransferForm(business=request.business, initial=initial)
    return render(request, "inventory/stock_transfer.html", {"form": form}, status=status)


# --- locations -----------------------------------------------------------------------------


@member_required(Module.STOCK)
def location_list(request):
    form = None
    status = 200
    if request.can_edit:
        form = LocationForm(request.POST or None, business=request.business)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                location = services.location_create(
                    business=request.business,
                    actor=request.user,
                    shop=data["shop"],
                    name=data["name"],
                    kind=data["kind"],
                    is_default=data["is_default"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("The location %(name)s was added.") % {"name": location.name}
                )
                return redirect("location_list")
    locations = list(selectors.location_list(business=request.business).select_related("shop"))
    shops: dict = {}
    for location in locations:
        shops.setdefault(location.shop, []).append(location)
    return render(
        request,
        "inventory/location_list.html",
        {"form": form, "shops": shops.items()},
        status=status,
    )


@member_required(Module.STOCK, level=Level.FULL)
def location_edit(request, pk):
    location = _location_or_404(request, pk)
    initial = {
        "name": location.name,
        "kind": location.kind,
        "is_default": location.is_default,
        "is_active": location.is_active,
    }
    form = LocationForm(
        request.POST or None, business=request.business, editing=True, initial=initial
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
            try:
                if data:
                    services.location_update(location=location, actor=request.user, data=data)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("The location %(name)s was saved.") % {"name": form.cleaned_data["name"]},
                )
                return redirect("location_list")
    return render(
        request, "inventory/location_form.html", {"form": form, "location": location}, status=status
    )


# --- low stock and restock suggestions -------------------------------------------------------

LOW_LIMIT = 200


@member_required(Module.STOCK)
def stock_low(request):
    form = RestockForm(request.GET or None)
    days = form.days_value()
    low = list(selectors.low_stock_list(business=request.business)[: LOW_LIMIT + 1])
    suggestions = selectors.restock_suggestions(business=request.business, days=days)
    groups = selectors.restock_groups(suggestions)
    for group in groups:
        group.total = sum(
            (line.quantity * (line.unit_cost or 0) for line in group.lines), Decimal(0)
        )
    return render(
        request,
        "inventory/stock_low.html",
        {
            "form": form,
            "days": days,
            "low": low[:LOW_LIMIT],
            "low_more": len(low) > LOW_LIMIT,
            "groups": groups,
            "product_link": product_link_pattern(),
        },
    )


# --- valuation -------------------------------------------------------------------------------


def _valuation(request):
    form = ValuationForm(request.GET or None, initial={"group_by": "location"})
    data = form.cleaned_data if form.is_valid() else {}
    day = data.get("at")
    # The end of the chosen day in the business's time zone (the selector counts up to `at`).
    at = day_start(day + timedelta(days=1)) - timedelta(microseconds=1) if day else clock.now()
    group_by = data.get("group_by") or "location"
    result = selectors.valuation(business=request.business, at=at, group_by=group_by)
    return form, result, day


@member_required(Module.STOCK)
def stock_valuation(request):
    from hanout.reports import tables
    from hanout.reports.selectors_tables import valuation_table

    fmt = request.GET.get("format")
    if fmt == "csv":
        return _valuation_csv(request)
    form, result, day = _valuation(request)
    table = valuation_table(result, business=request.business, day=day)
    if fmt in ("xlsx", "pdf"):
        return tables.download(table, fmt)
    return render(
        request,
        "inventory/stock_valuation.html",
        {
            "form": form,
            "result": result,
            "chart": table.chart,
            "day": day,
            "csv_query": query_without(request, "format"),
        },
    )


@member_required(Module.STOCK)
def stock_valuation_csv(request):
    return _valuation_csv(request)


def _valuation_csv(request) -> HttpResponse:
    _form, result, _day = _valuation(request)
    return valuation_csv(result)


def valuation_csv(result, *, bom: bool = True) -> HttpResponse:
    """The valuation as a CSV download (the page's with a BOM; the API's without):
    a row per location or category, then the total."""
    header = [
        _("Location") if result.group_by == "location" else _("Category"),
        _("Products"),
        _("Quantity"),
        _("Value (%(currency)s)") % {"currency": result.currency},
    ]
    rows = [[row.label, row.products, row.quantity, row.value] for row in result.rows]
    rows.append([_("Total"), "", result.total_quantity, result.total])
    stamp = timezone.localtime(result.at).strftime("%Y-%m-%d")
    return attachment(
        csv_bytes(header, rows, bom=bom),
        fmt="csv",
        name=f"stock-valuation-{result.group_by}-{stamp}",
    )


@member_required(Module.SETTINGS, Level.FULL)
def stock_settings(request):
    """The business-wide stock rule (Settings page card): may a sale take stock below zero?"""
    if request.method != "POST":
        return redirect("settings_business")
    allow = request.POST.get("allow_negative_stock") == "on"
    try:
        services.business_set_allow_negative_stock(
            business=request.business, actor=request.user, allow=allow
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Stock settings saved."))
    return redirect("settings_business")
