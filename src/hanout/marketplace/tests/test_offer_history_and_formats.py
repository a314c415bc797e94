"""An offer keeps its negotiation; money, dates and files are written for the reader."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from hanout.marketplace import display
from hanout.marketplace import services_trade as trade
from hanout.marketplace import services_wallet as wallet
from hanout.marketplace.models import OfferTerms
from hanout.marketplace.tests.helpers import admin_user, funded, listed
from hanout.notifications.models import Notification
from tests.factories import make_business
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db


def _countered(seller, buyer):
    listing = listed(seller, name="Four", price="1200", quantity=5)
    offer = trade.offer_make(
        business=buyer.business, actor=buyer.user, listing=listing, unit_price="1000", quantity=3
    )
    return trade.offer_counter(
        offer=offer, business=seller.business, actor=seller.user, unit_price="1100", quantity=2
    )


def test_a_counter_offer_keeps_the_buyers_first_terms_in_the_history():
    seller, buyer = funded("0", name="Seller"), funded("5000", name="Buyer")
    offer = _countered(seller, buyer)
    assert (offer.unit_price, offer.quantity) == (Decimal("1100"), 2)
    rows = list(offer.history.all())
    assert [(r.side, r.unit_price, r.quantity) for r in rows] == [
        ("buyer", Decimal("1000"), 3),
        ("seller", Decimal("1100"), 2),
    ]
    assert rows[0].made_by == buyer.user and rows[1].made_by == seller.user
    assert rows[0].created_at <= rows[1].created_at
    # Accepting buys the counter's terms; the history stays.
    purchase = trade.offer_accept(offer=offer, business=buyer.business, actor=buyer.user)
    assert (purchase.unit_price, purchase.quantity) == (Decimal("1100"), 2)
    assert OfferTerms.objects.filter(offer=offer).count() == 2
    with pytest.raises(ValueError):
        rows[0].save()


def test_the_api_shows_the_history_on_the_offer_for_both_parties():
    seller, buyer = funded("0", name="Seller"), funded("5000", name="Buyer")
    offer = _countered(seller, buyer)
    for owner in (buyer, seller):
        body = api_client_for(owner).get(f"/api/v1/market/offers/{offer.pk}/").json()
        assert [(h["side"], h["unit_price"], h["quantity"]) for h in body["history"]] == [
            ("buyer", "1000.00", 3),
            ("seller", "1100.00", 2),
        ]
        assert body["history"][0]["business_name"] == "Buyer"
        assert body["history"][1]["business"] == str(seller.business.pk)
        assert body["unit_price"] == "1100.00"
    listed_offers = api_client_for(buyer).get("/api/v1/market/offers/").json()["results"]
    assert len(listed_offers[0]["history"]) == 2


def test_the_offers_page_shows_the_buyers_original_and_the_counter(client):
    seller, buyer = funded("0", name="Seller"), funded("5000", name="Buyer")
    _countered(seller, buyer)
    client.force_login(buyer.user)
    page = client.get("/market/offers/").content.decode()
    assert "offer-history" in page
    history = page.split("offer-history", 1)[1].split("</details>", 1)[0]
    assert "3 × " in history and "1.000,00\xa0€" in history  # the buyer's original
    assert "2 × " in history and "1.100,00\xa0€" in history  # the seller's counter


def test_notifications_write_money_for_the_reader(django_capture_on_commit_callbacks):
    seller, buyer = funded("0", name="Seller"), funded("5000", name="Buyer")
    seller.user.language = "fr"
    seller.user.save(update_fields=["language"])
    listing = listed(seller, name="Four", price="1200")
    with django_capture_on_commit_callbacks(execute=True):
        trade.offer_make(
            business=buyer.business, actor=buyer.user, listing=listing, unit_price="1020"
        )
    note = Notification.objects.get(recipient=seller.user, kind="market.offer")
    assert "1\u202f020,00\xa0€" in note.body and "EUR" not in note.body
    with django_capture_on_commit_callbacks(execute=True):
        purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
        trade.purchase_cancel(
            purchase=purchase, business=buyer.business, actor=buyer.user, reason="Changed plans"
        )
    told = Notification.objects.get(recipient=buyer.user, title__startswith="Purchase cancelled")
    assert "1.200,00\xa0€" in told.body  # English, Belgium: as the pages write it


def test_money_and_dates_share_one_locale():
    with translation.override("en"):
        assert display.money_in("1020", "EUR", "BE") == "1.020,00\xa0€"
        assert display.money_in("1020", "EUR") == "€1,020.00"
        assert display.day(datetime(2026, 3, 1), "BE") == "1/3/2026"  # day first, not US
    with translation.override("fr"):
        assert display.money_in("1020", "EUR", "BE") == "1\u202f020,00\xa0€"


def test_a_negative_amount_reads_right_in_arabic():
    with translation.override("ar"):
        text = display.money_in("-180", "MAD", "MA")
    assert "\u2066-180,00\u2069" in text
    assert "\u200f" not in text and not text.startswith("180")
    with translation.override("fr"):
        assert display.money_in("-180", "MAD", "MA").startswith("-180,00")


def test_the_home_page_activity_writes_the_amount_as_people_read_it(client):
    owner = funded("0")
    wallet.deposit_request(business=owner.business, actor=owner.user, amount="1020")
    client.force_login(owner.user)
    page = client.get("/").content.decode()
    assert "1020.00 EUR" not in page
    assert "1.020,00\xa0€" in page


def test_the_activity_is_written_in_the_businesss_language_whoever_acts():
    """A French shop's deposit, approved by the platform's operator working in English:
    the shop's history reads it in French, not in the operator's language."""
    from hanout.core.models import AuditEntry

    owner = make_business(language="fr", country="BE")
    with translation.override("fr"):
        request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="1020")
    with translation.override("en"):
        wallet.request_approve(request=request, admin=admin_user())
    reprs = list(
        AuditEntry.objects.filter(business=owner.business, object_id=str(request.pk))
        .order_by("at")
        .values_list("object_repr", flat=True)
    )
    assert len(reprs) >= 2
    for text in reprs:
        assert text.startswith("Dépôt 1\u202f020,00\xa0€"), text


def test_the_xlsx_ledger_has_real_dates_and_the_csv_follows_the_app():
    from openpyxl import load_workbook

    owner = funded("1020")
    api = api_client_for(owner)
    body = api.get("/api/v1/market/wallet/entries/export/?format=xlsx").content
    sheet = load_workbook(io.BytesIO(body)).active
    cell = sheet.cell(row=2, column=2)
    assert isinstance(cell.value, datetime) and cell.is_date
    assert cell.number_format == "yyyy-mm-dd hh:mm"
    assert sheet.cell(row=2, column=4).value == Decimal("1020") or sheet.cell(
        row=2, column=4
    ).value == pytest.approx(1020)
    # French CSV: like every export of the app (core.exports), comma-separated with
    # decimals written with a dot, so a program reads it the same in any language.
    csv = api.get("/api/v1/market/wallet/entries/export/?format=csv", HTTP_ACCEPT_LANGUAGE="fr")
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    assert ",1020.00," in text
