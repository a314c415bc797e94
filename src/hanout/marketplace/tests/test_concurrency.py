"""Races on real connections (PostgreSQL): units and money are never sold or spent twice."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from hanout.core.errors import Conflict
from hanout.core.models import Business
from hanout.marketplace import services_trade as trade
from hanout.marketplace import services_wallet as wallet
from hanout.marketplace.models import Offer, Purchase, RequestStatus, Wallet, WalletEntry
from hanout.marketplace.tests.helpers import admin_user, balance, funded, listed
from tests.concurrency import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]


def _buyers(n, amount, admin):
    """n businesses with `amount` each (made directly: registering 100 stores is not the point)."""
    out = []
    for i in range(n):
        business = Business.objects.create(name=f"Buyer {i}", currency="EUR", country="BE")
        request = wallet.deposit_request(business=business, actor=None, amount=amount)
        wallet.request_approve(request=request, admin=admin)
        out.append(business)
    return out


def test_a_hundred_buyers_racing_for_three_units_make_exactly_three_purchases():
    admin = admin_user()
    seller = funded("0", name="Seller")
    listing = listed(seller, price="5.00", quantity=3)
    buyers = _buyers(100, "20", admin)

    results, errors, crashes = race(
        100,
        lambda i: trade.buy_now(business=buyers[i], actor=None, listing=listing),
        threads=40,
    )
    assert crashes == []
    assert len(results) == 3 and len(errors) == 97
    assert {e.code for e in errors} == {"sold_out"}
    listing.refresh_from_db()
    assert listing.quantity == 0
    assert Purchase.objects.filter(listing=listing).count() == 3
    held = Wallet.objects.filter(business__in=buyers).aggregate(t=Sum("held"))["t"]
    assert held == Decimal("15.00")


def test_a_buyer_with_ten_making_five_purchases_of_four_at_once_gets_two():
    admin = admin_user()
    seller = funded("0", name="Seller")
    listings = [listed(seller, price="4.00", quantity=1, name=f"Lot {i}") for i in range(5)]
    (buyer,) = _buyers(1, "10.00", admin)

    results, errors, crashes = race(
        5, lambda i: trade.buy_now(business=buyer, actor=None, listing=listings[i])
    )
    assert crashes == []
    assert len(results) == 2 and len(errors) == 3
    assert {e.code for e in errors} == {"insufficient_funds"}
    assert balance(buyer) == (Decimal("10.00"), Decimal("8.00"))
    assert WalletEntry.objects.filter(business=buyer, kind="purchase_hold").count() == 2
    # The refused purchases left no trace: their listings still have their unit.
    assert sorted(
        x.quantity for x in (type(listings[0]).objects.filter(pk__in=[x.pk for x in listings]))
    ) == [
        0,
        0,
        1,
        1,
        1,
    ]


def test_two_administrators_approving_one_deposit_at_once_post_it_once():
    owner = funded("0", name="Depositor")
    request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="50")
    admins = [admin_user(), admin_user()]

    results, errors, crashes = race(
        2, lambda i: wallet.request_approve(request=request, admin=admins[i])
    )
    assert crashes == [] and errors == []
    request.refresh_from_db()
    assert request.status == RequestStatus.POSTED
    assert balance(owner.business) == (Decimal(50), Decimal(0))
    assert WalletEntry.objects.filter(business=owner.business).count() == 1


def test_approving_and_rejecting_at_once_decide_once():
    owner = funded("0", name="Depositor")
    request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="50")
    admins = [admin_user(), admin_user()]

    def decide(i):
        if i == 0:
            return wallet.request_approve(request=request, admin=admins[0])
        return wallet.request_reject(request=request, admin=admins[1], reason="Duplicate")

    results, errors, crashes = race(2, decide, expected=Conflict)
    assert crashes == [] and len(results) == 1 and len(errors) == 1
    request.refresh_from_db()
    posted = (
        balance(owner.business)[0] if Wallet.objects.filter(business=owner.business).exists() else 0
    )
    assert posted == (Decimal(50) if request.status == RequestStatus.POSTED else 0)


def test_transfers_in_both_directions_at_once_do_not_deadlock():
    a, b = funded("100", name="A"), funded("100", name="B")
    for_a = [listed(b, price="1.00", quantity=1, name=f"B{i}") for i in range(10)]
    for_b = [listed(a, price="1.00", quantity=1, name=f"A{i}") for i in range(10)]
    purchases = [trade.buy_now(business=a.business, actor=a.user, listing=x) for x in for_a] + [
        trade.buy_now(business=b.business, actor=b.user, listing=x) for x in for_b
    ]
    for p in purchases:
        trade.purchase_deliver(purchase=p, business=p.seller, actor=None)

    results, errors, crashes = race(
        20,
        lambda i: trade.purchase_confirm(
            purchase=purchases[i], business=purchases[i].business, actor=None
        ),
    )
    assert crashes == [] and errors == []
    assert balance(a.business) == balance(b.business) == (Decimal(100), Decimal(0))
    assert WalletEntry.objects.filter(kind="sale").count() == 20


def test_sellers_accepting_offers_for_the_last_units_at_once_never_deadlock():
    """Accepting the offer that sells out closes the others; two accepts at once lock
    the listing before their offers, so one wins and the others are told, no deadlock."""
    seller = funded("0", name="Seller")
    listing = listed(seller, price="5.00", quantity=1)
    buyers = _buyers(6, "20", admin_user())
    offers = [
        trade.offer_make(business=b, actor=None, listing=listing, unit_price="4") for b in buyers
    ]
    results, errors, crashes = race(
        6,
        lambda i: trade.offer_accept(offer=offers[i], business=seller.business, actor=None),
        threads=6,
    )
    assert crashes == []
    assert len(results) == 1 and len(errors) == 5
    assert {e.code for e in errors} <= {"offer_decided", "sold_out"}
    statuses = sorted(Offer.objects.filter(listing=listing).values_list("status", flat=True))
    assert statuses == ["accepted"] + ["closed"] * 5
    assert set(Offer.objects.filter(status="closed").values_list("closed_reason", flat=True)) == {
        "sold_out"
    }
    assert Wallet.objects.filter(business__in=buyers).aggregate(t=Sum("held"))["t"] == Decimal(
        "4.00"
    )
