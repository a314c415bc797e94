"""Sponsorship services: codes, registering with a code, the daily rewards, the fee
share hook, reversals, the immutable ledger and the email invitations."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hanout.accounts import services as accounts
from hanout.core import clock
from hanout.core.errors import ValidationFailed
from hanout.core.models import AuditEntry, Business
from hanout.referrals import selectors, services, tasks
from hanout.referrals.models import (
    ImmutableEntry,
    ReferralInvitation,
    RewardEntry,
    RewardKind,
    Sponsorship,
)
from hanout.referrals.tests.helpers import programme, signed_in_now, sponsee_of
from tests.factories import UserFactory, make_business

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return clock.now().date()


@pytest.fixture
def sponsor():
    return make_business("Sponsor bakery")


# --- codes -------------------------------------------------------------------------------------


def test_each_business_gets_one_short_readable_code_made_once(sponsor):
    code = services.referral_code_ensure(business=sponsor.business)
    assert len(code.code) == 8 and set(code.code) <= set(selectors.CODE_ALPHABET)
    assert services.referral_code_ensure(business=sponsor.business).pk == code.pk
    other = services.referral_code_ensure(business=make_business("Other").business)
    assert other.code != code.code
    # Typed by hand: lower case, spaces and dashes are forgiven.
    typed = f" {code.code[:4].lower()}-{code.code[4:]} "
    assert selectors.referral_code_find(typed).business == sponsor.business
    assert selectors.referral_code_find("NOPE") is None
    assert selectors.referral_code_find("") is None


def test_registering_with_a_code_makes_a_sponsee_with_audit_on_both_sides(sponsor):
    code = services.referral_code_ensure(business=sponsor.business)
    owner = UserFactory(email="new@example.test")
    store = accounts.StoreDetails(
        name="New shop", currency="EUR", country="BE", time_zone="Europe/Brussels", shop_name=""
    )
    membership = accounts.business_register(
        store=store, owner=owner, referral_code=code.code.lower()
    )
    s = Sponsorship.objects.get(sponsee=membership.business)
    assert s.business == sponsor.business and s.since == today() and s.code == code.code
    mine = AuditEntry.objects.for_business(sponsor.business).get(action="sponsorship.create")
    assert mine.object_id == str(s.pk)
    theirs = AuditEntry.objects.for_business(membership.business).get(action="sponsorship.join")
    # The sponsee's trail points at its own business, not at the sponsor's row.
    assert theirs.object_id == str(membership.business.pk)
    assert theirs.changes == {"referral_code": [None, code.code]}


def test_an_unknown_code_refuses_the_registration_and_creates_nothing(sponsor):
    before = Business.objects.count()
    store = accounts.StoreDetails(
        name="Lost", currency="EUR", country="BE", time_zone="Europe/Brussels", shop_name=""
    )
    with pytest.raises(ValidationFailed) as exc:
        accounts.business_register(store=store, owner=UserFactory(), referral_code="ZZZZZZZZ")
    assert "referral_code" in exc.value.fields
    assert Business.objects.count() == before and not Sponsorship.objects.exists()


def test_a_closed_sponsors_code_is_unknown(sponsor):
    code = services.referral_code_ensure(business=sponsor.business)
    Business.objects.filter(pk=sponsor.business.pk).update(is_active=False)
    with pytest.raises(ValidationFailed):
        services.check_referral_code(code.code)


def test_a_business_cannot_sponsor_itself_or_get_two_sponsors(sponsor):
    code = services.referral_code_ensure(business=sponsor.business)
    with pytest.raises(ValidationFailed):
        services.sponsorship_create(sponsee=sponsor.business, referral_code=code.code, actor=None)
    s = sponsee_of(sponsor.business)
    with pytest.raises(ValidationFailed):
        services.sponsorship_create(sponsee=s.sponsee, referral_code=code.code, actor=None)
    assert Sponsorship.objects.count() == 1


# --- one-time rewards --------------------------------------------------------------------------


def test_the_one_time_reward_waits_for_n_days_then_is_granted_once(sponsor):
    programme(active_days_required=30)
    young = sponsee_of(sponsor.business, days_ago=29)
    old = sponsee_of(sponsor.business, days_ago=30)
    signed_in_now(young)
    signed_in_now(old)
    assert services.referral_rewards_accrue(today=today()) == 1
    assert services.referral_rewards_accrue(today=today()) == 0  # idempotent
    entry = RewardEntry.objects.get()
    assert entry.sponsorship == old and entry.kind == RewardKind.ONE_TIME
    assert (entry.amount, entry.currency, entry.earned_on) == (Decimal("50.000"), "EUR", today())
    assert entry.business == sponsor.business
    # A day later the young one has its 30 days too.
    assert services.referral_rewards_accrue(today=today() + datetime.timedelta(days=1)) == 1
    assert services.referral_rewards_accrue(today=today() + datetime.timedelta(days=2)) == 0
    assert RewardEntry.objects.count() == 2
    assert (
        AuditEntry.objects.for_business(sponsor.business)
        .filter(action="referral_reward.create")
        .count()
        == 2
    )


def test_an_inactive_sponsee_earns_nothing_until_it_is_used(sponsor):
    programme()
    s = sponsee_of(sponsor.business, days_ago=40)
    from hanout.accounts.models import User

    User.objects.filter(memberships__business=s.sponsee).update(
        last_login=clock.now() - datetime.timedelta(days=45)
    )
    assert services.referral_rewards_accrue(today=today()) == 0
    signed_in_now(s)
    Business.objects.filter(pk=s.sponsee_id).update(is_active=False)
    assert services.referral_rewards_accrue(today=today()) == 0  # closed by the operator
    Business.objects.filter(pk=s.sponsee_id).update(is_active=True)
    assert services.referral_rewards_accrue(today=today()) == 1


def test_no_programme_or_no_one_time_amount_means_no_one_time_reward(sponsor):
    s = sponsee_of(sponsor.business, days_ago=60)
    signed_in_now(s)
    assert services.referral_rewards_accrue(today=today()) == 0
    programme(one_time_amount=Decimal("0"))
    assert services.referral_rewards_accrue(today=today()) == 0
    # A programme that started after the sponsee registered does not apply to it.
    programme(valid_from=today() - datetime.timedelta(days=10))
    assert services.referral_rewards_accrue(today=today()) == 0


def test_the_daily_job_grants_the_due_rewards(sponsor):
    programme()
    signed_in_now(sponsee_of(sponsor.business, days_ago=31))
    assert tasks.accrue_referral_rewards.call_local() == 1
    assert tasks.accrue_referral_rewards.call_local() == 0


# --- fee share (the hook) ----------------------------------------------------------------------


def test_fee_share_is_credited_within_the_window_once_per_fee(sponsor):
    programme(fee_percent=Decimal("12.5"), fee_months=3)
    s = sponsee_of(sponsor.business, days_ago=10)
    entry = services.referral_fee_share_record(
        sponsee=s.sponsee, fee_amount="7.99", reference="MKT-1"
    )
    assert (entry.kind, entry.amount, entry.currency) == (
        RewardKind.FEE_SHARE,
        Decimal("1.000"),
        "EUR",
    )
    again = services.referral_fee_share_record(
        sponsee=s.sponsee, fee_amount="7.99", reference="MKT-1"
    )
    assert again.pk == entry.pk and RewardEntry.objects.count() == 1
    # Last day of the window, then the day after it.
    last = services.add_months(s.since, 3) - datetime.timedelta(days=1)
    assert services.referral_fee_share_record(
        sponsee=s.sponsee, fee_amount="100", reference="MKT-2", day=last
    ).amount == Decimal("12.500")
    assert (
        services.referral_fee_share_record(
            sponsee=s.sponsee,
            fee_amount="100",
            reference="MKT-3",
            day=last + datetime.timedelta(days=1),
        )
        is None
    )
    assert selectors.reward_totals(business=sponsor.business) == {"EUR": Decimal("13.50")}


def test_fee_share_for_a_business_without_sponsor_or_bad_input(sponsor):
    programme()
    lonely = make_business("Lonely").business
    assert (
        services.referral_fee_share_record(sponsee=lonely, fee_amount="10", reference="X") is None
    )
    s = sponsee_of(sponsor.business)
    for amount in ("abc", "-5", "0", "NaN"):
        with pytest.raises(ValidationFailed) as exc:
            services.referral_fee_share_record(sponsee=s.sponsee, fee_amount=amount, reference="Y")
        assert "fee_amount" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.referral_fee_share_record(sponsee=s.sponsee, fee_amount="5", reference=" ")
    assert "reference" in exc.value.fields
    assert not RewardEntry.objects.exists()


def test_add_months_keeps_the_end_of_the_month():
    assert services.add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert services.add_months(datetime.date(2026, 11, 15), 3) == datetime.date(2027, 2, 15)


# --- reversals and the immutable ledger --------------------------------------------------------


def test_a_reversal_is_a_new_negative_entry_and_happens_once(sponsor):
    programme()
    s = sponsee_of(sponsor.business, days_ago=5)
    entry = services.referral_fee_share_record(sponsee=s.sponsee, fee_amount="40", reference="F1")
    reversal = services.referral_reward_reverse(
        entry=entry, reason="Fee refunded", actor=sponsor.user
    )
    assert (reversal.kind, reversal.amount, reversal.reverses) == (
        RewardKind.REVERSAL,
        Decimal("-4.000"),
        entry,
    )
    assert reversal.reference == "Fee refunded" and reversal.created_by == sponsor.user
    assert selectors.reward_totals(business=sponsor.business) == {"EUR": Decimal("0.00")}
    entry.refresh_from_db()
    assert entry.amount == Decimal("4.000")  # the original is untouched
    with pytest.raises(ValidationFailed):
        services.referral_reward_reverse(entry=entry, reason="Again", actor=sponsor.user)
    with pytest.raises(ValidationFailed):
        services.referral_reward_reverse(entry=reversal, reason="Undo", actor=sponsor.user)
    with pytest.raises(ValidationFailed) as exc:
        services.referral_reward_reverse(
            entry=services.referral_fee_share_record(
                sponsee=s.sponsee, fee_amount="40", reference="F2"
            ),
            reason="  ",
            actor=sponsor.user,
        )
    assert "reason" in exc.value.fields
    assert RewardEntry.objects.count() == 3
    assert AuditEntry.objects.filter(action="referral_reward.reverse").count() == 1


def test_ledger_entries_are_never_updated_or_deleted(sponsor):
    programme()
    s = sponsee_of(sponsor.business)
    entry = services.referral_fee_share_record(sponsee=s.sponsee, fee_amount="40", reference="F1")
    entry.amount = Decimal("999")
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        RewardEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(ImmutableEntry):
        RewardEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("4.000") and RewardEntry.objects.count() == 1


# --- invitations -------------------------------------------------------------------------------


def test_the_invitation_email_reaches_the_smtp_server(
    sponsor, smtp_server, django_capture_on_commit_callbacks
):
    code = services.referral_code_ensure(business=sponsor.business).code
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_invite(
            business=sponsor.business,
            actor=sponsor.user,
            email="friend@shop.example",
            message="Try it, it saved me hours.",
        )
    assert smtp_server.event.wait(10)
    (message,) = smtp_server.messages
    assert message["To"] == "friend@shop.example"
    assert "Sponsor bakery" in message["Subject"]
    assert message["Reply-To"] == sponsor.user.email
    body = smtp_server.bodies()[0]
    assert f"/register/?ref={code}" in body and code in body
    assert "Try it, it saved me hours." in body
    assert (
        AuditEntry.objects.for_business(sponsor.business).filter(action="referral.invite").exists()
    )


def test_invitations_are_limited_per_business_per_day(sponsor, settings, mailoutbox):
    settings.HANOUT_REFERRAL_INVITES_PER_DAY = 2
    other = make_business("Other")
    for n in range(2):
        services.referral_invite(
            business=sponsor.business, actor=sponsor.user, email=f"a{n}@x.example"
        )
    with pytest.raises(services.TooManyInvitations) as exc:
        services.referral_invite(
            business=sponsor.business, actor=sponsor.user, email="a3@x.example"
        )
    assert exc.value.status == 429 and "email" in exc.value.fields
    # Another business has its own allowance; yesterday's invitations no longer count.
    services.referral_invite(business=other.business, actor=other.user, email="b@x.example")
    ReferralInvitation.objects.filter(business=sponsor.business).update(
        created_at=clock.now() - datetime.timedelta(hours=25)
    )
    services.referral_invite(business=sponsor.business, actor=sponsor.user, email="a4@x.example")
    assert ReferralInvitation.objects.filter(business=sponsor.business).count() == 3


@pytest.mark.parametrize(
    "email,message,field",
    [
        ("not-an-address", "", "email"),
        ("", "", "email"),
        ("ok@x.example", "x" * 1001, "message"),
    ],
)
def test_a_bad_invitation_is_refused_and_nothing_is_sent(
    sponsor, mailoutbox, email, message, field
):
    with pytest.raises(ValidationFailed) as exc:
        services.referral_invite(
            business=sponsor.business, actor=sponsor.user, email=email, message=message
        )
    assert field in exc.value.fields
    assert not ReferralInvitation.objects.exists()


# --- the ledger invariant ----------------------------------------------------------------------


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("fee"), st.integers(1, 5), st.decimals("0.01", "500", places=2)),
        st.tuples(st.just("reverse"), st.integers(0, 10), st.just(None)),
        st.tuples(st.just("accrue"), st.integers(0, 40), st.just(None)),
    ),
    max_size=12,
)


@hypothesis_settings(max_examples=15, deadline=None)
@given(operations=OPERATIONS)
def test_revenue_is_the_sum_of_what_was_earned_and_not_reversed(operations):
    """Random fees (some repeated), reversals and daily runs: the total always equals
    the entries not reversed, each reversal cancels exactly one entry, nothing is edited."""
    from hanout.referrals.models import RewardProgramme

    if not RewardProgramme.objects.exists():
        programme()
    sponsor = make_business()  # a fresh sponsor (and ledger) per example
    s = sponsee_of(sponsor.business, days_ago=35)
    signed_in_now(s)
    for op, n, amount in operations:
        if op == "fee":
            services.referral_fee_share_record(
                sponsee=s.sponsee, fee_amount=amount, reference=f"fee-{n}"
            )
        elif op == "reverse":
            live = list(
                RewardEntry.objects.filter(
                    sponsorship=s, reverses__isnull=True, reversal__isnull=True
                ).order_by("created_at", "id")
            )
            if live:
                services.referral_reward_reverse(
                    entry=live[n % len(live)], reason="test", actor=sponsor.user
                )
        else:
            services.referral_rewards_accrue(today=today() + datetime.timedelta(days=n))
    entries = list(RewardEntry.objects.filter(sponsorship=s))
    reversed_ids = {e.reverses_id for e in entries if e.reverses_id}
    kept = sum(
        (e.amount for e in entries if e.kind != RewardKind.REVERSAL and e.pk not in reversed_ids),
        Decimal(0),
    )
    total = selectors.reward_totals(business=sponsor.business).get("EUR", Decimal(0))
    assert total == kept.quantize(Decimal("0.01"))
    assert sum(1 for e in entries if e.kind == RewardKind.ONE_TIME) <= 1
    assert len({e.reference for e in entries if e.kind == RewardKind.FEE_SHARE}) == sum(
        1 for e in entries if e.kind == RewardKind.FEE_SHARE
    )
