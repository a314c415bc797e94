"""Reads of the marketplace, for pages, the API and the administrators' queue.

The marketplace is the one place where a business reads other businesses' rows:
published listings (and their pictures and ownership history) are public to
every business; an offer or a purchase is visible to its two parties only; a
wallet, its entries and its requests only to its own business. Anything else
is "not found".
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from hanout.catalog.search import fold
from hanout.core.errors import NotFound
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.marketplace.models import (
    OFFER_LIVE,
    PURCHASE_OPEN,
    EntryKind,
    Listing,
    ListingStatus,
    MarketProfile,
    Offer,
    Purchase,
    PurchaseStatus,
    RequestStatus,
    Wallet,
    WalletEntry,
    WalletRequest,
)


def valid_id(pk) -> bool:
    """A malformed id names nothing: a 404 like an unknown one, not a 400."""
    try:
        uuid.UUID(str(pk))
    except ValueError:
        return False
    return True


DEFAULT_SORT = "recent"
SORTS = {
    "recent": ["-published_at", "-id"],
    "price": ["price", "-published_at", "-id"],
    "-price": ["-price", "-published_at", "-id"],
    "name": ["name", "id"],
}


def wallet_get(business: Business) -> Wallet:
    """The business's wallet (an empty unsaved one before its first entry)."""
    return Wallet.objects.filter(business=business).first() or Wallet(
        business=business, currency=business.currency
    )


