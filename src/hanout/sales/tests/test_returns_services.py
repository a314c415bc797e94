"""Recording customer returns through the service: how much can come back, exact
amounts, stock effects (restock and write-off), the credit note, idempotency and
refusals that write nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum

from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import AuditEntry, DocumentSequence
from hanout.inventory.models import MovementReason, StockMovement
from hanout.pos import services as pos
from hanout.pos.models import SaleLine
from hanout.sales.models import (
    CustomerReturn,
    Invoice,
    InvoiceKind,
    OrderStatus,
    ReturnLine,
)
from hanout.sales.services_invoices import invoice_issue_for_order, invoice_issue_for_sale
from hanout.sales.tests.returns_support import (
    level,
    make_customer,
    make_shipped_order,
    make_till,
    open_session,
    order_lines,
    sale_lines,
    sell,
    take_back,
)
from tests.factories import make_business

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    till = make_till(make_business("Kaching Returns"))
    open_session(till)
    return till


def _written(business) -> dict:
    """Everything a return writes, to prove that a refusal wrote nothing."""
    return {
        "returns": CustomerReturn.objects.filter(business=business).count(),
        "lines": ReturnLine.objects.filter(business=business).count(),
        "movements": StockMovement.objects.filter(business=business).count(),
        "credit_notes": Invoice.objects.filter(business=business, kind="credit_note").count(),
        "numbers": list(
            DocumentSequence.objects.filter(business=business)
            .order_by("key", "year")
            .values_list("key", "year", "last_value")
        ),
        "sale_returned": SaleLine.objects.filter(business=business).aggregate(
            s=Sum("returned_quantity")
        )["s"],
        "audit": AuditEntry.objects.filter(business=business).count(),
    }


# --- from a ticket ------------------------------------------------------------------------------


def test_taking_back_part_of_a_ticket_restocks_refunds_and_issues_a_credit_note(
    till, django_capture_on_commit_callbacks
):
    sale = sell(till, ("croissant", 3), ("deo", 2))
    croissant, deo = sale_lines(sale)
    before = level(till, till["deo"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ret = take_back(till, sale=sale, lines=[(deo, 1)], refund_method="cash")

    assert ret.reference == "RT-000001"
    assert ret.sale == sale and ret.order is None
    assert ret.refund_method == "cash"
    assert ret.refund_amount == D("4.50")
    assert ret.location == till.location
    (line,) = ret.lines.all()
    assert (line.name, line.quantity, line.unit_price, line.total, line.tax_amount) == (
        "Déodorant CienMEN",
        D("1"),
        D("4.50"),
        D("4.50"),
        D("0.78"),  # 4.50 × 21 / 121 = 0.781 → 0.78
    )
    assert line.disposition == "restock"
    assert line.movement.reason == MovementReason.RETURN
    assert line.movement.quantity == D("1")
    assert line.movement.reference == "RT-000001"
    assert level(till, till["deo"]) == before + 1
    deo.refresh_from_db()
    croissant.refresh_from_db()
    assert deo.returned_quantity == D("1") and croissant.returned_quantity == 0

    note = ret.credit_note
    assert note.kind == InvoiceKind.CREDIT_NOTE
    assert note.reference.startswith("AV-") and note.number == 1
    assert note.credited_invoice is None  # the ticket was never invoiced
    assert note.total == D("4.50") and note.tax_total == D("0.78")
    assert [(x.name, x.quantity, x.total) for x in note.lines.all()] == [
        ("Déodorant CienMEN", D("1"), D("4.50"))
    ]
    assert AuditEntry.objects.filter(
        business=till.business, action="return.record", object_id=str(ret.pk)
    ).exists()
    assert len(callbacks) >= 1


def test_a_returned_ticket_with_an_invoice_gets_a_credit_note_on_that_invoice(till):
    customer = make_customer(till.business)
    sale = sell(till, ("cafe", 4), ("deo", 1))
    invoice = invoice_issue_for_sale(sale=sale, actor=till.user, customer=customer)
    cafe, _deo = sale_lines(sale)

    ret = take_back(till, sale=sale, lines=[(cafe, 2)])

    note = ret.credit_note
    assert note.credited_invoice == invoice
    assert note.total == D("5.00")
    assert invoice.credit_notes.get() == note


def test_the_last_units_of_a_line_give_back_exactly_what_is_left_of_it(till):
    # 3 croissants at 1.00 with a 0.10 discount: 2.90 paid; thirds are 0.97 each.
    sale = sell(till, ("croissant", 3, "0.10"))
    (croissant,) = sale_lines(sale)

    first = take_back(till, sale=sale, lines=[(croissant, 1)])
    second = take_back(till, sale=sale, lines=[(croissant, 1)])
    last = take_back(till, sale=sale, lines=[(croissant, 1)])

    totals = [r.lines.get().total for r in (first, second, last)]
    assert totals == [D("0.97"), D("0.97"), D("0.96")]
    assert sum(totals) == croissant.total == D("2.90")
    assert [r.reference for r in (first, second, last)] == ["RT-000001", "RT-000002", "RT-000003"]
    notes = [r.credit_note.number for r in (first, second, last)]
    assert notes == [1, 2, 3]


def test_returning_more_than_sold_is_refused_for_every_line_and_writes_nothing(till):
    sale = sell(till, ("croissant", 2), ("deo", 1), ("cafe", 1))
    croissant, deo, cafe = sale_lines(sale)
    before = _written(till.business)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=sale, lines=[(croissant, 3), (deo, 1), (cafe, "1.5")])

    assert caught.value.code == "return_too_much"
    assert caught.value.status == 400
    assert set(caught.value.fields) == {"lines[0].quantity", "lines[2].quantity"}
    assert (
        "Only 2 of “Croissant” can still be returned." in caught.value.fields["lines[0].quantity"]
    )
    assert _written(till.business) == before


def test_the_same_lines_cannot_come_back_twice(till):
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)
    take_back(till, sale=sale, lines=[(deo, 2)])
    before = _written(till.business)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=sale, lines=[(deo, 1)])

    assert caught.value.fields == {
        "lines[0].quantity": ["Only 0 of “Déodorant CienMEN” can still be returned."]
    }
    assert _written(till.business) == before


def test_the_same_line_twice_in_one_request_counts_both(till):
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)

    with pytest.raises(ValidationFailed):
        take_back(till, sale=sale, lines=[(deo, 2, "restock"), (deo, 1, "write_off")])

    ret = take_back(till, sale=sale, lines=[(deo, 1, "restock"), (deo, 1, "write_off")])
    assert sorted(line.disposition for line in ret.lines.all()) == ["restock", "write_off"]
    assert sum(line.total for line in ret.lines.all()) == D("9.00")


def test_a_register_return_then_a_back_office_return_cannot_exceed_what_was_sold(till):
    sale = sell(till, ("cafe", 3))
    (cafe,) = sale_lines(sale)
    pos.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(cafe, D("2"))],
        refund_method="cash",
        reason="Cold",
    )
    before = _written(till.business)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=sale, lines=[(cafe, 2)])
    assert "Only 1 of" in caught.value.message
    assert _written(till.business) == before

    ret = take_back(till, sale=sale, lines=[(cafe, 1)])
    # The last one: 7.50 paid − 5.00 the register gave back.
    assert ret.lines.get().total == D("2.50")
    cafe.refresh_from_db()
    assert cafe.returned_quantity == D("3")


def test_a_back_office_return_then_the_register_cannot_take_the_same_units_again(till):
    sale = sell(till, ("cafe", 2))
    (cafe,) = sale_lines(sale)
    take_back(till, sale=sale, lines=[(cafe, 2)])

    with pytest.raises(ValidationFailed) as caught:
        pos.sale_return(
            sale=sale,
            actor=till.user,
            client_uuid=uuid.uuid4(),
            lines=[(cafe, D("1"))],
            refund_method="cash",
            reason="Cold",
        )
    assert caught.value.code == "return_too_much"


def test_a_cash_withdrawal_and_a_return_ticket_cannot_be_returned(till):
    from hanout.pos.tests.factories import withdrawal

    sale = sell(till, ("croissant", 1), withdrawal("20"))
    _croissant, cash = sale_lines(sale)
    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=sale, lines=[(cash, 1)])
    assert "cash withdrawal" in caught.value.message

    register_return = pos.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(_croissant, D("1"))],
        refund_method="cash",
        reason="x",
    )
    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=register_return, lines=[(register_return.lines.first(), 1)])
    assert set(caught.value.fields) == {"sale"}


# --- stock: back to stock or written off ----------------------------------------------------------


def test_restock_and_write_off_move_stock_exactly(till):
    sale = sell(till, ("chocolat", 5), ("pain", 4))
    chocolat, pain = sale_lines(sale)
    choc_before, pain_before = level(till, till["chocolat"]), level(till, till["pain"])

    ret = take_back(till, sale=sale, lines=[(chocolat, 2, "restock"), (pain, 3, "write_off")])

    assert level(till, till["chocolat"]) == choc_before + 2
    assert level(till, till["pain"]) == pain_before  # came back and was thrown away
    moves = list(
        StockMovement.objects.filter(business=till.business, reference=ret.reference).values_list(
            "product__name", "reason", "quantity"
        )
    )
    assert sorted(moves) == sorted(
        [
            ("Chocolat noir", "return", D("2")),
            ("Pain au chocolat", "return", D("3")),
            ("Pain au chocolat", "write_off", D("-3")),
        ]
    )
    lines = {line.name: line for line in ret.lines.all()}
    assert lines["Pain au chocolat"].movement.reason == "write_off"
    assert lines["Chocolat noir"].movement.reason == "return"
    assert ret.movement_group == lines["Chocolat noir"].movement.group
    # The refund and the credit note are for both lines, whatever became of the goods.
    assert ret.refund_amount == D("10.60") == ret.credit_note.total


def test_goods_go_back_to_the_chosen_location(till):
    from hanout.inventory import services as inventory

    backroom = inventory.location_create(
        business=till.business, actor=till.user, shop=till.shop, name="Réserve", kind="backroom"
    )
    sale = sell(till, ("cafe", 2))
    (cafe,) = sale_lines(sale)

    take_back(till, sale=sale, lines=[(cafe, 2)], location=backroom)

    assert level(till, till["cafe"], backroom) == D("2")


# --- from an order ---------------------------------------------------------------------------------


def test_an_order_return_credits_the_order_invoice_and_marks_the_order_line(till):
    customer = make_customer(till.business)
    order = make_shipped_order(
        till, customer, ("cafe", 4), ("deo", 2), status=OrderStatus.DELIVERED
    )
    invoice = invoice_issue_for_order(order=order, actor=till.user)
    cafe, deo = order_lines(order)
    stock_before = level(till, till["deo"])

    ret = take_back(till, order=order, lines=[(deo, 1)], refund_method="store_credit")

    assert ret.order == order and ret.customer == customer
    assert ret.refund_method == "store_credit" and ret.refund_amount == D("4.50")
    deo.refresh_from_db()
    assert deo.returned_quantity == D("1")
    assert level(till, till["deo"]) == stock_before + 1
    note = ret.credit_note
    assert note.credited_invoice == invoice
    assert note.customer == customer
    assert note.order == order
    assert note.total == D("4.50")


def test_an_order_line_comes_back_only_up_to_what_was_shipped(till):
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("cafe", 5), shipped={0: 2})
    (cafe,) = order_lines(order)
    assert order.status == OrderStatus.PARTIAL
    before = _written(till.business)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, order=order, lines=[(cafe, 3)])
    assert "Only 2 of" in caught.value.message
    assert _written(till.business) == before

    ret = take_back(till, order=order, lines=[(cafe, 2)])
    # A part of the line (2 of 5 ordered): its share, not "the rest of the line".
    assert ret.lines.get().total == D("5.00")


def test_an_order_that_was_not_shipped_has_nothing_to_take_back(till):
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("cafe", 2), status=OrderStatus.CONFIRMED)
    (cafe,) = order_lines(order)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, order=order, lines=[(cafe, 1)])
    assert caught.value.code == "order_not_shipped"


def test_a_line_of_another_document_is_not_found(till):
    customer = make_customer(till.business)
    order = make_shipped_order(till, customer, ("cafe", 2))
    sale = sell(till, ("cafe", 1))
    (sale_line,) = sale_lines(sale)

    with pytest.raises(NotFound) as caught:
        take_back(till, order=order, lines=[(sale_line, 1)])
    assert set(caught.value.fields) == {"lines[0].line"}


# --- refund ------------------------------------------------------------------------------------------


def test_the_refund_is_never_more_than_the_returned_goods(till):
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)
    before = _written(till.business)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=sale, lines=[(deo, 1)], refund_amount="4.51")
    assert set(caught.value.fields) == {"refund_amount"}
    for bad in ("-1", "abc", "NaN", "1e30"):
        with pytest.raises(ValidationFailed):
            take_back(till, sale=sale, lines=[(deo, 1)], refund_amount=bad)
    assert _written(till.business) == before

    ret = take_back(till, sale=sale, lines=[(deo, 1)], refund_amount="4.00")
    assert ret.refund_amount == D("4.00")
    assert ret.credit_note.total == D("4.50")  # the goods came back in full


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("reason", {"reason": "  "}),
        ("reason", {"reason": "x" * 501}),
        ("refund_method", {"refund_method": "bitcoin"}),
        ("lines", {"lines": []}),
        ("lines[0].quantity", {"lines": "zero"}),
        ("lines[0].quantity", {"lines": "negative"}),
        ("lines[0].quantity", {"lines": "decimals"}),
        ("lines[0].disposition", {"lines": "disposition"}),
        ("client_uuid", {"client_uuid": "not-a-uuid"}),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(till, field, kwargs):
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)
    bad_lines = {
        "zero": [(deo, 0)],
        "negative": [(deo, -1)],
        "decimals": [(deo, "0.0001")],
        "disposition": [(deo, 1, "sell_again")],
    }
    if isinstance(kwargs.get("lines"), str):
        kwargs = {**kwargs, "lines": bad_lines[kwargs["lines"]]}
    kwargs = {"lines": [(deo, 1)], **kwargs}
    before = _written(till.business)

    with pytest.raises(ValidationFailed) as caught:
        take_back(till, sale=sale, **kwargs)

    assert field in caught.value.fields
    assert _written(till.business) == before


# --- idempotency -----------------------------------------------------------------------------------


def test_the_same_client_uuid_returns_the_first_return_and_other_data_is_a_conflict(till):
    sale = sell(till, ("deo", 2))
    (deo,) = sale_lines(sale)
    key = uuid.uuid4()

    first = take_back(till, sale=sale, lines=[(deo, 1)], client_uuid=key)
    before = _written(till.business)
    again = take_back(till, sale=sale, lines=[(deo, 1)], client_uuid=key)

    assert again.pk == first.pk and again.replayed and not first.replayed
    assert _written(till.business) == before
    with pytest.raises(Conflict):
        take_back(till, sale=sale, lines=[(deo, 2)], client_uuid=key)
    assert _written(till.business) == before


# --- tenants -------------------------------------------------------------------------------------------


def test_another_business_document_or_location_is_not_found(till):
    other = make_till(make_business("Alma7al Returns", currency="MAD"))
    open_session(other)
    their_sale = sell(other, ("deo", 1))
    (their_line,) = sale_lines(their_sale)
    sale = sell(till, ("deo", 1))
    (deo,) = sale_lines(sale)
    before = _written(till.business), _written(other.business)

    with pytest.raises(NotFound):
        take_back(till, sale=their_sale, lines=[(their_line, 1)])
    with pytest.raises(NotFound) as caught:
        take_back(till, sale=sale, lines=[(deo, 1)], location=other.location)
    assert set(caught.value.fields) == {"location"}
    with pytest.raises(NotFound):
        take_back(till, sale=sale, lines=[(their_line, 1)])

    assert (_written(till.business), _written(other.business)) == before


def test_after_a_back_office_return_the_register_refunds_only_what_is_left_of_the_line(till):
    sale = sell(till, ("cafe", 3))  # 7.50
    (cafe,) = sale_lines(sale)
    take_back(till, sale=sale, lines=[(cafe, 2)])  # 5.00 back

    register_return = pos.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(cafe, D("1"))],
        refund_method="cash",
        reason="Cold",
    )

    assert register_return.total == D("-2.50")
