"""Listings, offers and purchases: money held, paid, released; ownership recorded."""

import datetime
import uuid
from decimal import Decimal

import pytest

from hanout.core import clock
from hanout.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from hanout.marketplace import selectors
from hanout.marketplace import services_listings as listings
from hanout.marketplace import services_trade as trade
from hanout.marketplace.models import (
    Listing,
    ListingStatus,
    MarketTerms,
    Offer,
    OfferStatus,
    Purchase,
    PurchaseStatus,
    WalletEntry,
)
from hanout.marketplace.tests.helpers import admin_user, balance, funded, listed
from tests.factories import make_business

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return funded("0", name="Seller")


@pytest.fixture
def buyer():
    return funded("100", name="Buyer")


def test_buy_now_holds_then_delivery_and_confirmation_pay_the_seller(seller, buyer):
    listing = listed(seller, price="12.50", quantity=3)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=2)
    assert (purchase.status, purchase.amount) == (PurchaseStatus.PAID, Decimal("25.00"))
    assert balance(buyer.business) == (Decimal(100), Decimal(25))
    listing.refresh_from_db()
    assert listing.quantity == 1

    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.DELIVERED and purchase.confirm_by > clock.now()
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.COMPLETED
    assert balance(buyer.business) == (Decimal(75), Decimal(0))
    assert balance(seller.business) == (Decimal(25), Decimal(0))
    history = selectors.ownership_history(listing)
    assert [(o.business_id, o.quantity, o.unit_price) for o in history] == [
        (seller.business.pk, 3, None),
        (buyer.business.pk, 2, Decimal("12.50")),
    ]
    sale = WalletEntry.objects.get(business=seller.business, kind="sale")
    assert sale.counterparty_id == buyer.business.pk and sale.purchase_id == purchase.pk


def test_the_seller_accepts_an_offer_at_the_offered_price(seller, buyer):
    listing = listed(seller, price="10", quantity=5)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="8", quantity=2
    )
    assert balance(buyer.business) == (Decimal(100), Decimal(0))  # nothing held for an offer
    with pytest.raises(Conflict):  # it is the seller's turn
        trade.offer_accept(offer=offer, business=buyer.business, actor=buyer.user)
    purchase = trade.offer_accept(offer=offer, business=seller.business, actor=seller.user)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and purchase.offer == offer
    assert purchase.amount == Decimal(16) and balance(buyer.business) == (Decimal(100), Decimal(16))


def test_a_counter_offer_is_accepted_by_the_buyer(seller, buyer):
    listing = listed(seller, price="10", quantity=5)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="6"
    )
    trade.offer_counter(
        offer=offer, business=seller.business, actor=seller.user, unit_price="8", quantity=3
    )
    offer.refresh_from_db()
    assert (offer.status, offer.unit_price, offer.quantity) == (
        OfferStatus.COUNTERED,
        Decimal(8),
        3,
    )
    with pytest.raises(Conflict):
        trade.offer_accept(offer=offer, business=seller.business, actor=seller.user)
    purchase = trade.offer_accept(offer=offer, business=buyer.business, actor=buyer.user)
    assert purchase.amount == Decimal(24)


def test_declining_and_withdrawing_end_an_offer(seller, buyer):
    listing = listed(seller)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="3"
    )
    with pytest.raises(
        PermissionDenied
    ):  # only the seller declines an open offer... the buyer withdraws
        trade.offer_counter(offer=offer, business=buyer.business, actor=buyer.user, unit_price="2")
    trade.offer_decline(offer=offer, business=seller.business, actor=seller.user)
    with pytest.raises(Conflict):
        trade.offer_withdraw(offer=offer, business=buyer.business, actor=buyer.user)
    second = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="3"
    )
    trade.offer_withdraw(offer=second, business=buyer.business, actor=buyer.user)
    second.refresh_from_db()
    assert second.status == OfferStatus.WITHDRAWN
    with pytest.raises(Conflict):
        trade.offer_accept(offer=second, business=seller.business, actor=seller.user)


