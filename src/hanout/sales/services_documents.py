"""What every sales document is made of, invoice or credit note: written once, never changed.

The shop a document belongs to, the shop-local year that numbers it, the
seller's and the buyer's details frozen on it, a sold line prorated when only
part of it is invoiced or credited, the write itself (gapless number, lines,
tax per rate, totals, audit row and event) and the `client_uuid` idempotency
every issuing call goes through.

Shared by `hanout.sales.services_invoices` (invoices from an order or a
ticket) and `hanout.sales.services_credit_notes` (credit notes). It lives
below both so that neither imports the other: `services_invoices` re-exports
the credit-note services for its callers without an import cycle.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hanout.core import audit, clock, events
from hanout.core.errors import Conflict, NotFound
from hanout.core.models import Business, Shop
from hanout.core.money import quantize
from hanout.core.sequences import next_number
from hanout.core.tax import tax_breakdown, tax_inside
from hanout.customers.models import Customer
from hanout.sales.models import Invoice, InvoiceKind, InvoiceLine

ZERO = Decimal(0)


@dataclass(frozen=True)
class _Line:
    """A line about to be written on a document (internal)."""

    product_id: object
    name: str
    sku: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    tax_rate: Decimal
    total: Decimal
    tax_amount: Decimal


def _shop_of(*, business: Business, order=None, sale=None, invoice=None, customer_return=None):
    """The shop a document belongs to (its time zone decides the year and the dates shown)."""
    if sale is not None:
        return sale.shop
    if order is not None:
        return order.location.shop
    if customer_return is not None:
        if customer_return.sale_id:
            return customer_return.sale.shop
        if customer_return.order_id:
            return customer_return.order.location.shop
    if invoice is not None:
        if invoice.sale_id:
            return invoice.sale.shop
        if invoice.order_id:
            return invoice.order.location.shop
    return Shop.objects.for_business(business).order_by("-is_active", "name", "id").first()


def local_year(moment: datetime, shop: Shop | None) -> int:
    """The year of `moment` in the shop's time zone (UTC when there is no shop)."""
    tz = shop.tz if shop is not None else zoneinfo.ZoneInfo("UTC")
    return moment.astimezone(tz).year


def seller_details(business: Business, shop: Shop | None) -> dict:
    """The seller block frozen on a document: the business's legal details as they are now."""
    return {
        "name": business.legal_name or business.name,
        "trade_name": business.name,
        "address": business.legal_address or (shop.address if shop else ""),
        "tax_id": business.tax_id,
        "registration_number": business.registration_number,
        "email": business.invoice_email,
        "phone": business.invoice_phone or (shop.phone if shop else ""),
        "footer": business.invoice_footer,
        "country": business.country,
        "shop": shop.name if shop else "",
        "shop_address": shop.address if shop else "",
        "time_zone": shop.time_zone if shop else "UTC",
    }


def buyer_details(customer: Customer | None, *, delivery_address: str = "") -> dict:
    """The buyer block frozen on a document (empty for an anonymous ticket)."""
    if customer is None:
        return {}
    out = {
        "id": str(customer.pk),
        "name": customer.name,
        "is_company": customer.is_company,
        "address": customer.address,
        "tax_id": customer.tax_id,
        "email": customer.email,
        "phone": customer.phone,
    }
    if delivery_address and delivery_address.strip() != customer.address.strip():
        out["delivery_address"] = delivery_address
    return out


def _prorated(line, *, quantity: Decimal, currency: str) -> _Line:
    """What is left of a sold line once some of it came back (or was never shipped).

    The whole line is copied as it is; a part keeps the unit price and takes
    its share of the discount, then the total and the tax are rounded once
    (the core.tax rule), like any other line.
    """
    if quantity == line.quantity:
        total, discount, tax = line.total, line.discount, line.tax_amount
    else:
        discount = quantize(line.discount * quantity / line.quantity, currency)
        total = quantize(line.unit_price * quantity - discount, currency)
        tax = tax_inside(total, line.tax_rate, currency)
    return _Line(
        product_id=line.product_id,
        name=line.name,
        sku=line.sku,
        quantity=quantity,
        unit_price=line.unit_price,
        discount=discount,
        tax_rate=line.tax_rate,
        total=total,
        tax_amount=tax,
    )


