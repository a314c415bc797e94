"""Purchase orders through the services: drafting, sending, receiving in several
deliveries (stock and weighted average cost exact), over-receipt, closing,
cancelling, idempotency, other tenants and bad input (nothing written)."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest

from hanout.core import clock
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.inventory import services as inventory
from hanout.inventory.models import MovementReason, StockMovement
from hanout.purchasing import services
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseOrderEvent,
    PurchaseReceipt,
    PurchaseReceiptLine,
)
from hanout.purchasing.tests.po_support import D, level_of, purchase_shop

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def shop():
    return purchase_shop(n_products=2)


def at(monkeypatch, *args):
    moment = datetime.datetime(*args, tzinfo=BRUSSELS)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def counts():
    return (
        PurchaseReceipt.objects.count(),
        PurchaseReceiptLine.objects.count(),
        StockMovement.objects.filter(reason=MovementReason.RECEIPT).count(),
        PurchaseOrderEvent.objects.count(),
    )


def test_three_partial_deliveries_worked_example(shop, monkeypatch):
    """Flour A: 10 on hand at 1.00; ordered 30 at 1.60. Flour B: none; ordered 12 at 5.00.
    Sent 2 March, expected 9 March. Average cost rounded half-up to the cent.

    delivery 1, 5 March (on time): A 10, B 4
        A: (10 × 1.00 + 10 × 1.60) / 20 = 26.00 / 20 = 1.30        B: 4 at 5.00
    6 March: 6 of A sold (the average does not move) → A holds 14
    delivery 2, 9 March (on time): A 10, B 4
        A: (14 × 1.30 + 10 × 1.60) / 24 = 34.20 / 24 = 1.425 → 1.43
    delivery 3, 12 March (late): A 10, B 4 → PO received
        A: (24 × 1.43 + 10 × 1.60) / 34 = 50.32 / 34 = 1.48         B: 12 at 5.00
    Stock: A 10 + 30 − 6 = 34, B 12. Fill rate 42 / 42 = 100 %; on time 4 of 6
    receipt lines; lead time 5 − 2 = 3 days.
    """
    a, b = shop.products
    at(monkeypatch, 2026, 3, 1, 9, 0)
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(10), D("1.00"))],
        reason=MovementReason.RECEIPT,
    )
    order = shop.draft([30, 12], costs=["1.60", "5.00"], expected_on=datetime.date(2026, 3, 9))
    assert order.total == D("108.00")  # 30 × 1.60 + 12 × 5.00
    at(monkeypatch, 2026, 3, 2, 10, 0)
    order = services.purchase_order_send(order=order, actor=shop.actor, notify=False)
    assert (order.status, order.ordered_on) == (POStatus.SENT, datetime.date(2026, 3, 2))

    at(monkeypatch, 2026, 3, 5, 8, 30)
    shop.receive(order, {a: 10, b: 4}, delivery_note="BL-1")
    a.refresh_from_db(), b.refresh_from_db(), order.refresh_from_db()
    assert (level_of(a, shop.floor), a.cost) == (D(20), D("1.30"))
    assert (level_of(b, shop.floor), b.cost) == (D(4), D("5.00"))
    assert order.status == POStatus.PARTIAL

    at(monkeypatch, 2026, 3, 6, 12, 0)
    inventory.stock_apply(
        business=shop.business,
        actor=shop.actor,
        lines=[inventory.MoveLine(a, shop.floor, D(-6))],
        reason=MovementReason.SALE,
    )
    at(monkeypatch, 2026, 3, 9, 17, 0)
    shop.receive(order, {a: 10, b: 4})
    a.refresh_from_db(), order.refresh_from_db()
    assert a.cost == D("1.43")
    assert level_of(a, shop.floor) == D(24)
    assert order.status == POStatus.PARTIAL

    at(monkeypatch, 2026, 3, 12, 9, 0)
    receipt = shop.receive(order, {a: 10, b: 4}, delivery_note="BL-3")
    a.refresh_from_db(), b.refresh_from_db(), order.refresh_from_db()
    assert order.status == POStatus.RECEIVED
    assert order.received_at == receipt.received_at
    assert level_of(a, shop.floor) == D(34)
    assert level_of(b, shop.floor) == D(12)
    assert a.cost == D("1.48")
    assert b.cost == D("5.00")
    assert [line.received_quantity for line in order.lines.order_by("position")] == [D(30), D(12)]
    # the ledger holds one receipt movement per line and delivery, at the PO's cost
    moves = StockMovement.objects.filter(reference=order.reference).order_by("created_at", "id")
    assert [(m.quantity, m.unit_cost) for m in moves if m.product_id == a.pk] == [
        (D(10), D("1.60"))
    ] * 3
    statuses = list(order.events.order_by("at", "id").values_list("status", flat=True))
    assert statuses == ["draft", "sent", "partial", "partial", "received"]
    assert order.events.order_by("at", "id")[3].note == "Received 14 (28 of 42 so far)"

    # Supplier performance (helper B's figures) on the same example:
    # on time: deliveries 1 and 2 (2 lines each) by 9 March, delivery 3 late → 4 / 6 = 66.7 %;
    # lead time: 5 March − 2 March = 3 days; fill rate 42 / 42 = 100 %.
    from hanout.purchasing.performance import supplier_performance

    report = supplier_performance(
        business=shop.business,
        date_from=datetime.date(2026, 3, 1),
        date_to=datetime.date(2026, 3, 31),
    )
    row = next(r for r in report.rows if str(r.supplier_id) == str(shop.supplier.pk))
    assert (row.receipt_lines, row.on_time_lines) == (6, 4)
    assert (row.lead_time_orders, row.lead_time_total_days) == (1, 3)
    assert (row.ordered_quantity, row.received_quantity) == (D(42), D(42))


def test_draft_takes_cost_and_reference_from_the_suppliers_catalog(shop):
    order = shop.draft([5, 2])
    lines = list(order.lines.order_by("position"))
    assert [(x.unit_cost, x.supplier_sku, x.total) for x in lines] == [
        (D("2.00"), "MILL-0", D("10.00")),
        (D("3.00"), "MILL-1", D("6.00")),
    ]
    assert order.total == D("16.00")
    assert order.location == shop.floor
    assert order.status == POStatus.DRAFT
    assert order.reference == f"PO-{order.number:06d}"


def test_numbers_are_gapless_and_a_refused_draft_takes_no_number(shop):
    first = shop.draft()
    with pytest.raises(ValidationFailed):
        shop.draft([0, 1])
    second = shop.draft()
    assert second.number == first.number + 1


def test_receiving_more_than_ordered_needs_a_reason(shop):
    a, b = shop.products
    order = shop.sent([10, 5])
    before = counts()
    with pytest.raises(ValidationFailed) as err:
        shop.receive(order, {a: 12})
    assert err.value.code == "over_receipt"
    assert "over_receipt_reason" in err.value.fields
    assert "lines[0].quantity" in err.value.fields
    assert counts() == before
    assert level_of(a, shop.floor) == 0

    receipt = shop.receive(order, {a: 12, b: 5}, over_receipt_reason="Two extra as a gift")
    order.refresh_from_db()
    assert receipt.over_receipt_reason == "Two extra as a gift"
    assert order.status == POStatus.RECEIVED
    assert level_of(a, shop.floor) == D(12)


@pytest.mark.parametrize(
    ("quantity", "field"),
    [
        ("-1", "lines[0].quantity"),
        ("abc", "lines[0].quantity"),
        ("1.5", "lines[0].quantity"),  # counted in pieces
        ("0", "lines"),
        ("1e20", "lines[0].quantity"),
    ],
)
def test_bad_delivery_quantities_write_nothing(shop, quantity, field):
    a, _b = shop.products
    order = shop.sent([10, 5])
    line = order.lines.get(product=a)
    before = counts()
    with pytest.raises(ValidationFailed) as err:
        services.purchase_order_receive(order=order, actor=shop.actor, lines={line.pk: quantity})
    assert field in err.value.fields
    assert counts() == before
    order.refresh_from_db()
    assert order.status == POStatus.SENT


def test_a_line_of_another_order_is_not_found(shop):
    order = shop.sent([10, 5])
    other = shop.sent([1, 1])
    with pytest.raises(NotFound):
        services.purchase_order_receive(
            order=order, actor=shop.actor, lines={other.lines.first().pk: 1}
        )
    with pytest.raises(NotFound):
        services.purchase_order_receive(order=order, actor=shop.actor, lines={uuid.uuid4(): 1})


def test_a_draft_cannot_be_received_nor_a_closed_order(shop):
    a, _b = shop.products
    draft = shop.draft()
    with pytest.raises(Conflict, match="Send this purchase order"):
        shop.receive(draft, {a: 1})
    order = shop.sent()
    services.purchase_order_close(order=order, actor=shop.actor)
    with pytest.raises(Conflict):
        shop.receive(order, {a: 1})


def test_received_at_in_the_future_or_before_the_order_is_refused(shop, monkeypatch):
    a, _b = shop.products
    at(monkeypatch, 2026, 3, 2, 10, 0)
    order = shop.sent()
    with pytest.raises(ValidationFailed) as err:
        shop.receive(order, {a: 1}, received_at=datetime.datetime(2026, 3, 3, tzinfo=BRUSSELS))
    assert "received_at" in err.value.fields
    with pytest.raises(ValidationFailed):
        shop.receive(order, {a: 1}, received_at="2026-03-01T10:00")
    receipt = shop.receive(order, {a: 1}, received_at="2026-03-02T08:00")
    assert receipt.received_at == datetime.datetime(2026, 3, 2, 8, 0, tzinfo=BRUSSELS)


def test_goods_can_go_to_another_location(shop):
    a, _b = shop.products
    order = shop.sent()
    receipt = shop.receive(order, {a: 4}, location=shop.back)
    assert receipt.location == shop.back
    assert (level_of(a, shop.back), level_of(a, shop.floor)) == (D(4), D(0))


def test_another_tenants_supplier_product_or_location_is_not_found(shop):
    other = purchase_shop("Other Grocer", n_products=1)
    with pytest.raises(NotFound) as err:
        shop.draft(supplier=other.supplier)
    assert "supplier" in err.value.fields
    with pytest.raises(NotFound) as err:
        services.purchase_order_create(
            business=shop.business,
            actor=shop.actor,
            supplier=shop.supplier,
            lines=[services.POLineInput(product=other.products[0], quantity=1)],
        )
    assert "lines[0].product" in err.value.fields
    with pytest.raises(NotFound):
        shop.draft(location=other.floor)
    order = shop.sent()
    with pytest.raises(NotFound):
        shop.receive(order, {shop.products[0]: 1}, location=other.floor)
    assert PurchaseOrder.objects.filter(business=shop.business).count() == 1


def test_inactive_supplier_and_duplicate_product_are_refused(shop):
    from hanout.suppliers import services as supplier_services

    a, _b = shop.products
    with pytest.raises(ValidationFailed) as err:
        services.purchase_order_create(
            business=shop.business,
            actor=shop.actor,
            supplier=shop.supplier,
            lines=[
                services.POLineInput(product=a, quantity=1),
                services.POLineInput(product=a, quantity=2),
            ],
        )
    assert "lines[1].product" in err.value.fields
    supplier_services.supplier_set_active(supplier=shop.supplier, actor=shop.actor, active=False)
    with pytest.raises(ValidationFailed) as err:
        shop.draft()
    assert "supplier" in err.value.fields


@pytest.mark.parametrize("cost", ["-1", "1e12", "x"])
def test_absurd_costs_are_refused(shop, cost):
    with pytest.raises(ValidationFailed) as err:
        shop.draft([1, 1], costs=[cost, None])
    assert "lines[0].unit_cost" in err.value.fields
    assert not PurchaseOrder.objects.exists()


def test_close_short_closes_and_cancel_only_before_any_delivery(shop):
    a, _b = shop.products
    order = shop.sent([10, 5])
    shop.receive(order, {a: 4})
    with pytest.raises(Conflict, match="close it instead"):
        services.purchase_order_cancel(order=order, actor=shop.actor)
    order = services.purchase_order_close(order=order, actor=shop.actor)
    assert order.status == POStatus.CLOSED and order.closed_at
    assert "11 not delivered" in order.events.last().note
    with pytest.raises(Conflict):
        services.purchase_order_close(order=order, actor=shop.actor)

    draft = shop.draft()
    with pytest.raises(Conflict, match="cancel it instead"):
        services.purchase_order_close(order=draft, actor=shop.actor)
    draft = services.purchase_order_cancel(order=draft, actor=shop.actor, note="Wrong supplier")
    assert draft.status == POStatus.CANCELLED
    assert draft.events.last().note == "Wrong supplier"
    with pytest.raises(Conflict):
        services.purchase_order_send(order=draft, actor=shop.actor, notify=False)


def test_only_a_drafts_lines_change(shop):
    a, b = shop.products
    order = shop.draft([1, 1])
    order = services.purchase_order_set_lines(
        order=order,
        actor=shop.actor,
        lines=[services.POLineInput(product=b, quantity=D(7), unit_cost="2.50")],
    )
    assert [(x.product_id, x.quantity) for x in order.lines.all()] == [(b.pk, D(7))]
    assert order.total == D("17.50")
    services.purchase_order_send(order=order, actor=shop.actor, notify=False)
    with pytest.raises(Conflict):
        services.purchase_order_set_lines(
            order=order, actor=shop.actor, lines=[services.POLineInput(product=a, quantity=1)]
        )


def test_an_empty_draft_cannot_be_sent(shop):
    order = services.purchase_order_create(
        business=shop.business, actor=shop.actor, supplier=shop.supplier
    )
    with pytest.raises(ValidationFailed) as err:
        services.purchase_order_send(order=order, actor=shop.actor, notify=False)
    assert "lines" in err.value.fields


def test_create_and_receive_are_idempotent(shop):
    a, _b = shop.products
    key = uuid.uuid4()
    first = shop.draft([3, 3], client_uuid=key)
    again = shop.draft([3, 3], client_uuid=key)
    assert again.pk == first.pk
    with pytest.raises(Conflict):
        shop.draft([4, 3], client_uuid=key)
    assert PurchaseOrder.objects.count() == 1

    services.purchase_order_send(order=first, actor=shop.actor, notify=False)
    rkey = uuid.uuid4()
    r1 = shop.receive(first, {a: 2}, client_uuid=rkey)
    r2 = shop.receive(first, {a: 2}, client_uuid=rkey)
    assert r1.pk == r2.pk
    assert level_of(a, shop.floor) == D(2)
    with pytest.raises(Conflict):
        shop.receive(first, {a: 3}, client_uuid=rkey)


def test_drafts_from_restock_suggestions_one_per_preferred_supplier(shop):
    from hanout.inventory.selectors import restock_groups, restock_suggestions

    a, b = shop.products
    for product in (a, b):
        inventory.stock_apply(
            business=shop.business,
            actor=shop.actor,
            lines=[inventory.MoveLine(product, shop.floor, D(30), D("1"))],
            reason=MovementReason.RECEIPT,
        )
        inventory.stock_apply(
            business=shop.business,
            actor=shop.actor,
            lines=[inventory.MoveLine(product, shop.floor, D(-29))],
            reason=MovementReason.SALE,
        )
    groups = restock_groups(restock_suggestions(business=shop.business))
    orders = services.purchase_orders_from_restock(
        business=shop.business, actor=shop.actor, groups=groups
    )
    assert len(orders) == 1
    lines = {x.product_id: x for x in orders[0].lines.all()}
    assert set(lines) == {a.pk, b.pk}
    assert lines[a.pk].supplier_sku == "MILL-0" and lines[a.pk].unit_cost == D("2.00")
    assert all(x.quantity > 0 for x in lines.values())


def test_sending_emails_the_pdf_to_the_supplier(
    shop, smtp_server, tmp_path, django_capture_on_commit_callbacks
):
    import subprocess

    order = shop.draft([12, 3], expected_on=datetime.date(2030, 1, 15), note="Back door, please")
    with django_capture_on_commit_callbacks(execute=True):
        order = services.purchase_order_send(order=order, actor=shop.actor)
    assert order.status == POStatus.SENT
    assert order.sent_to == "orders@mill.example" and order.sent_at
    assert smtp_server.event.wait(5)
    message = smtp_server.messages[0]
    assert message["To"] == "orders@mill.example"
    assert order.reference in message["Subject"]
    pdfs = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_filename() == f"{order.reference}.pdf"
    path = tmp_path / "po.pdf"
    path.write_bytes(pdfs[0].get_payload(decode=True))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (order.reference, "Flour 0", "Flour 1", "MILL-0", "12", "33,00 €", "Back door"):
        assert expected in text, expected
    assert "Back door, please" in smtp_server.bodies()[0]


def test_send_needs_an_address_unless_ordered_by_phone(shop):
    from hanout.suppliers import services as supplier_services

    supplier_services.supplier_update(supplier=shop.supplier, actor=shop.actor, data={"email": ""})
    order = shop.draft()
    with pytest.raises(ValidationFailed) as err:
        services.purchase_order_send(order=order, actor=shop.actor)
    assert "email" in err.value.fields
    order.refresh_from_db()
    assert order.status == POStatus.DRAFT
    order = services.purchase_order_send(order=order, actor=shop.actor, notify=False)
    assert order.status == POStatus.SENT and order.sent_to == ""


def test_arabic_purchase_order_pdf(tmp_path):
    import subprocess

    from hanout.purchasing.pdf import purchase_order_pdf

    shop = purchase_shop(
        "Alma7al test",
        n_products=1,
        currency="MAD",
        country="MA",
        time_zone="Africa/Casablanca",
        language="ar",
    )
    business = shop.business
    business.default_language = "ar"
    business.save(update_fields=["default_language"])
    order = shop.draft([5])
    path = tmp_path / "po.pdf"
    path.write_bytes(purchase_order_pdf(order))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert order.reference in text
    assert "Flour 0" in text


def test_received_event_after_commit_and_audit_rows(
    shop, monkeypatch, django_capture_on_commit_callbacks
):
    from collections import defaultdict

    from hanout.core import events
    from hanout.core.models import AuditEntry

    seen = []
    monkeypatch.setattr(events, "_subscribers", defaultdict(list))
    events.subscribe("purchase_order.received")(seen.append)
    a, _b = shop.products
    order = shop.sent([4, 4])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        shop.receive(order, {a: 4})
    assert seen == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(seen) == 1
    payload = seen[0].payload
    assert payload["id"] == str(order.pk) and payload["status"] == "partial"
    assert payload["complete"] is False and payload["lines"] == 1
    actions = set(
        AuditEntry.objects.filter(business=shop.business).values_list("action", flat=True)
    )
    assert {"purchase_order.create", "purchase_order.send", "purchase_order.receive"} <= actions


def test_email_again_sends_the_pdf_once_more(shop, smtp_server, django_capture_on_commit_callbacks):
    order = shop.sent()
    with django_capture_on_commit_callbacks(execute=True):
        order = services.purchase_order_send(
            order=order, actor=shop.actor, email="buyer@mill.example"
        )
    assert smtp_server.event.wait(5)
    assert smtp_server.messages[0]["To"] == "buyer@mill.example"
    order.refresh_from_db()
    assert order.status == POStatus.SENT and order.sent_to == "buyer@mill.example"
    assert list(order.events.values_list("status", flat=True)) == ["draft", "sent"]
