"""An offer keeps its negotiation; money, dates and files are written for the reader."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import ngettext

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


def test_the_admin_queue_writes_every_amount_one_way(client):
    r"""A deposit, a purchase waiting for approval and the decisions list: one formatter
    (the `money` filter, the reader's language and country) for every amount, not
    "€150.00" beside "165,00 €". The administrator has no business: English's own way."""
    import re

    from hanout.marketplace.models import MarketTerms

    MarketTerms.objects.create(currency="EUR", approval_threshold=Decimal("100"))
    seller, buyer = funded("0", name="Seller"), funded("500", name="Buyer")
    wallet.deposit_request(business=buyer.business, actor=buyer.user, amount="150")
    listing = listed(seller, name="Comptoir", price="165", quantity=1)
    purchase = trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing)
    trade.purchase_deliver(purchase=purchase, business=seller.business, actor=seller.user)
    trade.purchase_confirm(purchase=purchase, business=buyer.business, actor=buyer.user)
    client.force_login(admin_user())
    page = client.get("/market/admin/?status=").content.decode()
    requests = page.split('id="admin-requests"')[1].split("</table>")[0]
    purchases = page.split('id="admin-purchases"')[1].split("</table>")[0]
    trail = page.split('id="admin-trail"')[1].split("</table>")[0]
    assert "€150.00" in requests and "150,00" not in requests
    assert "€165.00" in purchases
    assert "€500.00" in trail  # the approved deposit of the helper
    assert not re.search("\\d,\\d\\d", page)  # no "150,00 €" written the other way


