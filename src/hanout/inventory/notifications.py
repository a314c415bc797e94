"""Low-stock alerts: the `stock.low` event becomes an in-app note and an email.

The ledger emits `stock.low` after commit, once per downward crossing of a
level's threshold (see `services._post`); everyone with access to Stock (read
or full) is told, each in their own language. One operation that makes
several levels low sends one message listing them.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hanout.core import events
from hanout.core.permissions import Module


def _link() -> str:
    """The low-stock page; an alert still goes out without a link if pages are missing."""
    for name in ("stock_low", "stock_levels"):
        try:
            return reverse(name)
        except (NoReverseMatch, ImportError):
            continue
    return ""


def _qty(value) -> str:
    from hanout.inventory.services import qty_text

    return qty_text(value)


@events.subscribe("stock.low")
def notify_low_stock(event: events.Event) -> None:
    from hanout.accounts.models import Membership
    from hanout.core.models import Business
    from hanout.notifications.services import in_language, notify

    business = Business.objects.get(pk=event.business_id)
    levels = event.payload.get("levels", [])
    if not levels:
        return
    members = (
        Membership.objects.filter(business=business, is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("module_access")
    )
    link = _link()
    for member in members:
        if not member.can_read(Module.STOCK):
            continue
        with in_language(member.user.language or business.default_language):
            if len(levels) == 1:
                title = _("Low stock: %(product)s at %(location)s") % {
                    "product": levels[0]["product_name"],
                    "location": levels[0]["location_name"],
                }
            else:
                title = ngettext(
                    "Low stock: %(count)d product", "Low stock: %(count)d products", len(levels)
                ) % {"count": len(levels)}
            body = "\n".join(
                _("%(product)s at %(location)s: %(quantity)s left (threshold %(threshold)s).")
                % {
                    "product": level["product_name"],
                    "location": level["location_name"],
                    "quantity": _qty(level["quantity"]),
                    "threshold": _qty(level["reorder_point"]),
                }
                for level in levels
            )
            notify(
                business=business,
                recipient=member.user,
                kind="stock.low",
                title=title,
                body=body,
                link=link,
            )
