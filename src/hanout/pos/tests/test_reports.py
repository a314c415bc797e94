"""The end-of-day report and the Z report, from a known day of sales: Khadija's main
basket with a cash withdrawal and her sub-account paid by phone, then AWA's croissant
— the shop's own scenario — read back as data, as a page, as CSV/XLSX/PDF and as JSON."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hanout.core.models import Shop
from hanout.core.permissions import Role
from hanout.pos import reports, reports_session
from tests.factories import make_member
from tests.fixtures import api_client_for, login

from .reports_support import (
    Item,
    cash_movement,
    close_session,
    make_register,
    open_session,
    sell,
    setup_shop,
)

pytestmark = pytest.mark.django_db

D = Decimal
DAY = date(2026, 3, 4)
BRUSSELS = ZoneInfo("Europe/Brussels")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def at(hour, minute=0, day=4):
    """A moment on 2026-03-`day` given in Brussels time (UTC+1)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=BRUSSELS).astimezone(UTC)


def text_of(response) -> str:
    """The page's text with the no-break spaces money is written with made plain."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


class Day:
    """Alpha Bakery's 4 March 2026 on Caisse 1."""

    def __init__(self, owner):
        self.owner = owner
        self.business = owner.business
        self.shop = setup_shop(owner)
        self.register = make_register(owner, "Caisse 1", shop=self.shop)
        self.khadija = make_member(owner, role=Role.CASHIER, full_name="Khadija")
        self.awa = make_member(owner, role=Role.CASHIER, full_name="AWA")
        self.session = open_session(
            self.register, self.khadija.user, opening_float="100.00", opened_at=at(7)
        )
        # Main basket: pain au chocolat + café + 15.00 cash withdrawal = 18.70, paid 20.00 cash.
        self.main = sell(
            self.session,
            self.khadija.user,
            [Item("Pain au chocolat", "1.20"), Item("Café", "2.50", sku="0000")],
            withdrawal="15.00",
            payments=[("cash", None, "20.00")],
            sold_at=at(9, 15),
        )
        # Sub-account: croissant, chocolat noir, déodorant = 9.00, paid by phone.
        self.sub = sell(
            self.session,
            self.khadija.user,
            [
                Item("Croissant", "1.00"),
                Item("Chocolat noir", "3.50"),
                Item("Déodorant CienMEN", "4.50", rate="21"),
            ],
            payments=[("phone", "9.00")],
            sold_at=at(9, 10),
        )
        # AWA: one croissant, 1.00 cash.
        self.croissant = sell(
            self.session, self.awa.user, [Item("Croissant", "1.00")], sold_at=at(11, 30)
        )

    def report(self, **kw):
        return reports.day_report(business=self.business, day=DAY, **kw)


@pytest.fixture
def day(owner):
    return Day(owner)


# --- the figures ----------------------------------------------------------------------------


def test_day_report_has_every_line_the_withdrawal_apart_and_its_totals(day):
    report = day.report()

    # 6 product lines and the withdrawal apart: the 7 lines of the scenario.
    assert [(line.time, line.seller, line.product, line.amount) for line in report.lines] == [
        ("09:10", "Khadija", "Croissant", D("1.00")),
        ("09:10", "Khadija", "Chocolat noir", D("3.50")),
        ("09:10", "Khadija", "Déodorant CienMEN", D("4.50")),
        ("09:15", "Khadija", "Pain au chocolat", D("1.20")),
        ("09:15", "Khadija", "Café", D("2.50")),
        ("11:30", "AWA", "Croissant", D("1.00")),
    ]
    assert [(w.ticket, w.amount, w.seller) for w in report.withdrawals] == [
        (day.main.ticket_number, D("15.00"), "Khadija")
    ]
    assert report.revenue == D("13.70")  # the withdrawal is not revenue
    assert report.withdrawal_total == D("15.00")
    assert report.collected == D("28.70")
    assert report.sales_count == 3 and report.returns_count == 0
    assert [(m.method, m.count, m.amount) for m in report.by_method] == [
        ("cash", 2, D("19.70")),  # 18.70 kept from 20.00 tendered, + 1.00
        ("phone", 1, D("9.00")),
    ]
    assert [(s.seller, s.sales, s.revenue) for s in report.by_seller] == [
        ("Khadija", 2, D("12.70")),
        ("AWA", 1, D("1.00")),
    ]
    # Tax inside the prices, per line: 6 % on 9.20, 21 % on 4.50; the withdrawal untaxed.
    assert [(r.rate, r.base, r.tax, r.total) for r in report.by_rate] == [
        (D("6"), D("8.67"), D("0.53"), D("9.20")),
        (D("21"), D("3.72"), D("0.78"), D("4.50")),
    ]
    assert report.tax_total == D("1.31")
    # The open session: float + 20.00 − 1.30 − 15.00 + 1.00, not counted yet.
    (session,) = report.sessions
    assert session.expected == D("104.70")
    assert session.counted is None and session.difference is None
    assert session.status == "open"


