"""The marketplace pages, as a person uses them: the same services, the same words."""

import io
import uuid
from datetime import UTC
from decimal import Decimal

import pytest
from PIL import Image

from hanout.core.permissions import Role
from hanout.marketplace import services_trade, services_wallet
from hanout.marketplace.models import Listing, Offer, Purchase, RequestStatus, WalletRequest
from hanout.marketplace.tests.helpers import admin_user, balance, funded, listed
from tests.factories import make_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return funded("0", name="Seller")


@pytest.fixture
def buyer():
    return funded("100", name="Buyer")


def _png():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    out.seek(0)
    out.name = "x.png"
    return out


def test_every_marketplace_page_renders_for_an_owner(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=5)
    own = listed(buyer, name="Old shelves", publish=False)
    purchase = services_trade.buy_now(
        business=buyer.business, actor=buyer.user, listing=listing, quantity=1
    )
    login(client, buyer)
    for url in [
        "/market/",
        "/market/?q=espresso&category=other&min_price=1&max_price=9&country=be&sort=price",
        f"/market/listings/{listing.pk}/",
        f"/market/listings/{own.pk}/",
        f"/market/listings/{own.pk}/edit/",
        "/market/listings/new/",
        "/market/mine/",
        "/market/offers/",
        "/market/purchases/",
        f"/market/purchases/{purchase.pk}/",
        "/market/wallet/",
        "/market/wallet/?kind=deposit&since=2020-01-01",
        "/market/profile/",
        "/market/analytics/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"Espresso machine" in client.get("/market/?q=ESPRESSO").content
    assert b'href="/market/"' in client.get("/market/").content  # the menu link


def test_buy_now_through_the_item_page_holds_the_money(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=5)
    login(client, buyer)
    response = client.post(
        f"/market/listings/{listing.pk}/buy/", {"quantity": "2", "client_uuid": str(uuid.uuid4())}
    )
    purchase = Purchase.objects.get(business=buyer.business)
    assert response.status_code == 302
    assert response["Location"] == f"/market/purchases/{purchase.pk}/"
    assert purchase.quantity == 2
    assert balance(buyer.business)[1] == 8


def test_a_bad_quantity_rerenders_with_the_services_words_and_buys_nothing(client, seller, buyer):
    listing = listed(seller, quantity=3)
    login(client, buyer)
    response = client.post(f"/market/listings/{listing.pk}/buy/", {"quantity": "9"})
    assert response.status_code == 409
    assert "Only 3 left." in response.content.decode()
    response = client.post(f"/market/listings/{listing.pk}/buy/", {"quantity": "zero"})
    assert response.status_code == 400
    assert "Enter a whole number of units, at least 1." in response.content.decode()
    assert not Purchase.objects.exists()


def test_an_offer_through_the_item_page_and_a_bad_amount(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=3)
    login(client, buyer)
    response = client.post(
        f"/market/listings/{listing.pk}/offer/",
        {"unit_price": "3.505", "quantity": "1", "message": ""},
    )
    assert response.status_code == 400
    assert "EUR has 2 decimals: 3.505 has more." in response.content.decode()
    assert not Offer.objects.exists()
    response = client.post(
        f"/market/listings/{listing.pk}/offer/",
        {"unit_price": "3.50", "quantity": "2", "message": "Tomorrow?"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.unit_price, offer.quantity, offer.message) == (3.5, 2, "Tomorrow?")

    # The seller sees it and accepts it from the offers page.
    client.force_login(seller.user)
    assert "Tomorrow?" in client.get("/market/offers/").content.decode()
    response = client.post(f"/market/offers/{offer.pk}/accept/")
    assert response.status_code == 302
    assert Purchase.objects.get().amount == 7


def test_another_businesss_draft_listing_is_not_found(client, seller, buyer):
    draft = listed(seller, publish=False)
    login(client, buyer)
    assert client.get(f"/market/listings/{draft.pk}/").status_code == 404
    assert client.get(f"/market/listings/{draft.pk}/edit/").status_code == 404
    assert client.post(f"/market/listings/{draft.pk}/delete/").status_code == 404
    assert Listing.objects.filter(pk=draft.pk).exists()


def test_a_cashier_cannot_open_the_marketplace(client, seller):
    cashier = make_member(seller, role=Role.CASHIER)
    login(client, cashier)
    assert client.get("/market/").status_code == 403
    assert client.get("/market/wallet/").status_code == 403


def test_new_listing_form_with_a_picture_then_unpublish(client, seller):
    login(client, seller)
    response = client.post(
        "/market/listings/new/",
        {
            "name": "Fridge",
            "description": "Works",
            "category": "equipment",
            "price": "120",
            "quantity": "1",
            "pictures": [_png()],
            "publish": "on",
        },
    )
    listing = Listing.objects.get(name="Fridge")
    assert response.status_code == 302
    assert listing.status == "published"
    assert listing.images.count() == 1
    client.post(f"/market/listings/{listing.pk}/publish/", {"action": "unpublish"})
    listing.refresh_from_db()
    assert listing.status == "unpublished"
    response = client.post(
        "/market/listings/new/", {"name": "", "category": "other", "price": "-1", "quantity": "1"}
    )
    assert response.status_code == 400
    assert Listing.objects.count() == 1


def test_the_admin_queue_is_refused_to_an_owner_and_approves_for_staff(client, buyer):
    request = services_wallet.deposit_request(
        business=buyer.business, actor=buyer.user, amount="25", reference="TX-9"
    )
    login(client, buyer)
    assert client.get("/market/admin/").status_code == 404
    assert client.post(f"/market/admin/request/{request.pk}/approve/").status_code == 404
    client.force_login(admin_user())
    page = client.get("/market/admin/").content.decode()
    assert "TX-9" in page
    response = client.post(f"/market/admin/request/{request.pk}/approve/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.POSTED
    assert balance(buyer.business)[0] == 125
    # A rejection needs a reason; without one nothing changes.
    other = services_wallet.deposit_request(business=buyer.business, actor=buyer.user, amount="5")
    assert client.post(f"/market/admin/request/{other.pk}/reject/").status_code == 400
    assert WalletRequest.objects.get(pk=other.pk).status == RequestStatus.PENDING
    client.post(f"/market/admin/request/{other.pk}/reject/", {"reason": "No transfer seen"})
    assert WalletRequest.objects.get(pk=other.pk).status == RequestStatus.VOIDED
    trail = client.get("/market/admin/?status=").content.decode()
    assert "Approved a deposit or withdrawal" in trail
    assert "Rejected a deposit or withdrawal" in trail
    # Amounts in the currency's decimals, as everywhere else.
    assert "Deposit €25.00" in trail and "25.000" not in trail


def test_the_decisions_list_names_the_item_of_a_purchase(client, seller, buyer):
    from hanout.marketplace.models import MarketTerms

    MarketTerms.objects.create(currency="EUR", approval_threshold=Decimal("5"))
    listing = listed(seller, name="Vitrine réfrigérée", price="8.00", quantity=2)
    purchase = services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    services_trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    services_trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    client.force_login(admin_user())
    assert client.post(f"/market/admin/purchase/{purchase.pk}/approve/").status_code == 302
    trail = client.get("/market/admin/?status=").content.decode()
    assert "Vitrine réfrigérée × 1 (€8.00)" in trail
    assert str(listing.pk) not in trail.split('id="admin-trail"')[1]


def test_a_deposit_request_from_the_wallet_page_is_idempotent(client, buyer):
    login(client, buyer)
    key = str(uuid.uuid4())
    for _ in range(2):
        response = client.post(
            "/market/wallet/deposit/", {"amount": "12.50", "reference": "R1", "client_uuid": key}
        )
        assert response.status_code == 302
    assert WalletRequest.objects.filter(business=buyer.business, reference="R1").count() == 1
    response = client.post("/market/wallet/withdrawal/", {"amount": "1.001"})
    assert response.status_code == 400
    assert "EUR has 2 decimals" in response.content.decode()


def test_the_csv_export_has_the_filtered_ledger(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=5)
    services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=1)
    login(client, buyer)
    body = b"".join(client.get("/market/wallet/export/").streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert len(lines) == 3  # header, the deposit, the purchase hold
    assert "Deposit" in body and "Espresso machine" in body
    only = b"".join(client.get("/market/wallet/export/?kind=deposit").streaming_content).decode(
        "utf-8-sig"
    )
    assert len(only.strip().splitlines()) == 2


def test_a_period_that_ends_before_it_starts_is_said_on_the_wallet_page(client, seller, buyer):
    """An end before the start filtered every entry out without a word: the page now says
    which date is wrong and shows the ledger (still by kind) meanwhile; the export agrees."""
    listing = listed(seller, price="4.00", quantity=5)
    services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=1)
    login(client, buyer)
    page = client.get("/market/wallet/?kind=deposit&since=2030-02-01&until=2030-01-01")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="id_until_error"' in html
    assert "The end date is before the start date." in html
    assert 'aria-invalid="true"' in html
    ledger = html.split('id="ledger-table"', 1)[1]
    assert "Deposit" in ledger and "Espresso machine" not in ledger  # the kind still holds
    body = b"".join(
        client.get(
            "/market/wallet/export/?kind=deposit&since=2030-02-01&until=2030-01-01"
        ).streaming_content
    ).decode("utf-8-sig")
    assert len(body.strip().splitlines()) == 2
    # a period the right way round still filters by date
    empty = client.get("/market/wallet/?since=2030-01-01&until=2030-02-01").content.decode()
    assert "id_until_error" not in empty
    assert "Deposit" not in empty.split('id="ledger-table"', 1)[1]


def test_a_decimal_comma_is_read_as_a_decimal_point(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=3)
    login(client, buyer)
    response = client.post(
        f"/market/listings/{listing.pk}/offer/", {"unit_price": "3,25", "quantity": "1"}
    )
    assert response.status_code == 302
    assert Offer.objects.get().unit_price == Decimal("3.25")


def test_browse_shows_the_wallets_currency_first_and_every_currency_on_request(
    client, seller, buyer
):
    moroccan = funded("0", name="Souk", currency="MAD", country="MA")
    listed(seller, name="Etagere euro")
    listed(moroccan, name="Etagere dirham", price="40")
    login(client, buyer)
    mine = client.get("/market/?q=etagere").content.decode()
    assert "Etagere euro" in mine and "Etagere dirham" not in mine
    every = client.get("/market/?q=etagere&every_currency=1").content.decode()
    assert "Etagere euro" in every and "Etagere dirham" in every


def test_a_platform_administrator_is_shown_the_way_to_the_queue(client, buyer):
    """An operator belongs to no business: the welcome page leads to the marketplace's
    administration (a member of a business is not offered it)."""
    client.force_login(admin_user())
    response = client.get("/", follow=True)
    page = response.content.decode()
    assert 'id="welcome-market-admin"' in page
    assert 'href="/market/admin/"' in page
    login(client, buyer)
    assert 'id="welcome-market-admin"' not in client.get("/welcome/").content.decode()


def test_the_start_up_banner_lists_the_neighbours_and_the_operator():
    from hanout.demo import demo_logins

    emails = {email for _business, email, _role in demo_logins()}
    assert {"patron@brasserie-marche.example", "operator@hanout.example"} <= emails


def test_the_ledger_file_names_its_time_zone_and_keeps_the_currencys_decimals(
    client, seller, buyer
):
    from hanout.core.models import Shop

    Shop.objects.filter(business=buyer.business).update(time_zone="Asia/Tokyo")
    listing = listed(seller, price="4.00", quantity=5)
    services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=1)
    login(client, buyer)
    body = b"".join(client.get("/market/wallet/export/").streaming_content).decode("utf-8-sig")
    header, *rows = body.strip().splitlines()
    assert "Date (Asia/Tokyo)" in header
    assert all(",-4.00," in r or ",4.00," in r or ",100.00," in r for r in rows), rows
    assert ".000" not in body


def test_an_offer_stands_for_the_days_chosen_on_the_item_page(client, seller, buyer):
    from hanout.core import clock

    listing = listed(seller, price="4.00", quantity=3)
    login(client, buyer)
    page = client.get(f"/market/listings/{listing.pk}/").content.decode()
    assert 'name="valid_for_days"' in page and "1 week" in page
    before = clock.now()
    response = client.post(
        f"/market/listings/{listing.pk}/offer/",
        {"unit_price": "3.50", "quantity": "1", "valid_for_days": "7"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert 7 * 86400 - 5 <= (offer.expires_at - before).total_seconds() <= 7 * 86400 + 60
    offers = client.get("/market/offers/").content.decode()
    from hanout.core.selectors import business_zone

    local = offer.expires_at.astimezone(business_zone(buyer.business))
    assert "Until" in offers and f'<time datetime="{local:%Y-%m-%dT%H:%M:%S}' in offers
    response = client.post(
        f"/market/listings/{listing.pk}/offer/",
        {"unit_price": "3.50", "quantity": "1", "valid_for_days": "90"},
    )
    assert response.status_code == 400 and Offer.objects.count() == 1


def test_a_counter_offer_from_the_page_can_change_the_quantity(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=5)
    offer = services_trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="3", quantity=4
    )
    login(client, seller)
    page = client.get("/market/offers/").content.decode()
    assert 'name="quantity"' in page
    response = client.post(
        f"/market/offers/{offer.pk}/counter/", {"unit_price": "3.80", "quantity": "2"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.unit_price, offer.quantity) == ("countered", Decimal("3.80"), 2)
    bad = client.post(f"/market/offers/{offer.pk}/counter/", {"unit_price": "3", "quantity": "9"})
    assert bad.status_code in (400, 302, 409)
    offer.refresh_from_db()
    assert offer.quantity == 2


def test_a_sold_out_item_shows_sold_out_and_no_forms(client, seller, buyer):
    listing = listed(seller, name="Vitrine", price="4.00", quantity=1)
    login(client, buyer)
    page = client.get(f"/market/listings/{listing.pk}/").content.decode()
    assert 'id="buy-form"' in page and 'id="offer-form"' in page
    services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    page = client.get(f"/market/listings/{listing.pk}/").content.decode()
    assert 'id="sold-out-note"' in page and 'id="listing-sold-out"' in page
    assert 'id="buy-form"' not in page and 'id="offer-form"' not in page
    assert "Buy now" not in page and "Make an offer" not in page


def test_the_offers_page_tells_an_offer_the_market_closed_from_a_declined_one(
    client, seller, buyer
):
    from hanout.marketplace import services_listings

    gone = listed(seller, name="Balance", price="10")
    refused = listed(seller, name="Comptoir", price="10")
    closed = services_trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=gone, unit_price="8"
    )
    declined = services_trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=refused, unit_price="8"
    )
    services_listings.listing_unpublish(listing=gone, actor=seller.user)
    services_trade.offer_decline(offer=declined, business=seller.business, actor=seller.user)
    login(client, buyer)
    page = client.get("/market/offers/").content.decode()
    mine = page.split('id="offers-out"')[1]
    rows = {name: mine.split(name)[1].split("</tr>")[0] for name in ("Balance", "Comptoir")}
    assert "Closed by the marketplace" in rows["Balance"]
    assert "Taken off the market" in rows["Balance"] and "Declined" not in rows["Balance"]
    assert "Declined" in rows["Comptoir"] and "offer-closed-reason" not in rows["Comptoir"]
    assert Offer.objects.get(pk=closed.pk).closed_reason == "unpublished"


def test_the_admin_queue_names_its_time_zone_and_lists_all_newest_first(client, buyer):
    first = services_wallet.deposit_request(
        business=buyer.business, actor=buyer.user, amount="1", reference="FIRST"
    )
    second = services_wallet.deposit_request(
        business=buyer.business, actor=buyer.user, amount="2", reference="SECOND"
    )
    services_wallet.request_approve(request=first, admin=admin_user())
    client.force_login(admin_user())
    page = client.get("/market/admin/").content.decode()
    assert "Date (UTC)" in page and "When (UTC)" in page and "Confirmed (UTC)" in page
    everything = client.get("/market/admin/?status=").content.decode()
    table = everything.split('id="admin-requests"')[1].split("</table>")[0]
    assert table.index("SECOND") < table.index("FIRST")
    # Only the pending request says when it expires.
    rows = {ref: table.split(ref)[0].rsplit("<tr>", 1)[1] for ref in ("FIRST", "SECOND")}
    assert "request-expiry" in rows["SECOND"] and "request-expiry" not in rows["FIRST"]
    assert second.status == RequestStatus.PENDING


def test_french_states_agree_with_their_nouns():
    from django.utils import translation

    from hanout.marketplace.models import OfferStatus

    with translation.override("fr"):
        # une offre, une demande: feminine; an amount withdrawn, a purchase delivered: masculine.
        assert str(OfferStatus.EXPIRED.label) == "Expirée"
        assert str(OfferStatus.CLOSED.label) == "Clôturée par la place de marché"
        assert str(RequestStatus.POSTED.label) == "Approuvée"
        assert str(RequestStatus.EXPIRED.label) == "Expirée"
        assert translation.pgettext("money", "Withdrawn") == "Retiré"
        assert translation.pgettext("purchase", "Delivered") == "Livré"


def _not_an_image(name="notes.png"):
    out = io.BytesIO(b"this is text, not a picture")
    out.name = name
    return out


def _listing_post(**extra):
    return {
        "name": "Fridge",
        "category": "equipment",
        "price": "120",
        "quantity": "1",
        "client_uuid": str(uuid.uuid4()),
        **extra,
    }


def test_a_listing_with_one_bad_picture_saves_nothing_and_a_resend_makes_one(client, seller):
    from hanout.marketplace.models import ListingImage

    login(client, seller)
    body = _listing_post(pictures=[_png(), _not_an_image()])
    response = client.post("/market/listings/new/", body)
    assert response.status_code == 400
    assert "This file is not an image we can read" in response.content.decode()
    assert Listing.objects.count() == 0 and ListingImage.objects.count() == 0
    # Fixed and sent again (the same form, the same key): one listing, its picture.
    response = client.post("/market/listings/new/", {**body, "pictures": [_png()]})
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert listing.images.count() == 1


def test_too_many_pictures_for_a_listing_saves_none_of_them(client, seller):
    from hanout.marketplace import services_listings

    listing = listed(seller, publish=False)
    services_listings.listing_add_images(
        listing=listing, actor=seller.user, uploads=[_png() for _ in range(3)]
    )
    login(client, seller)
    response = client.post(
        f"/market/listings/{listing.pk}/edit/",
        {**_listing_post(name="Espresso machine 2"), "pictures": [_png() for _ in range(6)]},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "A listing has at most 8 pictures: this one has 3, so add at most 5 more." in page
    listing.refresh_from_db()
    assert listing.images.count() == 3
    assert listing.name == "Espresso machine"  # the change of name went with the pictures
    # Five fit.
    response = client.post(
        f"/market/listings/{listing.pk}/edit/",
        {**_listing_post(name="Espresso machine"), "pictures": [_png() for _ in range(5)]},
    )
    assert response.status_code == 302
    assert listing.images.count() == 8


def test_bad_price_filters_are_told_beside_their_fields(client, seller, buyer):
    listed(seller, name="Cheap", price="2.00")
    listed(seller, name="Dear", price="50.00")
    login(client, buyer)
    page = client.get("/market/?min_price=-5&max_price=abc").content.decode()
    assert 'id="id_min_price_error"' in page and 'id="id_max_price_error"' in page
    assert page.count("Enter a price of zero or more, such as 12.50.") == 2
    page = client.get("/market/?min_price=10&max_price=5").content.decode()
    assert 'id="id_max_price_error"' in page
    assert "The highest price is below the lowest price." in page
    # The good filter still applies; the bad one is left out.
    assert "Dear" in page and "Cheap" not in page


def test_deciding_a_decided_request_on_the_queue_says_so(client, buyer):
    request = services_wallet.deposit_request(
        business=buyer.business, actor=buyer.user, amount="25"
    )
    admin = admin_user()
    services_wallet.request_reject(request=request, admin=admin, reason="No transfer seen")
    client.force_login(admin)
    response = client.post(f"/market/admin/request/{request.pk}/approve/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/market/admin/"
    assert "This deposit is already rejected." in response.content.decode()
    assert WalletRequest.objects.get(pk=request.pk).status == RequestStatus.VOIDED
    approved = services_wallet.deposit_request(
        business=buyer.business, actor=buyer.user, amount="5"
    )
    services_wallet.request_approve(request=approved, admin=admin)
    response = client.post(
        f"/market/admin/request/{approved.pk}/reject/", {"reason": "Late"}, follow=True
    )
    assert "This deposit is already approved." in response.content.decode()
    assert WalletRequest.objects.get(pk=approved.pk).status == RequestStatus.POSTED


def test_approving_a_purchase_no_longer_waiting_says_so(client, seller, buyer):
    listing = listed(seller, price="4.00", quantity=2)
    purchase = services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    client.force_login(admin_user())
    response = client.post(f"/market/admin/purchase/{purchase.pk}/approve/", follow=True)
    assert response.redirect_chain[-1][0] == "/market/admin/"
    assert "This purchase is paid (money held): it cannot be approved." in (
        response.content.decode()
    )
    assert Purchase.objects.get(pk=purchase.pk).status == "paid"


def test_a_seller_accepting_an_unpaid_offer_is_not_told_the_buyers_balance(client, seller):
    poor = funded("17.44", name="Poor buyer")
    listing = listed(seller, price="40.00", quantity=1)
    offer = services_trade.offer_make(
        business=poor.business, actor=poor.user, listing=listing, unit_price="40", quantity=1
    )
    login(client, seller)
    response = client.post(f"/market/offers/{offer.pk}/accept/", follow=True)
    page = response.content.decode()
    assert "The buyer does not have enough money in their wallet for this offer" in page
    assert "17.44" not in page and "17,44" not in page
    assert Offer.objects.get(pk=offer.pk).status == "open"


def _section(page: str, table_id: str) -> str:
    return page.split(f'id="{table_id}"')[1].split("</table>")[0]


def test_the_profile_lists_items_bought_sold_for_sale_offers_and_the_filtered_history(
    client, seller, buyer, django_assert_max_num_queries
):
    """Issue item 4: the profile shows what was bought, sold and is still for sale, the offers
    waiting both ways, and the transaction history with its filters and CSV, for this
    business only."""
    lamp = listed(seller, name="Brass lamp", price="6.00", quantity=2)
    bought = services_trade.buy_now(
        business=buyer.business, actor=buyer.user, listing=lamp, quantity=1
    )
    services_trade.purchase_deliver(purchase=bought, business=seller.business, actor=seller.user)
    services_trade.purchase_confirm(purchase=bought, business=buyer.business, actor=buyer.user)
    services_trade.buy_now(business=buyer.business, actor=buyer.user, listing=lamp, quantity=1)
    shelves = listed(buyer, name="Oak shelves", price="30.00", quantity=1)
    listed(buyer, name="Draft counter", publish=False)
    third = funded("50", name="Third")
    services_trade.offer_make(
        business=third.business, actor=third.user, listing=shelves, unit_price="25"
    )
    scale = listed(third, name="Kitchen scale", price="9.00")
    services_trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=scale, unit_price="8"
    )
    login(client, buyer)
    with django_assert_max_num_queries(21):
        page = client.get("/market/profile/").content.decode()
    summary = page.split('id="profile-summary"')[1].split('<div class="row g-4">')[0]
    assert summary.count('class="col-6') == 6
    bought_rows = _section(page, "profile-bought")
    assert "Brass lamp" in bought_rows and "Seller" in bought_rows
    assert bought_rows.count("<tr>") == 2  # the header and the one completed purchase
    assert "Nothing yet." in _section(page, "profile-sold")
    for_sale = _section(page, "profile-unsold")
    assert "Oak shelves" in for_sale and "Draft counter" not in for_sale
    offers = _section(page, "profile-offers")
    assert offers.count('class="offer-in"') == 1 and offers.count('class="offer-out"') == 1
    assert "Third" in offers and "Kitchen scale" in offers
    history = _section(page, "ledger-table")
    assert "Deposit" in history and "Purchase" in history
    assert 'action="/market/profile/"' in page
    filtered = client.get("/market/profile/?kind=deposit").content.decode()
    assert "Purchase" not in _section(filtered, "ledger-table").split("</thead>")[1]
    assert 'href="/market/wallet/export/?kind=deposit"' in filtered
    export = client.get("/market/wallet/export/?kind=deposit")
    csv = b"".join(export.streaming_content).decode("utf-8-sig")
    assert csv.strip().count("\n") == 1  # the header and the one deposit
    bad = client.get("/market/profile/?since=2026-05-01&until=2026-04-01")
    assert bad.status_code == 200 and "ledger-table" in bad.content.decode()
    login(client, seller)
    page = client.get("/market/profile/").content.decode()
    assert "Brass lamp" in _section(page, "profile-sold")
    assert "Oak shelves" not in page and "Kitchen scale" not in page


def test_the_analytics_page_reads_a_span_of_days_and_explains_a_backward_one(
    client, buyer, monkeypatch
):
    from datetime import datetime

    from hanout.core import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2025, 3, 10, 12, tzinfo=UTC))
    old = services_wallet.deposit_request(business=buyer.business, actor=buyer.user, amount="7")
    services_wallet.request_approve(request=old, admin=admin_user())
    monkeypatch.undo()
    login(client, buyer)

    def deposited(query=""):
        page = client.get(f"/market/analytics/{query}").content.decode()
        return page.split('id="analytics-totals"')[1].split("</div></div></div>")[2], page

    everything, page = deposited()
    assert "107,00" in everything and 'id="analytics-period"' in page
    march, page = deposited("?since=2025-03-01&until=2025-03-31")
    assert "7,00" in march and "107,00" not in march
    assert 'value="2025-03-01"' in page
    backward, page = deposited("?since=2025-03-31&until=2025-03-01")
    assert "The end date is before the start date." in page and "107,00" in backward


