"""Who is told what: offers, sales, payouts and wallet decisions, in-app and by email;
and the same events reach each party's webhooks."""

import re

import pytest

from hanout.core.permissions import Role
from hanout.marketplace import services_trade as trade
from hanout.marketplace import services_wallet as wallet
from hanout.marketplace.tests.helpers import admin_user, funded, listed
from hanout.notifications.models import Notification
from hanout.webhooks.models import EVENTS
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_seller_hears_of_an_offer_and_the_buyer_of_the_answer(
    smtp_server, django_capture_on_commit_callbacks
):
    seller, buyer = funded("0", name="Seller"), funded("50", name="Buyer")
    cashier = make_member(seller, role=Role.CASHIER)  # no marketplace access: not told
    listing = listed(seller, name="Comptoir", price="10")
    with django_capture_on_commit_callbacks(execute=True):
        offer = trade.offer_make(
            business=buyer.business, actor=buyer.user, listing=listing, unit_price="8"
        )
    note = Notification.objects.get(recipient=seller.user, kind="market.offer")
    assert "Comptoir" in note.title and "8,00\xa0€" in note.body and "EUR" not in note.body
    assert not Notification.objects.filter(recipient=cashier.user).exists()
    assert not Notification.objects.filter(recipient=buyer.user).exists()
    assert seller.user.email in [m["To"] for m in smtp_server.messages]

    with django_capture_on_commit_callbacks(execute=True):
        trade.offer_decline(offer=offer, business=seller.business, actor=seller.user)
    assert Notification.objects.filter(recipient=buyer.user, title__contains="declined").exists()


def test_a_sale_a_delivery_and_a_payout_are_told_to_the_right_side(
    django_capture_on_commit_callbacks,
):
    seller, buyer = funded("0", name="Seller"), funded("50", name="Buyer")
    listing = listed(seller, name="Four", price="20", quantity=1)
    with django_capture_on_commit_callbacks(execute=True):
        purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    assert Notification.objects.filter(recipient=seller.user, title__contains="Four").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    assert Notification.objects.filter(recipient=buyer.user, title__startswith="Delivered").exists()
    with django_capture_on_commit_callbacks(execute=True):
        trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    payout = Notification.objects.get(recipient=seller.user, kind="market.payout")
    assert "20,00\xa0€" in payout.title


def test_a_rejected_withdrawal_tells_the_reason(django_capture_on_commit_callbacks):
    owner = funded("30")
    request = wallet.withdrawal_request(business=owner.business, actor=owner.user, amount="10")
    with django_capture_on_commit_callbacks(execute=True):
        wallet.request_reject(request=request, admin=admin_user(), reason="Unknown IBAN")
    note = Notification.objects.get(recipient=owner.user, kind="market.wallet")
    assert "rejected" in note.title and note.body == "Unknown IBAN"


def test_webhooks_offer_every_marketplace_event():
    emitted = {
        "market.offer_made",
        "market.offer_accepted",
        "market.offer_declined",
        "market.offer_countered",
        "market.offer_withdrawn",
        "market.offer_expired",
        "market.purchase_opened",
        "market.purchase_delivered",
        "market.purchase_awaiting_approval",
        "market.purchase_completed",
        "market.purchase_cancelled",
        "wallet.deposit_requested",
        "wallet.deposit_approved",
        "wallet.deposit_rejected",
        "wallet.withdrawal_requested",
        "wallet.withdrawal_approved",
        "wallet.withdrawal_rejected",
        "wallet.request_expired",
    }
    assert emitted <= set(EVENTS)


def test_a_buyer_hears_why_an_offer_closed_without_an_answer(django_capture_on_commit_callbacks):
    seller, buyer, other = funded("0", name="Seller"), funded("50", name="Buyer"), funded("50")
    listing = listed(seller, name="Vitrine", price="10", quantity=1)
    gone = listed(seller, name="Balance", price="10")
    with django_capture_on_commit_callbacks(execute=True):
        waiting = trade.offer_make(
            business=buyer.business, actor=buyer.user, listing=listing, unit_price="8"
        )
        trade.offer_make(business=buyer.business, actor=buyer.user, listing=gone, unit_price="8")
        trade.buy_now(business=other.business, actor=other.user, listing=listing)
        from hanout.marketplace import services_listings

        services_listings.listing_unpublish(listing=gone, actor=seller.user)
    titles = set(
        Notification.objects.filter(recipient=buyer.user, kind="market.offer").values_list(
            "title", flat=True
        )
    )
    assert titles == {
        "Sold out, offer closed: Vitrine",
        "Taken off the market, offer closed: Balance",
    }
    waiting.refresh_from_db()
    assert (waiting.status, waiting.closed_reason) == ("closed", "sold_out")


def test_the_offer_end_is_told_in_the_sellers_time_zone(django_capture_on_commit_callbacks):
    seller = funded("0", name="Souk", currency="MAD", country="MA")
    from hanout.core.models import Shop

    Shop.objects.filter(business=seller.business).update(time_zone="Asia/Tokyo")
    buyer = funded("100", name="Acheteur", currency="MAD", country="MA")
    listing = listed(seller, name="Comptoir", price="10")
    import datetime

    from hanout.core import clock

    end = (clock.now() + datetime.timedelta(days=2)).replace(
        hour=22, minute=30, second=0, microsecond=0, tzinfo=datetime.UTC
    )
    with django_capture_on_commit_callbacks(execute=True):
        trade.offer_make(
            business=buyer.business,
            actor=buyer.user,
            listing=listing,
            unit_price="8",
            expires_at=end,
        )
    body = Notification.objects.get(recipient=seller.user, kind="market.offer").body
    # 22:30 UTC is 07:30 the next morning in Tokyo (UTC+9, no summer time), and the
    # zone is named.
    assert re.search(r"\b0?7:30\b", body) and "(Asia/Tokyo)" in body, body
