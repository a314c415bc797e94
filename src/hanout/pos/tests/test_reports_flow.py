"""The shop's day through the real services — sale_complete, the phone payment link,
sale_return, session_close — then its tickets, its end-of-day report and its Z report.

Khadija's main basket (pain au chocolat, café, a 15.00 cash withdrawal = 18.70, paid
20.00 cash), her sub-account paid by QR (croissant, chocolat noir, déodorant = 9.00),
AWA's croissant (1.00 cash): 7 lines, revenue 13.70, cash expected
float + 20.00 − 1.30 − 15.00 + 1.00.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from escpos.printer import Dummy

from hanout.core.permissions import Role
from hanout.pos import reports, reports_session, services, tickets
from hanout.pos.services import PaymentInput
from tests.factories import make_member
from tests.fixtures import api_client_for

from .factories import make_till, open_session, sell, withdrawal
from .payments_support import make_link, pay

pytestmark = pytest.mark.django_db

D = Decimal


def plain(text: str) -> str:
    """Money as written, with the no-break space before the sign made plain."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def shop_day(owner):
    till = make_till(owner, name="Caisse 1")
    khadija = make_member(owner, role=Role.CASHIER, full_name="Khadija")
    awa = make_member(owner, role=Role.CASHIER, full_name="AWA")
    session = open_session(till, khadija.user, opening_float="100.00")

    # The sub-account first, by phone: the customer pays the link, then the sale.
    sub_uuid = uuid.uuid4()
    link = make_link(till.register, khadija.user, amount="9.00", sale_client_uuid=sub_uuid)
    pay(link)
    sub = sell(
        till,
        "croissant",
        "chocolat",
        "deo",
        payments=[PaymentInput(method="phone", amount=D("9.00"), payment_link=link.pk)],
        user=khadija.user,
        client_uuid=sub_uuid,
        basket="sub",
    )
    main = sell(till, "pain", "cafe", withdrawal("15.00"), cash="20.00", user=khadija.user)
    croissant = sell(till, "croissant", cash="1.00", user=awa.user)
    day = main.sold_at.astimezone(till.shop.tz).date()
    return till, session, khadija, awa, main, sub, croissant, day


def test_the_days_report_from_real_sales(shop_day):
    till, session, khadija, awa, main, sub, croissant, day = shop_day

    report = reports.day_report(business=till.business, day=day)

    assert len(report.lines) + len(report.withdrawals) == 7
    assert [w.amount for w in report.withdrawals] == [D("15.00")]
    assert report.revenue == D("13.70")
    assert {m.method: m.amount for m in report.by_method} == {
        "cash": D("19.70"),
        "phone": D("9.00"),
    }
    assert {s.seller: s.revenue for s in report.by_seller} == {
        "Khadija": D("12.70"),
        "AWA": D("1.00"),
    }
    assert {r.rate: r.base + r.tax for r in report.by_rate} == {
        D("6"): D("9.20"),
        D("21"): D("4.50"),
    }
    assert sum(r.tax for r in report.by_rate) == report.tax_total
    (row,) = report.sessions
    assert row.expected == D("100.00") + D("20.00") - D("1.30") - D("15.00") + D("1.00")

    body = (
        api_client_for(till.owner)
        .get("/api/v1/reports/day/", {"date": day.isoformat(), "register": str(till.register.pk)})
        .json()
    )
    assert body["revenue"] == "13.70" and len(body["lines"]) == 6


def test_the_ticket_of_the_main_basket(shop_day):
    till, _session, _khadija, _awa, main, *_ = shop_day
    ticket = tickets.ticket_data(main)
    assert ticket.number == main.ticket_number
    assert plain(ticket.total) == "18,70 €" and plain(ticket.change) == "1,30 €"
    assert [plain(w.total) for w in ticket.withdrawals] == ["15,00 €"]
    assert [line.name for line in ticket.lines] == ["Pain au chocolat", "Café"]
    assert ticket.cashier_name == "Khadija"
    data = tickets.print_ticket(main, Dummy()).output
    assert main.ticket_number.encode() in data and b"18,70" in data


def test_close_late_sale_and_return_on_the_z_and_day_reports(shop_day):
    till, session, khadija, awa, main, sub, croissant, day = shop_day
    services.session_cash_movement(
        session=session, actor=khadija.user, kind="paid_out", amount="5.00", reason="Window cleaner"
    )
    # Khadija takes back the café, refunded in cash.
    cafe = main.lines.get(name="Café")
    back = services.sale_return(
        sale=main,
        actor=khadija.user,
        client_uuid=uuid.uuid4(),
        lines=[(cafe, D("1"))],
        refund_method="cash",
        reason="Cold",
    )
    closed = services.session_close(
        session=session,
        actor=khadija.user,
        counted_denominations={"50": 1, "20": 2, "5": 2, "1": 2, "0.20": 1},  # 102.20
    )
    # A sale queued offline before the close arrives after it.
    late = sell(till, "croissant", cash="1.00", user=awa.user, session=closed, offline=True)
    assert late.late

    z = reports_session.session_report(session=closed)
    expected = D("100.00") + D("20.00") - D("1.30") - D("15.00") + D("1.00") - D("2.50") - D("5.00")
    assert z.expected == expected == D("97.20")
    assert (z.counted, z.difference) == (D("102.20"), D("5.00"))
    assert z.returns_count == 1 and z.revenue == D("11.20")
    assert [m.reason for m in z.movements] == ["Window cleaner"]
    assert [s.ticket for s in z.late_sales] == [late.ticket_number]
    assert z.late_total == D("1.00")
    assert sum(d.amount for d in z.denominations) == D("102.20")

    report = reports.day_report(business=till.business, day=day)
    assert report.revenue == D("11.20") + D("1.00")  # the late croissant is on the day
    assert [line.amount for line in report.lines if line.is_return] == [D("-2.50")]
    assert report.late_count == 1
    (row,) = report.sessions
    assert (row.expected, row.counted, row.difference) == (D("97.20"), D("102.20"), D("5.00"))
    assert row.late_count == 1

    ticket = tickets.ticket_data(back)
    assert ticket.is_return and ticket.original_number == main.ticket_number
    assert plain(ticket.total) == "-2,50 €"