def test_an_expired_offer_cannot_be_accepted(seller, buyer):
    listing = listed(seller)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="3"
    )
    Offer.objects.filter(pk=offer.pk).update(expires_at=clock.now() - datetime.timedelta(seconds=1))
    with pytest.raises(Conflict) as err:
        trade.offer_accept(offer=offer, business=seller.business, actor=seller.user)
    assert err.value.code == "offer_expired"
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN  # the refusal rolled back; the job expires it
    assert trade.offers_expire() == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert not Purchase.objects.exists()


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"unit_price": "-1"}, "unit_price"),
        ({"unit_price": "1.001"}, "unit_price"),
        ({"unit_price": "2", "quantity": 0}, "quantity"),
        ({"unit_price": "2", "quantity": "1.5"}, "quantity"),
        ({"unit_price": "2", "expires_at": "2020-01-01T00:00:00+00:00"}, "expires_at"),
        ({"unit_price": "2", "expires_at": "tomorrow"}, "expires_at"),
        ({"unit_price": "2", "message": "x" * 501}, "message"),
    ],
)
def test_bad_offers_are_refused_and_nothing_is_written(seller, buyer, kwargs, field):
    listing = listed(seller)
    with pytest.raises(ValidationFailed) as err:
        trade.offer_make(business=buyer.business, actor=buyer.user, listing=listing, **kwargs)
    assert field in err.value.fields
    assert not Offer.objects.exists()


def test_nobody_buys_their_own_listing_or_an_unpublished_one_or_more_than_is_left(seller, buyer):
    listing = listed(seller, quantity=2)
    with pytest.raises(Conflict) as err:
        trade.buy_now(business=seller.business, actor=seller.user, listing=listing)
    assert err.value.code == "own_listing"
    with pytest.raises(Conflict):
        trade.offer_make(
            business=seller.business, actor=seller.user, listing=listing, unit_price="1"
        )
    with pytest.raises(Conflict) as err:
        trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=3)
    assert err.value.code == "not_enough_left"  # some are left: not "sold out"
    assert err.value.message == "Only 2 left."
    draft = listed(seller, publish=False)
    with pytest.raises(Conflict) as err:
        trade.buy_now(business=buyer.business, actor=buyer.user, listing=draft)
    assert err.value.code == "listing_unpublished"
    assert not Purchase.objects.exists() and balance(buyer.business) == (Decimal(100), Decimal(0))
    trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=2)
    with pytest.raises(Conflict) as err:
        trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=1)
    assert err.value.code == "sold_out"  # none left
    with pytest.raises(Conflict) as err:
        trade.offer_make(business=buyer.business, actor=buyer.user, listing=listing, unit_price="1")
    assert err.value.code == "sold_out"


def test_nobody_spends_money_they_do_not_have(seller):
    poor = funded("5", name="Poor")
    listing = listed(seller, price="6")
    with pytest.raises(Conflict) as err:
        trade.buy_now(business=poor.business, actor=poor.user, listing=listing)
    assert err.value.code == "insufficient_funds"
    listing.refresh_from_db()
    assert listing.quantity == 3 and not Purchase.objects.exists()


def test_buying_across_currencies_is_refused_with_a_clear_message(seller):
    moroccan = funded("100", currency="MAD", country="MA")
    listing = listed(seller)
    with pytest.raises(Conflict) as err:
        trade.buy_now(business=moroccan.business, actor=moroccan.user, listing=listing)
    assert "EUR" in err.value.message and "MAD" in err.value.message


def test_cancelling_releases_the_hold_and_puts_the_units_back(seller, buyer):
    listing = listed(seller, price="10", quantity=1)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    with pytest.raises(ValidationFailed):
        trade.purchase_cancel(
            purchase=purchase, business=buyer.business, actor=buyer.user, reason=""
        )
    trade.purchase_cancel(
        purchase=purchase, business=buyer.business, actor=buyer.user, reason="Changed my mind"
    )
    purchase.refresh_from_db()
    listing.refresh_from_db()
    assert purchase.status == PurchaseStatus.CANCELLED and listing.quantity == 1
    assert balance(buyer.business) == (Decimal(100), Decimal(0))
    with pytest.raises(Conflict):
        trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)


def test_after_delivery_only_the_seller_can_cancel(seller, buyer):
    listing = listed(seller, price="10", quantity=1)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    with pytest.raises(Conflict):
        trade.purchase_cancel(
            purchase=purchase, business=buyer.business, actor=buyer.user, reason="no"
        )
    trade.purchase_cancel(
        purchase=purchase, business=seller.business, actor=seller.user, reason="Broken"
    )
    assert balance(buyer.business) == (Decimal(100), Decimal(0))


def test_a_delivery_nobody_confirms_completes_after_the_deadline(seller, buyer):
    listing = listed(seller, price="10", quantity=1)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    purchase.refresh_from_db()
    assert (
        trade.purchases_complete_due(now=purchase.confirm_by - datetime.timedelta(seconds=1)) == 0
    )
    assert trade.purchases_complete_due(now=purchase.confirm_by) == 1
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.COMPLETED and balance(seller.business)[0] == Decimal(
        10
    )


