"""Shared set-up of the ticket and report tests: a shop with a register, a cash
session, and sales written as the sales core writes them.

Tickets and reports only read `Sale`, `SaleLine`, `Payment` and the session's
running totals, so the rows are written here directly (same figures as
`sale_complete`: line totals tax included, tax inside the total, cash tendered
and change, session totals bumped). The end-to-end tests in test_reports_flow.py
go through the real services instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hanout.core import clock
from hanout.core.models import Shop
from hanout.core.money import quantize
from hanout.pos.models import (
    CashMovement,
    CashSession,
    LineKind,
    Payment,
    Register,
    Sale,
    SaleKind,
    SaleLine,
    SessionStatus,
)

D = Decimal


@dataclass
class Item:
    name: str
    price: str
    quantity: str = "1"
    rate: str = "6"
    discount: str = "0"
    sku: str = ""


def setup_shop(membership, *, address="Rue Haute 12\n1000 Bruxelles", phone="+32 2 555 01 01"):
    shop = Shop.objects.for_business(membership.business).order_by("created_at").first()
    Shop.objects.filter(pk=shop.pk).update(address=address, phone=phone)
    shop.refresh_from_db()
    return shop


def make_register(membership, name="Caisse 1", *, shop=None, printer_kind="none", target=""):
    business = membership.business
    shop = shop or Shop.objects.for_business(business).order_by("created_at").first()
    return Register.objects.create(
        business=business,
        shop=shop,
        name=name,
        printer_kind=printer_kind,
        printer_target=target,
    )


def open_session(register, user, *, opening_float="100.00", opened_at=None) -> CashSession:
    number = register.next_session_number
    Register.objects.filter(pk=register.pk).update(next_session_number=number + 1)
    register.next_session_number = number + 1
    return CashSession.objects.create(
        business=register.business,
        register=register,
        number=number,
        opened_by=user,
        opened_at=opened_at or clock.now(),
        opening_float=D(opening_float),
    )


def close_session(session, user, *, counted=None, denominations=None, closed_at=None, note=""):
    session.refresh_from_db()
    expected = session.expected_cash_now()
    if denominations is not None:
        counted = sum((D(k) * n for k, n in denominations.items()), D(0))
    counted = D(counted) if counted is not None else expected
    CashSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.CLOSED,
        closed_by=user,
        closed_at=closed_at or clock.now(),
        expected_cash=expected,
        counted_cash=counted,
        difference=counted - expected,
        counted_denominations=denominations or {},
        closing_note=note,
    )
    session.refresh_from_db()
    return session


def cash_movement(session, user, kind, amount, reason):
    movement = CashMovement.objects.create(
        business=session.business,
        session=session,
        kind=kind,
        amount=D(amount),
        reason=reason,
        actor=user,
    )
    field = "paid_in" if kind == "paid_in" else "paid_out"
    setattr(session, field, getattr(session, field) + D(amount))
    session.save(update_fields=[field])
    return movement


def sell(
    session,
    cashier,
    items: list[Item],
    *,
    withdrawal: str | None = None,
    payments: list[tuple] | None = None,
    sold_at: datetime | None = None,
    late: bool = False,
    offline: bool = False,
    original: Sale | None = None,
    reason: str = "",
) -> Sale:
    """A sale (or, with `original`, a return: negative quantities) paid as `payments`.

    `payments` is [(method, amount)] or [("cash", None, tendered)]; by default
    cash, exactly. A cash tendered above what is due gives change.
    """
    register = session.register
    business = session.business
    currency = business.currency
    sign = -1 if original is not None else 1
    kind = SaleKind.RETURN if original is not None else SaleKind.SALE
    field = "next_return_number" if original is not None else "next_ticket_number"
    number = getattr(Register.objects.get(pk=register.pk), field)
    Register.objects.filter(pk=register.pk).update(**{field: number + 1})
    lines = []
    revenue = tax_total = discount_total = D(0)
    for item in items:
        quantity = D(item.quantity) * sign
        price = D(item.price)
        discount = D(item.discount)
        total = quantize(quantity * price - discount * sign, currency)
        rate = D(item.rate)
        tax = quantize(total - total / (1 + rate / 100), currency)
        revenue += total
        tax_total += tax
        discount_total += discount
        lines.append((LineKind.PRODUCT, item, quantity, price, discount, rate, total, tax))
    withdrawal_total = D(withdrawal or 0)
    total = revenue + withdrawal_total
    sale = Sale.objects.create(
        business=business,
        client_uuid=uuid.uuid4(),
        kind=kind,
        register=register,
        shop=register.shop,
        session=session,
        number=number,
        cashier=cashier,
        sold_at=sold_at or clock.now(),
        original=original,
        reason=reason,
        total=total,
        revenue=revenue,
        tax_total=tax_total,
        discount_total=discount_total,
        withdrawal_total=withdrawal_total,
        paid_total=total,
        offline=offline,
        late=late,
    )
    position = 0
    for line_kind, item, quantity, price, discount, rate, line_total, tax in lines:
        position += 1
        SaleLine.objects.create(
            business=business,
            sale=sale,
            position=position,
            kind=line_kind,
            name=item.name,
            sku=item.sku,
            quantity=quantity,
            unit_price=price,
            discount=discount,
            tax_rate=rate,
            total=line_total,
            tax_amount=tax,
        )
    if withdrawal_total:
        SaleLine.objects.create(
            business=business,
            sale=sale,
            position=position + 1,
            kind=LineKind.WITHDRAWAL,
            name="Cash withdrawal",
            quantity=1,
            unit_price=withdrawal_total,
            total=withdrawal_total,
        )
    change_given = D(0)
    cash_in = D(0)
    cash_refund = D(0)
    for payment in payments or [("cash", total)]:
        method, amount = payment[0], payment[1]
        tendered = D(payment[2]) if len(payment) > 2 else None
        if amount is None:
            amount = total if tendered is None else min(total, tendered)
        amount = D(amount)
        change = D(0)
        if method == "cash" and tendered is not None:
            change = tendered - amount
            change_given += change
        if method == "cash":
            if amount >= 0:
                cash_in += tendered if tendered is not None else amount
            else:
                cash_refund += -amount
        Payment.objects.create(
            business=business,
            sale=sale,
            method=method,
            amount=amount,
            tendered=tendered,
            change=change,
        )
    if change_given:
        Sale.objects.filter(pk=sale.pk).update(change_given=change_given)
        sale.change_given = change_given
    if not late:
        session.refresh_from_db()
        session.cash_in += cash_in
        session.cash_change += change_given
        session.cash_refunds += cash_refund
        session.withdrawals += withdrawal_total
        session.revenue += revenue
        if original is not None:
            session.returns_count += 1
        else:
            session.sales_count += 1
        session.save()
    return sale
