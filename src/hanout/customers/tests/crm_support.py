"""Builders for the CRM tests: a till, a customer, register sales sold to them
(the way the register will: customer on the sale before `sale.completed` fires)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from hanout.customers import services, services_loyalty
from hanout.pos import services as pos
from hanout.pos.models import Sale
from hanout.pos.tests.factories import open_session, sell

D = Decimal


def make_customer(owner, name="Hélène Dubois", **data):
    return services.customer_create(
        business=owner.business, actor=owner.user, data={"name": name, **data}
    )


def loyalty_on(owner, *, step="10", points=1, value="0.10"):
    return services_loyalty.loyalty_rule_set(
        business=owner.business,
        actor=owner.user,
        data={"enabled": True, "spend_step": step, "points_per_step": points, "point_value": value},
    )


def sell_to(till, customer, *items, capture=None, sold_at=None, **kwargs) -> Sale:
    """Sell `items` to `customer` at the till (a session is opened when none is), the
    way the register does: the customer goes to `sale_complete`.

    With `capture` (django_capture_on_commit_callbacks), the after-commit events
    run once the sale (and `sold_at`, when given) is written.
    """
    if not till.register.sessions.filter(status="open").exists():
        open_session(till)
    if capture is not None:
        with capture(execute=False) as callbacks:
            sale = sell(till, *items, customer=customer, **kwargs)
            _backdate(sale, sold_at)
        for callback in callbacks:
            callback()
    else:
        sale = sell(till, *items, customer=customer, **kwargs)
        _backdate(sale, sold_at)
    sale.refresh_from_db()
    return sale


def _backdate(sale, sold_at):
    if sold_at is not None:
        Sale.objects.filter(pk=sale.pk).update(sold_at=sold_at)


def return_part(sale, quantity, *, capture=None, owner=None) -> Sale:
    line = sale.lines.order_by("position").first()

    def go():
        return pos.sale_return(
            sale=sale,
            actor=owner.user if owner else sale.cashier,
            client_uuid=uuid.uuid4(),
            lines=[(line, D(quantity))],
            refund_method="cash",
            reason="Damaged",
        )

    if capture is None:
        return go()
    with capture(execute=True):
        ret = go()
    return ret


def days_ago(now, n) -> datetime.datetime:
    return now - datetime.timedelta(days=n)