def test_a_purchase_above_the_threshold_waits_for_an_administrator(seller, buyer):
    MarketTerms.objects.create(currency="EUR", approval_threshold=Decimal("50"))
    listing = listed(seller, price="60", quantity=1)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    assert purchase.needs_approval
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.APPROVAL
    assert list(selectors.admin_purchase_queue()) == [purchase]
    with pytest.raises(PermissionDenied):
        trade.purchase_approve(purchase=purchase, admin=buyer.user)
    admin = admin_user()
    trade.purchase_approve(purchase=purchase, admin=admin)
    trade.purchase_approve(purchase=purchase, admin=admin_user())  # a second click: once
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.COMPLETED and purchase.approved_by == admin
    assert balance(seller.business) == (Decimal(60), Decimal(0))


def test_an_administrator_can_reject_a_purchase_waiting_for_approval(seller, buyer):
    MarketTerms.objects.create(currency="EUR", approval_threshold=Decimal("5"))
    listing = listed(seller, price="6", quantity=1)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    trade.purchase_cancel(purchase=purchase, actor=admin_user(), reason="Suspicious")
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.CANCELLED and balance(buyer.business) == (
        Decimal(100),
        0,
    )


def test_another_business_cannot_touch_an_offer_or_a_purchase(seller, buyer):
    stranger = funded("100", name="Stranger")
    listing = listed(seller)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="3"
    )
    with pytest.raises(NotFound):
        trade.offer_accept(offer=offer, business=stranger.business, actor=stranger.user)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    with pytest.raises(NotFound):
        trade.purchase_deliver(purchase=purchase, business=stranger.business, actor=stranger.user)
    with pytest.raises(NotFound):
        selectors.purchase_get(business=stranger.business, pk=purchase.pk)
    with pytest.raises(NotFound):
        selectors.offer_get(business=stranger.business, pk=offer.pk)


def test_buy_now_is_idempotent_on_its_key(seller, buyer):
    listing = listed(seller, price="10", quantity=3)
    key = uuid.uuid4()
    first = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, key=key)
    again = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, key=key)
    assert first.pk == again.pk and Purchase.objects.count() == 1
    with pytest.raises(Conflict):
        trade.buy_now(
            business=buyer.business, actor=buyer.user, listing=listing, quantity=2, key=key
        )
    assert balance(buyer.business) == (Decimal(100), Decimal(10))


def test_unpublishing_closes_live_offers_and_keeps_open_purchases(seller, buyer):
    listing = listed(seller, price="10", quantity=3)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="9"
    )
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    listings.listing_unpublish(listing=listing, actor=seller.user)
    offer.refresh_from_db()
    assert (offer.status, offer.closed_reason) == (OfferStatus.CLOSED, "unpublished")
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    assert balance(seller.business)[0] == Decimal(10)


# --- listings from the catalog reserve stock -------------------------------------------------------


@pytest.fixture
def stocked(seller):
    from hanout.catalog import services as catalog
    from hanout.core.models import Shop
    from hanout.inventory import services as inventory

    product = catalog.product_create(
        business=seller.business,
        actor=seller.user,
        data={"name": "Coffee grinder", "sale_price": "30"},
    )
    location = inventory.default_location(shop=Shop.objects.get(business=seller.business))
    inventory.stock_receive(
        business=seller.business,
        actor=seller.user,
        product=product,
        location=location,
        quantity=Decimal(5),
    )
    return product, location


def _level(product, location):
    from hanout.inventory.models import StockLevel

    return StockLevel.objects.get(product=product, location=location)


def test_a_listing_from_a_product_reserves_its_stock_and_a_sale_takes_it_out(
    seller, buyer, stocked
):
    product, location = stocked
    listing = listings.listing_create(
        business=seller.business,
        actor=seller.user,
        data={"name": "Grinder", "price": "20", "quantity": 4},
        product=product,
        location=location,
        publish=True,
    )
    level = _level(product, location)
    assert (level.quantity, level.reserved) == (Decimal(5), Decimal(4))
    with pytest.raises(Conflict):  # 1 available: cannot list 2 more
        listings.listing_update(listing=listing, actor=seller.user, data={"quantity": 6})

    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=2)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    level = _level(product, location)
    assert (level.quantity, level.reserved) == (Decimal(3), Decimal(2))

    listings.listing_unpublish(listing=listing, actor=seller.user)
    assert _level(product, location).reserved == 0
    listing.refresh_from_db()
    assert listing.reserved == 0


