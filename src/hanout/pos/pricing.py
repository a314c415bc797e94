"""Pricing a basket on the server: the register says what and how many, never the price.

`price_basket` reads the current sale price and tax rate of every product from
the catalog (one query for products given by id, two more for products given by
barcode or article number) and returns the lines as they will be written:
name, SKU, unit price and tax rate copied at this moment, line total tax
included, and the tax inside it.

Prices are tax inclusive (what the shelf label says), so the tax of a line is
`total × rate / (100 + rate)`, rounded half-up to the currency's minor unit.
Cash-withdrawal lines (cashback) carry an amount, no product and no tax: they
are part of what the customer pays, not revenue.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from hanout.catalog.models import Barcode, Product
from hanout.core.errors import NotFound, PermissionDenied, ValidationFailed
from hanout.core.money import quantize
from hanout.core.tax import tax_inside  # noqa: F401 (re-exported: the register's tax rule)
from hanout.inventory.ledger import parse_quantity
from hanout.pos.models import LineKind

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# A single line or amount above this is a typing mistake, not a sale.
AMOUNT_LIMIT = Decimal(10) ** 9
MAX_LINES = 500


@dataclass(frozen=True)
class LineInput:
    """What a register sends for one line: a product (or its code) and a quantity,
    or a cash withdrawal and its amount. Never a price."""

    product: Product | uuid.UUID | str | None = None
    code: str = ""
    quantity: Decimal | str | int = 1
    discount: Decimal | str | int = 0
    kind: str = LineKind.PRODUCT
    amount: Decimal | str | int | None = None


@dataclass(frozen=True)
class PricedLine:
    kind: str
    product: Product | None
    name: str
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    total: Decimal
    tax_amount: Decimal


@dataclass(frozen=True)
class PricedBasket:
    lines: list[PricedLine]
    total: Decimal  # what the customer pays, withdrawals included
    revenue: Decimal  # total − withdrawals
    tax_total: Decimal
    discount_total: Decimal
    withdrawal_total: Decimal
    taxes: list[tuple[Decimal, Decimal, Decimal]]  # (rate, base without tax, tax), by rate


def parse_amount(value, *, field: str, currency: str, allow_zero: bool = True) -> Decimal:
    """A non-negative amount, rounded to the currency's minor unit."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        msg = _("Enter an amount.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    if amount < 0:
        msg = _("An amount cannot be negative.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    if amount >= AMOUNT_LIMIT:
        msg = _("This amount is too large.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    amount = quantize(amount, currency)
    if amount == 0 and not allow_zero:
        msg = _("Enter an amount above zero.")
        raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
    return amount


def normalize_code(code) -> str:
    return "".join(str(code or "").split())[:64]


def _product_key(value):
    """The product's id from a Product or an id; None when it is not an id at all."""
    if isinstance(value, Product):
        return value.pk
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def _load_products(business, lines: list[LineInput]) -> tuple[dict, dict]:
    """Products by id and by code, in at most three queries for the whole basket."""
    ids = {
        key
        for line in lines
        if line.kind == LineKind.PRODUCT and line.product is not None
        for key in [_product_key(line.product)]
        if key is not None
    }
    codes = {
        normalize_code(line.code)
        for line in lines
        if line.kind == LineKind.PRODUCT and line.product is None and normalize_code(line.code)
    }
    by_code: dict[str, object] = {}
    if codes:
        # Same rule as catalog.selectors.product_lookup: a barcode first, else the SKU.
        by_code = dict(
            Barcode.objects.filter(business=business, code__in=codes).values_list(
                "code", "product_id"
            )
        )
        rest = codes - set(by_code)
        if rest:
            for sku, pk in (
                Product.objects.filter(business=business, sku__in=rest)
                .exclude(sku="")
                .values_list("sku", "id")
            ):
                by_code.setdefault(sku, pk)
        ids |= set(by_code.values())
    products = {}
    if ids:
        try:
            products = {
                p.pk: p
                for p in Product.objects.filter(business=business, pk__in=ids).only(
                    "id",
                    "business_id",
                    "name",
                    "sku",
                    "unit",
                    "sale_price",
                    "tax_rate",
                    "is_active",
                )
            }
        except DjangoValidationError:  # pragma: no cover (ids are parsed above)
            products = {}
    return products, by_code


def price_basket(*, business, lines: list[LineInput], allow_discount: bool) -> PricedBasket:
    """Price the basket from the catalog; raise on the first bad line, naming it.

    Field names point at the line: "lines[1].code", "lines[0].quantity". An unknown
    product (or one of another business) is NotFound; a discount without the
    right to give one is PermissionDenied; everything else is ValidationFailed.
    """
    currency = business.currency
    if not lines:
        msg = _("The basket is empty: add at least one line.")
        raise ValidationFailed(msg, fields={"lines": [msg]})
    if len(lines) > MAX_LINES:
        msg = _("A ticket holds at most %(n)s lines.") % {"n": MAX_LINES}
        raise ValidationFailed(msg, fields={"lines": [msg]})
    products, by_code = _load_products(business, lines)

    priced: list[PricedLine] = []
    for i, line in enumerate(lines):
        prefix = f"lines[{i}]."
        if line.kind == LineKind.WITHDRAWAL:
            amount = parse_amount(
                line.amount, field=f"{prefix}amount", currency=currency, allow_zero=False
            )
            priced.append(
                PricedLine(
                    kind=LineKind.WITHDRAWAL,
                    product=None,
                    name=_("Cash withdrawal"),
                    sku="",
                    quantity=Decimal("1.000"),
                    unit_price=amount,
                    discount=quantize(ZERO, currency),
                    tax_rate=Decimal("0.00"),
                    total=amount,
                    tax_amount=quantize(ZERO, currency),
                )
            )
            continue
        if line.kind != LineKind.PRODUCT:
            msg = _("A line is a product or a cash withdrawal.")
            raise ValidationFailed(f"{prefix}kind: {msg}", fields={f"{prefix}kind": [msg]})
        if line.product is not None:
            field = f"{prefix}product"
            product = products.get(_product_key(line.product))
        else:
            field = f"{prefix}code"
            code = normalize_code(line.code)
            if not code:
                msg = _("Give a product or a code.")
                raise ValidationFailed(f"{field}: {msg}", fields={field: [msg]})
            product = products.get(by_code.get(code))
            if product is None:
                msg = _("No product has the code “%(code)s”.") % {"code": code}
                raise NotFound(msg, code="unknown_code", fields={field: [msg]})
        if product is None or product.business_id != business.pk:
            msg = _("This product was not found.")
            raise NotFound(msg, fields={field: [msg]})
        if not product.is_active:
            msg = _("“%(product)s” is no longer sold.") % {"product": product.name}
            raise ValidationFailed(msg, fields={field: [msg]})
        qty = parse_quantity(line.quantity, field=f"{prefix}quantity", product=product)
        if qty <= 0:
            msg = _("Enter a quantity above zero.")
            raise ValidationFailed(f"{prefix}quantity: {msg}", fields={f"{prefix}quantity": [msg]})
        unit_price = quantize(product.sale_price, currency)
        gross = quantize(qty * unit_price, currency)
        if gross >= AMOUNT_LIMIT:
            msg = _("This amount is too large.")
            raise ValidationFailed(f"{prefix}quantity: {msg}", fields={f"{prefix}quantity": [msg]})
        discount = parse_amount(line.discount or 0, field=f"{prefix}discount", currency=currency)
        if discount:
            if not allow_discount:
                msg = _("Only someone with full access to Sales may give a discount.")
                raise PermissionDenied(msg, fields={f"{prefix}discount": [msg]})
            if discount > gross:
                msg = _("The discount cannot be more than the line (%(gross)s).") % {"gross": gross}
                raise ValidationFailed(msg, fields={f"{prefix}discount": [msg]})
        total = gross - discount
        rate = Decimal(product.tax_rate).quantize(Decimal("0.01"))
        priced.append(
            PricedLine(
                kind=LineKind.PRODUCT,
                product=product,
                name=product.name,
                sku=product.sku,
                quantity=qty,
                unit_price=unit_price,
                discount=discount,
                tax_rate=rate,
                total=total,
                tax_amount=tax_inside(total, rate, currency),
            )
        )
    return summarize(priced, currency)


def summarize(lines: list[PricedLine], currency: str) -> PricedBasket:
    """Totals of priced lines (also used for returns, whose lines are negative)."""
    zero = quantize(ZERO, currency)
    total = sum((line.total for line in lines), zero)
    withdrawals = sum((line.total for line in lines if line.kind == LineKind.WITHDRAWAL), zero)
    by_rate: dict[Decimal, list[Decimal]] = defaultdict(lambda: [zero, zero])
    for line in lines:
        if line.kind == LineKind.PRODUCT:
            pair = by_rate[line.tax_rate]
            pair[0] += line.total - line.tax_amount
            pair[1] += line.tax_amount
    return PricedBasket(
        lines=lines,
        total=total,
        revenue=total - withdrawals,
        tax_total=sum((line.tax_amount for line in lines), zero),
        discount_total=sum((line.discount for line in lines), zero),
        withdrawal_total=withdrawals,
        taxes=[(rate, base, tax) for rate, (base, tax) in sorted(by_rate.items())],
    )
