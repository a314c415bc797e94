"""The lines of a customer return: what the customer brings back, checked and priced.

Parsing the lines a caller gives (a line of the order or of the ticket, a
quantity with at most 3 decimals, restock or write-off), locking the source
lines, and pricing each one against what can still come back: a part of a
line is its share of the line's total, rounded once; the last units take
whatever is left of the line's total after every earlier return (register and
back office), so a line returned in pieces adds up to exactly what was paid.

Split from `hanout.sales.services_returns` (the `return_record` transaction:
stock, refund, credit note), which imports from here and re-exports
`ReturnLineInput`, `MAX_LINES` and `QTY_STEP` for its callers. Nothing here
imports the return services, so there is no import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils.translation import gettext as _

from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.money import quantize
from hanout.core.tax import tax_inside
from hanout.sales.models import CustomerOrder, OrderLine, ReturnDisposition, ReturnLine

ZERO = Decimal(0)
QTY_STEP = Decimal("0.001")
MAX_LINES = 500


@dataclass(frozen=True)
class ReturnLineInput:
    """One line to take back: a line of the order or the ticket (object or id), how
    many, and where the goods go ("restock" or "write_off")."""

    line: object
    quantity: object
    disposition: str = ReturnDisposition.RESTOCK


def _bad(field: str, message: str, *, code: str | None = None) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", code=code, fields={field: [message]})


def _key(value) -> str:
    return str(getattr(value, "pk", value) or "").strip()


def _quantity(value, field: str) -> Decimal:
    try:
        qty = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        qty = None
    if qty is None or not qty.is_finite() or qty <= 0 or qty != qty.quantize(QTY_STEP):
        raise _bad(field, _("Enter a quantity above zero (3 decimals at most)."))
    if qty >= Decimal(10) ** 11:
        raise _bad(field, _("This number is too large."))
    return qty.quantize(QTY_STEP)


@dataclass
class _Wanted:
    index: int
    line_id: str
    quantity: Decimal
    disposition: str


def _parse_lines(lines) -> list[_Wanted]:
    if not lines:
        raise _bad("lines", _("Choose at least one line to take back."))
    if len(lines) > MAX_LINES:
        raise _bad("lines", _("A return has at most %(n)s lines.") % {"n": MAX_LINES})
    out: list[_Wanted] = []
    seen: dict[tuple[str, str], _Wanted] = {}
    for i, item in enumerate(lines):
        if isinstance(item, dict):
            item = ReturnLineInput(
                line=item.get("line"),
                quantity=item.get("quantity"),
                disposition=item.get("disposition") or ReturnDisposition.RESTOCK,
            )
        elif isinstance(item, tuple | list):
            item = ReturnLineInput(*item)
        field = f"lines[{i}]"
        line_id = _key(item.line)
        if not line_id:
            raise _bad(f"{field}.line", _("Choose a line."))
        qty = _quantity(item.quantity, f"{field}.quantity")
        if item.disposition not in ReturnDisposition.values:
            raise _bad(f"{field}.disposition", _("Choose: back to stock, or written off."))
        # The same line twice with the same disposition is one line of the return.
        same = seen.get((line_id, item.disposition))
        if same is not None:
            same.quantity += qty
            continue
        wanted = _Wanted(i, line_id, qty, str(item.disposition))
        seen[(line_id, item.disposition)] = wanted
        out.append(wanted)
    return out


@dataclass
class _Priced:
    wanted: _Wanted
    source_line: object
    product: object
    name: str
    sku: str
    unit_price: Decimal
    tax_rate: Decimal
    total: Decimal
    tax_amount: Decimal


def _locked_order_lines(business, order) -> dict[str, OrderLine]:
    # FOR NO KEY UPDATE, like the order services: rows that merely reference the order
    # (a status change, an invoice) may still be inserted meanwhile.
    CustomerOrder.objects.select_for_update(no_key=True).filter(
        business=business, pk=order.pk
    ).values_list("pk", flat=True).get()
    return {
        str(line.pk): line
        for line in OrderLine.objects.select_for_update(no_key=True, of=("self",))
        .select_related("product")
        .filter(business=business, order=order)
        .order_by("pk")
    }


def _locked_sale_lines(business, sale) -> dict:
    from hanout.pos.models import SaleLine

    return {
        str(line.pk): line
        for line in SaleLine.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(business=business, sale=sale)
        .order_by("pk")
    }


def _returned_before(*, order, sale, line_ids) -> dict[str, Decimal]:
    """The amounts earlier returns already gave back per line (positive)."""
    done: dict[str, Decimal] = {}
    field = "order_line_id" if order is not None else "sale_line_id"
    for row in (
        ReturnLine.objects.filter(**{f"{field}__in": line_ids})
        .values(field)
        .annotate(total=Sum("total"))
    ):
        done[str(row[field])] = Decimal(str(row["total"] or 0))
    if sale is not None:  # the register's own returns: negative lines pointing at the original
        from hanout.pos.models import SaleLine

        for row in (
            SaleLine.objects.filter(original_line_id__in=line_ids)
            .values("original_line_id")
            .annotate(total=Sum("total"))
        ):
            key = str(row["original_line_id"])
            done[key] = done.get(key, ZERO) - Decimal(str(row["total"] or 0))
    return done


def _price(*, business, order, sale, wanted, locked) -> list[_Priced]:
    """Check every wanted line against what can still come back; price it."""
    currency = business.currency
    done = _returned_before(order=order, sale=sale, line_ids=list(locked))
    errors: dict[str, list[str]] = {}
    priced: list[_Priced] = []
    for w in wanted:
        field = f"lines[{w.index}]"
        line = locked.get(w.line_id)
        if line is None:
            message = (
                _("This line is not on the order.")
                if order is not None
                else _("This line is not on the ticket.")
            )
            raise NotFound(message, fields={f"{field}.line": [_("Not found.")]})
        if line.product_id is None:
            errors.setdefault(f"{field}.line", []).append(
                _("A cash withdrawal cannot be returned.")
            )
            continue
        if order is not None:
            can = line.shipped_quantity - line.returned_quantity
        else:
            can = line.quantity - line.returned_quantity
        can -= sum((p.wanted.quantity for p in priced if p.wanted.line_id == w.line_id), ZERO)
        if w.quantity > can:
            errors.setdefault(f"{field}.quantity", []).append(
                _("Only %(left)s of “%(name)s” can still be returned.")
                % {"left": format(max(can, ZERO).normalize(), "f"), "name": line.name}
            )
            continue
        taken = line.returned_quantity + sum(
            (p.wanted.quantity for p in priced if p.wanted.line_id == w.line_id), ZERO
        )
        if taken + w.quantity == line.quantity:
            # The last of the line: whatever is left of what was paid for it.
            already = done.get(w.line_id, ZERO) + sum(
                (p.total for p in priced if p.wanted.line_id == w.line_id), ZERO
            )
            total = quantize(max(line.total - already, ZERO), currency)
        else:
            total = quantize(line.total * w.quantity / line.quantity, currency)
        priced.append(
            _Priced(
                wanted=w,
                source_line=line,
                product=line.product,
                name=line.name,
                sku=getattr(line, "sku", "") or "",
                unit_price=line.unit_price,
                tax_rate=line.tax_rate,
                total=total,
                tax_amount=tax_inside(total, line.tax_rate, currency),
            )
        )
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, code="return_too_much", fields=errors)
    return priced
