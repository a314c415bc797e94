"""The marketplace through the REST API: the same rules, the same words, the right status codes."""

import io
import uuid
from decimal import Decimal

import pytest
from PIL import Image

from hanout.core.permissions import Role
from hanout.marketplace.models import Listing, ListingImage, Purchase, WalletRequest
from hanout.marketplace.tests.helpers import admin_user, balance, funded, listed
from tests.factories import make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller():
    return funded("0", name="Seller")


@pytest.fixture
def buyer():
    return funded("100", name="Buyer")


def _png(name="x.png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, "PNG")
    out.seek(0)
    out.name = name
    return out


def test_wallet_deposit_is_pending_and_idempotent_on_its_client_uuid(buyer):
    api = api_client_for(buyer)
    key = str(uuid.uuid4())
    body = {"kind": "deposit", "amount": "20.00", "reference": "BANK-9", "client_uuid": key}
    first = api.post("/api/v1/market/wallet/requests/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "pending"
    again = api.post("/api/v1/market/wallet/requests/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = api.post("/api/v1/market/wallet/requests/", {**body, "amount": "21"}, format="json")
    assert other.status_code == 409
    wallet = api.get("/api/v1/market/wallet/").json()
    assert wallet == {"currency": "EUR", "balance": "100.00", "held": "0.00", "available": "100.00"}


@pytest.mark.parametrize("amount", ["-1", "0", "1.234", "abc", "99999999999"])
def test_bad_amounts_are_a_400_naming_the_field(buyer, amount):
    api = api_client_for(buyer)
    before = WalletRequest.objects.count()
    response = api.post(
        "/api/v1/market/wallet/requests/", {"kind": "withdrawal", "amount": amount}, format="json"
    )
    assert response.status_code == 400
    assert "amount" in response.json()["error"]["fields"]
    assert WalletRequest.objects.count() == before


def test_a_withdrawal_above_the_available_money_is_a_409(buyer):
    api = api_client_for(buyer)
    response = api.post(
        "/api/v1/market/wallet/requests/",
        {"kind": "withdrawal", "amount": "100.01", "client_uuid": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_funds"


def test_listing_lifecycle_through_the_api(seller, buyer):
    api = api_client_for(seller)
    created = api.post(
        "/api/v1/market/my-listings/",
        {"name": "Vitrine", "price": "40", "quantity": 2, "category": "equipment"},
        format="json",
    )
    assert created.status_code == 201, created.content
    listing = created.json()
    assert listing["status"] == "draft" and listing["owners"][0]["business"] == str(
        seller.business.pk
    )
    # Not public before it is published.
    other = api_client_for(buyer)
    assert other.get(f"/api/v1/market/listings/{listing['id']}/").status_code == 404
    assert api.post(f"/api/v1/market/my-listings/{listing['id']}/publish/").status_code == 200
    seen = other.get("/api/v1/market/listings/?search=VITRINE").json()["results"]
    assert [x["id"] for x in seen] == [listing["id"]]
    # Pictures: an image is taken, something that is not an image is a 400.
    ok = api.post(
        f"/api/v1/market/my-listings/{listing['id']}/images/", {"file": _png()}, format="multipart"
    )
    assert ok.status_code == 201, ok.content
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "photo.png"
    bad = api.post(
        f"/api/v1/market/my-listings/{listing['id']}/images/", {"file": fake}, format="multipart"
    )
    assert bad.status_code == 400 and "file" in bad.json()["error"]["fields"]
    assert ListingImage.objects.count() == 1
    # The buyer buys one; the other business cannot edit the listing.
    bought = other.post(
        f"/api/v1/market/listings/{listing['id']}/buy/",
        {"quantity": 1, "client_uuid": str(uuid.uuid4())},
        format="json",
    )
    assert bought.status_code == 201, bought.content
    assert (
        other.patch(
            f"/api/v1/market/my-listings/{listing['id']}/", {"price": "1"}, format="json"
        ).status_code
        == 404
    )


def test_offer_counter_accept_deliver_confirm_through_the_api(seller, buyer):
    listing = listed(seller, price="10", quantity=5)
    s, b = api_client_for(seller), api_client_for(buyer)
    offer = b.post(
        "/api/v1/market/offers/",
        {"listing": str(listing.pk), "unit_price": "7", "quantity": 2},
        format="json",
    )
    assert offer.status_code == 201, offer.content
    oid = offer.json()["id"]
    assert s.get("/api/v1/market/offers/?side=seller").json()["results"][0]["id"] == oid
    assert (
        s.post(
            f"/api/v1/market/offers/{oid}/counter/", {"unit_price": "8"}, format="json"
        ).status_code
        == 200
    )
    accepted = b.post(f"/api/v1/market/offers/{oid}/accept/")
    assert accepted.status_code == 201, accepted.content
    pid = accepted.json()["id"]
    assert accepted.json()["amount"] == "16.00"
    assert s.post(f"/api/v1/market/purchases/{pid}/deliver/").status_code == 200
    done = b.post(f"/api/v1/market/purchases/{pid}/confirm/")
    assert done.json()["status"] == "completed"
    detail = b.get(f"/api/v1/market/listings/{listing.pk}/").json()
    assert [o["business"] for o in detail["owners"]] == [
        str(seller.business.pk),
        str(buyer.business.pk),
    ]
    analytics = s.get("/api/v1/market/analytics/").json()
    assert Decimal(analytics["totals"]["earned"]) == Decimal(16)
    assert analytics["top_by_revenue"][0]["name"] == listing.name


def test_an_offer_on_an_unpublished_or_own_listing_is_refused(seller, buyer):
    draft = listed(seller, publish=False)
    b, s = api_client_for(buyer), api_client_for(seller)
    response = b.post(
        "/api/v1/market/offers/", {"listing": str(draft.pk), "unit_price": "1"}, format="json"
    )
    assert response.status_code == 404  # an unpublished listing of another business does not exist
    own = listed(seller)
    response = s.post(
        "/api/v1/market/offers/", {"listing": str(own.pk), "unit_price": "1"}, format="json"
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "own_listing"


def test_bulk_creates_updates_deletes_and_atomic_rolls_back(seller):
    api = api_client_for(seller)
    keep = listed(seller, name="Keep", publish=False)
    drop = listed(seller, name="Drop", publish=False)
    rows = [
        {"op": "create", "data": {"name": "New lot", "price": "3", "quantity": 5}},
        {"op": "update", "id": str(keep.pk), "data": {"price": "9.50", "status": "published"}},
        {"op": "delete", "id": str(drop.pk)},
        {"op": "create", "data": {"name": "", "price": "-1"}},
    ]
    atomic = api.post(
        "/api/v1/market/my-listings/bulk/", {"atomic": True, "rows": rows}, format="json"
    )
    assert atomic.status_code == 400, atomic.content
    body = atomic.json()
    assert body["error"]["code"] == "invalid"
    assert body["error"]["message"].startswith("1 of 4 rows are not valid, so nothing was saved.")
    # The fourth row (`index` 3): the message counts rows from 1, as people do.
    assert "First: row 4: " in body["error"]["message"]
    assert body["results"][3]["index"] == 3
    assert body["applied"] is False and [r["ok"] for r in body["results"]] == [
        True,
        True,
        True,
        False,
    ]
    # Nothing was written: the row that would have created a listing names none.
    assert [r["id"] for r in body["results"]] == [None, str(keep.pk), str(drop.pk), None]
    assert Listing.objects.filter(business=seller.business).count() == 2
    keep.refresh_from_db()
    assert keep.price == Decimal("4.000") and keep.status == "draft"

    partial = api.post(
        "/api/v1/market/my-listings/bulk/", {"atomic": False, "rows": rows}, format="json"
    ).json()
    assert partial["applied"] is True
    deleted = partial["results"][2]
    assert deleted["ok"] and deleted["id"] == str(drop.pk)  # the row names what it deleted
    assert set(Listing.objects.filter(business=seller.business).values_list("name", flat=True)) == {
        "Keep",
        "New lot",
    }
    keep.refresh_from_db()
    assert keep.price == Decimal("9.5") and keep.status == "published"
    too_many = api.post(
        "/api/v1/market/my-listings/bulk/",
        {"rows": [{"op": "delete", "id": str(keep.pk)}] * 1001},
        format="json",
    )
    assert too_many.status_code == 400


def test_buying_more_than_is_left_is_not_enough_left_and_nothing_left_is_sold_out(seller, buyer):
    listing = listed(seller, price="4.00", quantity=3)
    api = api_client_for(buyer)
    url = f"/api/v1/market/listings/{listing.pk}/buy/"
    more = api.post(url, {"quantity": 5}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert more.status_code == 409
    assert more.json()["error"]["code"] == "not_enough_left"
    assert more.json()["error"]["fields"] == {"quantity": ["Only 3 left."]}
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    assert api.post(url, {"quantity": 3}, format="json", **key).status_code == 201
    gone = api.post(url, {"quantity": 1}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))
    assert gone.status_code == 409 and gone.json()["error"]["code"] == "sold_out"


def test_another_business_reaching_for_private_rows_gets_404(seller, buyer):
    stranger = funded("0", name="Stranger")
    listing = listed(seller)
    purchase = Purchase.objects.get(
        pk=api_client_for(buyer)
        .post(
            f"/api/v1/market/listings/{listing.pk}/buy/",
            {"client_uuid": str(uuid.uuid4())},
            format="json",
        )
        .json()["id"]
    )
    request = WalletRequest.objects.filter(business=buyer.business).first()
    api = api_client_for(stranger)
    for path in (
        f"/api/v1/market/purchases/{purchase.pk}/",
        f"/api/v1/market/wallet/requests/{request.pk}/",
        f"/api/v1/market/my-listings/{listing.pk}/",
    ):
        assert api.get(path).status_code == 404, path
    assert api.post(f"/api/v1/market/purchases/{purchase.pk}/deliver/").status_code == 404
    assert api.get("/api/v1/market/purchases/").json()["results"] == []


def test_a_cashier_cannot_use_the_marketplace(seller):
    cashier = make_member(seller, role=Role.CASHIER)
    assert api_client_for(cashier).get("/api/v1/market/wallet/").status_code == 403


def test_the_administrators_queue_is_for_platform_administrators_only(buyer):
    pending = WalletRequest.objects.create(
        business=buyer.business,
        kind="deposit",
        amount=Decimal(5),
        currency="EUR",
        expires_at="2999-01-01T00:00:00Z",
    )
    assert api_client_for(buyer).get("/api/v1/market/admin/requests/").status_code == 403
    from rest_framework.test import APIClient

    admin = APIClient()
    admin.force_authenticate(admin_user())
    queue = admin.get("/api/v1/market/admin/requests/")
    assert queue.status_code == 200, queue.content
    assert [r["id"] for r in queue.json()["results"]] == [str(pending.pk)]
    assert (
        admin.post(
            f"/api/v1/market/admin/requests/{pending.pk}/reject/", {}, format="json"
        ).status_code
        == 400
    )
    assert admin.post(f"/api/v1/market/admin/requests/{pending.pk}/approve/").status_code == 200
    assert balance(buyer.business) == (Decimal(105), Decimal(0))


def test_pictures_are_served_to_whoever_may_see_the_listing(client, seller, buyer):
    from tests.fixtures import login

    api = api_client_for(seller)
    draft = listed(seller, publish=False)
    made = api.post(
        f"/api/v1/market/my-listings/{draft.pk}/images/", {"file": _png()}, format="multipart"
    )
    url, thumb = made.json()["url"], made.json()["thumbnail_url"]
    login(client, seller)
    assert client.get(url).status_code == 200 and client.get(thumb)["Content-Type"] == "image/webp"
    login(client, buyer)
    assert client.get(url).status_code == 404  # a draft: not on the market
    api.post(f"/api/v1/market/my-listings/{draft.pk}/publish/")
    response = client.get(thumb)
    assert response.status_code == 200 and b"".join(response.streaming_content)[:4] == b"RIFF"


def test_analytics_and_ownership_amounts_have_the_currencys_decimals(seller, buyer):
    from hanout.marketplace import services_trade as trade

    listing = listed(seller, price="4.00", quantity=3)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    api = api_client_for(buyer)
    analytics = api.get("/api/v1/market/analytics/").json()
    assert analytics["totals"] == {
        "deposited": "100.00",
        "withdrawn": "0.00",
        "earned": "0.00",
        "spent": "4.00",
    }
    assert {m["spent"] for m in analytics["by_month"]} == {"4.00"}
    sold = api_client_for(seller).get("/api/v1/market/analytics/").json()
    assert [t["revenue"] for t in sold["top_by_revenue"]] == ["4.00"]
    owners = api.get(f"/api/v1/market/listings/{listing.pk}/").json()["owners"]
    assert [o["unit_price"] for o in owners] == [None, "4.00"]


def test_the_ledger_exports_as_csv_and_xlsx_through_the_api(seller, buyer):
    import openpyxl

    listing = listed(seller, price="4.00", quantity=3)
    from hanout.marketplace import services_trade as trade

    trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    api = api_client_for(buyer)
    csv = api.get("/api/v1/market/wallet/entries/export/?format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("Number,Date (") and len(rows) == 2
    assert "100.00" in text and ".000" not in text
    deposits = api.get("/api/v1/market/wallet/entries/export/?format=csv&kind=deposit")
    body = b"".join(deposits.streaming_content if deposits.streaming else [deposits.content])
    assert len(body.decode("utf-8-sig").strip().splitlines()) == 2
    xlsx = api.get("/api/v1/market/wallet/entries/export/?format=xlsx")
    assert xlsx.status_code == 200
    data = b"".join(xlsx.streaming_content if xlsx.streaming else [xlsx.content])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.max_row == 3
    assert api.get("/api/v1/market/wallet/entries/export/?format=pdf").status_code == 400
    # The seller's file has only the seller's own entries (none moved yet: no row).
    mine = api_client_for(seller).get("/api/v1/market/wallet/entries/export/?format=csv")
    text = b"".join(mine.streaming_content if mine.streaming else [mine.content]).decode(
        "utf-8-sig"
    )
    assert len(text.strip().splitlines()) == 1


def test_an_offer_through_the_api_can_stand_for_some_days(seller, buyer):
    listing = listed(seller, price="4.00", quantity=3)
    api = api_client_for(buyer)
    made = api.post(
        "/api/v1/market/offers/",
        {"listing": str(listing.pk), "unit_price": "3", "valid_for_days": 14},
        format="json",
    )
    assert made.status_code == 201, made.content
    bad = api.post(
        "/api/v1/market/offers/",
        {"listing": str(listing.pk), "unit_price": "3", "valid_for_days": 45},
        format="json",
    )
    assert bad.status_code == 400 and "valid_for_days" in bad.json()["error"]["fields"]


def _all_pages(api, url):
    """Every result of a paginated list, following the `next` links."""
    seen, pages = [], 0
    while url:
        body = api.get(url).json()
        seen += body["results"]
        url, pages = body["next"], pages + 1
    return seen, pages


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price", ["B", "E", "D", "A", "C"]),
        ("-price", ["C", "A", "E", "D", "B"]),
        ("name", ["A", "B", "C", "D", "E"]),
    ],
)
def test_the_shop_window_sorts_across_pages(seller, buyer, sort, expected):
    # Made in an order that is neither the price's nor the name's; D and E cost the same.
    for name, price in [("D", "2.00"), ("A", "7.00"), ("E", "2.00"), ("C", "9.50"), ("B", "1.00")]:
        listed(seller, name=name, price=price)
    api = api_client_for(buyer)
    results, pages = _all_pages(api, f"/api/v1/market/listings/?sort={sort}&page_size=2")
    assert pages == 3
    # Equal prices (D, E): the newest first, as on the web page.
    assert [r["name"] for r in results] == expected
    assert api.get("/api/v1/market/listings/?sort=bogus").status_code == 400


def test_picture_urls_are_absolute_and_open_with_the_api_token(seller, buyer):
    api = api_client_for(seller)
    listing = listed(seller)
    made = api.post(
        f"/api/v1/market/my-listings/{listing.pk}/images/", {"file": _png()}, format="multipart"
    ).json()
    assert made["url"].startswith("http://testserver/api/v1/market/listings/")
    other = api_client_for(buyer)
    detail = other.get(f"/api/v1/market/listings/{listing.pk}/").json()
    full, thumb = detail["images"][0]["url"], detail["images"][0]["thumbnail_url"]
    assert full == made["url"]
    response = other.get(thumb)  # a token-only client: no redirect to the login page
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert other.get(full).status_code == 200
    assert other.get(full.replace(made["id"], str(uuid.uuid4()))).status_code == 404
    # A picture of a listing taken off the market is not found for another business.
    api.post(f"/api/v1/market/my-listings/{listing.pk}/unpublish/")
    assert other.get(full).status_code == 404 and api.get(full).status_code == 200
    # The profile's picture, the same way.
    assert api.get("/api/v1/market/profile/").json()["picture"] is None
    assert api.get("/api/v1/market/profile/picture/").status_code == 404
    updated = api.patch("/api/v1/market/profile/update/", {"picture": _png()}, format="multipart")
    assert updated.status_code == 200, updated.content
    picture = updated.json()["picture"]
    assert picture == "http://testserver/api/v1/market/profile/picture/"
    assert api.get(picture).status_code == 200


def test_an_offer_closed_by_the_market_says_so_and_why(seller, buyer):
    from hanout.marketplace import services_listings
    from hanout.marketplace import services_trade as trade

    other = funded("50", name="Other")
    sold = listed(seller, name="Vitrine", price="10", quantity=1)
    gone = listed(seller, name="Balance", price="10")
    b = api_client_for(buyer)
    on_sold = b.post(
        "/api/v1/market/offers/", {"listing": str(sold.pk), "unit_price": "8"}, format="json"
    ).json()["id"]
    on_gone = b.post(
        "/api/v1/market/offers/", {"listing": str(gone.pk), "unit_price": "8"}, format="json"
    ).json()["id"]
    trade.buy_now(business=other.business, actor=other.user, listing=sold)
    services_listings.listing_unpublish(listing=gone, actor=seller.user)
    offers = {o["id"]: o for o in b.get("/api/v1/market/offers/").json()["results"]}
    assert (offers[on_sold]["status"], offers[on_sold]["closed_reason"]) == ("closed", "sold_out")
    assert (offers[on_gone]["status"], offers[on_gone]["closed_reason"]) == (
        "closed",
        "unpublished",
    )
    # A seller's own "no" is still a decline, with no reason of the market's.
    asked = listed(seller, name="Comptoir", price="10")
    oid = b.post(
        "/api/v1/market/offers/", {"listing": str(asked.pk), "unit_price": "8"}, format="json"
    ).json()["id"]
    declined = api_client_for(seller).post(f"/api/v1/market/offers/{oid}/decline/").json()
    assert (declined["status"], declined["closed_reason"]) == ("declined", None)
    # A closed offer cannot be answered any more.
    late = api_client_for(seller).post(f"/api/v1/market/offers/{on_gone}/accept/")
    assert late.status_code == 409 and late.json()["error"]["code"] == "offer_decided"


@pytest.mark.parametrize("amount", ["1e3", "1E3", "NaN", "Infinity", "0x10", "1_000", " 1 0"])
def test_an_amount_must_be_a_plain_decimal(buyer, amount):
    api = api_client_for(buyer)
    before = WalletRequest.objects.count()
    response = api.post(
        "/api/v1/market/wallet/requests/", {"kind": "deposit", "amount": amount}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["amount"] == ["Enter an amount, such as 12.50."]
    assert WalletRequest.objects.count() == before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_price=-5", "min_price"),
        ("max_price=-0.01", "max_price"),
        ("min_price=1e3", "min_price"),
        ("min_price=10&max_price=5", "max_price"),
    ],
)
def test_bad_price_filters_are_a_400_naming_the_parameter(buyer, query, field):
    response = api_client_for(buyer).get(f"/api/v1/market/listings/?{query}")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/market/wallet/entries/?since=2026-03-02&until=2026-03-01",
        "/api/v1/market/wallet/entries/export/?format=csv&since=2026-03-02&until=2026-03-01",
        "/api/v1/market/analytics/?since=2026-03-02&until=2026-03-01",
    ],
)
def test_a_period_ending_before_it_starts_is_a_400(buyer, url):
    response = api_client_for(buyer).get(url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["fields"]["until"] == ["The end date (until) is before the start date (since)."]
    same_day = url.replace("since=2026-03-02", "since=2026-03-01")
    assert api_client_for(buyer).get(same_day).status_code == 200


def test_every_field_error_of_a_listing_is_told_at_once(seller):
    api = api_client_for(seller)
    response = api.post(
        "/api/v1/market/my-listings/",
        {"name": "Vitrine", "category": "bogus", "price": "1.234", "quantity": -1},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"category", "price", "quantity"}
    assert fields["price"] == ["EUR has 2 decimals: 1.234 has more."]
    assert not Listing.objects.filter(business=seller.business).exists()
    offer = api_client_for(funded("10", name="B")).post(
        "/api/v1/market/offers/",
        {"listing": "not-a-uuid", "unit_price": "1e3", "quantity": 0, "valid_for_days": 31},
        format="json",
    )
    assert offer.status_code == 400
    assert set(offer.json()["error"]["fields"]) == {
        "listing",
        "unit_price",
        "quantity",
        "valid_for_days",
    }
    assert offer.json()["error"]["fields"]["valid_for_days"] == [
        "An offer lasts from 1 to 30 days."
    ]


def test_my_listings_filter_on_the_listings_own_states(seller):
    draft = listed(seller, name="Draft", publish=False)
    live = listed(seller, name="Live")
    api = api_client_for(seller)
    drafts = api.get("/api/v1/market/my-listings/?status=draft").json()["results"]
    assert [r["id"] for r in drafts] == [str(draft.pk)]
    published = api.get("/api/v1/market/my-listings/?status=published").json()["results"]
    assert [r["id"] for r in published] == [str(live.pk)]
    assert api.get("/api/v1/market/my-listings/?status=posted").status_code == 400


def test_a_ninth_picture_through_the_api_is_a_409_and_saves_nothing(seller):
    from hanout.marketplace import services_listings

    listing = listed(seller, publish=False)
    services_listings.listing_add_images(
        listing=listing, actor=seller.user, uploads=[_png() for _ in range(8)]
    )
    api = api_client_for(seller)
    response = api.post(
        f"/api/v1/market/my-listings/{listing.pk}/images/", {"file": _png()}, format="multipart"
    )
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "A listing has at most 8 pictures."
    assert listing.images.count() == 8


def test_the_idempotency_key_header_is_the_key_when_the_body_has_none(buyer):
    api = api_client_for(buyer)
    key = str(uuid.uuid4())
    body = {"kind": "deposit", "amount": "20.00"}
    answers = [
        api.post("/api/v1/market/wallet/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    assert WalletRequest.objects.filter(business=buyer.business, status="pending").count() == 1
    # The same key in the body and the header is one key; the body alone finds it too.
    same = api.post(
        "/api/v1/market/wallet/requests/",
        {**body, "client_uuid": key},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert same.status_code == 200 and same.json()["id"] == answers[0].json()["id"]
    # Other data with the same key is the usual 409.
    other = api.post(
        "/api/v1/market/wallet/requests/",
        {**body, "amount": "21"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert other.status_code == 409
    assert WalletRequest.objects.filter(business=buyer.business, status="pending").count() == 1


@pytest.mark.parametrize(
    ("header", "client_uuid"),
    [
        ("not-a-uuid", None),
        ("0b7e5d0a-3f6c-4c1e-9a57-2d4f0c8e1b6a", "5f0c2a3e-1b4d-4e6f-8a9b-0c1d2e3f4a5b"),
    ],
    ids=["not-a-uuid", "differs-from-client-uuid"],
)
def test_a_bad_or_contradicting_idempotency_key_header_is_a_400_naming_it(
    buyer, header, client_uuid
):
    api = api_client_for(buyer)
    body = {"kind": "deposit", "amount": "20.00"}
    if client_uuid:
        body["client_uuid"] = client_uuid
    response = api.post(
        "/api/v1/market/wallet/requests/", body, format="json", HTTP_IDEMPOTENCY_KEY=header
    )
    assert response.status_code == 400, response.content
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert "Idempotency-Key" in response.json()["error"]["message"]
    assert not WalletRequest.objects.filter(business=buyer.business, status="pending").exists()


def test_buy_now_offers_and_new_listings_take_the_idempotency_key_header(seller, buyer):
    from hanout.marketplace.models import Offer

    listing = listed(seller, price="4.00", quantity=5)
    b, s = api_client_for(buyer), api_client_for(seller)
    key = str(uuid.uuid4())
    for expected in (201, 200):
        bought = b.post(
            f"/api/v1/market/listings/{listing.pk}/buy/",
            {"quantity": 1},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert bought.status_code == expected, bought.content
    assert Purchase.objects.filter(business=buyer.business).count() == 1
    key = str(uuid.uuid4())
    for expected in (201, 200):
        offered = b.post(
            "/api/v1/market/offers/",
            {"listing": str(listing.pk), "unit_price": "3", "quantity": 1},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert offered.status_code == expected, offered.content
    assert Offer.objects.filter(business=buyer.business).count() == 1
    key = str(uuid.uuid4())
    for expected in (201, 200):
        made = s.post(
            "/api/v1/market/my-listings/",
            {"name": "Vitrine", "price": "40", "quantity": 2},
            format="json",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        assert made.status_code == expected, made.content
    assert Listing.objects.filter(business=seller.business, name="Vitrine").count() == 1


def test_the_openapi_documents_the_idempotency_key_header():
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.routers import DefaultRouter

    from hanout.marketplace import api

    router = DefaultRouter()
    api.register(router)
    patterns = [path("api/v1/", include(router.urls))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    for route in [
        "/api/v1/market/wallet/requests/",
        "/api/v1/market/listings/{id}/buy/",
        "/api/v1/market/offers/",
        "/api/v1/market/my-listings/",
    ]:
        names = [p["name"] for p in schema["paths"][route]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names, route


def test_a_seller_accepting_an_offer_the_buyer_cannot_pay_is_not_told_its_balance(seller):
    poor = funded("17.44", name="Poor buyer")
    listing = listed(seller, price="40.00", quantity=1)
    offered = api_client_for(poor).post(
        "/api/v1/market/offers/",
        {"listing": str(listing.pk), "unit_price": "40", "quantity": 1},
        format="json",
    )
    assert offered.status_code == 201, offered.content
    response = api_client_for(seller).post(f"/api/v1/market/offers/{offered.json()['id']}/accept/")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "insufficient_funds"
    assert "17.44" not in response.content.decode()
    assert error["message"] == (
        "The buyer does not have enough money in their wallet for this offer right now."
    )


def test_the_profile_counts_trade_both_ways_and_the_lists_behind_them_answer(seller, buyer):
    from hanout.marketplace import services_trade as trade

    lamp = listed(seller, name="Brass lamp", price="6.00", quantity=3)
    done = trade.buy_now(business=buyer.business, actor=buyer.user, listing=lamp)
    trade.purchase_deliver(purchase=done, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=done, business=buyer.business, actor=buyer.user)
    trade.buy_now(business=buyer.business, actor=buyer.user, listing=lamp)  # still open
    trade.offer_make(business=buyer.business, actor=buyer.user, listing=lamp, unit_price="5")
    api = api_client_for(buyer)
    summary = api.get("/api/v1/market/profile/").json()["summary"]
    assert summary["purchased"] == 1 and summary["sold"] == 0
    assert (summary["offers_out"], summary["offers_in"], summary["unsold"]) == (1, 0, 0)
    assert summary["wallet"] == {
        "currency": "EUR",
        "balance": "94.00",
        "held": "6.00",
        "available": "88.00",
    }
    bought = api.get("/api/v1/market/purchases/?side=buyer&status=completed").json()
    assert [p["id"] for p in bought["results"]] == [str(done.pk)]
    waiting = api.get("/api/v1/market/offers/?side=buyer&status=live").json()
    assert len(waiting["results"]) == 1
    theirs = api_client_for(seller).get("/api/v1/market/profile/").json()["summary"]
    assert (theirs["sold"], theirs["offers_in"], theirs["unsold"]) == (1, 1, 1)
    assert theirs["wallet"]["balance"] == "6.00"


def test_money_moves_through_the_api_only_with_an_idempotency_key(seller, buyer):
    """A retry without a key would move the money twice: deposits, withdrawals and buy now
    need one (client_uuid or the Idempotency-Key header), and nothing is written without."""
    listing = listed(seller, price="4.00", quantity=3)
    api = api_client_for(buyer)
    for url, body in [
        ("/api/v1/market/wallet/requests/", {"kind": "deposit", "amount": "5.00"}),
        ("/api/v1/market/wallet/requests/", {"kind": "withdrawal", "amount": "5.00"}),
        (f"/api/v1/market/listings/{listing.pk}/buy/", {"quantity": 1}),
    ]:
        response = api.post(url, body, format="json")
        assert response.status_code == 400, url
        fields = response.json()["error"]["fields"]
        assert "client_uuid" in fields and "Idempotency-Key" in fields
    assert WalletRequest.objects.filter(business=buyer.business).count() == 1  # the funding
    assert not Purchase.objects.exists()
    listing.refresh_from_db()
    assert listing.quantity == 3


def test_an_offer_or_counter_above_the_largest_purchase_is_refused_at_once(seller, buyer):
    from hanout.marketplace import services_trade as trade

    listing = listed(seller, price="10.00", quantity=3)
    api = api_client_for(buyer)
    response = api.post(
        "/api/v1/market/offers/",
        {"listing": str(listing.pk), "unit_price": "999999", "quantity": 2},
        format="json",
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "too_large"
    assert response.json()["error"]["message"] == "The largest purchase is 1.000.000,00\xa0€."
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="9"
    )
    countered = api_client_for(seller).post(
        f"/api/v1/market/offers/{offer.pk}/counter/",
        {"unit_price": "999999", "quantity": 2},
        format="json",
    )
    assert countered.status_code == 409 and countered.json()["error"]["code"] == "too_large"
    offer.refresh_from_db()
    assert (offer.status, offer.unit_price) == ("open", Decimal("9.000"))


def test_a_new_listing_with_several_wrong_fields_names_them_all(seller):
    response = api_client_for(seller).post(
        "/api/v1/market/my-listings/",
        {"name": "", "category": "equipment", "price": "10", "quantity": 0},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"name", "quantity"}
    assert response.json()["error"]["fields"]["quantity"] == ["Enter at least 1 unit."]
    assert not Listing.objects.exists()


def test_an_unknown_status_filter_is_a_400_naming_it(buyer):
    api = api_client_for(buyer)
    for url in ("/api/v1/market/purchases/", "/api/v1/market/offers/"):
        response = api.get(f"{url}?status=bogus")
        assert response.status_code == 400 and "status" in response.json()["error"]["fields"]
    assert api.get("/api/v1/market/purchases/?status=open").status_code == 200
    assert api.get("/api/v1/market/offers/?status=live").status_code == 200
