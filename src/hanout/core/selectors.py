"""Reads for the home page, settings and the history page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from django.db.models import Q

from hanout.core.models import AuditEntry, Business, OpeningHours, Shop

AUDIT_PAGE_SIZE = 50


def shop_list(*, business: Business):
    return (
        Shop.objects.for_business(business).prefetch_related("opening_hours").order_by("name", "id")
    )


def shop_get(*, business: Business, pk) -> Shop:
    return shop_list(business=business).get(pk=pk)


def hours_initial(shop: Shop | None) -> list[dict]:
    """One row per weekday for the opening-hours form, Monday first."""
    rows = {h.weekday: h for h in shop.opening_hours.all()} if shop else {}
    out = []
    for day in range(7):
        h = rows.get(day)
        out.append(
            {
                "weekday": day,
                "opens_at": h.opens_at if h else time(8, 0),
                "closes_at": h.closes_at if h else time(19, 0),
                "is_closed": h.is_closed if h else day == 6,
            }
        )
    return out


def home_summary(*, business: Business, membership) -> dict:
    from hanout.accounts.selectors import member_list, pending_request_count
    from hanout.core.permissions import Module

    members = (
        list(member_list(business=business, active=True)[:12])
        if membership.can_read(Module.STAFF)
        else []
    )
    recent = (
        list(
            AuditEntry.objects.for_business(business)
            .select_related("actor")
            .order_by("-at", "-id")[:10]
        )
        if membership.can_read(Module.SETTINGS)
        else []
    )
    return {
        "shops": list(shop_list(business=business)),
        "members": members,
        "member_count": member_list(business=business, active=True).count(),
        "recent": recent,
        "pending_requests": pending_request_count(business=business)
        if membership.can_edit(Module.STAFF)
        else 0,
    }


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    next_cursor: str | None


def audit_page(*, business: Business, filters: dict, cursor: str | None) -> AuditPage:
    """One page of history, newest first, with a keyset cursor to the next page."""
    from hanout.accounts.selectors import audit_list

    day_from = filters.get("date_from")
    day_to = filters.get("date_to")
    qs = audit_list(
        business=business,
        search=filters.get("q") or "",
        actor=filters.get("actor"),
        action=filters.get("action") or "",
        object_type=filters.get("object_type") or "",
        since=_start_of(day_from) if day_from else None,
        until=_start_of(day_to) + timedelta(days=1) if day_to else None,
    )
    if cursor:
        try:
            anchor = AuditEntry.objects.for_business(business).get(pk=uuid.UUID(cursor))
        except (ValueError, AuditEntry.DoesNotExist):
            anchor = None
        if anchor:
            qs = qs.filter(Q(at__lt=anchor.at) | Q(at=anchor.at, id__lt=anchor.id))
    entries = list(qs[: AUDIT_PAGE_SIZE + 1])
    more = len(entries) > AUDIT_PAGE_SIZE
    entries = entries[:AUDIT_PAGE_SIZE]
    return AuditPage(entries=entries, next_cursor=str(entries[-1].id) if more else None)


def _start_of(day) -> datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.min))


def opening_hours_for(*, shop: Shop) -> list[OpeningHours]:
    return list(shop.opening_hours.all())


# business id → (time zone, read at): every request needs it, it almost never changes.
_ZONE_CACHE: dict[str, tuple[str | None, float]] = {}
ZONE_CACHE_SECONDS = 30.0


def business_time_zone(business) -> str | None:
    """The time zone of the business's first shop (where it was registered).

    Kept in this process for ZONE_CACHE_SECONDS: it is read on every request,
    and a query per request is a fifth of a barcode lookup's time. The shop
    services forget it when a shop changes, so this process sees a change at
    once and other app processes within half a minute.
    """
    key = str(business.pk)
    cached = _ZONE_CACHE.get(key)
    now = monotonic()
    if cached is not None and now - cached[1] < ZONE_CACHE_SECONDS:
        return cached[0]
    zone = (
        Shop.objects.for_business(business)
        .filter(is_active=True)
        .order_by("created_at", "id")
        .values_list("time_zone", flat=True)
        .first()
    )
    _ZONE_CACHE[key] = (zone, now)
    return zone


def business_zone(business) -> ZoneInfo:
    """`business_time_zone` as a ZoneInfo; UTC for a business with no shop."""
    return ZoneInfo(business_time_zone(business) or "UTC")


def forget_business_time_zone(business_id) -> None:
    _ZONE_CACHE.pop(str(business_id), None)
