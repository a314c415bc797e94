"""Background job of sponsorship: grant the one-time rewards that became due (daily)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="23", hour="3"))
def accrue_referral_rewards() -> int:
    from hanout.core import clock
    from hanout.referrals.services import referral_rewards_accrue

    return referral_rewards_accrue(today=clock.now().date())
