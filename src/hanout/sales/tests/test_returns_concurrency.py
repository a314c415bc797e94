"""Returns racing each other on real connections (PostgreSQL row locks, real threads).

Each thread has its own connection; the exact final state is asserted: what came
back never exceeds what was sold, the stock and the credit notes match the
returns that were recorded, numbers have no gap. Skipped on SQLite, where
BEGIN IMMEDIATE serialises every write transaction.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection

from hanout.inventory.models import StockMovement
from hanout.pos import services as pos
from hanout.pos.models import SaleLine
from hanout.sales.models import CustomerReturn, Invoice, OrderLine, ReturnLine
from hanout.sales.tests.returns_support import (
    level,
    make_customer,
    make_shipped_order,
    make_till,
    open_session,
    order_lines,
    sale_lines,
    sell,
    take_back,
)
from tests.concurrency import race
from tests.factories import make_business

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]

D = Decimal


@pytest.fixture
def till():
    till = make_till(make_business("Race Returns"), quantity="20")
    open_session(till)
    return till


def test_eight_clerks_returning_the_same_ticket_line_take_back_exactly_what_was_sold(till):
    sale = sell(till, ("deo", 3))
    (deo,) = sale_lines(sale)
    stock_before = level(till, till["deo"])

    results, errors, crashes = race(8, lambda i: take_back(till, sale=sale, lines=[(deo, 2)]))

    assert crashes == []
    assert len(results) == 1  # 2 of 3: only one return fits
    assert len(errors) == 7
    assert {e.code for e in errors} == {"return_too_much"}
    deo.refresh_from_db()
    assert deo.returned_quantity == D("2")
    assert ReturnLine.objects.filter(sale_line=deo).count() == 1
    assert level(till, till["deo"]) == stock_before + 2
    assert Invoice.objects.filter(business=till.business, kind="credit_note").count() == 1
    assert list(
        CustomerReturn.objects.filter(business=till.business).values_list("number", flat=True)
    ) == [1]


def test_one_unit_at_a_time_every_unit_comes_back_once_and_numbers_have_no_gap(till):
    sale = sell(till, ("cafe", 5))
    (cafe,) = sale_lines(sale)

    results, errors, crashes = race(8, lambda i: take_back(till, sale=sale, lines=[(cafe, 1)]))

    assert crashes == []
    assert (len(results), len(errors)) == (5, 3)
    cafe.refresh_from_db()
    assert cafe.returned_quantity == D("5")
    numbers = sorted(
        CustomerReturn.objects.filter(business=till.business).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5]
    notes = sorted(
        Invoice.objects.filter(business=till.business, kind="credit_note").values_list(
            "number", flat=True
        )
    )
    assert notes == [1, 2, 3, 4, 5]
    # Five returns of 2.50 each add up to exactly what was paid for the line.
    assert sum(r.total for r in ReturnLine.objects.filter(sale_line=cafe)) == cafe.total


def test_the_register_and_the_back_office_racing_for_the_same_units_never_exceed_the_sale(till):
    sale = sell(till, ("chocolat", 2))
    (chocolat,) = sale_lines(sale)

    def act(i):
        if i % 2:
            return pos.sale_return(
                sale=sale,
                actor=till.user,
                client_uuid=uuid.uuid4(),
                lines=[(chocolat, D("2"))],
                refund_method="cash",
                reason="Melted",
            )
        return take_back(till, sale=sale, lines=[(chocolat, 2)])

    results, errors, crashes = race(6, act)

    assert crashes == []
    assert len(results) == 1 and len(errors) == 5
    chocolat.refresh_from_db()
    assert chocolat.returned_quantity == D("2")
    register_back = SaleLine.objects.filter(original_line=chocolat).count()
    office_back = ReturnLine.objects.filter(sale_line=chocolat).count()
    assert register_back + office_back == 1


def test_two_returns_of_the_same_order_line_racing(till):
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("pain", 4))
    (pain,) = order_lines(order)

    results, errors, crashes = race(
        6, lambda i: take_back(till, order=order, lines=[(pain, 3, "write_off")])
    )

    assert crashes == []
    assert len(results) == 1 and len(errors) == 5
    line = OrderLine.objects.get(pk=pain.pk)
    assert line.returned_quantity == D("3")
    moves = StockMovement.objects.filter(business=till.business, reference=results[0].reference)
    assert sorted(moves.values_list("reason", "quantity")) == [
        ("return", D("3")),
        ("write_off", D("-3")),
    ]


def test_the_same_client_uuid_sent_by_six_threads_records_one_return(till):
    sale = sell(till, ("deo", 3))
    (deo,) = sale_lines(sale)
    key = uuid.uuid4()

    results, errors, crashes = race(
        6, lambda i: take_back(till, sale=sale, lines=[(deo, 1)], client_uuid=key)
    )

    assert crashes == [] and errors == []
    assert len({r.pk for r in results}) == 1
    assert CustomerReturn.objects.filter(business=till.business).count() == 1
    deo.refresh_from_db()
    assert deo.returned_quantity == D("1")