def test_the_day_is_the_shops_day_not_utc(day):
    # 00:30 on 4 March in Brussels is 23:30 UTC on 3 March: in the report.
    early = sell(day.session, day.awa.user, [Item("Baguette", "1.10")], sold_at=at(0, 30))
    # 23:59 on 3 March Brussels (22:59 UTC): the day before.
    sell(day.session, day.awa.user, [Item("Baguette", "1.10")], sold_at=at(23, 59, day=3))
    # 00:10 on 5 March Brussels (23:10 UTC on the 4th): the day after.
    sell(day.session, day.awa.user, [Item("Baguette", "1.10")], sold_at=at(0, 10, day=5))

    report = day.report()

    assert [line.ticket for line in report.lines if line.product == "Baguette"] == [
        early.ticket_number
    ]
    assert report.lines[0].time == "00:30"
    assert report.revenue == D("14.80")


def test_each_shop_is_read_in_its_own_time_zone(day, owner):
    casablanca = Shop.objects.create(
        business=owner.business, name="Casa", time_zone="Africa/Casablanca"
    )
    till = make_register(owner, "Casa 1", shop=casablanca)
    casa_session = open_session(till, owner.user, opened_at=datetime(2026, 3, 4, 7, tzinfo=UTC))
    # Morocco is on UTC+0 during Ramadan (March 2026): 23:30 UTC on the 4th is still the
    # 4th in Casablanca, while it is already 00:30 on the 5th in Brussels.
    late_evening = sell(
        casa_session,
        owner.user,
        [Item("Thé", "10.00")],
        sold_at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC),
    )
    brussels_same_moment = sell(
        day.session, day.awa.user, [Item("Baguette", "1.10")], sold_at=at(0, 30, day=5)
    )
    report = day.report()
    tickets = [(line.shop, line.ticket) for line in report.lines]
    assert ("Casa", late_evening.ticket_number) in tickets
    assert (day.shop.name, brussels_same_moment.ticket_number) not in tickets
    assert [line.time for line in report.lines if line.shop == "Casa"] == ["23:30"]
    assert report.time_zones == ["Africa/Casablanca", "Europe/Brussels"]

    only_brussels = day.report(shop=day.shop)
    assert "Thé" not in [line.product for line in only_brussels.lines]
    assert only_brussels.revenue == D("13.70")
    only_casa = day.report(shop=casablanca, register=till)
    assert [line.product for line in only_casa.lines] == ["Thé"]
    assert [s.register for s in only_casa.sessions] == ["Casa 1"]


def test_a_late_sale_is_on_the_report_and_marked(day):
    close_session(
        day.session, day.khadija.user, counted="104.50", closed_at=at(18), note="20 cents short"
    )
    # Sold at 17:50 offline, arrived after the close.
    late = sell(
        day.session,
        day.awa.user,
        [Item("Croissant", "1.00")],
        sold_at=at(17, 50),
        late=True,
        offline=True,
    )

    report = day.report()

    assert report.revenue == D("14.70")
    assert report.late_count == 1
    assert [line.late for line in report.lines if line.ticket == late.ticket_number] == [True]
    (session,) = report.sessions
    assert (session.expected, session.counted, session.difference) == (
        D("104.70"),
        D("104.50"),
        D("-0.20"),
    )
    assert session.late_count == 1 and session.late_amount == D("1.00")


def test_returns_are_negative_and_net_out(day):
    sell(
        day.session,
        day.khadija.user,
        [Item("Café", "2.50")],
        payments=[("cash", "-2.50")],
        original=day.main,
        sold_at=at(12),
        reason="Cold",
    )
    report = day.report()
    returned = [line for line in report.lines if line.is_return]
    assert [(r.ticket, r.quantity, r.amount) for r in returned] == [
        ("R000001", D("-1"), D("-2.50"))
    ]
    assert report.revenue == D("11.20")
    assert report.returns_count == 1
    assert [(m.method, m.amount) for m in report.by_method][0] == ("cash", D("17.20"))
    khadija = next(s for s in report.by_seller if s.seller == "Khadija")
    assert (khadija.sales, khadija.returns, khadija.revenue) == (2, 1, D("10.20"))


def test_a_day_without_sales_is_an_empty_report(owner):
    setup_shop(owner)
    report = reports.day_report(business=owner.business, day=DAY)
    assert report.lines == [] and report.withdrawals == [] and report.sessions == []
    assert report.revenue == 0 and report.by_method == []


