"""Sponsors, sponsees and a programme for the sponsorship tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hanout.accounts import services as accounts
from hanout.core import clock
from hanout.referrals import services
from hanout.referrals.models import RewardProgramme, Sponsorship
from tests.factories import UserFactory

_n = iter(range(1, 10**6))


def programme(**extra) -> RewardProgramme:
    values = {
        "name": "Standard",
        "one_time_amount": Decimal("50"),
        "currency": "EUR",
        "active_days_required": 30,
        "fee_percent": Decimal("10"),
        "fee_months": 12,
        "valid_from": datetime.date(2020, 1, 1),
    }
    values.update(extra)
    return RewardProgramme.objects.create(**values)


def sponsee_of(sponsor_business, *, name=None, days_ago=0, currency="EUR", country="BE"):
    """A business registered with `sponsor_business`'s code, `days_ago` days ago."""
    n = next(_n)
    code = services.referral_code_ensure(business=sponsor_business)
    owner = UserFactory(email=f"sponsee{n}@example.test")
    store = accounts.StoreDetails(
        name=name or f"Sponsee {n}",
        currency=currency,
        country=country,
        time_zone="Europe/Brussels",
        shop_name=f"Sponsee {n} main",
    )
    membership = accounts.business_register(store=store, owner=owner, referral_code=code.code)
    sponsorship = Sponsorship.objects.get(sponsee=membership.business)
    if days_ago:
        since = clock.now().date() - datetime.timedelta(days=days_ago)
        Sponsorship.objects.filter(pk=sponsorship.pk).update(since=since)
        sponsorship.refresh_from_db()
    return sponsorship


def signed_in_now(sponsorship) -> None:
    from hanout.accounts.models import User

    User.objects.filter(memberships__business=sponsorship.sponsee).update(last_login=clock.now())