def test_a_page_writes_every_amount_the_readers_way_whoever_listed_it(
    client, django_capture_on_commit_callbacks
):
    """Trial 4: a Moroccan shop reading in English saw "350,00 €" (the Belgian seller's
    way) beside "MAD4,000.00". Every amount of a page follows the reader's business's
    country; what is sent to another business (a notification) follows theirs."""
    from hanout.notifications.models import Notification

    belgian = funded("2000", name="Petrin", country="BE")
    moroccan = funded("20000", name="Alma", currency="MAD", country="MA")
    oven = listed(belgian, name="Four", price="1200.00")
    tagine = listed(funded("0", name="Souk", currency="MAD", country="MA"), price="4000")
    login(client, moroccan)
    page = client.get("/market/?every_currency=1").content.decode()
    assert "€1,200.00" in page and "MAD\xa04,000.00" in page
    assert "1.200,00" not in page
    item = client.get(f"/market/listings/{oven.pk}/").content.decode()
    assert "€1,200.00" in item and "1.200,00" not in item
    login(client, belgian)
    item = client.get(f"/market/listings/{tagine.pk}/").content.decode()
    assert "4.000,00\xa0MAD" in item
    # Bought by a Belgian reader's request: the French seller is told the French way
    # ("1 200,00 €", in English too), not the way the page being drawn was.
    french = funded("0", name="Boulangerie", country="FR")
    bread = listed(french, name="Pétrin", price="1200.00")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/market/listings/{bread.pk}/buy/", {"quantity": "1", "client_uuid": uuid.uuid4()}
        )
    assert response.status_code == 302
    told = Notification.objects.get(business=french.business, kind__startswith="market")
    assert "1\u202f200,00\xa0€" in told.body and "1.200,00" not in told.body