def test_report_queries_do_not_grow_with_the_lines(day):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            reports.day_report(business=day.business, day=DAY)
        return len(ctx)

    few = count()
    for minute in range(30):
        sell(
            day.session,
            day.awa.user,
            [Item("Croissant", "1.00"), Item("Café", "2.50")],
            withdrawal="5.00",
            sold_at=at(14, minute),
        )
    assert count() == few <= 5


# --- the page and its downloads --------------------------------------------------------------


def test_day_report_page_and_query_count(day, client, django_assert_max_num_queries):
    login(client, day.owner)
    url = reverse("pos_day_report")
    with django_assert_max_num_queries(20):
        page = text_of(client.get(url, {"date": "2026-03-04"}))
    assert "13,70 €" in page and "15,00 €" in page
    assert "Déodorant CienMEN" in page and "Cash withdrawals" in page
    assert reverse("pos_session_report", args=[day.session.pk]) in page
    for minute in range(20):
        sell(day.session, day.awa.user, [Item("Croissant", "1.00")], sold_at=at(15, minute))
    with django_assert_max_num_queries(20):
        assert client.get(url, {"date": "2026-03-04"}).status_code == 200


def test_day_report_page_defaults_to_today_in_the_shop(day, client):
    now = sell(day.session, day.awa.user, [Item("Chouquette", "0.40")])
    login(client, day.owner)
    page = client.get(reverse("pos_day_report")).content.decode()
    assert "Chouquette" in page and now.ticket_number in page


