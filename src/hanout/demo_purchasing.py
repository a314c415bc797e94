"""Demo purchase orders (called by hanout.demo.load_demo; idempotent).

For each demo business, through the real services, to each supplier:

- an order sent 26 days ago, expected 22 days ago, received in two deliveries
  (the first on time, the second two days late): status *received*;
- an order sent 9 days ago, expected 5 days ago, one partial delivery: *partial*;
- an order sent 2 days ago, awaiting delivery: *sent*;
- a draft started today (for the first supplier only), and a cancelled one.

Orders are drafted and sent "in the past" (the clock is pinned while the PO and
its events are written) and no email leaves. Deliveries keep their past
`received_at`, but their stock movements are posted now: moving stock in the
past would give the ledger's `balance_after` values out of time order with the
demo's sales.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from hanout.accounts.models import Membership
from hanout.demo_catalog import _at
from hanout.inventory.models import StockLevel
from hanout.purchasing import services
from hanout.purchasing.models import PurchaseOrder
from hanout.suppliers.models import Supplier, SupplierProduct


def _lines(items, factor: int) -> list[services.POLineInput]:
    return [
        services.POLineInput(
            product=item.product,
            quantity=max(item.min_order_quantity, Decimal(1)) * factor,
        )
        for item in items
    ]


def _sent(business, owner, supplier, items, *, days_ago: int, lead: int, factor: int, note=""):
    now = timezone.now()
    moment = now - datetime.timedelta(days=days_ago, hours=-1)
    with _at(moment.replace(hour=9, minute=5)):
        order = services.purchase_order_create(
            business=business,
            actor=owner,
            supplier=supplier,
            lines=_lines(items, factor),
            expected_on=(moment + datetime.timedelta(days=lead)).date(),
            note=note,
        )
    with _at(moment.replace(hour=9, minute=40)):
        order = services.purchase_order_send(order=order, actor=owner, notify=False)
    return order


def _deliver(order, owner, *, days_ago: int, share: Decimal, note: str, reason: str = ""):
    moment = (timezone.now() - datetime.timedelta(days=days_ago)).replace(hour=8, minute=20)
    lines = {
        line.pk: (line.quantity * share).quantize(Decimal(1))
        for line in order.lines.all()
        if (line.quantity * share).quantize(Decimal(1)) > 0
    }
    if not lines:
        return None
    return services.purchase_order_receive(
        order=order,
        actor=owner,
        lines=lines,
        delivery_note=note,
        over_receipt_reason=reason,
        received_at=min(moment, timezone.now()),
    )


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    if PurchaseOrder.objects.for_business(business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    suppliers = list(Supplier.objects.for_business(business).filter(is_active=True))
    for n, supplier in enumerate(suppliers):
        items = list(
            SupplierProduct.objects.filter(business=business, supplier=supplier)
            .select_related("product")
            .order_by("product__name")
        )
        if not items:
            continue
        # Products the demo shows as low stay low: they are on the order still on its way.
        low = set(
            StockLevel.objects.filter(business=business, is_low=True).values_list(
                "product_id", flat=True
            )
        )
        stocked = [item for item in items if item.product_id not in low] or items
        waiting = [item for item in items if item.product_id in low] + stocked
        full = _sent(business, owner, supplier, stocked, days_ago=26, lead=4, factor=2)
        _deliver(full, owner, days_ago=22, share=Decimal("0.5"), note=f"BL-{full.number:04d}-1")
        _deliver(full, owner, days_ago=20, share=Decimal("0.5"), note=f"BL-{full.number:04d}-2")
        partial = _sent(business, owner, supplier, stocked, days_ago=9, lead=4, factor=1)
        _deliver(partial, owner, days_ago=5, share=Decimal("0.5"), note=f"BL-{partial.number:04d}")
        _sent(business, owner, supplier, waiting[:3], days_ago=2, lead=3, factor=1)
        if n == 0:
            cancelled = services.purchase_order_create(
                business=business, actor=owner, supplier=supplier, lines=_lines(items[:1], 1)
            )
            services.purchase_order_cancel(
                order=cancelled, actor=owner, note=gettext("Duplicate order")
            )
            services.purchase_order_create(
                business=business, actor=owner, supplier=supplier, lines=_lines(items[:2], 3)
            )
