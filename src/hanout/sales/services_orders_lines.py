"""The lines of a customer order: what was asked for, priced as it will be written.

Parsing the lines a caller gives (product or barcode/SKU, quantity, and a
price or discount only from someone allowed to set one), pricing them from the
catalog through the register's own basket rules (`pos.pricing.price_basket`),
the tax of each line (`core.tax.tax_inside`, rounded once per line) and
writing them with the order's totals.

Split from `hanout.sales.services_orders` (the order's life: create, edit,
confirm, ship, cancel), which imports from here and re-exports
`OrderLineInput` and `MAX_LINES` for its callers. Nothing here imports the
order services, so there is no import cycle.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from hanout.catalog.models import Product
from hanout.core.errors import PermissionDenied, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.core.tax import tax_inside
from hanout.pos.pricing import AMOUNT_LIMIT, LineInput, parse_amount, price_basket
from hanout.sales.models import CustomerOrder, OrderLine

ZERO = Decimal(0)
MAX_LINES = 500


@dataclass(frozen=True)
class OrderLineInput:
    """One line asked for: a product (or its barcode / SKU) and a quantity; a unit
    price (tax included) and a discount only from someone allowed to set prices."""

    product: Product | uuid.UUID | str | None = None
    code: str = ""
    quantity: Decimal | str | int = 1
    unit_price: Decimal | str | None = None
    discount: Decimal | str | int = 0


def _fail(field: str, message: str, cls=ValidationFailed, code: str | None = None):
    raise cls(message, code=code, fields={field: [message]})


def _priced_lines(*, business: Business, lines: list[OrderLineInput], allow_price: bool):
    """The lines as they will be written: catalog price unless one is given (and allowed)."""
    if not lines:
        _fail("lines", _("Add at least one line."))
    if len(lines) > MAX_LINES:
        _fail("lines", _("An order holds at most %(n)s lines.") % {"n": MAX_LINES})
    for i, line in enumerate(lines):
        given = line.unit_price not in (None, "") or (line.discount not in (None, "", 0, "0"))
        if given and not allow_price:
            _fail(
                f"lines[{i}].unit_price",
                _("Only an owner or a manager may set a price or a discount."),
                PermissionDenied,
            )
    # The catalog's rules (known product, sold, quantity) and its prices, in three queries.
    basket = price_basket(
        business=business,
        lines=[
            LineInput(product=line.product, code=line.code, quantity=line.quantity)
            for line in lines
        ],
        allow_discount=False,
    )
    currency = business.currency
    out = []
    for i, (line, priced) in enumerate(zip(lines, basket.lines, strict=True)):
        unit_price = priced.unit_price
        if line.unit_price not in (None, ""):
            unit_price = parse_amount(
                line.unit_price, field=f"lines[{i}].unit_price", currency=currency
            )
        gross = quantize(priced.quantity * unit_price, currency)
        if gross >= AMOUNT_LIMIT:
            _fail(f"lines[{i}].quantity", _("This amount is too large."))
        discount = parse_amount(line.discount or 0, field=f"lines[{i}].discount", currency=currency)
        if discount > gross:
            _fail(
                f"lines[{i}].discount",
                _("The discount cannot be more than the line (%(gross)s).") % {"gross": gross},
            )
        total = gross - discount
        out.append(
            {
                "product": priced.product,
                "name": priced.name,
                "sku": priced.sku,
                "quantity": priced.quantity,
                "unit_price": unit_price,
                "discount": discount,
                "tax_rate": priced.tax_rate,
                "total": total,
                "tax_amount": tax_inside(total, priced.tax_rate, currency),
            }
        )
    return out


def _write_lines(order: CustomerOrder, priced: list[dict]) -> None:
    currency = order.business.currency
    OrderLine.objects.bulk_create(
        [
            OrderLine(business_id=order.business_id, order=order, position=i, **row)
            for i, row in enumerate(priced)
        ]
    )
    order.total = quantize(sum((r["total"] for r in priced), ZERO), currency)
    order.tax_total = quantize(sum((r["tax_amount"] for r in priced), ZERO), currency)
    order.discount_total = quantize(sum((r["discount"] for r in priced), ZERO), currency)
