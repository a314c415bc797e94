"""The wallets' books under random sequences of marketplace operations (Hypothesis).

Three businesses deposit, withdraw, list, offer, accept, buy, deliver, confirm,
cancel; an administrator approves and rejects; requests, offers and deliveries
expire. A small model predicts whether each money-moving step must be refused
(not enough available money, nothing left, own listing) and a refused step must
change nothing. After every step:

- the sum of all wallets' posted balances = approved deposits − approved withdrawals;
- no wallet's available balance is below zero, and each wallet = the sum of its entries;
- every hold resolves once: a purchase has one hold entry and, once it ends, exactly
  one payment (completed) or one release (cancelled); a withdrawal likewise; and what
  is held on a wallet = its pending withdrawals + its open purchases;
- a listing's ownership history = its first owner, then the completed purchases in order.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Q, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from hanout.core import clock
from hanout.core.errors import Conflict, DomainError
from hanout.marketplace import services_listings as listings
from hanout.marketplace import services_trade as trade
from hanout.marketplace import services_wallet as wallet
from hanout.marketplace.models import (
    PURCHASE_OPEN,
    EntryKind,
    Listing,
    ListingStatus,
    Offer,
    Ownership,
    Purchase,
    PurchaseStatus,
    RequestKind,
    RequestStatus,
    Wallet,
    WalletEntry,
    WalletRequest,
)
from hanout.marketplace.tests.helpers import admin_user
from tests.factories import make_business

pytestmark = pytest.mark.django_db


def q(value) -> Decimal:
    """A sum at the columns' scale (SQLite adds decimals as floats: 35.0299999999996)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.001"))


money = st.integers(min_value=1, max_value=3000).map(lambda cents: Decimal(cents) / 100)
prices = st.integers(min_value=1, max_value=1500).map(lambda cents: Decimal(cents) / 100)
units = st.integers(min_value=1, max_value=4)
# Who buys from a listing: mostly another business, sometimes its own seller (refused).
others = st.sampled_from([1, 2, 1, 2, 1, 2, 0])


