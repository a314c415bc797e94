"""Stock counts: start a count for a location, fill the count sheet on a tablet
(scan or type a code, enter what is on the shelf, saved line by line), then
validate — the only moment the expected quantities and the differences are
shown, so counters are not swayed by what the system believes.

The sheet works without JavaScript (plain posts and redirects); with htmx the
"current line" panel and the list of counted lines are swapped in place.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.catalog import selectors as catalog
from hanout.catalog.models import Product
from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.inventory import selectors, services
from hanout.inventory.forms import CountLineForm, CountScanForm, CountStartForm
from hanout.inventory.models import CountStatus, StockCount
from hanout.inventory.views import PAGE_SIZE, product_link_pattern

# --- helpers ---------------------------------------------------------------------------------


def _count_or_404(request, pk) -> StockCount:
    count = selectors.stock_count_list(business=request.business).filter(pk=pk).first()
    if count is None:
        raise Http404
    return count


def _lines(count: StockCount) -> list:
    """The sheet's lines, most recently counted first (the one just scanned is on top)."""
    return list(count.lines.select_related("product").order_by("-updated_at", "-id"))


def _sheet_context(
    request, count, *, current=None, current_line=None, scan_form=None, line_form=None
):
    lines = _lines(count)
    return {
        "count": count,
        "lines": lines,
        "is_open": count.status == CountStatus.OPEN,
        "current": current,
        "current_line": current_line,
        "scan_form": scan_form or CountScanForm(business=request.business),
        "line_form": line_form,
        "product_link": product_link_pattern(),
    }


def _review_rows(request, count) -> list[dict]:
    """Each counted line with what the ledger says now and the difference to post."""
    lines = _lines(count)
    levels = {
        level.product_id: level.quantity
        for level in selectors.stock_level_list(
            business=request.business, location=count.location
        ).filter(product_id__in=[line.product_id for line in lines])
    }
    rows = []
    for line in sorted(lines, key=lambda ln: ln.product.name):
        expected = levels.get(line.product_id, Decimal(0))
        rows.append(
            {
                "line": line,
                "expected": expected,
                "counted": line.counted,
                "difference": line.counted - expected,
            }
        )
    return rows


# --- list and start --------------------------------------------------------------------------


@member_required(Module.STOCK)
def stock_count_list(request):
    form = None
    status = 200
    if request.can_edit:
        form = CountStartForm(request.POST or None, business=request.business)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                count = services.stock_count_start(
                    location=form.cleaned_data["location"], actor=request.user
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                return redirect("stock_count_detail", pk=count.pk)
    counts = list(
        selectors.stock_count_list(business=request.business)
        .select_related("location", "location__shop", "started_by", "validated_by")
        .order_by("-created_at", "-id")[:PAGE_SIZE]
    )
    return render(
        request, "inventory/stock_count_list.html", {"form": form, "counts": counts}, status=status
    )


# --- the count sheet ---------------------------------------------------------------------------


@member_required(Module.STOCK)
def stock_count_detail(request, pk):
    count = _count_or_404(request, pk)
    context = _sheet_context(request, count)
    if count.status == CountStatus.VALIDATED:
        context["result"] = [
            {
                "line": line,
                "expected": line.expected,
                "counted": line.counted,
                "difference": (line.counted - line.expected) if line.expected is not None else None,
            }
            for line in sorted(context["lines"], key=lambda ln: ln.product.name)
        ]
    return render(request, "inventory/stock_count_detail.html", context)


def _sheet_response(request, count, *, status=200, **kwargs):
    context = _sheet_context(request, count, **kwargs)
    if request.htmx:
        # htmx swaps only 2xx answers; the error is in the panel it swaps in.
        return render(request, "inventory/stock_count_detail.html#panel", context)
    return render(request, "inventory/stock_count_detail.html", context, status=status)


@require_POST
@member_required(Module.STOCK)
def stock_count_scan(request, pk):
    """A scanned or typed code: show that product's line, ready for its counted quantity."""
    count = _count_or_404(request, pk)
    if count.status != CountStatus.OPEN:
        return redirect("stock_count_detail", pk=count.pk)
    form = CountScanForm(request.POST, business=request.business)
    if not form.is_valid():
        return _sheet_response(request, count, scan_form=form, status=400)
    product = form.cleaned_data["product"]
    line = count.lines.filter(product=product).first()
    line_form = CountLineForm(
        initial={"product": product.pk, "counted": line.counted if line else None}
    )
    return _sheet_response(request, count, current=product, current_line=line, line_form=line_form)


@require_POST
@member_required(Module.STOCK)
def stock_count_line(request, pk):
    """Save one line's counted quantity."""
    count = _count_or_404(request, pk)
    if count.status != CountStatus.OPEN:
        return redirect("stock_count_detail", pk=count.pk)
    form = CountLineForm(request.POST)
    product = _product_or_404(request, request.POST.get("product", ""))
    if not form.is_valid():
        return _sheet_response(request, count, current=product, line_form=form, status=400)
    try:
        line = services.stock_count_set_line(
            count=count, actor=request.user, product=product, counted=form.cleaned_data["counted"]
        )
    except DomainError as exc:
        apply_domain_error(form, exc)
        return _sheet_response(request, count, current=product, line_form=form, status=exc.status)
    saved = _("Saved: %(product)s, %(counted)s counted.") % {
        "product": product.name,
        "counted": _plain(line.counted),
    }
    if not request.htmx:
        messages.success(request, saved)
        return redirect("stock_count_detail", pk=count.pk)
    context = _sheet_context(request, count)
    context["saved"] = saved
    context["saved_line"] = line
    return render(request, "inventory/stock_count_detail.html#panel_and_lines", context)


def _product_or_404(request, raw: str) -> Product:
    try:
        return catalog.product_get(business=request.business, pk=uuid.UUID(str(raw)))
    except (ValueError, Product.DoesNotExist) as exc:  # not an id, or not this business's
        raise Http404 from exc


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- review, validate, cancel -------------------------------------------------------------------


@member_required(Module.STOCK, level=Level.FULL)
def stock_count_review(request, pk):
    """What validating will post: expected (the ledger now), counted, difference."""
    count = _count_or_404(request, pk)
    if count.status != CountStatus.OPEN:
        return redirect("stock_count_detail", pk=count.pk)
    rows = _review_rows(request, count)
    context = {
        "count": count,
        "rows": rows,
        "changes": [r for r in rows if r["difference"] != 0],
    }
    template = (
        "inventory/stock_count_review.html#review"
        if request.htmx
        else "inventory/stock_count_review.html"
    )
    return render(request, template, context)


@require_POST
@member_required(Module.STOCK)
def stock_count_validate(request, pk):
    count = _count_or_404(request, pk)
    try:
        services.stock_count_validate(count=count, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stock_count_detail", pk=count.pk)
    messages.success(
        request, _("The count was validated; the differences were posted to the ledger.")
    )
    return redirect("stock_count_detail", pk=count.pk)


@require_POST
@member_required(Module.STOCK)
def stock_count_cancel(request, pk):
    count = _count_or_404(request, pk)
    try:
        services.stock_count_cancel(count=count, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("stock_count_detail", pk=count.pk)
    messages.success(request, _("The count was cancelled; nothing was posted."))
    return redirect("stock_count_list")
