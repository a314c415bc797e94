"""Wallets: deposits and withdrawals wait for an administrator; the ledger is the balance."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum

from hanout.core.errors import Conflict, PermissionDenied, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.marketplace import services_wallet as wallet
from hanout.marketplace.models import (
    EntryKind,
    ImmutableEntry,
    MarketTerms,
    RequestStatus,
    Wallet,
    WalletEntry,
    WalletRequest,
)
from hanout.marketplace.tests.helpers import admin_user, balance, funded
from tests.factories import UserFactory, make_business

pytestmark = pytest.mark.django_db


def test_a_deposit_is_pending_until_an_administrator_approves_it():
    owner = make_business()
    request = wallet.deposit_request(
        business=owner.business, actor=owner.user, amount="25.50", reference="BANK-1"
    )
    assert request.status == RequestStatus.PENDING
    assert not WalletEntry.objects.filter(business=owner.business).exists()

    admin = admin_user()
    wallet.request_approve(request=request, admin=admin)
    request.refresh_from_db()
    assert request.status == RequestStatus.POSTED and request.decided_by == admin
    assert balance(owner.business) == (Decimal("25.50"), Decimal(0))
    entry = WalletEntry.objects.get(business=owner.business)
    assert (entry.kind, entry.posted_change, entry.posted_after, entry.seq) == (
        EntryKind.DEPOSIT,
        Decimal("25.50"),
        Decimal("25.50"),
        1,
    )
    audit = AuditEntry.objects.filter(
        business=owner.business, action="wallet.request_approve"
    ).get()
    assert audit.actor == admin and audit.changes["status"] == ["pending", "posted"]


def test_a_rejected_deposit_posts_nothing_and_needs_a_reason():
    owner = make_business()
    request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="10")
    with pytest.raises(ValidationFailed) as err:
        wallet.request_reject(request=request, admin=admin_user(), reason=" ")
    assert "reason" in err.value.fields
    wallet.request_reject(request=request, admin=admin_user(), reason="No transfer arrived")
    request.refresh_from_db()
    assert request.status == RequestStatus.VOIDED and request.reason == "No transfer arrived"
    assert not Wallet.objects.filter(business=owner.business, posted__gt=0).exists()


def test_approving_twice_posts_once_and_deciding_the_other_way_is_refused():
    owner = make_business()
    request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="10")
    wallet.request_approve(request=request, admin=admin_user())
    wallet.request_approve(request=request, admin=admin_user())
    assert balance(owner.business) == (Decimal("10"), Decimal(0))
    with pytest.raises(Conflict):
        wallet.request_reject(request=request, admin=admin_user(), reason="late")


def test_only_a_platform_administrator_decides():
    owner = make_business()
    request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="10")
    with pytest.raises(PermissionDenied):
        wallet.request_approve(request=request, admin=owner.user)
    with pytest.raises(PermissionDenied):
        wallet.request_approve(request=request, admin=UserFactory(is_staff=True, is_active=False))
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_withdrawal_holds_its_amount_until_decided():
    owner = funded("30")
    request = wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="20")
    assert balance(owner.business) == (Decimal(30), Decimal(20))
    with pytest.raises(Conflict) as err:  # 10 available: a second withdrawal of 20 is refused
        wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="20")
    assert err.value.code == "insufficient_funds"
    wallet.request_approve(request=request, admin=admin_user())
    assert balance(owner.business) == (Decimal(10), Decimal(0))

    second = wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="10")
    wallet.request_reject(request=second, admin=admin_user(), reason="Wrong IBAN")
    assert balance(owner.business) == (Decimal(10), Decimal(0))
    kinds = list(
        WalletEntry.objects.filter(business=owner.business)
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "deposit",
        "withdrawal_hold",
        "withdrawal",
        "withdrawal_hold",
        "withdrawal_release",
    ]


def test_undecided_requests_expire_and_give_back_what_they_held(settings):
    owner = funded("50")
    deposit = wallet.deposit_request(business=owner.business, actor=owner.user, amount="5")
    withdrawal = wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="40")
    later = deposit.expires_at + datetime.timedelta(seconds=1)
    assert wallet.requests_expire(now=later) == 2
    assert wallet.requests_expire(now=later) == 0
    for r in (deposit, withdrawal):
        r.refresh_from_db()
        assert r.status == RequestStatus.EXPIRED
    assert balance(owner.business) == (Decimal(50), Decimal(0))
    with pytest.raises(Conflict):
        wallet.request_approve(request=deposit, admin=admin_user())


@pytest.mark.parametrize(
    "amount,words",
    [
        ("-5", "more than zero"),
        ("0", "more than zero"),
        ("12.345", "decimals"),
        ("abc", "Enter an amount"),
        ("NaN", "Enter an amount"),
        ("Infinity", "Enter an amount"),
        ("1e30", "Enter an amount"),  # an exponent is not how a person writes an amount
        ("1e3", "Enter an amount"),
        ("1000000.01", "largest amount"),
        (None, "Enter an amount"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(amount, words):
    owner = make_business()
    with pytest.raises(ValidationFailed) as err:
        wallet.deposit_request(business=owner.business, actor=owner.user, amount=amount)
    assert words in err.value.message and "amount" in err.value.fields
    assert not WalletRequest.objects.exists()


def test_decimals_follow_the_currency():
    tnd = make_business(currency="TND", country="TN")  # three decimals
    request = wallet.deposit_request(business=tnd.business, actor=tnd.user, amount="1.125")
    assert request.amount == Decimal("1.125")
    jpy = make_business(currency="JPY", country="JP")  # none
    with pytest.raises(ValidationFailed):
        wallet.deposit_request(business=jpy.business, actor=jpy.user, amount="10.5")


def test_the_operator_sets_the_largest_amount():
    MarketTerms.objects.create(currency="EUR", max_amount=Decimal("1744"))
    owner = make_business(country="BE")
    with pytest.raises(ValidationFailed) as err:
        wallet.deposit_request(business=owner.business, actor=owner.user, amount="1744.01")
    # The maximum is written as the pages write money, not "1744.00 EUR".
    assert "1.744,00\xa0€" in err.value.message and "EUR" not in err.value.message
    wallet.deposit_request(business=owner.business, actor=owner.user, amount="1744")


def test_error_messages_write_money_in_the_readers_language_like_the_pages():
    from django.utils import translation

    from hanout.catalog.templatetags.catalog_tags import money

    owner = make_business(country="BE")
    with translation.override("fr"), pytest.raises(Conflict) as err:
        wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="1744")
    with translation.override("fr"):
        page = money(Decimal("0"), owner.business)
    assert err.value.code == "insufficient_funds"
    assert page in err.value.message and "0,00\xa0€" in err.value.message
    assert "EUR" not in err.value.message and "0.00" not in err.value.message


def test_the_same_key_twice_returns_the_first_request_and_another_payload_is_a_conflict():
    owner = make_business()
    key = uuid.uuid4()
    first = wallet.deposit_request(business=owner.business, actor=owner.user, amount="10", key=key)
    again = wallet.deposit_request(business=owner.business, actor=owner.user, amount="10", key=key)
    assert again.pk == first.pk and WalletRequest.objects.count() == 1
    with pytest.raises(Conflict) as err:
        wallet.deposit_request(business=owner.business, actor=owner.user, amount="11", key=key)
    assert err.value.status == 409
    assert WalletRequest.objects.count() == 1


def test_entries_can_be_neither_changed_nor_deleted():
    owner = funded("10")
    entry = WalletEntry.objects.get(business=owner.business)
    entry.posted_change = Decimal(1000)
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        WalletEntry.objects.filter(pk=entry.pk).update(posted_change=1)
    with pytest.raises(ImmutableEntry):
        WalletEntry.objects.filter(pk=entry.pk).delete()


def test_the_database_refuses_a_negative_available_balance():
    from django.db import IntegrityError, transaction

    owner = funded("10")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wallet.objects.filter(business=owner.business).update(held=Decimal(11))


def test_the_balance_is_the_sum_of_the_entries():
    owner = funded("10")
    for amount in ("3", "4.50"):
        wallet.request_approve(
            request=wallet.deposit_request(
                business=owner.business, actor=owner.user, amount=amount
            ),
            admin=admin_user(),
        )
    wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="2")
    totals = WalletEntry.objects.filter(business=owner.business).aggregate(
        p=Sum("posted_change"), h=Sum("held_change")
    )
    assert balance(owner.business) == (totals["p"], totals["h"]) == (Decimal("17.50"), Decimal(2))
    last = WalletEntry.objects.filter(business=owner.business).order_by("-seq").first()
    assert (last.posted_after, last.held_after) == (Decimal("17.50"), Decimal(2))
