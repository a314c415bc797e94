"""Demo data for sponsorship (for hanout.demo.load_demo; idempotent).

The story: Alma7al registered with Boulangerie Kaching's referral code about
seven months ago. So Kaching has a sponsee (active: Alma7al sells every day), a
one-time reward, monthly shares of the platform's fees and one reversed fee;
Alma7al has its own code and no sponsee yet. A demo reward programme is added
when the operator has none. No extra business is created (the demo stays two
businesses); the sponsorship is made by the same service registration calls.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from hanout.core import clock

PROGRAMME_NAME = "Hanout sponsorship (demo)"
# sponsee name → (sponsor name, days ago, monthly platform fee in EUR)
SPONSORED = {"Alma7al": ("Boulangerie Kaching", 200, Decimal("42.00"))}


def _programme():
    from hanout.referrals.models import RewardProgramme

    programme = RewardProgramme.objects.filter(is_active=True).first()
    if programme is None:
        programme = RewardProgramme.objects.create(
            name=PROGRAMME_NAME,
            one_time_amount=Decimal("50.00"),
            currency="EUR",
            active_days_required=30,
            fee_percent=Decimal("10.00"),
            fee_months=12,
            valid_from=datetime.date(2020, 1, 1),
        )
    return programme


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.accounts.models import Membership
    from hanout.core.models import Business
    from hanout.referrals import services
    from hanout.referrals.models import RewardKind, Sponsorship

    services.referral_code_ensure(business=business)
    if business.name not in SPONSORED or Sponsorship.objects.filter(sponsee=business).exists():
        return
    sponsor_name, days_ago, monthly_fee = SPONSORED[business.name]
    sponsor = Business.objects.filter(name=sponsor_name).first()
    if sponsor is None:
        return
    owner = Membership.objects.get(business=business, user__email=spec["owner"].email).user
    sponsor_owner = Membership.objects.filter(business=sponsor, role="owner").first().user
    today = clock.now().date()
    since = today - datetime.timedelta(days=days_ago)
    with transaction.atomic():
        _programme()
        code = services.referral_code_ensure(business=sponsor)
        sponsorship = services.sponsorship_create(
            sponsee=business, referral_code=code.code, actor=owner
        )
        # The demo tells a story that began months ago: date the sponsorship back.
        Sponsorship.objects.filter(pk=sponsorship.pk).update(since=since)
        day, n = since + datetime.timedelta(days=15), 0
        while day <= today:
            n += 1
            services.referral_fee_share_record(
                sponsee=business,
                fee_amount=monthly_fee * (Decimal("0.7") + Decimal(n % 4) / 10),
                currency="EUR",
                reference=f"DEMO-FEES-{day:%Y-%m}",
                day=day,
            )
            day += datetime.timedelta(days=30)
        # The one-time reward: Alma7al is active (its demo sales, its owner signing in).
        from hanout.accounts.models import User

        User.objects.filter(pk=owner.pk, last_login__isnull=True).update(last_login=clock.now())
        services.referral_rewards_accrue(today=today)
        first_fee = (
            sponsorship.rewards.filter(kind=RewardKind.FEE_SHARE).order_by("earned_on").first()
        )
        if first_fee is not None:
            services.referral_reward_reverse(
                entry=first_fee, reason="Frais remboursés au filleul (démo)", actor=sponsor_owner
            )