def test_a_product_listing_needs_the_stock_to_publish(seller, stocked):
    product, location = stocked
    listing = listings.listing_create(
        business=seller.business,
        actor=seller.user,
        data={"name": "Grinder", "price": "20", "quantity": 9},
        product=product,
        location=location,
    )
    with pytest.raises(Conflict) as err:
        listings.listing_publish(listing=listing, actor=seller.user)
    assert "quantity" in err.value.fields
    listing.refresh_from_db()
    assert listing.status == ListingStatus.DRAFT and _level(product, location).reserved == 0


def test_another_business_product_cannot_be_listed(seller, stocked):
    product, location = stocked
    other = make_business()
    with pytest.raises(NotFound):
        listings.listing_create(
            business=other.business,
            actor=other.user,
            data={"name": "x", "price": "1"},
            product=product,
            location=location,
        )


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "", "price": "1"}, "name"),
        ({"name": "x", "price": "-1"}, "price"),
        ({"name": "x", "price": "1", "quantity": -1}, "quantity"),
        ({"name": "x", "price": "1", "quantity": "lots"}, "quantity"),
        ({"name": "x", "price": "1", "category": "cars"}, "category"),
    ],
)
def test_bad_listings_are_refused(seller, data, field):
    with pytest.raises(ValidationFailed) as err:
        listings.listing_create(business=seller.business, actor=seller.user, data=data)
    assert field in err.value.fields
    assert not Listing.objects.exists()


def test_browsing_finds_published_listings_without_accents_and_filters(seller, buyer):
    listed(seller, name="Machine à café", price="40")
    listed(seller, name="Vitrine réfrigérée", price="400", category="equipment")
    listed(seller, name="Caisse brouillon", price="5", publish=False)
    assert [x.name for x in selectors.listing_browse(q="cafe")] == ["Machine à café"]
    assert [x.name for x in selectors.listing_browse(q="REFRIGEREE")] == ["Vitrine réfrigérée"]
    assert [x.name for x in selectors.listing_browse(category="equipment")] == [
        "Vitrine réfrigérée"
    ]
    assert [x.name for x in selectors.listing_browse(max_price=Decimal(100))] == ["Machine à café"]
    assert [x.name for x in selectors.listing_browse(sort="-price")] == [
        "Vitrine réfrigérée",
        "Machine à café",
    ]
    assert selectors.listing_browse(country="MA").count() == 0
    draft = Listing.objects.get(name="Caisse brouillon")
    with pytest.raises(NotFound):
        selectors.listing_get(viewer=buyer.business, pk=draft.pk)
    assert selectors.listing_get(viewer=seller.business, pk=draft.pk) == draft


def test_selling_out_closes_the_other_offers_but_not_the_one_accepted(seller):
    first, second, third = (funded("100", name=n) for n in ("First", "Second", "Third"))
    listing = listed(seller, price="10", quantity=3)
    big = trade.offer_make(
        business=first.business, actor=first.user, listing=listing, unit_price="9", quantity=2
    )
    small = trade.offer_make(
        business=second.business, actor=second.user, listing=listing, unit_price="8"
    )
    late = trade.offer_make(
        business=third.business, actor=third.user, listing=listing, unit_price="7"
    )
    trade.offer_accept(offer=big, business=seller.business, actor=seller.user)
    # One unit left: the other offers still stand.
    assert set(Offer.objects.filter(listing=listing).values_list("status", flat=True)) == {
        OfferStatus.ACCEPTED,
        OfferStatus.OPEN,
    }
    trade.offer_accept(offer=small, business=seller.business, actor=seller.user)
    small.refresh_from_db()
    late.refresh_from_db()
    assert small.status == OfferStatus.ACCEPTED
    assert late.status == OfferStatus.CLOSED and late.decided_at is not None
    assert late.closed_reason == "sold_out"
    with pytest.raises(Conflict) as answer:
        trade.offer_accept(offer=late, business=seller.business, actor=seller.user)
    assert answer.value.code == "offer_decided"