def test_day_report_page_with_a_bad_date_says_so(day, client):
    login(client, day.owner)
    response = client.get(reverse("pos_day_report"), {"date": "2026-02-30"})
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_csv_download(day, client):
    login(client, day.owner)
    response = client.get(reverse("pos_day_report"), {"date": "2026-03-04", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="day-report-2026-03-04.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["Date", "Time", "Ticket"]
    product, amount, seller = (
        header.index("Product"),
        header.index("Amount"),
        header.index("Seller"),
    )
    lines = rows[1 : rows.index([])]
    assert len(lines) == 6
    assert [r[product] for r in lines][:3] == ["Croissant", "Chocolat noir", "Déodorant CienMEN"]
    assert sum(D(r[amount]) for r in lines) == D("13.70")
    assert {r[seller] for r in lines} == {"Khadija", "AWA"}
    # Then the withdrawals, apart.
    start = rows.index(["Cash withdrawals (not revenue)"])
    assert rows[start + 2][header.index("Product")] == "Cash withdrawal"
    assert rows[start + 2][amount] == "15.00"
    assert ["Revenue", "13.70"] in rows
    assert ["Cash", "2", "19.70"] in rows and ["Phone (QR)", "1", "9.00"] in rows


def test_xlsx_download(day, client):
    from openpyxl import load_workbook

    login(client, day.owner)
    response = client.get(
        reverse("pos_day_report"),
        {"date": "2026-03-04", "format": "xlsx", "register": str(day.register.pk)},
    )
    assert 'filename="day-report-2026-03-04-caisse-1.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Lines", "Cash withdrawals", "Totals", "Cash sessions"]
    lines = list(book["Lines"].values)
    assert len(lines) == 7  # header + 6
    amount = lines[0].index("Amount")
    assert sum(D(str(row[amount])) for row in lines[1:]) == D("13.70")
    assert lines[5][lines[0].index("SKU")] == "0000"  # the café's SKU, kept as text
    withdrawals = list(book["Cash withdrawals"].values)
    assert withdrawals[1][amount] == 15
    totals = [row for row in book["Totals"].values if row]
    assert ("Revenue", 13.7) in [(r[0], float(r[1])) for r in totals if r[0] == "Revenue"]
    sessions = list(book["Cash sessions"].values)
    assert sessions[1][0] == "Caisse 1" and float(sessions[1][6]) == 104.70


@needs_poppler
def test_pdf_download(day, client, tmp_path):
    login(client, day.owner)
    response = client.get(reverse("pos_day_report"), {"date": "2026-03-04", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "day.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    assert "End-of-day report" in flat
    assert "Déodorant CienMEN" in flat and "Khadija" in flat and "AWA" in flat
    assert "Revenue 13,70 €" in flat
    assert "Cash withdrawals" in flat and "15,00 €" in flat
    assert "104,70 €" in flat


# --- the API ---------------------------------------------------------------------------------


def test_api_day_report(day):
    api = api_client_for(day.owner)
    body = api.get("/api/v1/reports/day/", {"date": "2026-03-04"}).json()
    assert body["date"] == "2026-03-04" and body["currency"] == "EUR"
    assert body["revenue"] == "13.70" and body["withdrawal_total"] == "15.00"
    assert len(body["lines"]) == 6 and len(body["withdrawals"]) == 1
    assert body["withdrawals"][0]["amount"] == "15.00"
    assert body["lines"][0]["sold_at"] == "2026-03-04T09:10:00+01:00"
    assert {m["method"]: m["amount"] for m in body["by_method"]} == {
        "cash": "19.70",
        "phone": "9.00",
    }
    assert [(s["seller"], s["revenue"]) for s in body["by_seller"]] == [
        ("Khadija", "12.70"),
        ("AWA", "1.00"),
    ]
    assert [(r["rate"], r["base"], r["tax"]) for r in body["by_rate"]] == [
        ("6.00", "8.67", "0.53"),
        ("21.00", "3.72", "0.78"),
    ]
    assert body["sessions"][0]["expected"] == "104.70"

    narrowed = api.get(
        "/api/v1/reports/day/",
        {"date": "2026-03-04", "shop": str(day.shop.pk), "register": str(day.register.pk)},
    ).json()
    assert narrowed["register"] == str(day.register.pk) and narrowed["revenue"] == "13.70"


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"date": "04/03/2026"}, "date", "YYYY-MM-DD"),
        ({"date": "2026-02-30"}, "date", "YYYY-MM-DD"),
        ({}, "date", "required"),
        ({"date": "2026-03-04", "shop": "nope"}, "shop", "UUID"),
    ],
)
def test_api_bad_input_is_a_400_naming_the_parameter(day, params, field, words):
    response = api_client_for(day.owner).get("/api/v1/reports/day/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert words in error["message"] or words in " ".join(error["fields"][field])


def test_another_business_sees_none_of_it(day, other_owner, client):
    b_shop = Shop.objects.for_business(other_owner.business).first()
    b_api = api_client_for(other_owner)
    body = b_api.get("/api/v1/reports/day/", {"date": "2026-03-04"}).json()
    assert body["lines"] == [] and body["sessions"] == [] and body["revenue"] == "0.00"
    for params in ({"shop": str(day.shop.pk)}, {"register": str(day.register.pk)}):
        response = b_api.get("/api/v1/reports/day/", {"date": "2026-03-04", **params})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    # A's owner asking for B's shop: 404 too.
    response = api_client_for(day.owner).get(
        "/api/v1/reports/day/", {"date": "2026-03-04", "shop": str(b_shop.pk)}
    )
    assert response.status_code == 404
    login(client, other_owner)
    page = client.get(reverse("pos_day_report"), {"date": "2026-03-04"}).content.decode()
    assert "Déodorant" not in page
    # A's register in B's form: not a choice, so the report is B's own.
    page = client.get(
        reverse("pos_day_report"), {"date": "2026-03-04", "register": str(day.register.pk)}
    ).content.decode()
    assert "Déodorant" not in page


def test_a_cashier_without_reports_access_is_refused(day, client):
    login(client, day.awa)
    response = client.get(reverse("pos_day_report"))
    assert response.status_code == 403
    assert "Reports" in response.content.decode()
    assert client.get(reverse("pos_day_report"), {"format": "csv"}).status_code == 403
    response = api_client_for(day.awa).get("/api/v1/reports/day/", {"date": "2026-03-04"})
    assert response.status_code == 403


# --- the Z report ----------------------------------------------------------------------------


def test_z_report_page_shows_the_close_movements_denominations_and_late_sales(day, client):
    cash_movement(day.session, day.khadija.user, "paid_in", "10.00", "Coins from the bank")
    cash_movement(day.session, day.khadija.user, "paid_out", "5.50", "Window cleaner")
    close_session(
        day.session,
        day.khadija.user,
        denominations={"50": 2, "5": 1, "2": 4, "0.5": 1},  # 113.50
        closed_at=at(18),
    )
    late = sell(
        day.session, day.awa.user, [Item("Croissant", "1.00")], sold_at=at(17, 55), late=True
    )
    z = reports_session.session_report(session=day.session)
    assert z.expected == D("109.20")  # 104.70 + 10.00 − 5.50
    assert (z.counted, z.difference) == (D("113.50"), D("4.30"))
    assert [(m.method, m.amount) for m in z.by_method] == [
        ("cash", D("19.70")),
        ("phone", D("9.00")),
    ]
    assert [d.value for d in z.denominations] == [D("50"), D("5"), D("2"), D("0.5")]
    assert z.denominations_total == D("113.50")
    assert [s.ticket for s in z.late_sales] == [late.ticket_number]

    login(client, day.khadija)  # a cashier reads the Z of her session
    page = text_of(client.get(reverse("pos_session_report", args=[day.session.pk])))
    for words in (
        "100,00 €",
        "109,20 €",
        "113,50 €",
        "4,30 €",
        "Coins from the bank",
        "Window cleaner",
        "Sales that arrived after the close",
        late.ticket_number,
    ):
        assert words in page, words

    response = client.get(reverse("pos_session_report", args=[day.session.pk]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
