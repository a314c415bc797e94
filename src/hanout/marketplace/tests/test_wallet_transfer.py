"""A transfer's statements: what they write, and how many there are (bench/bench_wallet.py).

The transfer is the marketplace's hot path; its round trips are counted here so that a
change that adds one (a lookup, a save per row, a savepoint) fails a test, not a bench.
"""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from hanout.core.errors import Conflict
from hanout.marketplace import services_wallet as wallet
from hanout.marketplace.models import EntryKind, Wallet, WalletEntry
from hanout.marketplace.tests.helpers import balance, funded

POSTGRES = connection.vendor == "postgresql"


def _held(owner, amount):
    with transaction.atomic():
        wallet.hold(business=owner.business, amount=Decimal(amount))


def _verbs(queries) -> list[str]:
    """The first word of each statement (`N times: UPDATE …` is one executemany)."""
    return [q["sql"].split(": ", 1)[-1].split()[0].upper() for q in queries]


@pytest.mark.django_db
def test_a_transfer_moves_the_held_money_with_two_entries_carrying_the_totals():
    payer, payee = funded("50"), funded("5")
    _held(payer, "20")
    with transaction.atomic():
        paid = wallet.transfer_held(
            payer=payer.business, payee=payee.business, amount=Decimal("12.50")
        )

    assert balance(payer.business) == (Decimal("37.50"), Decimal("7.50"))
    assert balance(payee.business) == (Decimal("17.50"), Decimal(0))
    out = WalletEntry.objects.get(business=payer.business, kind=EntryKind.PURCHASE)
    into = WalletEntry.objects.get(business=payee.business, kind=EntryKind.SALE)
    assert out.pk == paid.pk and not paid._state.adding  # the returned entry is the saved one
    assert (out.seq, out.posted_change, out.held_change) == (
        3,
        Decimal("-12.50"),
        Decimal("-12.50"),
    )
    assert (out.posted_after, out.held_after, out.counterparty_id) == (
        Decimal("37.50"),
        Decimal("7.50"),
        payee.business.pk,
    )
    assert (into.seq, into.posted_change, into.held_change) == (2, Decimal("12.50"), Decimal(0))
    assert (into.posted_after, into.held_after, into.counterparty_id) == (
        Decimal("17.50"),
        Decimal(0),
        payer.business.pk,
    )
    assert out.created_at and out.created_at == out.updated_at
    for owner in (payer, payee):
        w = Wallet.objects.get(business=owner.business)
        last = WalletEntry.objects.filter(wallet=w).order_by("-seq").first()
        assert (w.seq, w.posted, w.held) == (last.seq, last.posted_after, last.held_after)
        assert w.updated_at == last.created_at


@pytest.mark.django_db
def test_a_refused_transfer_writes_nothing():
    payer, payee = funded("50"), funded("5")
    _held(payer, "10")
    entries = WalletEntry.objects.count()
    with pytest.raises(Conflict) as err, transaction.atomic():
        wallet.transfer_held(payer=payer.business, payee=payee.business, amount=Decimal("10.01"))
    assert err.value.code == "insufficient_funds"
    assert "40,00\xa0€ available" in err.value.message  # as the pages write it
    assert WalletEntry.objects.count() == entries
    assert balance(payer.business) == (Decimal(50), Decimal(10))
    assert balance(payee.business) == (Decimal(5), Decimal(0))


@pytest.mark.django_db
def test_changes_on_one_wallet_follow_each_other_and_are_checked_in_order():
    owner = funded("10")
    with transaction.atomic():
        w = wallet.lock_wallets(owner.business)[owner.business.pk]
        first, second = wallet.post_many(
            [
                (w, wallet.Change(EntryKind.PURCHASE_HOLD, held=Decimal(6)), {}),
                (w, wallet.Change(EntryKind.PURCHASE, posted=Decimal(-6), held=Decimal(-6)), {}),
            ]
        )
        assert (first.seq, second.seq) == (2, 3)
        assert (second.posted_after, second.held_after) == (Decimal(4), Decimal(0))
        # 4 available: holding 3 then 2 is refused as a whole, and the object is untouched.
        with pytest.raises(Conflict):
            wallet.post_many(
                [
                    (w, wallet.Change(EntryKind.PURCHASE_HOLD, held=Decimal(3)), {}),
                    (w, wallet.Change(EntryKind.PURCHASE_HOLD, held=Decimal(2)), {}),
                ]
            )
        assert (w.posted, w.held, w.seq) == (Decimal(4), Decimal(0), 3)
    assert balance(owner.business) == (Decimal(4), Decimal(0))
    assert WalletEntry.objects.filter(business=owner.business).count() == 3


@pytest.mark.django_db(transaction=True)
def test_locking_outside_a_transaction_is_refused():
    owner = funded("10")
    with pytest.raises(TransactionManagementError):
        wallet.lock_wallets(owner.business)


@pytest.mark.django_db
def test_one_transfer_is_one_lock_and_one_write_on_postgresql():
    """Inside the caller's transaction: the lock of both wallets, then one statement
    writing both wallets and both entries (SQLite: the UPDATE, then the INSERT). No
    lookup of the wallets first, no savepoint."""
    payer, payee = funded("50"), funded("5")
    _held(payer, "20")
    with CaptureQueriesContext(connection) as ctx:
        wallet.transfer_held(payer=payer.business, payee=payee.business, amount=Decimal(1))
    if POSTGRES:
        assert _verbs(ctx.captured_queries) == ["SELECT", "WITH"]
        assert ctx.captured_queries[0]["sql"].endswith("FOR NO KEY UPDATE")
        assert "ORDER BY" in ctx.captured_queries[0]["sql"]
    else:
        assert _verbs(ctx.captured_queries) == ["SELECT", "UPDATE", "INSERT"]


@pytest.mark.django_db(transaction=True)
def test_one_transfer_in_its_transaction_is_four_round_trips_on_postgresql():
    """BEGIN, the lock, the write, COMMIT: what bench/bench_wallet.py runs 16 at a time."""
    payer, payee = funded("50"), funded("5")
    _held(payer, "20")
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        wallet.transfer_held(payer=payer.business, payee=payee.business, amount=Decimal(1))
    verbs = _verbs(ctx.captured_queries)
    if POSTGRES:
        assert verbs == ["BEGIN", "SELECT", "WITH", "COMMIT"]
    else:
        assert [v for v in verbs if v not in ("BEGIN", "COMMIT")] == ["SELECT", "UPDATE", "INSERT"]
        assert "SAVEPOINT" not in verbs
    assert balance(payee.business) == (Decimal(6), Decimal(0))
