"""Demo data for webhooks (for hanout.demo.load_demo; idempotent).

Each demo business gets one endpoint with two recorded deliveries, then the
endpoint is switched off in the same transaction: the demo never calls out to
the internet (its queued jobs find the endpoint off and stop), and the pages
and the API have something to show. The owner can point it at their own
receiver and switch it on.
"""

from __future__ import annotations

from django.db import transaction

DEMO_URL = "https://93.184.215.14/hanout-demo-webhooks"  # a public address; switched off


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.accounts.models import Membership
    from hanout.core.events import Event
    from hanout.core.ids import uuid7
    from hanout.webhooks import services
    from hanout.webhooks.models import WebhookEndpoint
    from hanout.webhooks.services_deliveries import deliveries_for_event

    if WebhookEndpoint.objects.filter(business=business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    with transaction.atomic():
        endpoint, _secret = services.endpoint_create(
            business=business,
            actor=owner,
            data={
                "url": DEMO_URL,
                "events": ["sale.completed", "order.status_changed", "stock.low"],
                "description": "ERP (demo)",
            },
        )
        deliveries_for_event(
            event=Event("sale.completed", str(business.pk), {"id": str(uuid7()), "total": "12.40"})
        )
        deliveries_for_event(
            event=Event(
                "order.status_changed",
                str(business.pk),
                {"id": str(uuid7()), "from": "draft", "to": "confirmed"},
            )
        )
        services.endpoint_update(endpoint=endpoint, actor=owner, data={"is_active": False})
