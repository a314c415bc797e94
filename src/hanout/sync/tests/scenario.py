"""A day at a shop, made through the real services: used in this test process (the store
of most tests) and inside a store server process (the SIGKILL test)."""

from __future__ import annotations

import random
from decimal import Decimal

from hanout.pos.tests.factories import make_till, open_session, sell


def a_day(owner=None, *, sales: int = 20, seed: int = 7, close: bool = True):
    """A till (`owner`'s business, or a new one), its session, `sales` tickets of one to
    three products, an expense, and the drawer counted at the end. Returns the till."""
    from hanout.customers import services as customers
    from hanout.customers.services_loyalty import loyalty_rule_set
    from hanout.expenses.models import ExpenseCategory
    from hanout.expenses.services import ensure_builtin_categories, expense_create
    from hanout.pos import services as pos

    rng = random.Random(seed)
    till = make_till(owner, quantity="500")
    loyalty_rule_set(
        business=till.business,
        actor=till.user,
        data={"enabled": True, "spend_step": "1.00", "points_per_step": 1, "point_value": "0.01"},
    )
    regular = customers.customer_create(
        business=till.business, actor=till.user, data={"name": "Nadia", "phone": ""}
    )
    session = open_session(till)
    keys = list(till.products)
    for n in range(sales):
        items = [(key, rng.randint(1, 3)) for key in rng.sample(keys, rng.randint(1, 3))]
        sell(till, *items, customer=regular if n % 3 == 0 else None)
    ensure_builtin_categories(till.business)
    expense_create(
        business=till.business,
        actor=till.user,
        data={
            "category": ExpenseCategory.objects.filter(business=till.business).first().pk,
            "amount": Decimal("12.50"),
            "spent_on": session.opened_at.date().isoformat(),
            "comment": "Window cleaning",
        },
    )
    if close:
        session.refresh_from_db()
        pos.session_close(
            session=session, actor=till.user, counted_cash=session.expected_cash_now()
        )
    return till


FACT_MODELS = [
    "customers.LoyaltyEntry",
    "pos.CashSession",
    "pos.Sale",
    "pos.SaleLine",
    "pos.Payment",
    "inventory.StockMovement",
    "inventory.StockLevel",
    "expenses.Expense",
]


def facts_of(business_id) -> dict:
    """Every fact row of the business, by model: id → a fingerprint of what it holds."""
    from django.apps import apps

    out = {}
    for label in FACT_MODELS:
        model = apps.get_model(label)
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in {"business_id", "updated_at"}
        ]
        out[label] = {
            str(row[0]): "|".join(str(v) for v in row[1:])
            for row in model._base_manager.filter(business_id=business_id).values_list(*fields)
        }
    return out


def broken_invariants() -> list[str]:
    """The ledger invariants a backup checks (sync/engines.py), broken in this database."""
    from django.db import connection

    from hanout.sync import engines

    connection.ensure_connection()
    vendor = engines.SQLITE if connection.vendor == "sqlite" else engines.POSTGRES
    return engines.broken_invariants(engines.inspect(connection.connection, vendor)["invariants"])
