"""Registers racing each other on real connections (PostgreSQL row locks).

Each thread has its own database connection; the exact final state is asserted.
Skipped on SQLite, where BEGIN IMMEDIATE serialises every write transaction.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import connection

from hanout.inventory.ledger import InsufficientStock
from hanout.inventory.models import StockLevel, StockMovement
from hanout.pos.models import CashSession, Register, Sale, SaleLine
from hanout.pos.tests.factories import make_register, make_till, open_session, sell
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
def shop():
    owner = make_business("Race Bakery")
    till = make_till(owner, quantity="1")
    second = make_register(owner, "Caisse 2")
    open_session(till)
    open_session(second, owner.user)
    return till, second


def test_two_registers_selling_the_last_croissant_make_exactly_one_sale(shop):
    till, second = shop
    registers = [till.register, second]

    results, errors, crashes = race(2, lambda i: sell(till, "croissant", register=registers[i]))

    assert crashes == []
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], InsufficientStock) and "Croissant" in errors[0].message
    level = StockLevel.objects.get(product=till["croissant"], location=till.location)
    assert level.quantity == 0
    assert Sale.objects.count() == 1 and SaleLine.objects.count() == 1
    assert StockMovement.objects.filter(product=till["croissant"], reason="sale").count() == 1
    # The refused register's session and numbering are untouched.
    winner = results[0].register_id
    loser = next(r for r in registers if r.pk != winner)
    assert Register.objects.get(pk=loser.pk).next_ticket_number == 1
    assert CashSession.objects.get(register=loser).sales_count == 0


def test_the_same_sale_sent_twice_at_once_is_one_sale(shop):
    till, _ = shop
    key = uuid.uuid4()

    results, errors, crashes = race(2, lambda i: sell(till, "croissant", client_uuid=key))

    assert crashes == [] and errors == []
    assert len(results) == 2 and results[0].pk == results[1].pk
    assert sorted(r.replayed for r in results) == [False, True]
    assert Sale.objects.count() == 1
    assert Register.objects.get(pk=till.register.pk).next_ticket_number == 2
    assert CashSession.objects.get(register=till.register).sales_count == 1


def test_four_copies_of_a_sale_at_once_are_one_sale_every_time(shop):
    till, _ = shop
    from hanout.pos.tests.factories import stock

    stock(till, till["pain"], 10)
    for _ in range(3):
        key = uuid.uuid4()
        results, errors, crashes = race(4, lambda i, key=key: sell(till, "pain", client_uuid=key))
        assert crashes == [] and errors == []
        assert len({r.pk for r in results}) == 1
    assert Sale.objects.count() == 3
    assert Register.objects.get(pk=till.register.pk).next_ticket_number == 4


def test_one_uuid_used_by_two_registers_at_once_is_one_sale_and_a_conflict(shop):
    till, second = shop
    from hanout.core.errors import Conflict
    from hanout.pos.tests.factories import stock

    stock(till, till["cafe"], 10)
    key = uuid.uuid4()
    registers = [till.register, second]

    results, errors, crashes = race(
        2, lambda i: sell(till, "cafe", client_uuid=key, register=registers[i])
    )

    assert crashes == []
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], Conflict)
    assert Sale.objects.count() == 1


def test_many_registers_selling_at_once_keep_gapless_numbers(shop):
    till, second = shop
    from hanout.pos.tests.factories import stock

    stock(till, till["cafe"], 100)
    registers = [till.register, second]

    results, errors, crashes = race(16, lambda i: sell(till, "cafe", register=registers[i % 2]))

    assert crashes == [] and errors == []
    for register in registers:
        numbers = sorted(Sale.objects.filter(register=register).values_list("number", flat=True))
        assert numbers == list(range(1, 9))
    assert StockLevel.objects.get(product=till["cafe"], location=till.location).quantity == 85
