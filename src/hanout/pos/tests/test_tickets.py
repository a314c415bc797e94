"""Tickets: the 80 mm PDF read back with pdftotext, the receipt printer's ESC/POS bytes,
and the ticket emailed with its PDF to a real SMTP server."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from escpos.printer import Dummy

from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.pos import tickets
from hanout.pos.models import Sale
from tests.factories import make_member
from tests.fixtures import login

from .reports_support import Item, make_register, open_session, sell, setup_shop

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
BIDI_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
RASTER = b"\x1dv0"  # GS v 0: a raster image
# A link to one sale (the menu's "Tickets" entry links to the list itself).
SALE_LINK = re.compile(r'href="/pos/sales/([0-9a-f-]{36})/"')
CUT = b"\x1dV"  # GS V: cut the paper


def pdf_text(pdf: bytes, tmp_path, *, layout=True) -> str:
    path = tmp_path / "ticket.pdf"
    path.write_bytes(pdf)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(args, capture_output=True, check=True).stdout.decode()
    return text.translate(BIDI_MARKS).replace("\u00a0", " ").replace("\u202f", " ")


def pdf_fonts(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def bakery(owner):
    """Alpha Bakery (EUR, Brussels, English) with Caisse 1 and an open session."""
    shop = setup_shop(owner)
    register = make_register(owner, "Caisse 1", shop=shop)
    session = open_session(register, owner.user)
    cashier = make_member(owner, role=Role.CASHIER, full_name="Khadija Amrani")
    return shop, register, session, cashier


def morning_sale(session, cashier, **kw):
    """Pain au chocolat 1.20 + café 2.50 + a 15.00 withdrawal = 18.70, paid 20.00 cash."""
    return sell(
        session,
        cashier.user,
        [Item("Pain au chocolat", "1.20"), Item("Café", "1.25", quantity="2")],
        withdrawal="15.00",
        payments=[("cash", None, "20.00")],
        sold_at=datetime(2026, 1, 15, 10, 5, tzinfo=UTC),  # 11:05 in Brussels (winter)
        **kw,
    )


# --- the PDF ------------------------------------------------------------------------------------


@needs_poppler
def test_ticket_pdf_shows_shop_local_time_lines_withdrawal_apart_taxes_total_and_change(
    bakery, tmp_path
):
    shop, register, session, cashier = bakery
    sale = morning_sale(session, cashier)

    pdf = tickets.ticket_pdf(sale)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    flat = squeeze(text)
    assert shop.name in text and "Rue Haute 12" in text and "1000 Bruxelles" in text
    assert "000001" in text
    assert "11:05" in text and "10:05" not in text  # the shop's time, not UTC
    assert "2026" in text
    assert "Caisse 1" in text and "Khadija Amrani" in text
    # Money as English is written in Belgium (the business's language and country).
    assert "Pain au chocolat 1,20 €" in flat
    assert "Café 2,50 €" in flat and "2 × 1,25 €" in flat
    # The withdrawal is on its own line, after the products and before the total.
    assert "Cash withdrawal 15,00 €" in flat
    assert flat.index("Café") < flat.index("Cash withdrawal") < flat.index("TOTAL")
    assert "TOTAL 18,70 €" in flat
    assert "Tendered 20,00 €" in flat and "Change 1,30 €" in flat
    # Tax summary: one rate, its base and tax (withdrawal untaxed, not in it).
    assert "Tax rate Base Tax" in flat
    assert re.search(r"6 ?% 3,49 0,21", flat)
    # One long 80 mm page, as high as the ticket.
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "ticket.pdf")], capture_output=True, check=True
    ).stdout.decode()
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
    assert round(width / 72 * 25.4) == 80
    assert 60 < height / 72 * 25.4 < 200
    assert "Pages:           1" in info


@needs_poppler
def test_ticket_date_is_the_shop_day_even_when_utc_is_still_yesterday(owner, tmp_path):
    setup_shop(owner)
    register = make_register(owner)
    session = open_session(register, owner.user)
    # 23:30 UTC on 31 Jan is 00:30 on 1 Feb in Brussels.
    sale = sell(
        session,
        owner.user,
        [Item("Croissant", "1.00")],
        sold_at=datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
    )
    ticket = tickets.ticket_data(sale)
    assert ticket.time == "00:30"
    assert ticket.sold_at.date().isoformat() == "2026-02-01"
    text = pdf_text(tickets.ticket_pdf(sale), tmp_path)
    assert "00:30" in text and "1/2/2026" in text  # English in Belgium: day/month/year


@needs_poppler
def test_arabic_ticket_pdf_is_right_to_left_with_arabic_glyphs(other_owner, tmp_path):
    setup_shop(other_owner, address="شارع محمد الخامس\nالدار البيضاء", phone="")
    register = make_register(other_owner, "الصندوق 1")
    session = open_session(register, other_owner.user)
    sale = sell(
        session,
        other_owner.user,
        [Item("خبز", "2.00", quantity="3", rate="0"), Item("أتاي", "12.50", rate="20")],
        payments=[("cash", None, "50.00")],
    )

    ticket = tickets.ticket_data(sale)
    assert ticket.rtl and ticket.language == "ar"
    pdf = tickets.ticket_pdf(sale, ticket=ticket)

    text = pdf_text(pdf, tmp_path, layout=False)
    assert "خبز" in text and "أتاي" in text and "الدار البيضاء" in text
    assert "الصندوق 1" in text
    assert "000001" in text
    assert "18.50" in text or "18,50" in text  # 3 × 2.00 + 12.50 in dirhams
    assert "Noto-Sans-Arabic" in pdf_fonts(pdf, tmp_path)


@needs_poppler
def test_tamazight_ticket_uses_the_tifinagh_font_and_prints_as_an_image(tmp_path):
    from tests.factories import make_business

    owner = make_business(
        "Tafukt", currency="MAD", country="MA", time_zone="Africa/Casablanca", language="zgh"
    )
    setup_shop(owner, address="ⴰⴳⴰⴷⵉⵔ", phone="")
    register = make_register(owner, "Caisse 1")
    session = open_session(register, owner.user)
    sale = sell(session, owner.user, [Item("ⴰⵖⵔⵓⵎ", "2.00", rate="0")])
    pdf = tickets.ticket_pdf(sale)
    assert "ⴰⵖⵔⵓⵎ" in pdf_text(pdf, tmp_path, layout=False)
    assert "Noto-Sans-Tifinagh" in pdf_fonts(pdf, tmp_path)
    assert RASTER in tickets.print_ticket(sale, Dummy()).output


@needs_poppler
def test_return_ticket_says_return_and_names_the_original(bakery, tmp_path):
    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    back = sell(
        session,
        cashier.user,
        [Item("Café", "1.25")],
        payments=[("cash", "-1.25")],
        original=sale,
        reason="Spilled",
    )
    text = squeeze(pdf_text(tickets.ticket_pdf(back), tmp_path))
    assert "RETURN" in text
    assert "R000001" in text
    assert "Return of ticket 000001" in text
    assert "Café -1,25 €" in text and "TOTAL -1,25 €" in text
    assert "Spilled" in text


# --- the receipt printer ------------------------------------------------------------------------


def test_escpos_ticket_is_text_with_the_number_total_and_a_cut(bakery):
    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)

    printer = tickets.print_ticket(sale, Dummy())

    data = printer.output
    assert b"000001" in data
    assert b"TOTAL" in data and b"18,70" in data
    assert b"Cash withdrawal" in data and b"15,00" in data
    assert b"Change" in data and b"1,30" in data
    # é and € in the printer's code pages (switched with ESC t), not UTF-8.
    assert re.search(rb"Caf(\x1bt.)?\x82", data)
    assert "é".encode() not in data and "€".encode() not in data
    assert RASTER not in data
    assert data.rstrip(b"\x00").endswith(CUT + b"\x00") or CUT in data[-8:]


def test_escpos_arabic_ticket_is_printed_as_an_image(other_owner):
    setup_shop(other_owner, address="الدار البيضاء", phone="")
    register = make_register(other_owner, "الصندوق 1")
    session = open_session(register, other_owner.user)
    sale = sell(session, other_owner.user, [Item("خبز", "2.00", rate="0")])

    printer = tickets.print_ticket(sale, Dummy())

    data = printer.output
    assert RASTER in data
    assert len(data) > 5000  # the picture, not a few lines of text
    assert "خبز".encode() not in data
    assert CUT in data[-8:]


def test_escpos_french_ticket_with_an_arabic_product_name_is_an_image_too(bakery):
    _shop, _register, session, cashier = bakery
    sale = sell(session, cashier.user, [Item("Thé ⴰⵣⵓⵍ", "2.00")])
    assert RASTER in tickets.print_ticket(sale, Dummy()).output


def test_printing_to_the_registers_network_printer_sends_the_ticket(owner):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    received = bytearray()

    def accept():
        conn, _addr = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    register = make_register(owner, printer_kind="network", target=f"127.0.0.1:{port}")
    session = open_session(register, owner.user)
    sale = sell(session, owner.user, [Item("Croissant", "1.00")])

    tickets.print_ticket(sale, actor=owner.user)

    thread.join(timeout=10)
    server.close()
    assert b"000001" in received and CUT in received
    assert AuditEntry.objects.filter(action="sale.ticket_printed", object_id=str(sale.pk)).exists()


def test_printing_to_a_file_device(owner, tmp_path):
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    register = make_register(owner, printer_kind="file", target=str(device))
    session = open_session(register, owner.user)
    sale = sell(session, owner.user, [Item("Croissant", "1.00")])
    tickets.print_ticket(sale)
    assert b"000001" in device.read_bytes()


@pytest.mark.parametrize(
    ("kind", "target", "words"),
    [
        ("none", "", "has no receipt printer"),
        ("network", "127.0.0.1:{port}", "did not answer"),
        ("network", "printer:notaport", "is not host:port"),
        ("usb", "epson", "vendor:product"),
        ("usb", "04b8:0202", "04b8:0202"),  # pyusb missing, or no such device here
        ("file", "/nonexistent/dir/lp0", "did not answer"),
    ],
)
def test_a_printer_problem_is_a_clear_message(owner, kind, target, words):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    register = make_register(owner, printer_kind=kind, target=target.format(port=port))
    session = open_session(register, owner.user)
    sale = sell(session, owner.user, [Item("Croissant", "1.00")])
    with pytest.raises(tickets.TicketPrintError) as caught:
        tickets.print_ticket(sale)
    assert words in caught.value.message


def test_reprint_button_shows_the_printer_error_instead_of_failing(bakery, client):
    _shop, register, session, cashier = bakery
    register.printer_kind, register.printer_target = "network", "127.0.0.1:1"
    register.save()
    sale = morning_sale(session, cashier)
    login(client, cashier)
    url = reverse("pos_ticket_print", args=[sale.pk])

    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "did not answer" in response.content.decode()

    response = client.post(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 502
    assert "did not answer" in response.json()["error"]["message"]
    assert not AuditEntry.objects.filter(action="sale.ticket_printed").exists()


def test_reprint_from_the_page_prints_and_is_audited(bakery, client, tmp_path):
    _shop, register, session, cashier = bakery
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    register.printer_kind, register.printer_target = "file", str(device)
    register.save()
    sale = morning_sale(session, cashier)
    login(client, cashier)

    response = client.post(reverse("pos_ticket_print", args=[sale.pk]), follow=True)

    assert "was sent to the printer" in response.content.decode()
    assert b"18,70" in device.read_bytes()
    entry = AuditEntry.objects.get(action="sale.ticket_printed")
    assert entry.actor == cashier.user and entry.object_id == str(sale.pk)


# --- email -------------------------------------------------------------------------------------


def test_ticket_is_emailed_with_its_pdf(
    bakery, client, smtp_server, django_capture_on_commit_callbacks
):
    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    login(client, cashier)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pos_ticket_email", args=[sale.pk]), {"email": "client@example.test"}
        )

    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "client@example.test"
    assert "000001" in message["Subject"]
    attachments = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    assert attachments[0].get_filename() == "ticket-000001.pdf"
    assert attachments[0].get_payload(decode=True).startswith(b"%PDF")
    assert "18,70" in smtp_server.bodies()[0]
    sale.refresh_from_db()
    assert sale.email == "client@example.test"
    entry = AuditEntry.objects.get(action="sale.ticket_emailed")
    assert entry.changes == {"email": ["", "client@example.test"]}


def test_a_bad_email_address_is_refused_and_nothing_is_sent(
    bakery, client, smtp_server, django_capture_on_commit_callbacks
):
    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    login(client, cashier)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pos_ticket_email", args=[sale.pk]), {"email": "not-an-address"}
        )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert smtp_server.messages == []
    assert Sale.objects.get(pk=sale.pk).email == ""
    assert not AuditEntry.objects.filter(action="sale.ticket_emailed").exists()


# --- pages ---------------------------------------------------------------------------------------


def test_sale_page_shows_the_ticket_and_its_pdf(bakery, client):
    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    login(client, cashier)

    page = client.get(reverse("pos_sale_detail", args=[sale.pk])).content.decode()
    assert "Pain au chocolat" in page and "Cash withdrawal" in page and "18,70" in page
    assert reverse("pos_ticket_pdf", args=[sale.pk]) in page

    response = client.get(reverse("pos_ticket_pdf", args=[sale.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ticket-000001.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_another_business_cannot_see_print_or_email_a_ticket(bakery, other_owner, client):
    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    login(client, other_owner)
    for name in ("pos_sale_detail", "pos_ticket_pdf"):
        assert client.get(reverse(name, args=[sale.pk])).status_code == 404
    for name in ("pos_ticket_print", "pos_ticket_email"):
        response = client.post(reverse(name, args=[sale.pk]), {"email": "x@example.test"})
        assert response.status_code == 404
    assert client.get(reverse("pos_session_report", args=[session.pk])).status_code == 404


def test_someone_without_register_access_is_refused(bakery, owner, client):
    from hanout.accounts import services as accounts
    from hanout.core.permissions import Level, Module

    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    clerk = make_member(owner, role=Role.STAFF)
    accounts.module_access_set(
        actor_membership=owner, membership=clerk, levels={Module.REGISTER: Level.NONE}
    )
    login(client, clerk)
    assert client.get(reverse("pos_sales")).status_code == 403
    assert client.get(reverse("pos_sale_detail", args=[sale.pk])).status_code == 403
    assert client.post(reverse("pos_ticket_email", args=[sale.pk])).status_code == 403


def test_sales_history_filters_and_pages_without_more_queries(
    bakery, owner, client, monkeypatch, django_assert_max_num_queries
):
    from hanout.pos import views_reports

    _shop, register, session, cashier = bakery
    other = make_register(owner, "Caisse 2")
    other_session = open_session(other, owner.user)
    for hour in range(8, 13):
        sell(
            session,
            cashier.user,
            [Item("Croissant", "1.00")],
            sold_at=datetime(2026, 1, 15, hour, tzinfo=UTC),
        )
    sell(
        other_session,
        owner.user,
        [Item("Baguette", "1.10")],
        sold_at=datetime(2026, 1, 15, 9, tzinfo=UTC),
    )
    sell(
        session,
        cashier.user,
        [Item("Croissant", "1.00")],
        sold_at=datetime(2026, 1, 16, 9, tzinfo=UTC),
    )
    login(client, owner)
    url = reverse("pos_sales")

    page = client.get(url, {"date": "2026-01-15", "register": str(register.pk)}).content.decode()
    assert len(SALE_LINK.findall(page)) == 5
    page = client.get(url, {"date": "2026-01-15", "cashier": str(owner.user.pk)}).content.decode()
    assert len(SALE_LINK.findall(page)) == 1 and "Caisse 2" in page
    # One ticket number naming one sale (a scan) opens it: the 16 Jan sale on Caisse 1.
    response = client.get(url, {"q": "000006"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Caisse 1" in page and "000006" in page
    page = client.get(url, {"q": "not a number"}).content.decode()
    assert "No sales match these filters." in page
    # The filter form refreshes only the rows (htmx).
    rows = client.get(
        url, {"register": str(other.pk)}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="sale-rows"
    ).content.decode()
    assert "<table" in rows and "<form" not in rows and len(SALE_LINK.findall(rows)) == 1

    monkeypatch.setattr(views_reports, "PAGE_SIZE", 3)
    seen = []
    response = client.get(url)
    while True:
        page = response.content.decode()
        seen += SALE_LINK.findall(page)
        if 'rel="next"' not in page:
            break
        link = (
            page.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
        )
        with django_assert_max_num_queries(12):
            response = client.get(url + link)
    assert len(seen) == 7 and len(set(seen)) == 7


def test_the_api_gives_the_ticket_as_printer_bytes_for_the_tills_own_printer(bakery, other_owner):
    """`POST /api/v1/sales/{id}/escpos/`: what the desktop register sends on to a printer
    plugged into its computer. Audited as a print; another business's sale is a 404."""
    from tests.fixtures import api_client_for

    _shop, _register, session, cashier = bakery
    sale = morning_sale(session, cashier)
    url = f"/api/v1/sales/{sale.pk}/escpos/"
    response = api_client_for(cashier).post(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/octet-stream"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data == tickets.print_ticket(sale, Dummy()).output
    assert b"000001" in data and b"TOTAL" in data
    assert AuditEntry.objects.filter(action="sale.ticket_printed", object_id=str(sale.pk)).exists()

    assert api_client_for(other_owner).post(url).status_code == 404