def test_the_decisions_list_reads_in_the_administrators_language():
    """Each business's history stores its own language ("Dépôt …" for a French shop);
    the administrators' list names the same request in the administrator's language."""
    from django.test import Client

    french = make_business("Boulangerie", language="fr", country="BE")
    arabic = make_business("Hanout", language="ar", country="MA", currency="MAD")
    admin = admin_user()
    for owner in (french, arabic):
        with translation.override(owner.business.default_language):
            request = wallet.deposit_request(business=owner.business, actor=owner.user, amount="20")
        wallet.request_approve(request=request, admin=admin)
    client = Client()
    client.force_login(admin)
    trail = client.get("/market/admin/?status=", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    trail = trail.split('id="admin-trail"')[1].split("</table>")[0]
    assert "Dépôt" not in trail and "إيداع" not in trail
    assert trail.count("Deposit ") >= 2
    assert "Deposit €20.00" in trail  # the administrator's way (no business: English's)
    from hanout.core.models import AuditEntry

    stored = AuditEntry.objects.filter(
        business=french.business, action="wallet.request_approve"
    ).values_list("object_repr", flat=True)
    assert list(stored) == ["Dépôt 20,00\xa0€"]  # the business's own history, its own way
    french_view = Client()
    admin.language = "fr"
    admin.save(update_fields=["language"])
    french_view.force_login(admin)
    page = french_view.get("/market/admin/?status=", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    trail = page.split('id="admin-trail"')[1].split("</table>")[0]
    assert 'lang="fr"' in page  # the administrator works in French
    assert "Deposit " not in trail and "Dépôt 20,00\xa0€" in trail


def test_the_notifications_page_writes_dates_as_the_marketplace_does(
    client, django_capture_on_commit_callbacks
):
    """An English page of a Belgian shop: the notification's time reads "10/12/2026 07:23"
    like the offer's end in its text, not Django's "12/10/2026 7:23 a.m."."""
    seller, buyer = funded("0", name="Seller"), funded("5000", name="Buyer")
    listing = listed(seller, name="Four", price="1200")
    at = datetime(2026, 12, 10, 6, 23, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):
        trade.offer_make(business=buyer.business, actor=buyer.user, listing=listing, unit_price="9")
    Notification.objects.filter(recipient=seller.user).update(created_at=at)
    client.force_login(seller.user)
    page = client.get("/notifications/").content.decode()
    assert "10/12/2026 07:23" in page  # Brussels time, day first, 24-hour clock
    assert "a.m." not in page and "p.m." not in page
    home = client.get("/").content.decode()
    assert "a.m." not in home and "p.m." not in home


def test_a_listing_in_another_currency_says_buying_across_currencies_is_not_possible(client):
    seller = funded("0", name="Souk", currency="MAD", country="MA")
    buyer = funded("100", name="Buyer")
    listing = listed(seller, name="Tapis", price="900")
    client.force_login(buyer.user)
    page = client.get(f"/market/listings/{listing.pk}/").content.decode()
    assert 'id="currency-note"' in page
    assert "buying across currencies is not possible yet" in page
    assert 'id="buy-form"' not in page and 'id="offer-form"' not in page
    cards = client.get("/market/?every_currency=1").content.decode()
    assert "In MAD: buying across currencies is not possible yet." in cards
    # The server still refuses it.
    refused = client.post(f"/market/listings/{listing.pk}/buy/", {"quantity": 1})
    assert refused.status_code == 409
    assert "buying across currencies is not possible yet" in refused.content.decode()
    # A listing in the shop's own currency offers both, without the note.
    same = listed(funded("0", name="Voisin"), name="Vitrine", price="10")
    page = client.get(f"/market/listings/{same.pk}/").content.decode()
    assert 'id="buy-form"' in page and 'id="currency-note"' not in page
    assert "listing-currency-note" not in client.get("/market/").content.decode()


def test_the_item_page_writes_the_seller_label_with_the_languages_colon():
    """French puts a no-break space before the colon ("Vendeur : "), English none."""
    from django.test import Client

    seller, buyer = funded("0", name="Seller"), funded("100", name="Buyer")
    listing = listed(seller, name="Four", price="12")
    client = Client()
    client.force_login(buyer.user)
    page = client.get(f"/market/listings/{listing.pk}/").content.decode()
    assert "Seller: <bdi" in page
    client.cookies["django_language"] = "fr"
    page = client.get(f"/market/listings/{listing.pk}/").content.decode()
    assert "Vendeur\u00a0: <bdi" in page


def test_the_sale_notification_counts_units_with_a_real_plural(django_capture_on_commit_callbacks):
    from unittest import mock

    seller, buyer = funded("0", name="Seller"), funded("5000", name="Buyer")
    listing = listed(seller, name="Four", price="12", quantity=5)
    with (
        mock.patch("hanout.marketplace.notifications.ngettext", wraps=ngettext) as plural,
        django_capture_on_commit_callbacks(execute=True),
    ):
        trade.buy_now(business=buyer.business, actor=buyer.user, listing=listing, quantity=3)
    assert plural.call_args.args[2] == 3
    note = Notification.objects.get(recipient=seller.user, kind="market.purchase")
    assert note.body.startswith("3 bought for 36,00\xa0€.")


def _template(name: str) -> str:
    from pathlib import Path

    import hanout.marketplace

    path = Path(hanout.marketplace.__file__).parent / "templates" / "marketplace" / name
    return path.read_text()


def test_pages_with_charts_carry_the_money_format_of_the_cards(client):
    """The charts' axes write money with the `money` filter's format (passed by the page),
    so "2.500,00 €" on an English page of a Belgian shop, as the cards, not "€2,500.00"."""
    import json
    import re

    from hanout.catalog.templatetags.catalog_tags import money

    owner = funded("2500")
    client.force_login(owner.user)
    page = client.get("/market/analytics/").content.decode()
    assert "core/charts.js" in page
    found = re.search(r'<script id="hanout-money" type="application/json">(.*?)</script>', page)
    spec = json.loads(found.group(1))
    with translation.override("en"):
        assert spec["template"] == money(0, owner.business) == "0,00\xa0€"
    assert (spec["currency"], spec["locale"], spec["decimal"], spec["group"]) == (
        "EUR",
        "en-BE",
        ",",
        ".",
    )
    formatted = _chart_formatter(spec, "en", {"currency": "EUR"}, [2500, -180])
    if formatted is not None:
        assert formatted == ["2.500,00\xa0€", "-180,00\xa0€"]
        with translation.override("en"):
            assert formatted[0] == money(Decimal("2500"), owner.business)


def test_the_chart_formatter_follows_the_server_in_french_and_arabic():
    from hanout.catalog.templatetags.catalog_tags import money, money_format

    for language, business in [
        ("fr", make_business(country="BE").business),
        ("ar", make_business(currency="MAD", country="MA").business),
        ("en", make_business(currency="TND", country="TN").business),
    ]:
        with translation.override(language):
            spec = money_format(business)
            expected = [money(Decimal(v), business) for v in ("2500", "1234567.5")]
        got = _chart_formatter(spec, language, {"currency": business.currency}, [2500, 1234567.5])
        if got is None:
            pytest.skip("node is not installed")
        assert got == expected


def _chart_formatter(money_spec, language, chart_spec, values):
    """charts.js's formatter run by node with a page that carries `money_spec`; None
    without node."""
    import json
    import shutil
    import subprocess
    from pathlib import Path

    import hanout.core

    node = shutil.which("node")
    if node is None:
        return None
    script = Path(hanout.core.__file__).parent / "static" / "core" / "charts.js"
    program = """
const fs = require("fs");
const [money, lang, spec, values] = JSON.parse(process.argv[2]);
global.document = {
  documentElement: { lang: lang, dir: lang === "ar" ? "rtl" : "ltr" },
  readyState: "complete",
  getElementById: (id) => (id === "hanout-money" ? { textContent: JSON.stringify(money) } : null),
  querySelectorAll: () => [],
  addEventListener: () => {},
};
global.window = {};
global.navigator = { language: "en" };
eval(fs.readFileSync(process.argv[1], "utf8"));
const f = window.HanoutCharts.formatter(spec);
console.log(JSON.stringify(values.map((v) => f.format(v))));
"""
    out = subprocess.run(
        [node, "-e", program, str(script), json.dumps([money_spec, language, chart_spec, values])],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(out.stdout)


def test_a_sentence_ending_on_a_dirham_amount_gets_one_full_stop():
    from hanout.marketplace.display import money_in, one_stop

    assert one_stop("144,00 د.م.. المبلغ محجوز") == "144,00 د.م. المبلغ محجوز"
    assert one_stop("المتاح 19.646,00 د.م.\u200f.") == "المتاح 19.646,00 د.م.\u200f"
    assert one_stop("Lot of three... Sold.") == "Lot of three... Sold."
    assert one_stop("Paid: 4,00 €.") == "Paid: 4,00 €."
    with translation.override("ar"):
        text = one_stop(f"Paid {money_in('144', 'MAD', 'MA')}.")
    assert text == "Paid \u200f144,00\xa0د.م.\u200f"  # one full stop, the currency's