def test_buy_now_of_the_last_units_closes_open_and_countered_offers(seller, buyer):
    other = funded("100", name="Other")
    listing = listed(seller, price="10", quantity=2)
    open_offer = trade.offer_make(
        business=other.business, actor=other.user, listing=listing, unit_price="6"
    )
    countered = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="5"
    )
    trade.offer_counter(
        offer=countered, business=seller.business, actor=seller.user, unit_price="9"
    )
    trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=2)
    statuses = dict(Offer.objects.filter(listing=listing).values_list("pk", "status"))
    assert statuses == {open_offer.pk: OfferStatus.CLOSED, countered.pk: OfferStatus.CLOSED}
    # Nothing stays held for a closed offer: only the purchase's 20.00.
    assert balance(buyer.business) == (Decimal(100), Decimal(20))
    assert balance(other.business) == (Decimal(100), Decimal(0))


def test_an_offer_stands_for_the_days_chosen(seller, buyer):
    listing = listed(seller)
    now = clock.now()
    offer = trade.offer_make(
        business=buyer.business,
        actor=buyer.user,
        listing=listing,
        unit_price="3",
        valid_for_days=14,
    )
    assert (
        datetime.timedelta(days=14)
        <= offer.expires_at - now
        < datetime.timedelta(days=14, minutes=1)
    )
    for bad in (0, 31, "soon"):
        with pytest.raises(ValidationFailed) as answer:
            trade.offer_make(
                business=buyer.business,
                actor=buyer.user,
                listing=listing,
                unit_price="3",
                valid_for_days=bad,
            )
        assert "valid_for_days" in answer.value.fields
    with pytest.raises(ValidationFailed) as answer:
        trade.offer_make(
            business=buyer.business,
            actor=buyer.user,
            listing=listing,
            unit_price="3",
            valid_for_days=2,
            expires_at=now + datetime.timedelta(days=1),
        )
    assert "expires_at" in answer.value.fields
    assert Offer.objects.filter(listing=listing).count() == 1


def test_a_resent_offer_form_with_its_days_is_the_same_offer(seller, buyer):
    """The payload holds the days, not the moment they make: a double submit a second
    later is the first offer again, not an idempotency conflict."""
    listing = listed(seller)
    key = uuid.uuid4()
    kwargs = {
        "business": buyer.business,
        "actor": buyer.user,
        "listing": listing,
        "unit_price": "3",
        "valid_for_days": 7,
        "key": key,
    }
    first = trade.offer_make(**kwargs)
    again = trade.offer_make(**kwargs)
    assert again.pk == first.pk and Offer.objects.filter(listing=listing).count() == 1


def test_an_offer_the_buyer_cannot_pay_tells_each_party_its_own_words(seller):
    poor = funded("17.44", name="Poor buyer")
    listing = listed(seller, price="40.00", quantity=2)
    offer = trade.offer_make(
        business=poor.business, actor=poor.user, listing=listing, unit_price="40", quantity=1
    )
    with pytest.raises(Conflict) as seller_told:
        trade.offer_accept(offer=offer, business=seller.business, actor=seller.user)
    assert seller_told.value.code == "insufficient_funds"
    assert "17.44" not in seller_told.value.message
    assert "The buyer does not have enough money" in seller_told.value.message
    # A counter-offer the buyer accepts: the buyer is told its own figures.
    low = trade.offer_make(
        business=poor.business, actor=poor.user, listing=listing, unit_price="10", quantity=1
    )
    trade.offer_counter(
        offer=low, business=seller.business, actor=seller.user, unit_price="30", quantity=1
    )
    with pytest.raises(Conflict) as buyer_told:
        trade.offer_accept(offer=low, business=poor.business, actor=poor.user)
    # Money as the pages write it (English, a Belgian shop), not "17.44 EUR".
    assert "17,44\xa0€ available, 30,00\xa0€ needed" in buyer_told.value.message
    assert not Purchase.objects.exists()


def test_a_completed_sale_names_no_person_of_the_buyer_in_the_sellers_books(seller, buyer, stocked):
    from hanout.core.models import AuditEntry
    from hanout.inventory.models import StockMovement

    product, location = stocked
    listing = listings.listing_create(
        business=seller.business,
        actor=seller.user,
        data={"name": "Grinder", "price": "20", "quantity": 2},
        product=product,
        location=location,
        publish=True,
    )
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    sale = StockMovement.objects.get(business=seller.business, reason="sale")
    assert sale.actor_id is None
    books = AuditEntry.objects.filter(business=seller.business)
    assert not books.filter(actor=buyer.user).exists()
    assert not books.filter(actor_label__icontains=buyer.user.email).exists()
    for action in ("stock.sale", "purchase.complete"):
        entry = books.get(action=action)
        assert entry.actor_id is None and entry.actor_label == "Marketplace purchase"
