"""What every write on a purchase order shares, whichever step it is.

Drafting and sending (`services`) and receiving, closing and cancelling
(`services_receipts`) both lock the PO row the same way, append the same
`PurchaseOrderEvent`, emit the same `purchase_order.<action>` events and check
the goods' location the same way. Those pieces live here, below both modules,
so that neither imports the other: `services` re-exports the receipt actions
for its callers without an import cycle.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from hanout.core import clock, events
from hanout.core.errors import ValidationFailed
from hanout.core.models import Business
from hanout.inventory.ledger import own
from hanout.inventory.models import Location
from hanout.purchasing.models import POStatus, PurchaseOrder, PurchaseOrderEvent

OPEN = (POStatus.SENT, POStatus.PARTIAL)


def _fail(field: str, message: str, *, code: str | None = None, cls=ValidationFailed):
    return cls(f"{field}: {message}" if field else message, code=code, fields={field: [message]})


def local_today(order_or_location) -> date:
    """Today in the time zone of the shop the goods go to."""
    location = getattr(order_or_location, "location", order_or_location)
    return clock.now().astimezone(location.shop.tz).date()


def _check_location(business: Business, location) -> Location:
    own(business, location, field="location")
    if not location.is_active:
        raise _fail("location", _("This location is inactive."))
    return location


def _event(order: PurchaseOrder, actor, status: str, note: str = "", at=None) -> None:
    PurchaseOrderEvent.objects.create(
        business_id=order.business_id,
        order=order,
        status=status,
        at=at or clock.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:500],
    )


def _emit(name: str, order: PurchaseOrder, **extra) -> None:
    events.emit(
        name,
        business=order.business,
        payload={
            "id": order.pk,
            "number": order.number,
            "status": order.status,
            "supplier": order.supplier_id,
            **extra,
        },
    )


def _locked(order: PurchaseOrder) -> PurchaseOrder:
    """The PO re-read under a row lock (its business, supplier and location with it)."""
    return (
        PurchaseOrder.objects.select_for_update(of=("self",), no_key=True)
        .select_related("business", "supplier", "location__shop")
        .get(pk=order.pk, business_id=order.business_id)
    )


def _who(actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
