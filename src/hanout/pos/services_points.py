"""Paying with loyalty points at the register, and giving them back on a return.

A points payment is a `Payment` with method `points`, `points` = how many were
spent and `amount` = their value (points × the rule's point value, rounded to the
currency). It is not cash: the drawer's expected cash does not move. The points
leave the customer's ledger (`loyalty_redeem`) in the sale's own transaction,
keyed by a UUID derived from the sale's `client_uuid`, so a replayed sale never
redeems twice and a refused sale redeems nothing.

On a return refunded by "original" method, points come back first (up to what
they paid and was not given back already), as points: a refund payment with
negative amount and a loyalty entry crediting the customer.
"""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from hanout.core.errors import ValidationFailed
from hanout.core.money import quantize
from hanout.pos.models import Payment, PaymentMethod

ZERO = Decimal("0")


def _bad(message: str) -> ValidationFailed:
    return ValidationFailed(message, code="points_refused", fields={"payments": [message]})


def points_key(sale_key: uuid.UUID, what: str = "points") -> uuid.UUID:
    """The loyalty ledger's request key for a sale's (or a return's) points: derived
    from the register's key, so sending the same sale again finds the same entry."""
    return uuid.uuid5(sale_key, f"hanout.pos.{what}")


def points_price(*, settled, business, customer) -> None:
    """Check the points payments of a basket and set their amount (before any write).

    Refused on `payments` when: more than one points payment, no customer, the
    programme is off, points are worth nothing, or the customer has too few points.
    The balance is checked again under the customer's row lock when redeeming."""
    rows = [r for r in settled.payments if r["method"] == PaymentMethod.POINTS]
    if not rows:
        return
    if len(rows) > 1:
        raise _bad(_("Pay with points only once per sale."))
    if customer is None:
        raise _bad(_("Attach a customer to pay with their loyalty points."))
    from hanout.customers.services_loyalty import _points, loyalty_rule_of

    rule = loyalty_rule_of(business)
    if not rule.enabled:
        raise _bad(_("The loyalty programme is switched off."))
    row = rows[0]
    try:
        points = _points(row["points"])
    except ValidationFailed as exc:
        raise _bad(exc.message) from None
    if points > customer.loyalty_points:
        raise _bad(
            _("Not enough points: %(name)s has %(n)s.")
            % {"name": customer.name, "n": customer.loyalty_points}
        )
    amount = quantize(rule.point_value * points, business.currency)
    if amount <= 0:
        raise _bad(
            _("These points are worth nothing: set a point's value in the loyalty programme.")
        )
    row["points"] = points
    row["amount"] = amount


def points_redeem(*, sale, settled, customer, key, actor) -> None:
    """Take the points of a just-written sale off the customer's ledger (same
    transaction). A shortfall found under the lock refuses the whole sale."""
    rows = [r for r in settled.payments if r["method"] == PaymentMethod.POINTS]
    if not rows:
        return
    from hanout.customers.services_loyalty import loyalty_redeem

    try:
        loyalty_redeem(
            customer=customer,
            points=rows[0]["points"],
            reference=sale.ticket_number,
            client_uuid=points_key(key),
            actor=actor,
        )
    except ValidationFailed as exc:
        raise _bad(exc.message) from None


def points_refunded(*, original: Payment, amount: Decimal) -> int:
    """How many points give back `amount` of a points payment: in proportion to what
    it paid, rounded half up, never more than are left to give back (the last refund
    gives back exactly what is left)."""
    given = Payment.objects.filter(refund_of=original).aggregate(
        points=Sum("points"), amount=Sum("amount")
    )
    left_points = original.points - (given["points"] or 0)
    left_amount = original.amount + (given["amount"] or ZERO)
    if amount >= left_amount:
        return max(left_points, 0)
    share = (Decimal(original.points) * amount / original.amount).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    return max(min(int(share), left_points), 0)


def points_credit_back(*, ret, payments: list[Payment], key, actor) -> None:
    """Credit the customer with the points their return gives back (one entry)."""
    points = sum(p.points or 0 for p in payments if p.method == PaymentMethod.POINTS)
    if points <= 0 or ret.customer_id is None:
        return
    from hanout.customers.services_loyalty import loyalty_credit_return

    loyalty_credit_return(
        customer_id=ret.customer_id,
        points=points,
        sale=ret,
        client_uuid=points_key(key, "points-back"),
        actor=actor,
    )
