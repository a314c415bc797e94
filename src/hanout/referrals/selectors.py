"""Reads of sponsorship, shared by the sponsor page, the API and the daily job.

"Active" sponsee (what the one-time reward waits for, and what the sponsor page
shows): the business is active (not closed by the operator) and, in the
`ACTIVITY_DAYS` days up to the day looked at, one of its active members signed in
or one of its registers recorded a sale.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.referrals.models import (
    ReferralCode,
    ReferralInvitation,
    RewardEntry,
    RewardProgramme,
    Sponsorship,
)

ACTIVITY_DAYS = 30
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed by hand


def normalize_code(raw) -> str:
    """What a person typed ("kach-7qx2 ") as stored ("KACH7QX2")."""
    text = str(raw or "").upper()
    return "".join(c for c in text if c.isascii() and c.isalnum())


def referral_code_find(code) -> ReferralCode | None:
    """The code's row (with its business), or None for an unknown or malformed code."""
    code = normalize_code(code)
    if not 6 <= len(code) <= 16:
        return None
    return ReferralCode.objects.select_related("business").filter(code=code).first()


def referral_code_get(*, business: Business) -> ReferralCode | None:
    return ReferralCode.objects.for_business(business).first()


def referral_link(code: str) -> str:
    """The absolute registration link that carries the code."""
    from django.urls import reverse

    base = settings.HANOUT_PUBLIC_URL.rstrip("/")
    return f"{base}{reverse('register')}?ref={code}"


def programme_for(day: datetime.date) -> RewardProgramme | None:
    """The programme in force on `day`: the active one with the latest start on or before it."""
    return (
        RewardProgramme.objects.filter(is_active=True, valid_from__lte=day)
        .order_by("-valid_from", "-created_at")
        .first()
    )


def _window(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, datetime.UTC
    )
    return end - datetime.timedelta(days=ACTIVITY_DAYS), end  # today and the 29 days before


def _activity(business_ref, day: datetime.date):
    """(signed in, sold) `Exists` conditions on the business named by `business_ref`."""
    from hanout.accounts.models import Membership
    from hanout.pos.models import Sale

    start, end = _window(day)
    signed_in = Membership.objects.filter(
        business=business_ref,
        is_active=True,
        user__last_login__gte=start,
        user__last_login__lt=end,
    )
    sold = Sale.objects.filter(business=business_ref, sold_at__gte=start, sold_at__lt=end)
    return Exists(signed_in), Exists(sold)


def active_flag_q(day: datetime.date):
    """A condition on Business rows: active on `day` (see the module doc)."""
    signed_in, sold = _activity(OuterRef("pk"), day)
    return Q(is_active=True) & (signed_in | sold)


def active_business_ids(ids, *, day: datetime.date) -> set:
    return set(
        Business.objects.filter(pk__in=list(ids))
        .filter(active_flag_q(day))
        .values_list("pk", flat=True)
    )


def sponsee_list(*, business: Business, day: datetime.date):
    """The sponsor's sponsees, newest first, annotated with `signed_in` and `sold`
    (see `is_active_now`) and `reward_count`; one query whatever the number of rows."""
    signed_in, sold = _activity(OuterRef("sponsee"), day)
    return (
        Sponsorship.objects.for_business(business)
        .select_related("sponsee")
        .annotate(signed_in=signed_in, sold=sold, reward_count=Count("rewards"))
        .order_by("-since", "-created_at")
    )


def is_active_now(sponsorship) -> bool:
    return bool(sponsorship.sponsee.is_active and (sponsorship.signed_in or sponsorship.sold))


def reward_list(*, business: Business):
    """The sponsor's ledger, newest first, with the sponsee's name in one query."""
    return (
        RewardEntry.objects.for_business(business)
        .select_related("sponsorship__sponsee", "programme")
        .order_by("-earned_on", "-created_at", "-id")
    )


def reward_get(*, business: Business, pk) -> RewardEntry:
    return reward_list(business=business).get(pk=pk)


@dataclass
class Totals:
    """Revenue from sponsoring, by currency (usually one)."""

    by_currency: dict[str, Decimal] = field(default_factory=dict)
    sponsees: int = 0
    active_sponsees: int = 0

    @property
    def rows(self) -> list[dict]:
        return [{"currency": c, "total": t} for c, t in sorted(self.by_currency.items())]


def reward_totals(*, business: Business) -> dict[str, Decimal]:
    rows = (
        RewardEntry.objects.for_business(business)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return {r["currency"]: quantize(r["total"], r["currency"]) for r in rows}


def referral_summary(*, business: Business, day: datetime.date) -> Totals:
    """Totals for the page header and `GET /api/v1/referrals/`."""
    sponsorships = Sponsorship.objects.for_business(business)
    ids = list(sponsorships.values_list("sponsee_id", flat=True))
    return Totals(
        by_currency=reward_totals(business=business),
        sponsees=len(ids),
        active_sponsees=len(active_business_ids(ids, day=day)) if ids else 0,
    )


def rewards_by_month(*, business: Business, first: datetime.date, months: int = 12) -> dict:
    """{currency: [(month_start, total), …]} for `months` months starting at `first`
    (the 1st of a month); months without entries are 0."""
    firsts = []
    y, m = first.year, first.month
    for _ in range(months):
        firsts.append(datetime.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    last = firsts[-1]
    end = datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    rows = (
        RewardEntry.objects.for_business(business)
        .filter(earned_on__gte=firsts[0], earned_on__lt=end)
        .annotate(month=TruncMonth("earned_on"))
        .values("month", "currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    found: dict[str, dict] = defaultdict(dict)
    for r in rows:
        month = r["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        found[r["currency"]][month] = r["total"]
    return {
        currency: [(f, quantize(per.get(f, 0), currency)) for f in firsts]
        for currency, per in found.items()
    }


def invitations_since(*, business: Business, since: datetime.datetime) -> int:
    return ReferralInvitation.objects.for_business(business).filter(created_at__gte=since).count()
