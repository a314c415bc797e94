"""A ticket line taken back in random pieces, with random dispositions: the money and the
stock must come out exact.

- every piece is worth its share of the line, rounded once; the pieces of a line
  returned in full add up to exactly what was paid for it (discount included);
- the line's `returned_quantity` is the sum of the pieces, and one more unit is refused;
- the stock level rises by the restocked units only; written-off units leave a return
  and a write-off movement of the same size;
- the refunds equal the returned totals and each credit note equals its return.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hanout.core.errors import ValidationFailed
from hanout.inventory.models import StockMovement
from hanout.pos.tests.factories import DEFAULT_PRODUCTS
from hanout.sales.tests.returns_support import (
    level,
    make_till,
    open_session,
    sale_lines,
    sell,
    take_back,
)
from tests.factories import make_business

pytestmark = pytest.mark.django_db
D = Decimal
CENT = D("0.01")


@pytest.fixture
def till():
    till = make_till(make_business("Random Returns"), quantity="5000")
    open_session(till)
    return till


@st.composite
def pieces(draw):
    quantity = draw(st.integers(min_value=1, max_value=9))
    cuts, left = [], quantity
    while left:
        take = draw(st.integers(min_value=1, max_value=left))
        cuts.append((take, draw(st.sampled_from(["restock", "write_off"]))))
        left -= take
    full = draw(st.booleans())
    if not full and len(cuts) > 1:
        cuts = cuts[:-1]
    return quantity, cuts


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    key=st.sampled_from(sorted(DEFAULT_PRODUCTS)),
    plan=pieces(),
    discount_cents=st.integers(min_value=0, max_value=99),
)
def test_a_line_returned_in_random_pieces_adds_up_exactly(till, key, plan, discount_cents):
    quantity, cuts = plan
    product = till[key]
    discount = min(D(discount_cents) * CENT, product.sale_price * quantity)
    sale = sell(till, (key, quantity, discount))
    (line,) = sale_lines(sale)
    stock_before = level(till, product)

    returns = [take_back(till, sale=sale, lines=[(line, qty, how)]) for qty, how in cuts]

    totals = [r.lines.get().total for r in returns]
    taken = sum(qty for qty, _how in cuts)
    last_is_remainder = taken == quantity
    for i, ((qty, _how), total) in enumerate(zip(cuts, totals, strict=True)):
        assert total >= 0
        if not (last_is_remainder and i == len(cuts) - 1):
            # Its share, rounded once (half a cent at most away).
            assert abs(total - line.total * qty / quantity) <= CENT / 2
    if taken == quantity:
        assert sum(totals) == line.total
        with pytest.raises(ValidationFailed):
            take_back(till, sale=sale, lines=[(line, 1)])
    line.refresh_from_db()
    assert line.returned_quantity == taken
    restocked = sum(qty for qty, how in cuts if how == "restock")
    assert level(till, product) == stock_before + restocked
    refs = [r.reference for r in returns]
    moved = (
        StockMovement.objects.filter(business=till.business, reference__in=refs)
        .values("reason")
        .annotate(q=Sum("quantity"))
    )
    by_reason = {row["reason"]: D(str(row["q"])) for row in moved}
    assert by_reason.get("return", 0) == taken
    assert -by_reason.get("write_off", 0) == taken - restocked
    for r, total in zip(returns, totals, strict=True):
        assert r.refund_amount == total == r.credit_note.total
