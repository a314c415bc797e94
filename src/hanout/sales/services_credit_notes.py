"""Every write on credit notes: amounts given back on an invoice, or for a return.

A credit note is a sales document like an invoice (numbered AV-year-n,
gapless per business and year, written once with its lines, taxes and
totals: see `hanout.sales.services_documents`). It is issued from lines a
caller gives (`credit_note_issue`: a return's lines, checked against the tax
rule and never re-rounded) or from some or all of an invoice's lines
(`credit_note_issue_for_invoice`: the back office's "Credit" button). The
credit notes on an invoice never add up to more than it: the invoice row is
locked while the next one is checked.

Split from `hanout.sales.services_invoices`, which re-exports every public
name here so its callers do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog.models import Product
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.core.tax import tax_inside
from hanout.sales.models import Invoice, InvoiceKind, InvoiceLine
from hanout.sales.services_documents import (
    ZERO,
    _check_customer,
    _issue_idempotent,
    _Line,
    _prorated,
    _shop_of,
    _write,
    buyer_details,
)

ACTION_LABELS: dict = {
    "credit_note.issue": gettext_lazy("Issued a credit note"),
}


MAX_LINES = 1000


MAX_REASON = 500


@dataclass(frozen=True)
class CreditLine:
    """One line a credit note gives back; amounts positive, already rounded by the caller."""

    product: Product | None
    name: str
    sku: str
    quantity: Decimal  # positive
    unit_price: Decimal  # tax included
    tax_rate: Decimal
    total: Decimal  # positive, tax included, already rounded
    tax_amount: Decimal  # already rounded (core.tax.tax_inside)


def _clean_credit_lines(business: Business, lines: list[CreditLine]) -> list[_Line]:
    """Check every line; collect every problem and raise once (nothing written)."""
    currency = business.currency
    errors: list[str] = []
    out: list[_Line] = []
    if not lines:
        raise ValidationFailed(
            _("A credit note needs at least one line."),
            fields={"lines": [_("Give at least one line.")]},
        )
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            _("A credit note has at most %(n)s lines.") % {"n": MAX_LINES},
            fields={"lines": [_("Too many lines.")]},
        )
    for i, line in enumerate(lines, start=1):
        try:
            quantity = Decimal(line.quantity)
            unit_price = Decimal(line.unit_price)
            rate = Decimal(line.tax_rate or 0)
            total = Decimal(line.total)
            tax = Decimal(line.tax_amount)
        except (TypeError, ArithmeticError):
            errors.append(_("Line %(n)s: amounts must be numbers.") % {"n": i})
            continue
        if line.product is not None and line.product.business_id != business.pk:
            errors.append(_("Line %(n)s: unknown product.") % {"n": i})
        if not (line.name or "").strip():
            errors.append(_("Line %(n)s: a name is needed.") % {"n": i})
        if quantity <= 0:
            errors.append(_("Line %(n)s: the quantity must be above zero.") % {"n": i})
        if unit_price < 0 or total < 0:
            errors.append(_("Line %(n)s: amounts cannot be negative.") % {"n": i})
        if not ZERO <= rate < 100:
            errors.append(_("Line %(n)s: the tax rate must be between 0 and 100.") % {"n": i})
        if total != quantize(total, currency):
            errors.append(_("Line %(n)s: the total is not rounded to the currency.") % {"n": i})
        elif ZERO <= rate < 100 and tax != tax_inside(total, rate, currency):
            errors.append(
                _("Line %(n)s: the tax must be %(tax)s (the tax inside %(total)s at %(rate)s %%).")
                % {"n": i, "tax": tax_inside(total, rate, currency), "total": total, "rate": rate}
            )
        out.append(
            _Line(
                product_id=line.product.pk if line.product is not None else None,
                name=(line.name or "").strip()[:200],
                sku=(line.sku or "")[:64],
                quantity=quantity,
                unit_price=unit_price,
                # A part of a discounted line: the difference shows as its discount.
                discount=max(ZERO, quantize(quantity * unit_price, currency) - total),
                tax_rate=rate,
                total=total,
                tax_amount=tax,
            )
        )
    if errors:
        raise ValidationFailed(" ".join(errors), fields={"lines": errors})
    return out


def credit_note_issue(
    *,
    business: Business,
    actor,
    lines: list[CreditLine],
    reason: str,
    invoice: Invoice | None = None,
    customer=None,
    customer_return=None,
    client_uuid=None,
) -> Invoice:
    """Issue a credit note: amounts given back on `invoice` (if any), numbered AV-year-n.

    The lines are the caller's (a return's lines, or some of an invoice's);
    they are checked against the tax rule and never re-rounded. When
    `invoice` is given, the credit notes on it may never add up to more than
    it (the invoice row is locked so two credits cannot both squeeze in), and
    the buyer is the invoice's buyer. One credit note per `customer_return`:
    asking again for the same return returns the first one. Runs in the
    caller's transaction when there is one (a return records its goods, its
    refund and its credit note atomically).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the amount is credited."), fields={"reason": [_("A reason is needed.")]}
        )
    if len(reason) > MAX_REASON:
        raise ValidationFailed(
            _("The reason is too long."), fields={"reason": [_("At most 500 characters.")]}
        )
    if invoice is not None and (
        invoice.business_id != business.pk or invoice.kind != InvoiceKind.INVOICE
    ):
        raise NotFound(
            _("This invoice does not exist."), fields={"invoice": [_("Unknown invoice.")]}
        )
    if customer_return is not None and customer_return.business_id != business.pk:
        raise NotFound(
            _("This return does not exist."), fields={"customer_return": [_("Unknown return.")]}
        )
    customer = _check_customer(business, customer)
    clean = _clean_credit_lines(business, lines)
    total = quantize(sum((x.total for x in clean), ZERO), business.currency)

    def same(existing: Invoice) -> bool:
        return (
            existing.kind == InvoiceKind.CREDIT_NOTE
            and existing.credited_invoice_id == (invoice.pk if invoice else None)
            and existing.return_record_id == (customer_return.pk if customer_return else None)
            and existing.total == total
        )

    def issue() -> Invoice:
        credited = None
        if invoice is not None:
            credited = (
                Invoice.objects.select_for_update(of=("self",))
                .select_related("sale__shop", "order__location__shop", "customer")
                .get(pk=invoice.pk)
            )
            already = credited.credit_notes.aggregate(s=Sum("total"))["s"] or ZERO
            if already + total > credited.total:
                left = quantize(credited.total - already, business.currency)
                raise ValidationFailed(
                    _(
                        "This would credit more than invoice %(number)s: at most %(left)s "
                        "is left to credit."
                    )
                    % {"number": credited.reference, "left": left},
                    code="credit_exceeds_invoice",
                    fields={"lines": [_("More than the invoice.")]},
                )
        buyer_customer = customer
        if buyer_customer is None and credited is not None:
            buyer_customer = credited.customer
        if buyer_customer is None and customer_return is not None:
            buyer_customer = customer_return.customer
        buyer = dict(credited.buyer) if credited is not None else buyer_details(buyer_customer)
        return _write(
            business=business,
            kind=InvoiceKind.CREDIT_NOTE,
            shop=_shop_of(business=business, invoice=credited, customer_return=customer_return),
            actor=actor,
            lines=clean,
            customer=buyer_customer,
            buyer=buyer,
            order=credited.order if credited else getattr(customer_return, "order", None),
            sale=credited.sale if credited else getattr(customer_return, "sale", None),
            credited_invoice=credited,
            customer_return=customer_return,
            reason=reason,
            client_uuid=client_uuid,
        )

    if customer_return is not None and customer_return.pk is not None:
        first = Invoice.objects.filter(
            business=business, kind=InvoiceKind.CREDIT_NOTE, return_record=customer_return
        ).first()
        if first is not None:
            if first.total != total:
                raise Conflict(
                    _("This return already has credit note %(number)s.")
                    % {"number": first.reference},
                    code="already_credited",
                    fields={"customer_return": [first.reference]},
                )
            return first
    return _issue_idempotent(business=business, client_uuid=client_uuid, same=same, issue=issue)


