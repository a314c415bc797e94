"""The ledger's invariant under random sequences of operations (Hypothesis state machine).

Receipts, sales (through `stock_apply`, as the register posts them), transfers, counts,
adjustments and write-offs on 3 products × 3 locations, with selling below zero
allowed and forbidden. A plain-Python model predicts every level and every refusal;
after each step, for every product × location: level = sum of its movements = the
model, and no level is below zero when the business forbids it. A refused operation
must change nothing at all.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from hanout.catalog.models import Unit
from hanout.core.errors import ValidationFailed
from hanout.inventory import services
from hanout.inventory.models import MovementReason, StockLevel, StockMovement
from hanout.inventory.services import InsufficientStock, MoveLine
from hanout.inventory.tests.stockdata import make_location, make_product
from tests.factories import make_business

pytestmark = pytest.mark.django_db

ZERO = Decimal(0)
STEP = Decimal("0.001")
pieces = st.integers(min_value=1, max_value=12).map(Decimal)
kilos = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("12"), places=3)


def build_machine(business, actor, products, locations):
    allow_negative = business.allow_negative_stock
    keys = [(loc.pk, p.pk) for loc in locations for p in products]

    class Ledger(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            # Each run starts from the same empty ledger: its writes are rolled back at the end.
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.expected = dict.fromkeys(keys, ZERO)

        def teardown(self):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # --- helpers ---

        def amount(self, data, product):
            return data.draw(kilos if product.unit == Unit.KG else pieces)

        def short(self, changes: dict) -> bool:
            """Would these changes take a level below zero where that is forbidden?"""
            if allow_negative:
                return False
            return any(
                delta < 0 and self.expected[key] + delta < 0 for key, delta in changes.items()
            )

        def refused(self, call, changes: dict):
            """Run `call`; it must be refused exactly when the model says so, and then
            change nothing."""
            before = StockMovement.objects.count()
            if self.short(changes):
                with pytest.raises(InsufficientStock):
                    call()
                assert StockMovement.objects.count() == before
                return True
            call()
            for key, delta in changes.items():
                self.expected[key] += delta
            return False

        # --- rules ---

        @rule(
            product=st.sampled_from(products),
            location=st.sampled_from(locations),
            cost=st.decimals(min_value=0, max_value=20, places=2),
            data=st.data(),
        )
        def receive(self, product, location, cost, data):
            qty = self.amount(data, product)
            services.stock_receive(
                business=business,
                actor=actor,
                product=product,
                location=location,
                quantity=qty,
                unit_cost=cost,
            )
            self.expected[(location.pk, product.pk)] += qty

        @rule(
            lines=st.lists(
                st.tuples(st.sampled_from(products), st.sampled_from(locations)),
                min_size=1,
                max_size=3,
            ),
            data=st.data(),
        )
        def sell(self, lines, data):
            moves = [MoveLine(p, loc, -self.amount(data, p)) for p, loc in lines]
            changes: dict = {}
            for line in moves:
                key = (line.location.pk, line.product.pk)
                changes[key] = changes.get(key, ZERO) + line.quantity
            self.refused(
                lambda: services.stock_apply(
                    business=business, actor=actor, lines=moves, reason=MovementReason.SALE
                ),
                changes,
            )

        @rule(
            product=st.sampled_from(products),
            locs=st.lists(st.sampled_from(locations), min_size=2, max_size=2, unique=True),
            data=st.data(),
        )
        def transfer(self, product, locs, data):
            qty = self.amount(data, product)
            source, target = locs
            self.refused(
                lambda: services.stock_transfer(
                    business=business,
                    actor=actor,
                    product=product,
                    from_location=source,
                    to_location=target,
                    quantity=qty,
                ),
                {(source.pk, product.pk): -qty, (target.pk, product.pk): qty},
            )

        @rule(
            product=st.sampled_from(products),
            location=st.sampled_from(locations),
            data=st.data(),
        )
        def write_off(self, product, location, data):
            qty = self.amount(data, product)
            self.refused(
                lambda: services.stock_write_off(
                    business=business,
                    actor=actor,
                    product=product,
                    location=location,
                    quantity=qty,
                    note="damaged",
                ),
                {(location.pk, product.pk): -qty},
            )

        @rule(
            product=st.sampled_from(products),
            location=st.sampled_from(locations),
            down=st.booleans(),
            data=st.data(),
        )
        def adjust(self, product, location, down, data):
            qty = self.amount(data, product) * (-1 if down else 1)
            self.refused(
                lambda: services.stock_adjust(
                    business=business,
                    actor=actor,
                    product=product,
                    location=location,
                    quantity=qty,
                    note="found on the shelf" if qty > 0 else "missing",
                ),
                {(location.pk, product.pk): qty},
            )

        @rule(
            product=st.sampled_from(products),
            location=st.sampled_from(locations),
            data=st.data(),
        )
        def adjust_to(self, product, location, data):
            key = (location.pk, product.pk)
            target = max(self.amount(data, product) - 1, ZERO)  # sometimes 0

            def call():
                return services.stock_adjust(
                    business=business,
                    actor=actor,
                    product=product,
                    location=location,
                    new_quantity=target,
                    note="recount",
                )

            if target == self.expected[key]:  # nothing to adjust: refused, nothing written
                with pytest.raises(ValidationFailed):
                    call()
                return
            call()
            self.expected[key] = target

        @rule(location=st.sampled_from(locations), data=st.data())
        def count(self, location, data):
            chosen = data.draw(st.lists(st.sampled_from(products), unique=True, max_size=3))
            sheet = services.stock_count_start(location=location, actor=actor)
            counted = {}
            for product in chosen:
                counted[product.pk] = max(self.amount(data, product) - 1, ZERO)
                services.stock_count_set_line(
                    count=sheet, actor=actor, product=product, counted=counted[product.pk]
                )
            if data.draw(st.booleans()):
                services.stock_count_cancel(count=sheet, actor=actor)
                return
            services.stock_count_validate(count=sheet, actor=actor)
            for pk, qty in counted.items():
                self.expected[(location.pk, pk)] = qty

        # --- the invariant ---

        @invariant()
        def level_is_the_sum_of_its_movements(self):
            levels = dict.fromkeys(keys, ZERO)
            for loc, prod, qty in StockLevel.objects.filter(business=business).values_list(
                "location_id", "product_id", "quantity"
            ):
                levels[(loc, prod)] = qty
            sums = dict.fromkeys(keys, ZERO)
            for row in (
                StockMovement.objects.filter(business=business)
                .values("location_id", "product_id")
                .annotate(total=Sum("quantity"), n=Count("id"))
            ):
                # SQLite sums decimals as floats: round to the ledger's 3 places.
                sums[(row["location_id"], row["product_id"])] = row["total"].quantize(STEP)
            assert levels == sums == self.expected
            if not allow_negative:
                assert all(qty >= 0 for qty in levels.values())

    return Ledger


@pytest.mark.parametrize("allow_negative", [False, True], ids=["forbidden", "allowed"])
def test_level_is_always_the_sum_of_its_movements(allow_negative):
    owner = make_business("Ledger Shop")
    business = owner.business
    if allow_negative:
        services.business_set_allow_negative_stock(business=business, actor=owner.user, allow=True)
        business.refresh_from_db()
    products = [
        make_product(business, "Croissant"),
        make_product(business, "Café"),
        make_product(business, "Farine", unit=Unit.KG),
    ]
    locations = [
        make_location(business, default=True),
        make_location(business, "Back room"),
        make_location(business, "Warehouse"),
    ]
    machine = build_machine(business, owner.user, products, locations)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=35,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            stateful_step_count=20,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