def build_machine(parties, admin):
    businesses = [p.business for p in parties]
    users = {p.business.pk: p.user for p in parties}

    class Market(RuleBasedStateMachine):
        requests = Bundle("requests")
        listings_ = Bundle("listings")
        offers = Bundle("offers")
        purchases = Bundle("purchases")

        def __init__(self):
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        # --- helpers ---

        def buyer_for(self, listing, offset):
            index = next(i for i, b in enumerate(businesses) if b.pk == listing.business_id)
            return businesses[(index + offset) % len(businesses)]

        def available(self, business) -> Decimal:
            w = Wallet.objects.filter(business=business).first()
            return w.available if w else Decimal(0)

        def unchanged(self, call, expected_error=DomainError):
            """`call` must be refused, and write no entry, purchase, offer or request."""
            counts = (
                WalletEntry.objects.count(),
                Purchase.objects.count(),
                Offer.objects.count(),
                WalletRequest.objects.count(),
            )
            with pytest.raises(expected_error):
                call()
            assert counts == (
                WalletEntry.objects.count(),
                Purchase.objects.count(),
                Offer.objects.count(),
                WalletRequest.objects.count(),
            )

        @initialize(amounts=st.lists(money, min_size=3, max_size=3))
        def fund(self, amounts):
            """Start with some approved money on each wallet, so that buying happens early."""
            for who, amount in zip(businesses, amounts, strict=True):
                request = wallet.deposit_request(
                    business=who, actor=users[who.pk], amount=amount * 3
                )
                wallet.request_approve(request=request, admin=admin)

        # --- money in and out ---

        @rule(target=requests, who=st.sampled_from(businesses), amount=money)
        def deposit(self, who, amount):
            return wallet.deposit_request(business=who, actor=users[who.pk], amount=amount)

        @rule(target=requests, who=st.sampled_from(businesses), amount=money)
        def withdraw(self, who, amount):
            if self.available(who) < amount:
                self.unchanged(
                    lambda: wallet.withdrawal_request(
                        business=who, actor=users[who.pk], amount=amount
                    ),
                    Conflict,
                )
                return multiple()
            return wallet.withdrawal_request(business=who, actor=users[who.pk], amount=amount)

        @rule(request=requests, decision=st.sampled_from(["approve", "reject", "expire"]))
        def decide(self, request, decision):
            request.refresh_from_db()
            if request.status != RequestStatus.PENDING:
                self.unchanged(
                    lambda: (
                        wallet.request_reject(request=request, admin=admin, reason="late")
                        if request.status != RequestStatus.VOIDED
                        else wallet.request_approve(request=request, admin=admin)
                    ),
                    Conflict,
                )
                return
            if decision == "approve":
                wallet.request_approve(request=request, admin=admin)
            elif decision == "reject":
                wallet.request_reject(request=request, admin=admin, reason="No money arrived")
            else:
                WalletRequest.objects.filter(pk=request.pk).update(
                    expires_at=clock.now() - datetime.timedelta(seconds=1)
                )
                assert wallet.requests_expire() >= 1

        # --- goods ---

        @rule(target=listings_, who=st.sampled_from(businesses), price=prices, quantity=units)
        def list_item(self, who, price, quantity):
            return listings.listing_create(
                business=who,
                actor=users[who.pk],
                data={"name": f"Lot {price}", "price": price, "quantity": quantity},
                publish=True,
            )

        @rule(listing=listings_)
        def unpublish(self, listing):
            listings.listing_unpublish(listing=listing, actor=users[listing.business_id])

        @rule(target=purchases, listing=listings_, offset=others, quantity=units)
        def buy_now(self, listing, offset, quantity):
            listing.refresh_from_db()
            who = self.buyer_for(listing, offset)
            refused = (
                who.pk == listing.business_id
                or listing.status != ListingStatus.PUBLISHED
                or quantity > listing.quantity
                or self.available(who) < listing.price * quantity
            )

            def call():
                return trade.buy_now(
                    business=who, actor=users[who.pk], listing=listing, quantity=quantity
                )  # noqa: E731

            if refused:
                self.unchanged(call, Conflict)
                return multiple()
            return call()

        @rule(target=offers, listing=listings_, offset=others, price=prices, quantity=units)
        def offer(self, listing, offset, price, quantity):
            listing.refresh_from_db()
            who = self.buyer_for(listing, offset)
            call = lambda: trade.offer_make(  # noqa: E731
                business=who,
                actor=users[who.pk],
                listing=listing,
                unit_price=price,
                quantity=quantity,
            )
            if (
                who.pk == listing.business_id
                or listing.status != ListingStatus.PUBLISHED
                or quantity > listing.quantity
            ):
                self.unchanged(call, Conflict)
                return multiple()
            return call()

        @rule(
            target=purchases,
            offer=offers,
            action=st.sampled_from(["accept", "counter", "withdraw", "decline", "expire"]),
        )
        def answer(self, offer, action):
            offer.refresh_from_db()
            seller = offer.seller
            buyer = offer.business
            try:
                if action == "accept":
                    side = seller if offer.status == "open" else buyer
                    return trade.offer_accept(offer=offer, business=side, actor=users[side.pk])
                if action == "counter":
                    trade.offer_counter(
                        offer=offer,
                        business=seller,
                        actor=users[seller.pk],
                        unit_price=offer.unit_price + 1,
                    )
                elif action == "withdraw":
                    trade.offer_withdraw(offer=offer, business=buyer, actor=users[buyer.pk])
                elif action == "decline":
                    side = seller if offer.status == "open" else buyer
                    trade.offer_decline(offer=offer, business=side, actor=users[side.pk])
                else:
                    Offer.objects.filter(pk=offer.pk).update(
                        expires_at=clock.now() - datetime.timedelta(seconds=1)
                    )
                    trade.offers_expire()
            except Conflict:
                pass  # a decided offer, not enough money or units: refusals write nothing (below)
            return multiple()

        @rule(
            purchase=purchases, action=st.sampled_from(["deliver", "confirm", "cancel", "deadline"])
        )
        def progress(self, purchase, action):
            purchase.refresh_from_db()
            try:
                if action == "deliver":
                    trade.purchase_deliver(
                        purchase=purchase, business=purchase.seller, actor=users[purchase.seller_id]
                    )
                elif action == "confirm":
                    trade.purchase_confirm(
                        purchase=purchase,
                        business=purchase.business,
                        actor=users[purchase.business_id],
                    )
                elif action == "cancel":
                    trade.purchase_cancel(
                        purchase=purchase,
                        business=purchase.seller,
                        actor=users[purchase.seller_id],
                        reason="Out of stock",
                    )
                else:
                    trade.purchases_complete_due(now=clock.now() + datetime.timedelta(days=30))
            except Conflict:
                pass

        # --- the books ---

        @invariant()
        def money_is_neither_made_nor_lost(self):
            posted = Wallet.objects.aggregate(t=Sum("posted"))["t"] or Decimal(0)
            approved = dict(
                WalletRequest.objects.filter(status=RequestStatus.POSTED)
                .values("kind")
                .annotate(t=Sum("amount"))
                .values_list("kind", "t")
            )
            deposits = approved.get(RequestKind.DEPOSIT, Decimal(0))
            withdrawals = approved.get(RequestKind.WITHDRAWAL, Decimal(0))
            assert q(posted) == q(deposits) - q(withdrawals)

        @invariant()
        def each_wallet_is_its_entries_and_never_below_zero(self):
            sums = {
                row["wallet"]: row
                for row in WalletEntry.objects.values("wallet").annotate(
                    p=Sum("posted_change"), h=Sum("held_change")
                )
            }
            for w in Wallet.objects.all():
                assert w.held >= 0 and w.available >= 0
                row = sums.get(w.pk, {"p": Decimal(0), "h": Decimal(0)})
                assert (q(w.posted), q(w.held)) == (q(row["p"]), q(row["h"]))
                open_purchases = Purchase.objects.filter(
                    business=w.business_id, status__in=PURCHASE_OPEN
                )
                pending = WalletRequest.objects.filter(
                    business=w.business_id,
                    kind=RequestKind.WITHDRAWAL,
                    status=RequestStatus.PENDING,
                )
                expected_held = (open_purchases.aggregate(t=Sum("amount"))["t"] or 0) + (
                    pending.aggregate(t=Sum("amount"))["t"] or 0
                )
                assert q(w.held) == q(expected_held)

        @invariant()
        def every_hold_resolves_once(self):
            counts = Purchase.objects.annotate(
                holds=Count("entries", filter=Q(entries__kind=EntryKind.PURCHASE_HOLD)),
                paid=Count("entries", filter=Q(entries__kind=EntryKind.PURCHASE)),
                released=Count("entries", filter=Q(entries__kind=EntryKind.PURCHASE_RELEASE)),
                received=Count("entries", filter=Q(entries__kind=EntryKind.SALE)),
            )
            for p in counts:
                assert p.holds == 1
                if p.status == PurchaseStatus.COMPLETED:
                    assert (p.paid, p.released, p.received) == (1, 0, 1)
                elif p.status == PurchaseStatus.CANCELLED:
                    assert (p.paid, p.released, p.received) == (0, 1, 0)
                else:
                    assert (p.paid, p.released, p.received) == (0, 0, 0)
            for r in WalletRequest.objects.annotate(n=Count("entries")):
                if r.kind == RequestKind.DEPOSIT:
                    assert r.n == (1 if r.status == RequestStatus.POSTED else 0)
                else:
                    assert r.n == (1 if r.status == RequestStatus.PENDING else 2)

        @invariant()
        def ownership_follows_the_completed_purchases(self):
            for listing in Listing.objects.all():
                owners = list(Ownership.objects.filter(listing=listing).order_by("since", "id"))
                assert (
                    owners[0].business_id == listing.business_id and owners[0].purchase_id is None
                )
                done = Purchase.objects.filter(
                    listing=listing, status=PurchaseStatus.COMPLETED
                ).order_by("completed_at", "id")
                assert [
                    (o.business_id, o.quantity, o.unit_price, o.purchase_id) for o in owners[1:]
                ] == [(p.business_id, p.quantity, p.unit_price, p.pk) for p in done]

    return Market


def test_the_books_stay_right_under_random_operations():
    parties = [make_business(f"Party {i}") for i in range(3)]
    machine = build_machine(parties, admin_user())
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=30,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            derandomize=True,
        ),
    )
