"""Demo data for the hub sync page (for hanout.demo.load_demo; idempotent).

Each demo business is also a hub waiting for a second shop: one store link whose pairing
code was made and never used (the code itself is not kept, as in real life: the owner
makes a new one to try it). Nothing here calls out.
"""

from __future__ import annotations


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.accounts.models import Membership
    from hanout.sync import services
    from hanout.sync.models import StoreLink

    if StoreLink.objects.filter(business=business).exists():
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    services.store_link_create(business=business, name=f"{business.name} — 2", actor=owner)
