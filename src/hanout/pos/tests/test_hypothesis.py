"""Random days at the register, then the books must balance.

Each example opens a session on a fresh register and plays a random sequence of
sales (random baskets, cash withdrawals, cash with change, card, split), paid
in/out and returns. Then:

- revenue = the sum of the non-withdrawal lines (sales and returns), on the
  session's running total and on the sales;
- the drawer expectation = float + cash in − change − withdrawals − cash refunds
  + paid in − paid out, worked out here independently of the service;
- every sale's payments net of change equal its total;
- ticket and return numbers are gapless from 1;
- closing with exactly the expected cash gives no difference.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hanout.core.errors import ValidationFailed
from hanout.pos import services
from hanout.pos.models import LineKind, Payment, Sale, SaleKind, SaleLine
from hanout.pos.pricing import LineInput
from hanout.pos.services import PaymentInput
from hanout.pos.tests.factories import DEFAULT_PRODUCTS, make_register, make_till

pytestmark = pytest.mark.django_db

D = Decimal
CENT = D("0.01")
KEYS = sorted(DEFAULT_PRODUCTS)

line_st = st.tuples(
    st.sampled_from(KEYS),
    st.integers(min_value=1, max_value=4),
    st.integers(min_value=0, max_value=50),  # discount in cents
)
sale_st = st.fixed_dictionaries(
    {
        "op": st.just("sale"),
        "lines": st.lists(line_st, min_size=1, max_size=4),
        "withdrawal": st.one_of(st.just(0), st.integers(min_value=1, max_value=4000)),
        "pay": st.sampled_from(["cash_exact", "cash_over", "card", "split"]),
        "extra": st.integers(min_value=0, max_value=5000),  # cash over, in cents
        "card_part": st.integers(min_value=0, max_value=100),  # % of the total by card
    }
)
move_st = st.fixed_dictionaries(
    {
        "op": st.sampled_from(["paid_in", "paid_out"]),
        "amount": st.integers(min_value=1, max_value=3000),
    }
)
return_st = st.fixed_dictionaries(
    {
        "op": st.just("return"),
        "pick": st.integers(min_value=0, max_value=10**6),
        "qty": st.integers(min_value=1, max_value=3),
        "refund": st.sampled_from(["cash", "original"]),
        "restock": st.booleans(),
    }
)
day_st = st.lists(st.one_of(sale_st, sale_st, move_st, return_st), min_size=1, max_size=12)


@pytest.fixture
def till(owner):
    return make_till(owner, quantity="100000")


def cents(n) -> Decimal:
    return (D(n) * CENT).quantize(CENT)


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    opening=st.integers(min_value=0, max_value=50000),
    day=day_st,
)
def test_the_books_balance_after_any_day_at_the_register(till, opening, day):
    register = make_register(till.owner)
    session = services.session_open(
        register=register, actor=till.user, opening_float=cents(opening)
    )
    expected = cents(opening)
    sales: list[Sale] = []
    n_sales = n_returns = 0

    for op in day:
        if op["op"] == "sale":
            lines = [
                LineInput(product=till[key], quantity=qty, discount=min(cents(disc), D("1.00")))
                for key, qty, disc in op["lines"]
            ]
            if op["withdrawal"]:
                lines.append(LineInput(kind="withdrawal", amount=cents(op["withdrawal"])))
            from hanout.pos.pricing import price_basket

            total = price_basket(business=till.business, lines=lines, allow_discount=True).total
            payments = []
            if op["pay"] == "cash_exact":
                payments = [PaymentInput(method="cash", tendered=total)]
            elif op["pay"] == "cash_over":
                payments = [PaymentInput(method="cash", tendered=total + cents(op["extra"]))]
            elif op["pay"] == "card":
                payments = [PaymentInput(method="card", amount=total)] if total else []
            else:
                card = (total * op["card_part"] / 100).quantize(CENT)
                if card:
                    payments.append(PaymentInput(method="card", amount=card))
                payments.append(
                    PaymentInput(method="cash", tendered=total - card + cents(op["extra"]))
                )
            sale = services.sale_complete(
                register=register,
                actor=till.user,
                client_uuid=uuid.uuid4(),
                lines=lines,
                payments=payments,
            )
            n_sales += 1
            sales.append(sale)
            tendered = sum((p.tendered or 0 for p in payments if p.method == "cash"), D(0))
            change = tendered - (
                total - sum((p.amount for p in payments if p.method == "card"), D(0))
            )
            expected += tendered - change - sale.withdrawal_total
        elif op["op"] in ("paid_in", "paid_out"):
            amount = cents(op["amount"])
            if op["op"] == "paid_out" and amount > expected:
                with pytest.raises(ValidationFailed):
                    services.session_cash_movement(
                        session=session, actor=till.user, kind="paid_out", amount=amount, reason="x"
                    )
                continue
            services.session_cash_movement(
                session=session, actor=till.user, kind=op["op"], amount=amount, reason="r"
            )
            expected += amount if op["op"] == "paid_in" else -amount
        else:
            candidates = [
                line
                for line in SaleLine.objects.filter(sale__in=sales, kind=LineKind.PRODUCT).order_by(
                    "id"
                )
                if line.quantity > line.returned_quantity
            ]
            if not candidates:
                continue
            line = candidates[op["pick"] % len(candidates)]
            qty = min(D(op["qty"]), line.quantity - line.returned_quantity)
            ret = services.sale_return(
                sale=line.sale,
                actor=till.user,
                client_uuid=uuid.uuid4(),
                lines=[(line, qty)],
                refund_method=op["refund"],
                reason="hypothesis",
                restock=op["restock"],
            )
            n_returns += 1
            cash_back = sum((-p.amount for p in ret.payments.all() if p.method == "cash"), D(0))
            expected -= cash_back

    session.refresh_from_db()
    all_sales = Sale.objects.filter(session=session)
    lines_revenue = (
        SaleLine.objects.filter(sale__session=session)
        .exclude(kind=LineKind.WITHDRAWAL)
        .aggregate(s=Sum("total"))["s"]
    )
    lines_revenue = D(str(lines_revenue or 0)).quantize(CENT)
    assert session.revenue == lines_revenue
    assert D(str(all_sales.aggregate(s=Sum("revenue"))["s"] or 0)).quantize(CENT) == lines_revenue
    assert session.expected_cash_now() == expected

    for sale in all_sales.filter(kind=SaleKind.SALE):
        paid = Payment.objects.filter(sale=sale).aggregate(s=Sum("amount"))["s"] or 0
        assert D(str(paid)).quantize(CENT) == sale.total
    numbers = sorted(all_sales.filter(kind=SaleKind.SALE).values_list("number", flat=True))
    assert numbers == list(range(1, n_sales + 1))
    returns = sorted(all_sales.filter(kind=SaleKind.RETURN).values_list("number", flat=True))
    assert returns == list(range(1, n_returns + 1))

    # A drawer cannot hold less than nothing (cashback paid by card can take it there).
    counted = max(expected, D(0))
    closed = services.session_close(session=session, actor=till.user, counted_cash=counted)
    assert closed.expected_cash == expected and closed.difference == counted - expected