def _write(
    *,
    business: Business,
    kind: str,
    shop: Shop | None,
    actor,
    lines: list[_Line],
    customer: Customer | None,
    buyer: dict,
    order=None,
    sale=None,
    credited_invoice=None,
    customer_return=None,
    reason: str = "",
    client_uuid=None,
) -> Invoice:
    """Number and write one document with its lines; the caller holds the transaction."""
    # The legal details as they are in the database now, not as a caller's copy remembers them.
    business = Business.objects.get(pk=business.pk)
    currency = business.currency
    issued_at = clock.now()
    year = local_year(issued_at, shop)
    key = "credit_note" if kind == InvoiceKind.CREDIT_NOTE else "invoice"
    rows = tax_breakdown([(x.tax_rate, x.total, x.tax_amount) for x in lines], currency)
    total = quantize(sum((x.total for x in lines), ZERO), currency)
    tax_total = quantize(sum((x.tax_amount for x in lines), ZERO), currency)
    invoice = Invoice.objects.create(
        business=business,
        kind=kind,
        year=year,
        number=next_number(business=business, key=key, year=year),
        issued_at=issued_at,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        customer=customer,
        order=order,
        sale=sale,
        credited_invoice=credited_invoice,
        return_record=customer_return,
        language=business.default_language or "en",
        currency=currency,
        seller=seller_details(business, shop),
        buyer=buyer,
        taxes=[row.as_dict() for row in rows],
        total=total,
        tax_total=tax_total,
        net_total=total - tax_total,
        reason=reason,
        client_uuid=client_uuid,
    )
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                business=business,
                invoice=invoice,
                position=i,
                product_id=x.product_id,
                name=x.name,
                sku=x.sku,
                quantity=x.quantity,
                unit_price=x.unit_price,
                discount=x.discount,
                tax_rate=x.tax_rate,
                total=x.total,
                tax_amount=x.tax_amount,
            )
            for i, x in enumerate(lines, start=1)
        ]
    )
    action = "credit_note.issue" if kind == InvoiceKind.CREDIT_NOTE else "invoice.issue"
    audit.record(
        business=business,
        actor=actor,
        action=action,
        obj=invoice,
        changes={"total": [None, str(total)], "number": [None, invoice.reference]},
    )
    events.emit(
        "credit_note.issued" if kind == InvoiceKind.CREDIT_NOTE else "invoice.issued",
        business=business,
        payload={
            "invoice_id": str(invoice.pk),
            "kind": kind,
            "number": invoice.reference,
            "total": str(total),
            "currency": currency,
            "customer_id": str(customer.pk) if customer else None,
            "order_id": str(order.pk) if order else None,
            "sale_id": str(sale.pk) if sale else None,
            "credited_invoice_id": str(credited_invoice.pk) if credited_invoice else None,
            "return_id": str(customer_return.pk) if customer_return else None,
        },
    )
    return invoice


def _by_client_uuid(business: Business, client_uuid) -> Invoice | None:
    if client_uuid is None:
        return None
    return Invoice.objects.for_business(business).filter(client_uuid=client_uuid).first()


def _uuid_reused() -> Conflict:
    return Conflict(
        _("This request key was already used for a different document."),
        code="idempotency_conflict",
        fields={"client_uuid": [_("Already used with other data.")]},
    )


def _issue_idempotent(*, business: Business, client_uuid, same, issue) -> Invoice:
    """Run `issue()` in its own transaction (a savepoint when nested), once per client_uuid.

    `same(existing)` says whether an earlier document with this UUID answers
    this very request. A concurrent twin that commits first makes our insert
    fail on the unique index: we then answer with the twin's document.
    """
    existing = _by_client_uuid(business, client_uuid)
    if existing is not None:
        if same(existing):
            return existing
        raise _uuid_reused()
    try:
        with transaction.atomic():
            return issue()
    except IntegrityError:
        existing = _by_client_uuid(business, client_uuid)
        if existing is None:
            raise
        if same(existing):
            return existing
        raise _uuid_reused() from None


def _check_customer(business: Business, customer) -> Customer | None:
    if customer is None:
        return None
    if customer.business_id != business.pk:
        raise NotFound(
            _("This customer does not exist."), fields={"customer": [_("Unknown customer.")]}
        )
    return customer
