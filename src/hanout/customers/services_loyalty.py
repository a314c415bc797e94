"""Loyalty points: the business's earn rule and every write on the points ledger.

The ledger (`LoyaltyEntry`) is append-only. Each write locks the customer row
(`select_for_update`; SQLite serialises write transactions), reads the running
balance from `Customer.loyalty_points`, appends one entry with `balance_after`
and stores the new balance on the customer, all in one transaction: the balance
is always the sum of the entries and never negative (a check constraint on both
tables backs this up).

- earn: when a register sale with a customer completes (the `sale.completed`
  event, handled in `customers.apps`), once per sale;
- reverse: when part of such a sale comes back (`sale.returned`), in proportion
  to the revenue returned, once per return ticket;
- redeem: the register pays with points (`loyalty_redeem`), idempotent on the
  register's `client_uuid`;
- credit back: a return refunded by the original method gives the points share
  back as points (`loyalty_credit_return`, an `adjust` entry on the return ticket);
- adjust: a person with full access to Customers, with a reason (audited).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, events
from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.customers.models import Customer, LoyaltyEntry, LoyaltyKind, LoyaltyRule

ACTION_LABELS = {
    "loyalty.rule": gettext_lazy("Changed the loyalty programme"),
    "loyalty.adjust": gettext_lazy("Adjusted loyalty points"),
    "loyalty.redeem": gettext_lazy("Paid with loyalty points"),
}

RULE_FIELDS = ["enabled", "spend_step", "points_per_step", "point_value"]
MAX_POINTS = 10_000_000


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def loyalty_rule_of(business: Business) -> LoyaltyRule:
    """The business's rule; an unsaved, switched-off default when none was set."""
    rule = LoyaltyRule.objects.filter(business=business).first()
    return rule or LoyaltyRule(business=business, enabled=False)


def _money(value, *, field: str, currency: str, positive: bool) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise _bad(field, _("Enter an amount.")) from None
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        raise _bad(field, _("Enter an amount above zero."))
    if amount >= Decimal("1e10"):
        raise _bad(field, _("This amount is too large."))
    return quantize(amount, currency)


@transaction.atomic
def loyalty_rule_set(*, business: Business, actor, data: dict[str, Any]) -> LoyaltyRule:
    """Switch the programme on or off and set how points are earned and what they
    are worth. `data`: enabled, spend_step (> 0), points_per_step (1…1000),
    point_value (≥ 0). Changes apply to sales completed from now on."""
    rule = LoyaltyRule.objects.select_for_update().filter(business=business).first()
    created = rule is None
    if created:
        rule = LoyaltyRule(business=business)
    before = audit.snapshot(rule, RULE_FIELDS)
    currency = business.currency
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if "enabled" in data:
        values["enabled"] = bool(data["enabled"])
    for name, positive in (("spend_step", True), ("point_value", False)):
        if name in data:
            try:
                values[name] = _money(data[name], field=name, currency=currency, positive=positive)
            except ValidationFailed as exc:
                errors.update(exc.fields)
    if "points_per_step" in data:
        try:
            n = int(data["points_per_step"])
        except (TypeError, ValueError):
            n = 0
        if not 1 <= n <= 1000:
            errors["points_per_step"] = [_("Enter a whole number from 1 to 1000.")]
        values["points_per_step"] = n
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), fields=errors)
    for key, value in values.items():
        setattr(rule, key, value)
    rule.save()
    changes = audit.diff(before, audit.snapshot(rule, RULE_FIELDS))
    if changes or created:
        audit.record(
            business=business, actor=actor, action="loyalty.rule", obj=rule, changes=changes
        )
    return rule


def points_for(*, rule: LoyaltyRule, amount: Decimal) -> int:
    """Points earned for spending `amount`: whole steps only (9.99 at 1 per 10 is 0)."""
    if not rule.enabled or rule.spend_step <= 0 or amount <= 0:
        return 0
    return int(amount // rule.spend_step) * rule.points_per_step


def _locked(customer_id) -> Customer:
    return (
        Customer.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=customer_id)
    )