def entry_list(
    *,
    business: Business,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[WalletEntry]:
    qs = WalletEntry.objects.for_business(business).select_related(
        "counterparty", "purchase__listing"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs.order_by("-seq")


def ledger_table(
    entries: QuerySet[WalletEntry], *, tz, typed: bool = False
) -> tuple[list, Iterator[list]]:
    """(header, rows) of the wallet ledger export, for the page's CSV and the API's
    CSV/XLSX: amounts in their currency's decimals, times in `tz`, named in the header.

    The time is text ("2026-03-01 14:05") for a CSV; `typed` makes it a datetime in `tz`
    without its zone (a spreadsheet's dates have none), for an XLSX date cell."""
    header = [
        _("Number"),
        _("Date (%(zone)s)") % {"zone": tz.key},
        _("Kind"),
        _("Balance change"),
        _("Held change"),
        _("Balance after"),
        _("Held after"),
        _("Currency"),
        _("Counterparty"),
        _("Item"),
    ]
    rows = (
        [
            e.seq,
            _moment(e.created_at, tz, typed),
            e.get_kind_display(),
            quantize(e.posted_change, e.currency),
            quantize(e.held_change, e.currency),
            quantize(e.posted_after, e.currency),
            quantize(e.held_after, e.currency),
            e.currency,
            e.counterparty.name if e.counterparty_id else "",
            e.purchase.listing.name if e.purchase_id else "",
        ]
        for e in entries.iterator(chunk_size=500)
    )
    return header, rows


def _moment(at: datetime, tz, typed: bool):
    local = at.astimezone(tz).replace(second=0, microsecond=0)
    return local.replace(tzinfo=None) if typed else local.strftime("%Y-%m-%d %H:%M")


def request_list(*, business: Business, status: str | None = None) -> QuerySet[WalletRequest]:
    qs = WalletRequest.objects.for_business(business)
    return qs.filter(status=status) if status else qs


def request_get(*, business: Business, pk) -> WalletRequest:
    if not valid_id(pk):
        raise NotFound(_("This request was not found."))
    found = WalletRequest.objects.for_business(business).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This request was not found."))
    return found


# --- listings ----------------------------------------------------------------------------------


def listing_browse(
    *,
    q: str = "",
    category: str | None = None,
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
    country: str | None = None,
    currency: str | None = None,
    seller: Business | None = None,
    sort: str = "recent",
) -> QuerySet[Listing]:
    """Published listings with something left, filtered (accent-insensitive search)."""
    qs = Listing.objects.filter(status=ListingStatus.PUBLISHED, quantity__gt=0).select_related(
        "business"
    )
    for word in fold(q).split()[:8]:
        qs = qs.filter(search_text__contains=word)
    if category:
        qs = qs.filter(category=category)
    if min_price is not None:
        qs = qs.filter(price__gte=min_price)
    if max_price is not None:
        qs = qs.filter(price__lte=max_price)
    if country:
        qs = qs.filter(country=country.upper())
    if currency:
        qs = qs.filter(currency=currency.upper())
    if seller is not None:
        qs = qs.filter(business=seller)
    return qs.order_by(*SORTS.get(sort, SORTS["recent"])).prefetch_related("images")


def listing_list_own(*, business: Business, status: str | None = None) -> QuerySet[Listing]:
    qs = Listing.objects.for_business(business).prefetch_related("images")
    return qs.filter(status=status) if status else qs


def listing_get(*, viewer: Business, pk) -> Listing:
    """A listing the viewer may see: any published one, or its own in any state."""
    if not valid_id(pk):
        raise NotFound(_("This listing was not found."))
    found = (
        Listing.objects.filter(Q(status=ListingStatus.PUBLISHED) | Q(business=viewer), pk=pk)
        .select_related("business", "product", "location")
        .prefetch_related("images")
        .first()
    )
    if found is None:
        raise NotFound(_("This listing was not found."))
    return found


def listing_get_own(*, business: Business, pk) -> Listing:
    if not valid_id(pk):
        raise NotFound(_("This listing was not found."))
    found = Listing.objects.for_business(business).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This listing was not found."))
    return found


def ownership_history(listing: Listing) -> list:
    """Every owner of the listing's goods, oldest first, with the day and the price paid."""
    return list(listing.owners.select_related("business").order_by("since", "id"))


# --- offers and purchases ------------------------------------------------------------------------


def _sides(qs, business: Business, side: str | None):
    if side == "buyer":
        return qs.filter(business=business)
    if side == "seller":
        return qs.filter(seller=business)
    return qs.filter(Q(business=business) | Q(seller=business))


def offer_list(
    *, business: Business, side: str | None = None, status: str | None = None
) -> QuerySet[Offer]:
    """The business's offers, made (`side` buyer) or received (seller), each with its
    history (the buyer's first terms, then each counter-offer) fetched in one query."""
    qs = _sides(
        Offer.objects.select_related("listing", "business", "seller").prefetch_related("history"),
        business,
        side,
    )
    if status == "live":
        return qs.filter(status__in=OFFER_LIVE)
    return qs.filter(status=status) if status else qs


def offer_get(*, business: Business, pk) -> Offer:
    if not valid_id(pk):
        raise NotFound(_("This offer was not found."))
    found = (
        _sides(
            Offer.objects.select_related("listing", "business", "seller").prefetch_related(
                "history"
            ),
            business,
            None,
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("This offer was not found."))
    return found


def purchase_list(
    *, business: Business, side: str | None = None, status: str | None = None
) -> QuerySet[Purchase]:
    qs = _sides(Purchase.objects.select_related("listing", "business", "seller"), business, side)
    if status == "open":
        return qs.filter(status__in=PURCHASE_OPEN)
    return qs.filter(status=status) if status else qs


def purchase_get(*, business: Business, pk) -> Purchase:
    if not valid_id(pk):
        raise NotFound(_("This purchase was not found."))
    found = _sides(Purchase.objects.select_related("listing"), business, None).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This purchase was not found."))
    return found


# --- profile and analytics ------------------------------------------------------------------------


def profile_get(business: Business) -> MarketProfile:
    return MarketProfile.objects.filter(business=business).first() or MarketProfile(
        business=business
    )


def profile_summary(business: Business) -> dict:
    """What the profile page shows besides the profile itself."""
    own = Listing.objects.for_business(business)
    return {
        "wallet": wallet_get(business),
        "unsold": own.filter(status=ListingStatus.PUBLISHED, quantity__gt=0).count(),
        "sold": Purchase.objects.filter(seller=business, status=PurchaseStatus.COMPLETED).count(),
        "purchased": Purchase.objects.filter(
            business=business, status=PurchaseStatus.COMPLETED
        ).count(),
        "offers_in": Offer.objects.filter(seller=business, status__in=OFFER_LIVE).count(),
        "offers_out": Offer.objects.filter(business=business, status__in=OFFER_LIVE).count(),
    }


def profile_items(business: Business, *, limit: int = 5) -> dict:
    """The latest of each list the profile shows: items bought and sold (completed
    purchases), listings still for sale, and the offers waiting in and out. The page links
    to the full lists."""
    own = Listing.objects.for_business(business)
    return {
        "purchased": list(
            purchase_list(business=business, side="buyer", status=PurchaseStatus.COMPLETED)[:limit]
        ),
        "sold": list(
            purchase_list(business=business, side="seller", status=PurchaseStatus.COMPLETED)[:limit]
        ),
        "unsold": list(own.filter(status=ListingStatus.PUBLISHED, quantity__gt=0)[:limit]),
        "offers_in": list(
            offer_list(business=business, side="seller", status="live").order_by("expires_at")[
                :limit
            ]
        ),
        "offers_out": list(
            offer_list(business=business, side="buyer", status="live").order_by("expires_at")[
                :limit
            ]
        ),
    }


TOTAL_KINDS = {
    "deposited": EntryKind.DEPOSIT,
    "withdrawn": EntryKind.WITHDRAWAL,
    "earned": EntryKind.SALE,
    "spent": EntryKind.PURCHASE,
}


def analytics(*, business: Business, since: date | None = None, until: date | None = None) -> dict:
    """Totals earned, deposited, withdrawn and spent; top items; the same by month."""
    entries = WalletEntry.objects.for_business(business)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    sums = dict(
        entries.values("kind").annotate(total=Sum("posted_change")).values_list("kind", "total")
    )
    totals = {name: abs(sums.get(kind) or Decimal(0)) for name, kind in TOTAL_KINDS.items()}
    by_month: dict[str, dict] = {}
    rows = (
        entries.filter(kind__in=TOTAL_KINDS.values())
        .annotate(month=TruncMonth("created_at"))
        .values("month", "kind")
        .annotate(total=Sum("posted_change"))
        .order_by("month")
    )
    names = {kind: name for name, kind in TOTAL_KINDS.items()}
    for row in rows:
        month = row["month"].strftime("%Y-%m")
        by_month.setdefault(month, dict.fromkeys(TOTAL_KINDS, Decimal(0)))[names[row["kind"]]] = (
            abs(row["total"])
        )
    sold = Purchase.objects.filter(seller=business, status=PurchaseStatus.COMPLETED)
    if since:
        sold = sold.filter(completed_at__date__gte=since)
    if until:
        sold = sold.filter(completed_at__date__lte=until)
    per_item = sold.values("listing_id", "listing__name").annotate(
        count=Count("id"), quantity=Sum("quantity"), revenue=Sum("amount")
    )
    top = [
        {
            "listing": r["listing_id"],
            "name": r["listing__name"],
            "count": r["count"],
            "quantity": r["quantity"],
            "revenue": r["revenue"],
        }
        for r in per_item
    ]
    return {
        "currency": business.currency,
        "totals": totals,
        "pending_requests": WalletRequest.objects.for_business(business)
        .filter(status=RequestStatus.PENDING)
        .count(),
        "by_month": [{"month": m, **v} for m, v in sorted(by_month.items())],
        "top_by_count": sorted(top, key=lambda r: (-r["count"], -r["revenue"]))[:10],
        "top_by_revenue": sorted(top, key=lambda r: (-r["revenue"], -r["count"]))[:10],
    }


# --- the administrators' queue --------------------------------------------------------------------


def admin_request_queue(
    *, status: str = RequestStatus.PENDING, kind: str | None = None
) -> QuerySet:
    """Deposits and withdrawals for the administrators: the pending ones oldest first
    (the work, in the order it came); any other choice ("All", decided) newest first."""
    qs = WalletRequest.objects.select_related("business", "requested_by", "decided_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if status == RequestStatus.PENDING:
        return qs.order_by("created_at", "id")
    return qs.order_by("-created_at", "-id")


def admin_purchase_queue() -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(status=PurchaseStatus.APPROVAL)
        .select_related("business", "seller", "listing")
        .order_by("confirmed_at", "id")
    )


def admin_request_get(pk) -> WalletRequest | None:
    """Any business's deposit or withdrawal, decided or not (for a platform administrator)."""
    return WalletRequest.objects.filter(pk=pk).select_related("business").first()


def admin_purchase_get(pk) -> Purchase | None:
    """Any purchase, waiting for approval or not (for a platform administrator)."""
    return Purchase.objects.filter(pk=pk).select_related("business", "seller", "listing").first()


def admin_decisions(*, limit: int = 50) -> list:
    """The platform administrators' latest decisions (and expiries), from the audit trail."""
    from hanout.core.models import AuditEntry

    actions = ["wallet.request_approve", "wallet.request_reject", "wallet.request_expire"]
    decided = (
        Q(action__in=actions)
        | Q(action="purchase.approve")
        | Q(action="purchase.cancel", actor__is_staff=True)  # rejected by an administrator
    )
    entries = list(
        AuditEntry.objects.filter(decided)
        .select_related("business", "actor")
        .order_by("-at")[:limit]
    )
    # The stored `object_repr` is in each business's language (it is the business's own
    # history): the administrators' list names the request or purchase again, from the
    # row itself, so it reads in the administrator's language (`str()` of `subject` when
    # the page is drawn). A row gone since keeps its stored name.
    wanted: dict[str, set] = {}
    for entry in entries:
        if entry.object_type in ("marketplace.walletrequest", "marketplace.purchase"):
            wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    found = {}
    if wanted.get("marketplace.walletrequest"):
        for r in WalletRequest.objects.filter(
            pk__in=_valid_ids(wanted["marketplace.walletrequest"])
        ).select_related("business"):
            found["marketplace.walletrequest", str(r.pk)] = r
    if wanted.get("marketplace.purchase"):
        for p in Purchase.objects.filter(
            pk__in=_valid_ids(wanted["marketplace.purchase"])
        ).select_related("business", "listing"):
            found["marketplace.purchase", str(p.pk)] = p
    for entry in entries:
        entry.subject = found.get((entry.object_type, entry.object_id))
    return entries


def _valid_ids(ids) -> list:
    return [i for i in ids if valid_id(i)]
