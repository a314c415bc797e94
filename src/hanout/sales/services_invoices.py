"""Every write on customer invoices and credit notes.

An invoice is issued from a delivered customer order or from a register
ticket; a credit note corrects an invoice (or records what a return gave
back). Both are written once and never changed: the number, the seller's and
the buyer's legal details, the lines, the tax per rate and the totals are
copied onto the document in the transaction that issues it.

Numbers
    Gapless per business, per kind and per year: `next_number(key="invoice",
    year=...)` (or `"credit_note"`) runs inside the issuing transaction, so a
    failure after the number was taken rolls the counter back with it. The
    year is the shop-local year of the issue moment (an invoice issued at
    23:30 UTC on 31 December in Casablanca, an hour ahead, is next year's).

Idempotency
    `client_uuid` is stored on the document (unique per business): the same
    UUID again returns the first document when it was issued for the same
    thing (order, ticket, return, credited invoice, lines), else a Conflict.
    Without a UUID, issuing a second invoice for one order or ticket is a
    Conflict naming the first invoice (the database also holds one invoice
    per order and per ticket).

Taxes
    Through `hanout.core.tax` only (prices include tax, one rounding per line).

Where the code lives
    What both kinds of document share (numbering, frozen details, the write,
    idempotency) is in `hanout.sales.services_documents`; credit notes are in
    `hanout.sales.services_credit_notes`. This module keeps the invoices and
    re-exports the public names of both, so its callers do not change.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core.errors import Conflict, ValidationFailed
from hanout.sales.models import (
    CustomerOrder,
    CustomerReturn,
    Invoice,
    InvoiceKind,
    OrderStatus,
)

# re-exported: part of this module's contract (credit notes moved there)
from hanout.sales.services_credit_notes import (  # noqa: F401
    MAX_LINES,
    MAX_REASON,
    CreditLine,
    credit_note_issue,
    credit_note_issue_for_invoice,
)

# ZERO, local_year, seller_details, buyer_details are re-exported: part of this module's contract
from hanout.sales.services_documents import (  # noqa: F401
    ZERO,
    _check_customer,
    _issue_idempotent,
    _prorated,
    _shop_of,
    _write,
    buyer_details,
    local_year,
    seller_details,
)

ACTION_LABELS: dict = {
    "invoice.issue": gettext_lazy("Issued an invoice"),
    "invoice.email": gettext_lazy("Emailed an invoice"),
}


# --- invoices --------------------------------------------------------------------------------


def invoice_issue_for_order(*, order: CustomerOrder, actor, client_uuid=None) -> Invoice:
    """Invoice a delivered customer order: what was shipped, less what came back.

    Refused (409) when the order is not delivered or already has an invoice
    (the message names that invoice); a retry with the same `client_uuid`
    returns the first invoice.
    """
    business = order.business

    def same(existing: Invoice) -> bool:
        return existing.kind == InvoiceKind.INVOICE and existing.order_id == order.pk

    def issue() -> Invoice:
        locked = (
            CustomerOrder.objects.select_for_update(of=("self",))
            .select_related("customer", "location__shop")
            .get(pk=order.pk, business=business)
        )
        _refuse_second_invoice(
            Invoice.objects.filter(kind=InvoiceKind.INVOICE, order=locked).first()
        )
        if locked.status != OrderStatus.DELIVERED:
            raise Conflict(
                _("Only a delivered order can be invoiced (this one is %(status)s).")
                % {"status": OrderStatus(locked.status).label},
                code="order_not_delivered",
                fields={"order": [_("The order is not delivered yet.")]},
            )
        lines = []
        for line in locked.lines.order_by("position", "id"):
            quantity = line.shipped_quantity - line.returned_quantity
            if quantity > 0:
                lines.append(_prorated(line, quantity=quantity, currency=business.currency))
        if not lines:
            raise Conflict(
                _("Nothing left to invoice on this order: no line was shipped and kept."),
                code="nothing_to_invoice",
                fields={"order": [_("Nothing to invoice.")]},
            )
        return _write(
            business=business,
            kind=InvoiceKind.INVOICE,
            shop=locked.location.shop,
            actor=actor,
            lines=lines,
            customer=locked.customer,
            buyer=buyer_details(locked.customer, delivery_address=locked.shipping_address),
            order=locked,
            client_uuid=client_uuid,
        )

    return _issue_idempotent(business=business, client_uuid=client_uuid, same=same, issue=issue)


def _refuse_second_invoice(existing: Invoice | None) -> None:
    if existing is not None:
        raise Conflict(
            _("This is already invoiced: invoice %(number)s.") % {"number": existing.reference},
            code="already_invoiced",
            fields={"invoice": [existing.reference]},
        )


def invoice_issue_for_sale(*, sale, actor, customer=None, client_uuid=None) -> Invoice:
    """Invoice a register ticket (kind sale), to `customer` or the ticket's own customer.

    What the register already took back (`SaleLine.returned_quantity`) is left
    out; cash withdrawals are not sold goods and never appear. A ticket with
    no customer gives an invoice with no buyer block (a simplified invoice).
    """
    from hanout.pos.models import LineKind, Sale, SaleKind

    business = sale.business
    customer = _check_customer(business, customer)

    def same(existing: Invoice) -> bool:
        return (
            existing.kind == InvoiceKind.INVOICE
            and existing.sale_id == sale.pk
            and (customer is None or existing.customer_id == customer.pk)
        )

    def issue() -> Invoice:
        locked = (
            Sale.objects.select_for_update(of=("self",))
            .select_related("shop", "customer")
            .get(pk=sale.pk, business=business)
        )
        _refuse_second_invoice(
            Invoice.objects.filter(kind=InvoiceKind.INVOICE, sale=locked).first()
        )
        if locked.kind != SaleKind.SALE:
            raise ValidationFailed(
                _("A return ticket cannot be invoiced; its sale's invoice is credited instead."),
                code="not_a_sale",
                fields={"sale": [_("This ticket is a return.")]},
            )
        lines = []
        for line in locked.lines.filter(kind=LineKind.PRODUCT).order_by("position"):
            quantity = line.quantity - line.returned_quantity
            if quantity > 0:
                lines.append(_prorated(line, quantity=quantity, currency=business.currency))
        if not lines:
            raise Conflict(
                _("Nothing left to invoice on this ticket: everything was returned."),
                code="nothing_to_invoice",
                fields={"sale": [_("Nothing to invoice.")]},
            )
        buyer_customer = customer or locked.customer
        return _write(
            business=business,
            kind=InvoiceKind.INVOICE,
            shop=locked.shop,
            actor=actor,
            lines=lines,
            customer=buyer_customer,
            buyer=buyer_details(buyer_customer),
            sale=locked,
            client_uuid=client_uuid,
        )

    return _issue_idempotent(business=business, client_uuid=client_uuid, same=same, issue=issue)


def invoice_for_return_target(*, customer_return: CustomerReturn) -> Invoice | None:
    """The invoice a return should credit: its order's or its ticket's, if one was issued."""
    qs = Invoice.objects.filter(business_id=customer_return.business_id, kind=InvoiceKind.INVOICE)
    if customer_return.order_id:
        return qs.filter(order_id=customer_return.order_id).first()
    if customer_return.sale_id:
        return qs.filter(sale_id=customer_return.sale_id).first()
    return None


# The business's legal details are written by core.services.business_legal_update.


def invoice_email(*, invoice: Invoice, actor, email: str | None = None) -> Invoice:
    """Email the document with its PDF (see `invoice_pdf.invoice_email_send`)."""
    from hanout.sales.invoice_pdf import invoice_email_send

    return invoice_email_send(invoice=invoice, actor=actor, email=email)