def credit_note_issue_for_invoice(
    *, invoice: Invoice, actor, reason: str, lines: dict | None = None, client_uuid=None
) -> Invoice:
    """Credit some or all of an invoice's lines (the back office's "Credit" button).

    `lines` maps an invoice line id to the quantity to credit (None: every
    line in full). A part of a line keeps its unit price and its share of the
    discount, rounded once, like a return.
    """
    business = invoice.business
    if invoice.kind != InvoiceKind.INVOICE:
        raise ValidationFailed(
            _("Only an invoice can be credited."), fields={"invoice": [_("Not an invoice.")]}
        )
    by_id = {str(line.pk): line for line in invoice.lines.all()}
    wanted: dict[str, Decimal] = {}
    if lines is None:
        wanted = {pk: line.quantity for pk, line in by_id.items()}
    else:
        errors = []
        for pk, qty in lines.items():
            line = by_id.get(str(pk))
            try:
                qty = Decimal(str(qty))
            except ArithmeticError:
                qty = Decimal(-1)
            if line is None:
                errors.append(_("Unknown line %(id)s.") % {"id": pk})
            elif qty < 0 or qty > line.quantity:
                errors.append(
                    _("%(name)s: credit between 0 and %(max)s.")
                    % {"name": line.name, "max": line.quantity.normalize()}
                )
            elif qty > 0:
                wanted[str(pk)] = qty
        if errors:
            raise ValidationFailed(" ".join(errors), fields={"lines": errors})
    _refuse_crediting_a_line_twice(invoice, by_id, wanted)
    credit_lines = []
    products = {
        p.pk: p
        for p in Product.objects.filter(
            pk__in=[by_id[pk].product_id for pk in wanted if by_id[pk].product_id]
        )
    }
    for pk, qty in wanted.items():
        part = _prorated(by_id[pk], quantity=qty, currency=business.currency)
        credit_lines.append(
            CreditLine(
                product=products.get(part.product_id),
                name=part.name,
                sku=part.sku,
                quantity=part.quantity,
                unit_price=part.unit_price,
                tax_rate=part.tax_rate,
                total=part.total,
                tax_amount=part.tax_amount,
            )
        )
    return credit_note_issue(
        business=business,
        actor=actor,
        lines=credit_lines,
        reason=reason,
        invoice=invoice,
        client_uuid=client_uuid,
    )


def _refuse_crediting_a_line_twice(invoice: Invoice, by_id: dict, wanted: dict) -> None:
    """A line's quantity is credited once at most, over all the invoice's credit notes.

    Credit lines are matched to invoice lines by product, name and unit price
    (what a credit note copies). The invoice-wide amount cap is re-checked
    under the invoice's row lock by credit_note_issue.
    """
    from collections import defaultdict

    def key(line) -> tuple:
        return (line.product_id, line.name, line.unit_price)

    left: dict = defaultdict(lambda: ZERO)
    for line in by_id.values():
        left[key(line)] += line.quantity
    for line in InvoiceLine.objects.filter(invoice__credited_invoice=invoice):
        left[key(line)] -= line.quantity
    asked: dict = defaultdict(lambda: ZERO)
    for pk, qty in wanted.items():
        asked[key(by_id[pk])] += qty
    errors = [
        _("%(name)s: at most %(left)s left to credit.")
        % {"name": k[1], "left": max(ZERO, left[k]).normalize()}
        for k, qty in asked.items()
        if qty > left[k]
    ]
    if errors:
        raise ValidationFailed(
            " ".join(errors), code="credit_exceeds_invoice", fields={"lines": errors}
        )
