"""The demo sponsorship: Alma7al registered with Kaching's code; rewards, a reversal; once."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hanout.core.models import Business
from hanout.referrals import demo, selectors
from hanout.referrals.models import ReferralCode, RewardEntry, RewardKind, Sponsorship
from tests.factories import UserFactory, make_business

pytestmark = pytest.mark.django_db


def test_the_demo_makes_alma7al_kachings_sponsee_with_rewards_once():
    kaching_owner = UserFactory(email="admin@kaching.example")
    kaching = make_business("Boulangerie Kaching", owner=kaching_owner).business
    alma_owner = UserFactory(email="admin@alma7al.example")
    alma7al = make_business("Alma7al", owner=alma_owner, currency="MAD", country="MA").business
    businesses = Business.objects.count()
    for business, owner in ((kaching, kaching_owner), (alma7al, alma_owner)):
        demo.load(business, {"owner": SimpleNamespace(email=owner.email)})
    assert Business.objects.count() == businesses  # no extra business
    s = Sponsorship.objects.get()
    assert (s.business, s.sponsee) == (kaching, alma7al) and s.since < s.created_at.date()
    entries = RewardEntry.objects.filter(business=kaching)
    kinds = set(entries.values_list("kind", flat=True))
    assert kinds == {RewardKind.ONE_TIME, RewardKind.FEE_SHARE, RewardKind.REVERSAL}
    assert entries.filter(kind=RewardKind.FEE_SHARE).count() >= 6
    assert selectors.reward_totals(business=kaching)["EUR"] > 50
    assert ReferralCode.objects.count() == 2 and not RewardEntry.objects.filter(business=alma7al)
    count = entries.count()
    for business, owner in ((kaching, kaching_owner), (alma7al, alma_owner)):
        demo.load(business, {"owner": SimpleNamespace(email=owner.email)})
    assert RewardEntry.objects.count() == count and Sponsorship.objects.count() == 1
