"""Demo data for the hub sync page (for hanout.demo.load_demo; idempotent).

Each demo business is also a hub waiting for a second shop: one store link whose pairing
code was made and never used (the code itself is not kept, as in real life: the owner
makes a new one to try it). And a season's pop-up stall that synced, then was revoked,
left one conflict to settle: a product it renamed while the hub kept the name (the
Conflicts page). Nothing here calls out.
"""

from __future__ import annotations


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.accounts.models import Membership
    from hanout.sync import services
    from hanout.sync.models import StoreLink

    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    if not StoreLink.objects.filter(business=business).exists():
        services.store_link_create(business=business, name=f"{business.name} — 2", actor=owner)
    _pop_up_conflict(business, owner)


def _pop_up_conflict(business, owner) -> None:
    from datetime import timedelta

    from hanout.catalog.models import Product
    from hanout.core import clock
    from hanout.sync.models import StoreLink, SyncConflict

    if SyncConflict.objects.filter(business=business).exists():
        return
    product = Product.objects.filter(business=business).order_by("name").first()
    if product is None:
        return
    now = clock.now()
    # Revoked after its season: a live link would make this hub note every change for it.
    stall = StoreLink.objects.create(
        business=business,
        name=f"{business.name} — pop-up",
        created_by=owner,
        linked_at=now - timedelta(days=40),
        last_sync_at=now - timedelta(days=10),
        revoked_at=now - timedelta(days=9),
        received_count=1240,
    )
    SyncConflict.objects.create(
        business=business,
        link=stall,
        model="catalog.product",
        row_id=product.pk,
        row_label=product.name,
        field="name",
        store_value=f"{product.name} (pop-up)",
        hub_value=product.name,
        base_value=product.name,
        applied="hub",
        store_by=owner.full_name or owner.email,
        store_at=now - timedelta(days=12),
        hub_by=owner.full_name or owner.email,
        hub_at=now - timedelta(days=11),
    )