def _append(*, customer: Customer, kind: str, points: int, actor=None, **fields) -> LoyaltyEntry:
    """Append one entry to a locked customer's ledger and keep the running balance."""
    balance = customer.loyalty_points + points
    if balance < 0:
        raise _bad(
            "points",
            _("Not enough points: %(name)s has %(n)s.")
            % {"name": customer.name, "n": customer.loyalty_points},
        )
    entry = LoyaltyEntry.objects.create(
        business_id=customer.business_id,
        customer=customer,
        kind=kind,
        points=points,
        balance_after=balance,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    customer.loyalty_points = balance
    customer.save(update_fields=["loyalty_points", "updated_at"])
    events.emit(
        "loyalty.changed",
        business=customer.business,
        payload={"customer": customer.pk, "kind": kind, "points": points, "balance": balance},
    )
    return entry


@transaction.atomic
def loyalty_earn_for_sale(*, sale) -> LoyaltyEntry | None:
    """Give the customer of a completed register sale their points, once.

    Nothing happens (None) when the sale has no customer, is a return, the
    programme is off or the sale is below one step. Calling it again for the same
    sale returns the first entry."""
    from hanout.pos.models import SaleKind

    if sale.customer_id is None or sale.kind != SaleKind.SALE:
        return None
    rule = loyalty_rule_of(sale.business)
    points = points_for(rule=rule, amount=sale.revenue)
    if points <= 0:
        return None
    customer = _locked(sale.customer_id)  # also serialises two handlers of one sale
    existing = LoyaltyEntry.objects.filter(sale=sale, kind=LoyaltyKind.EARN).first()
    if existing is not None:
        return existing
    return _append(
        customer=customer,
        kind=LoyaltyKind.EARN,
        points=min(points, MAX_POINTS),
        sale=sale,
        reference=sale.ticket_number,
    )


@transaction.atomic
def loyalty_reverse_for_return(*, sale) -> LoyaltyEntry | None:
    """Take back the points a returned sale earned, in proportion to the revenue
    returned so far (all its return tickets together), once per return ticket.

    Never below zero: points already spent cannot be taken back, so at most the
    customer's balance is reversed (the entry's reason says so)."""
    from hanout.pos.models import Sale, SaleKind

    original = sale.original
    if sale.kind != SaleKind.RETURN or original is None:
        return None
    earned = LoyaltyEntry.objects.filter(sale=original, kind=LoyaltyKind.EARN).first()
    if earned is None or original.revenue <= 0:
        return None
    customer = _locked(earned.customer_id)
    if LoyaltyEntry.objects.filter(sale=sale, kind=LoyaltyKind.REVERSE).exists():
        return LoyaltyEntry.objects.get(sale=sale, kind=LoyaltyKind.REVERSE)
    returns = Sale.objects.filter(original=original, kind=SaleKind.RETURN)
    returned = -(returns.aggregate(s=Sum("revenue"))["s"] or Decimal(0))
    ratio = min(returned / original.revenue, Decimal(1))
    target = math.floor(earned.points * ratio)
    already = -(
        LoyaltyEntry.objects.filter(
            kind=LoyaltyKind.REVERSE, sale__in=returns.exclude(pk=sale.pk)
        ).aggregate(s=Sum("points"))["s"]
        or 0
    )
    points = min(target - already, customer.loyalty_points)
    if points <= 0:
        return None
    reason = ""
    if points < target - already:
        reason = _("Only %(n)s points were left to take back.") % {"n": points}
    return _append(
        customer=customer,
        kind=LoyaltyKind.REVERSE,
        points=-points,
        sale=sale,
        reference=sale.ticket_number,
        reason=reason,
    )


def _points(value, *, field: str = "points", allow_negative: bool = False) -> int:
    try:
        if isinstance(value, bool):
            raise TypeError
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise _bad(field, _("Enter a whole number of points.")) from None
    if n == 0 or (n < 0 and not allow_negative):
        raise _bad(
            field,
            _("Enter a number of points other than zero.")
            if allow_negative
            else _("Enter a number of points above zero."),
        )
    if abs(n) > MAX_POINTS:
        raise _bad(field, _("This is too many points."))
    return n


@transaction.atomic
def loyalty_adjust(*, customer: Customer, actor, points, reason: str) -> LoyaltyEntry:
    """Add (positive) or take away (negative) points by hand, with a reason. The
    balance cannot go below zero."""
    points = _points(points, allow_negative=True)
    reason = (reason or "").strip()
    if not reason:
        raise _bad("reason", _("Say why the points change."))
    if len(reason) > 200:
        raise _bad("reason", _("Keep the reason under 200 characters."))
    locked = _locked(customer.pk)
    before = locked.loyalty_points
    entry = _append(
        customer=locked, kind=LoyaltyKind.ADJUST, points=points, actor=actor, reason=reason
    )
    audit.record(
        business=locked.business,
        actor=actor,
        action="loyalty.adjust",
        obj=locked,
        changes={"loyalty_points": [before, entry.balance_after], "reason": [None, reason]},
    )
    return entry


@transaction.atomic
def loyalty_redeem(
    *, customer: Customer, points, reference: str, client_uuid, actor=None
) -> LoyaltyEntry:
    """Spend points at the register: the entry's `value` is what they pay
    (points × the rule's point value, in the currency).

    Idempotent on `client_uuid` (required; made by the register): the same key
    again returns the first entry (`replayed` set); with another customer or
    number of points it is a 409. Refused (400, nothing written) when the
    programme is off or the balance is too small; two registers redeeming at
    once cannot overspend (the customer row is locked)."""
    if client_uuid is None:
        raise _bad("client_uuid", _("The register must send a request key."))
    points = _points(points)
    reference = (reference or "").strip()[:120]
    business = customer.business
    rule = loyalty_rule_of(business)
    if not rule.enabled:
        raise _bad("points", _("The loyalty programme is switched off."))
    locked = _locked(customer.pk)
    first = LoyaltyEntry.objects.filter(business=business, client_uuid=client_uuid).first()
    if first is not None:
        if first.customer_id != locked.pk or first.points != -points or first.kind != "redeem":
            raise Conflict(
                _("This request key was already used for a different request."),
                code="idempotency_conflict",
                fields={"client_uuid": [_("Already used with other data.")]},
            )
        first.replayed = True
        return first
    value = quantize(rule.point_value * points, business.currency)
    entry = _append(
        customer=locked,
        kind=LoyaltyKind.REDEEM,
        points=-points,
        actor=actor,
        value=value,
        reference=reference,
        client_uuid=client_uuid,
    )
    audit.record(
        business=business,
        actor=actor,
        action="loyalty.redeem",
        obj=locked,
        changes={"loyalty_points": [entry.balance_after + points, entry.balance_after]},
    )
    entry.replayed = False
    return entry


@transaction.atomic
def loyalty_credit_return(
    *, customer_id, points: int, sale, client_uuid, actor=None
) -> LoyaltyEntry:
    """Give back, as points, the points share of a register return refunded by the
    original method (an `adjust` entry tied to the return ticket, with a reason).

    Idempotent on `client_uuid` (derived from the return's key): the same key again
    returns the first entry. Works even if the programme was switched off since:
    these points were the customer's."""
    points = _points(points)
    locked = _locked(customer_id)
    first = LoyaltyEntry.objects.filter(
        business_id=locked.business_id, client_uuid=client_uuid
    ).first()
    if first is not None:
        return first
    return _append(
        customer=locked,
        kind=LoyaltyKind.ADJUST,
        points=points,
        actor=actor,
        sale=sale,
        reference=sale.ticket_number,
        client_uuid=client_uuid,
        reason=_("Points paid back by return %(ticket)s.") % {"ticket": sale.ticket_number},
    )


# --- event handlers (registered in CustomersConfig.ready) ------------------------------------


def on_sale_completed(event) -> None:
    """`sale.completed`, after commit: earn the points of a sale with a customer."""
    from hanout.pos.models import Sale

    if "customer" in event.payload and not event.payload["customer"]:
        return  # the register said there is none: no need to read the sale

    sale = (
        Sale.objects.filter(pk=event.payload.get("id"), business_id=event.business_id)
        .select_related("business")
        .first()
    )
    if sale is not None:
        loyalty_earn_for_sale(sale=sale)


def on_sale_returned(event) -> None:
    """`sale.returned`, after commit: reverse the returned share of the points."""
    from hanout.pos.models import Sale

    sale = (
        Sale.objects.filter(pk=event.payload.get("id"), business_id=event.business_id)
        .select_related("business", "original")
        .first()
    )
    if sale is not None:
        loyalty_reverse_for_return(sale=sale)
