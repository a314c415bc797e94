"""The reports' shared fixture: a Brussels shop with two registers and three tickets
over a Monday and a Tuesday of March 2026 (see `till`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanout.core import clock
from hanout.core.models import Shop
from hanout.core.permissions import Role
from hanout.inventory import services as inventory
from hanout.pos.tests.factories import make_register, make_till, open_session, sell
from hanout.reports import services
from hanout.reports.tests.support import MONDAY, TUESDAY, at
from tests.factories import make_member

D = Decimal


@pytest.fixture
def till(monkeypatch):
    """Monday: 2 croissants cash (2.00) at the first till; Tuesday: a café by card at
    the first till (2.50) and a deodorant (21 %) in cash at the second, by Awa (4.50).
    The clock stays at Tuesday 18:00."""
    monkeypatch.setattr(clock, "now", lambda: at(MONDAY, 8))
    till = make_till(quantity=None)
    Shop.objects.filter(pk=till.shop.pk).update(time_zone="Europe/Brussels")
    till.shop.refresh_from_db()
    for key, cost in (("croissant", "0.40"), ("cafe", "1.00"), ("deo", "2.00")):
        inventory.stock_receive(
            business=till.business,
            actor=None,
            product=till[key],
            location=till.location,
            quantity=D(100),
            unit_cost=D(cost),
        )
    open_session(till)
    till.second = make_register(till.owner, "Caisse 2")
    till.cashier = make_member(till.owner, role=Role.CASHIER, full_name="Awa Diallo")
    open_session(till.second, till.cashier.user)
    # Monday: 2 croissants cash (2.00) at the first till; Tuesday: a café by card at the
    # first till (2.50) and a deodorant (21 %) in cash at the second, by Awa (4.50).
    sell(till, ("croissant", 2))
    monkeypatch.setattr(clock, "now", lambda: at(TUESDAY, 11))
    sell(till, ("cafe", 1), card="2.50")
    sell(till, ("deo", 1), register=till.second, user=till.cashier.user)
    services.daily_refresh_pending(business=till.business)
    monkeypatch.setattr(clock, "now", lambda: at(TUESDAY, 18))
    return till