def test_the_platform_queue_writes_every_businesss_amount_one_way(client):
    operator = admin_user()
    for name, currency, country in (("Petrin", "EUR", "BE"), ("Alma", "MAD", "MA")):
        owner = funded("0", name=name, currency=currency, country=country)
        services_wallet.deposit_request(business=owner.business, actor=owner.user, amount="2000")
    client.force_login(operator)
    page = client.get("/market/admin/").content.decode()
    assert "€2,000.00" in page and "MAD\xa02,000.00" in page
    assert "2.000,00" not in page
    client.cookies["django_language"] = "fr"
    page = client.get("/market/admin/").content.decode()
    assert "2\u202f000,00\xa0€" in page and "2\u202f000,00\xa0MAD" in page


def test_approving_an_approved_deposit_again_says_nothing_changed(client, buyer):
    operator = admin_user()
    pending = services_wallet.deposit_request(business=buyer.business, actor=buyer.user, amount="5")
    client.force_login(operator)
    url = f"/market/admin/request/{pending.pk}/approve/"
    first = client.post(url, follow=True).content.decode()
    assert "Approved." in first
    again = client.post(url, follow=True).content.decode()
    assert "It was already approved: nothing changed." in again
    assert balance(buyer.business)[0] == Decimal("105")
    # Approved from the administrator's page (no business: English's "€5.00"), the
    # buyer's own history names it the buyer's way.
    from hanout.core.models import AuditEntry

    approved = AuditEntry.objects.get(
        business=buyer.business, action="wallet.request_approve", object_id=str(pending.pk)
    )
    assert approved.object_repr == "Deposit 5,00\xa0€"
