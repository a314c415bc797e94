"""The stock ledger through its services: moves, transfers, counts, thresholds, alerts."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from hanout.catalog.models import Unit
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.core.permissions import Level, Module, Role
from hanout.inventory import selectors, services
from hanout.inventory.models import (
    CountStatus,
    MovementReason,
    StockLevel,
    StockMovement,
)
from hanout.inventory.services import InsufficientStock, MoveLine, StockLevelRow
from hanout.inventory.tests.stockdata import (
    ledger_sum,
    level_of,
    make_location,
    make_product,
)
from hanout.notifications.models import Notification

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def shop(owner):
    """(business, actor, floor, back room)."""
    business = owner.business
    return business, owner.user, make_location(business, default=True), make_location(business)


def receive(business, actor, product, location, qty, cost=None, **kw):
    return services.stock_receive(
        business=business,
        actor=actor,
        product=product,
        location=location,
        quantity=D(qty),
        unit_cost=None if cost is None else D(cost),
        **kw,
    )


def sell(business, actor, lines, **kw):
    return services.stock_apply(
        business=business,
        actor=actor,
        lines=[MoveLine(p, loc, D(-q)) for p, loc, q in lines],
        reason=MovementReason.SALE,
        **kw,
    )


# --- receipts, sales and the level ---------------------------------------------------------------


def test_a_receipt_adds_to_the_level_and_the_ledger_says_the_balance(shop):
    business, actor, floor, _ = shop
    croissant = make_product(business, "Croissant")
    first = receive(business, actor, croissant, floor, 10, "0.40", reference="BL-1")
    second = receive(business, actor, croissant, floor, 5, "0.40")
    assert (first.balance_after, second.balance_after) == (D(10), D(15))
    assert first.reason == MovementReason.RECEIPT and first.reference == "BL-1"
    assert level_of(croissant, floor) == D(15) == ledger_sum(croissant, floor)


def test_receipts_keep_a_weighted_average_cost_over_every_location(shop):
    business, actor, floor, back = shop
    coffee = make_product(business, "Café", cost="0")
    receive(business, actor, coffee, floor, 10, "1.00")
    coffee.refresh_from_db()
    assert coffee.cost == D("1.00")
    # 10 on hand at 1.00 (on the floor) + 30 at 2.00 in the back room → 40 at 1.75
    receive(business, actor, coffee, back, 30, "2.00")
    coffee.refresh_from_db()
    assert coffee.cost == D("1.75")
    # A sale takes stock out at the average; it does not change the average.
    sale = sell(business, actor, [(coffee, floor, 4)])[0]
    assert sale.unit_cost == D("1.75")
    coffee.refresh_from_db()
    assert coffee.cost == D("1.75")


def test_a_sale_that_needs_more_than_is_on_hand_is_refused_and_changes_nothing(shop):
    business, actor, floor, _ = shop
    bread = make_product(business, "Pain au chocolat")
    receive(business, actor, bread, floor, 3)
    movements_before = StockMovement.objects.count()
    with pytest.raises(InsufficientStock) as caught:
        sell(business, actor, [(bread, floor, 5)])
    err = caught.value
    assert err.code == "insufficient_stock"
    assert isinstance(err, ValidationFailed)
    assert "Pain au chocolat" in err.message and "3 available" in err.message
    assert "5 asked" in err.message
    assert level_of(bread, floor) == D(3)
    assert StockMovement.objects.count() == movements_before


def test_every_short_line_of_a_basket_is_reported_at_once(shop):
    business, actor, floor, _ = shop
    a, b, c = (make_product(business, name) for name in ("Tarte", "Canette", "Chocolat"))
    receive(business, actor, a, floor, 1)
    receive(business, actor, c, floor, 9)
    with pytest.raises(InsufficientStock) as caught:
        sell(business, actor, [(a, floor, 2), (b, floor, 1), (c, floor, 1)])
    assert [s["product_name"] for s in caught.value.shortfalls] == ["Tarte", "Canette"]
    assert level_of(a, floor) == 1 and level_of(c, floor) == 9
    assert not StockMovement.objects.filter(reason="sale").exists()


def test_a_business_that_allows_negative_stock_sells_below_zero(shop):
    business, actor, floor, _ = shop
    services.business_set_allow_negative_stock(business=business, actor=actor, allow=True)
    cola = make_product(business, "Canette Coca")
    sale = sell(business, actor, [(cola, floor, 2)])[0]
    assert sale.balance_after == D(-2)
    level = StockLevel.objects.get(product=cola, location=floor)
    assert level.allow_negative and level.quantity == D(-2)


def test_turning_negative_stock_off_is_refused_while_a_level_is_below_zero(shop):
    business, actor, floor, back = shop
    services.business_set_allow_negative_stock(business=business, actor=actor, allow=True)
    a, b = make_product(business), make_product(business)
    sell(business, actor, [(a, floor, 1), (b, back, 2)])
    with pytest.raises(ValidationFailed) as caught:
        services.business_set_allow_negative_stock(business=business, actor=actor, allow=False)
    assert "2 stock levels are below zero" in caught.value.message
    business.refresh_from_db()
    assert business.allow_negative_stock is True
    receive(business, actor, a, floor, 1)
    receive(business, actor, b, back, 2)
    services.business_set_allow_negative_stock(business=business, actor=actor, allow=False)
    business.refresh_from_db()
    assert business.allow_negative_stock is False
    assert not StockLevel.objects.filter(business=business, allow_negative=True).exists()
    assert AuditEntry.objects.filter(action="business.allow_negative_stock").count() == 2


def test_one_audit_row_per_operation_and_one_group_for_its_lines(shop):
    business, actor, floor, _ = shop
    a, b = make_product(business, "A"), make_product(business, "B")
    receive(business, actor, a, floor, 5)
    receive(business, actor, b, floor, 5)
    before = AuditEntry.objects.filter(action="stock.sale").count()
    moves = sell(business, actor, [(a, floor, 1), (b, floor, 2)])
    assert AuditEntry.objects.filter(action="stock.sale").count() == before + 1
    entry = AuditEntry.objects.get(action="stock.sale")
    assert entry.object_id == str(moves[0].group) and moves[0].group == moves[1].group
    assert entry.changes[f"A @ {floor.name}"] == ["5.000", "4.000"]


def test_events_are_sent_after_commit(shop, django_capture_on_commit_callbacks):
    from hanout.core import events

    seen = []
    events.subscribe("stock.moved")(seen.append)
    try:
        business, actor, floor, _ = shop
        p = make_product(business)
        with django_capture_on_commit_callbacks(execute=True):
            receive(business, actor, p, floor, 2)
        assert seen and seen[0].payload["movements"][0]["quantity"] == "2.000"
    finally:
        events._subscribers["stock.moved"].remove(seen.append)


# --- idempotency ---------------------------------------------------------------------------------


def test_the_same_client_uuid_twice_posts_once_and_returns_the_first_movement(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    key = uuid.uuid4()
    first = receive(business, actor, p, floor, 4, client_uuid=key)
    again = receive(business, actor, p, floor, "4.000", client_uuid=key)
    assert again.pk == first.pk
    assert StockMovement.objects.filter(product=p).count() == 1
    assert level_of(p, floor) == 4


def test_the_same_client_uuid_with_other_data_is_a_conflict(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    key = uuid.uuid4()
    receive(business, actor, p, floor, 4, client_uuid=key)
    with pytest.raises(Conflict) as caught:
        receive(business, actor, p, floor, 5, client_uuid=key)
    assert caught.value.status == 409
    assert level_of(p, floor) == 4


def test_a_refused_request_leaves_its_key_free_for_a_retry(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    key = uuid.uuid4()
    with pytest.raises(InsufficientStock):
        sell(business, actor, [(p, floor, 1)], client_uuid=key)
    receive(business, actor, p, floor, 1)
    sell(business, actor, [(p, floor, 1)], client_uuid=key)
    assert level_of(p, floor) == 0


def test_a_repeated_transfer_returns_both_legs(shop):
    business, actor, floor, back = shop
    p = make_product(business)
    receive(business, actor, p, back, 5)
    key = uuid.uuid4()
    kw = {
        "business": business,
        "actor": actor,
        "product": p,
        "from_location": back,
        "to_location": floor,
    }
    first = services.stock_transfer(**kw, quantity=D(2), client_uuid=key)
    again = services.stock_transfer(**kw, quantity=D(2), client_uuid=key)
    assert [m.pk for m in again] == [m.pk for m in first]
    assert (level_of(p, back), level_of(p, floor)) == (3, 2)


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "quantity", "field", "words"),
    [
        (MovementReason.RECEIPT, "0", "quantity", "cannot be zero"),
        (MovementReason.RECEIPT, "abc", "quantity", "number"),
        (MovementReason.RECEIPT, "NaN", "quantity", "number"),
        (MovementReason.RECEIPT, "-3", "quantity", "positive"),
        (MovementReason.SALE, "3", "quantity", "negative"),
        (MovementReason.RECEIPT, "1.5", "quantity", "whole number"),
        (MovementReason.RECEIPT, "1.0001", "quantity", "3 decimals"),
        (MovementReason.RECEIPT, "1e20", "quantity", "too large"),
        (MovementReason.TRANSFER_IN, "1", "reason", "Choose one of"),
        ("teleport", "1", "reason", "Choose one of"),
        (MovementReason.ADJUSTMENT, "1", "note", "note"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(shop, reason, quantity, field, words):
    business, actor, floor, _ = shop
    p = make_product(business, "Croissant")
    with pytest.raises(ValidationFailed) as caught:
        services.stock_move(
            business=business,
            actor=actor,
            product=p,
            location=floor,
            quantity=quantity,
            reason=reason,
        )
    assert field in caught.value.fields
    assert words in caught.value.message
    assert not StockMovement.objects.filter(product=p).exists()


def test_kilos_take_decimals_and_pieces_do_not(shop):
    business, actor, floor, _ = shop
    flour = make_product(business, "Farine", unit=Unit.KG)
    m = receive(business, actor, flour, floor, "2.125", "1.10")
    assert m.quantity == D("2.125")


def test_a_negative_unit_cost_is_refused(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    with pytest.raises(ValidationFailed) as caught:
        receive(business, actor, p, floor, 1, "-1")
    assert "unit_cost" in caught.value.fields


def test_another_businesss_product_or_location_is_not_found(shop, other_owner):
    business, actor, floor, _ = shop
    theirs = make_product(other_owner.business)
    their_room = make_location(other_owner.business)
    mine = make_product(business)
    with pytest.raises(NotFound):
        receive(business, actor, theirs, floor, 1)
    with pytest.raises(NotFound):
        receive(business, actor, mine, their_room, 1)
    with pytest.raises(NotFound):
        services.stock_transfer(
            business=business,
            actor=actor,
            product=mine,
            from_location=floor,
            to_location=their_room,
            quantity=D(1),
        )
    assert not StockMovement.objects.exists()


# --- transfers, adjustments, write-offs --------------------------------------------------------


def test_a_transfer_is_two_legs_of_one_group(shop):
    business, actor, floor, back = shop
    p = make_product(business)
    receive(business, actor, p, back, 10, "2")
    out, in_ = services.stock_transfer(
        business=business,
        actor=actor,
        product=p,
        from_location=back,
        to_location=floor,
        quantity=D(4),
    )
    assert (out.reason, out.quantity, out.balance_after) == ("transfer_out", D(-4), D(6))
    assert (in_.reason, in_.quantity, in_.balance_after) == ("transfer_in", D(4), D(4))
    assert out.group == in_.group and out.unit_cost == in_.unit_cost == D(2)
    assert AuditEntry.objects.filter(action="stock.transfer").count() == 1


def test_a_transfer_to_the_same_place_or_of_more_than_there_is_is_refused(shop):
    business, actor, floor, back = shop
    p = make_product(business)
    receive(business, actor, p, back, 1)
    kw = {"business": business, "actor": actor, "product": p, "from_location": back}
    with pytest.raises(ValidationFailed, match="two different locations"):
        services.stock_transfer(**kw, to_location=back, quantity=D(1))
    with pytest.raises(InsufficientStock):
        services.stock_transfer(**kw, to_location=floor, quantity=D(2))
    with pytest.raises(ValidationFailed):
        services.stock_transfer(**kw, to_location=floor, quantity=D(-1))
    assert (level_of(p, back), level_of(p, floor)) == (1, 0)


def test_adjustments_need_a_note_and_can_set_a_new_quantity(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    receive(business, actor, p, floor, 10)
    kw = {"business": business, "actor": actor, "product": p, "location": floor}
    with pytest.raises(ValidationFailed, match="note"):
        services.stock_adjust(**kw, quantity=D(-1), note=" ")
    m = services.stock_adjust(**kw, quantity=D(-1), note="broken")
    assert m.quantity == D(-1)
    m = services.stock_adjust(**kw, new_quantity=D(4), note="recount")
    assert (m.quantity, m.balance_after) == (D(-5), D(4))
    with pytest.raises(ValidationFailed, match="already at 4"):
        services.stock_adjust(**kw, new_quantity=D(4), note="again")
    with pytest.raises(ValidationFailed):
        services.stock_adjust(**kw, new_quantity=D(-1), note="below zero")
    with pytest.raises(InsufficientStock):
        services.stock_adjust(**kw, quantity=D(-5), note="too much")


def test_a_write_off_takes_the_amount_a_person_says_and_needs_a_note(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    receive(business, actor, p, floor, 5)
    kw = {"business": business, "actor": actor, "product": p, "location": floor}
    with pytest.raises(ValidationFailed, match="note"):
        services.stock_write_off(**kw, quantity=D(2), note="")
    with pytest.raises(ValidationFailed):
        services.stock_write_off(**kw, quantity=D(-2), note="expired")
    m = services.stock_write_off(**kw, quantity=D(2), note="expired")
    assert (m.reason, m.quantity, m.balance_after) == ("write_off", D(-2), D(3))


# --- counts --------------------------------------------------------------------------------------


def test_a_count_posts_the_differences_and_keeps_what_was_expected(shop):
    business, actor, floor, _ = shop
    a, b, c = make_product(business, "A"), make_product(business, "B"), make_product(business, "C")
    flour = make_product(business, "Farine", unit=Unit.KG)
    receive(business, actor, a, floor, 10)
    receive(business, actor, b, floor, 5)
    count = services.stock_count_start(location=floor, actor=actor)
    services.stock_count_set_line(count=count, actor=actor, product=a, counted=D(8))
    services.stock_count_set_line(count=count, actor=actor, product=b, counted=D(5))
    services.stock_count_set_line(count=count, actor=actor, product=c, counted=D(2))
    services.stock_count_set_line(count=count, actor=actor, product=flour, counted="1.250")
    services.stock_count_set_line(count=count, actor=actor, product=a, counted=D(7))  # corrected
    # A sale between entering and validating: expected is the level at validation.
    sell(business, actor, [(a, floor, 1)])
    count = services.stock_count_validate(count=count, actor=actor)
    assert count.status == CountStatus.VALIDATED and count.validated_at
    lines = {line.product_id: line for line in count.lines.select_related("movement")}
    assert (lines[a.pk].expected, lines[a.pk].movement.quantity) == (D(9), D(-2))
    assert (lines[b.pk].expected, lines[b.pk].movement) == (D(5), None)
    assert (lines[c.pk].expected, lines[c.pk].movement.quantity) == (D(0), D(2))
    assert lines[flour.pk].movement.quantity == D("1.25")
    assert [level_of(p, floor) for p in (a, b, c, flour)] == [7, 5, 2, D("1.25")]
    assert lines[a.pk].movement.reason == MovementReason.COUNT
    assert count.reference == "CNT-000001"
    assert lines[a.pk].movement.reference == "CNT-000001"
    # The next count of the business takes the next number, whatever its location.
    services.stock_count_cancel(
        count=services.stock_count_start(location=floor, actor=actor), actor=actor
    )
    assert services.stock_count_start(location=floor, actor=actor).reference == "CNT-000003"


def test_one_open_count_per_location_and_closed_counts_are_read_only(shop):
    business, actor, floor, back = shop
    p = make_product(business)
    count = services.stock_count_start(location=floor, actor=actor)
    with pytest.raises(Conflict, match="already open"):
        services.stock_count_start(location=floor, actor=actor)
    services.stock_count_start(location=back, actor=actor)  # another location is fine
    services.stock_count_cancel(count=count, actor=actor)
    with pytest.raises(Conflict):
        services.stock_count_set_line(count=count, actor=actor, product=p, counted=D(1))
    with pytest.raises(Conflict):
        services.stock_count_validate(count=count, actor=actor)
    again = services.stock_count_start(location=floor, actor=actor)
    services.stock_count_validate(count=again, actor=actor)
    with pytest.raises(Conflict):
        services.stock_count_cancel(count=again, actor=actor)
    assert not StockMovement.objects.exists()


def test_count_lines_refuse_negative_fractions_of_pieces_and_other_tenants(shop, other_owner):
    business, actor, floor, _ = shop
    p = make_product(business, "Croissant")
    count = services.stock_count_start(location=floor, actor=actor)
    with pytest.raises(ValidationFailed, match="negative"):
        services.stock_count_set_line(count=count, actor=actor, product=p, counted=D(-1))
    with pytest.raises(ValidationFailed, match="whole number"):
        services.stock_count_set_line(count=count, actor=actor, product=p, counted=D("1.5"))
    with pytest.raises(NotFound):
        services.stock_count_set_line(
            count=count, actor=actor, product=make_product(other_owner.business), counted=D(1)
        )
    assert not count.lines.exists()


def test_replacing_the_lines_drops_those_not_given(shop):
    business, actor, floor, _ = shop
    a, b = make_product(business), make_product(business)
    count = services.stock_count_start(location=floor, actor=actor)
    services.stock_count_set_lines(count=count, actor=actor, lines=[(a, D(1)), (b, D(2))])
    services.stock_count_set_lines(count=count, actor=actor, lines=[(b, D(3))], replace=True)
    assert list(count.lines.values_list("product_id", "counted")) == [(b.pk, D(3))]


# --- stock-level import ------------------------------------------------------------------------


def test_importing_levels_posts_count_movements_and_thresholds(shop):
    business, actor, floor, back = shop
    a, b = make_product(business), make_product(business)
    receive(business, actor, a, floor, 10)
    moves = services.stock_levels_import(
        business=business,
        actor=actor,
        rows=[
            StockLevelRow(a, floor, D(4)),
            StockLevelRow(b, back, D(6), reorder_point=D(2), reorder_quantity=D(12)),
            StockLevelRow(a, back, D(0)),
        ],
    )
    assert [(m.product_id, m.quantity) for m in moves] == [(a.pk, D(-6)), (b.pk, D(6))]
    assert {m.reason for m in moves} == {"count"}
    level = StockLevel.objects.get(product=b, location=back)
    assert (level.quantity, level.reorder_point, level.reorder_quantity) == (6, 2, 12)
    assert AuditEntry.objects.filter(action="stock.import").count() == 1


def test_a_bad_import_names_every_bad_row_and_writes_nothing(shop, other_owner):
    business, actor, floor, _ = shop
    a = make_product(business)
    with pytest.raises(ValidationFailed) as caught:
        services.stock_levels_import(
            business=business,
            actor=actor,
            rows=[
                StockLevelRow(a, floor, D(4)),
                StockLevelRow(a, floor, D(-1)),
                StockLevelRow(make_product(other_owner.business), floor, D(1)),
                StockLevelRow(a, floor, "x"),
            ],
        )
    assert set(caught.value.fields) == {"rows[1].counted", "rows[2].product", "rows[3].counted"}
    assert not StockMovement.objects.exists()


# --- thresholds and low-stock alerts -----------------------------------------------------------


def test_thresholds_are_checked_and_mark_a_level_low_quietly(shop):
    business, actor, floor, _ = shop
    p = make_product(business)
    receive(business, actor, p, floor, 3)
    kw = {"business": business, "actor": actor, "product": p, "location": floor}
    with pytest.raises(ValidationFailed):
        services.stock_level_set_thresholds(**kw, reorder_point=D(-1), reorder_quantity=None)
    with pytest.raises(ValidationFailed):
        services.stock_level_set_thresholds(**kw, reorder_point=D(1), reorder_quantity=D(0))
    level = services.stock_level_set_thresholds(**kw, reorder_point=D(5), reorder_quantity=D(10))
    assert level.is_low
    level = services.stock_level_set_thresholds(**kw, reorder_point=None, reorder_quantity=None)
    assert not level.is_low and level.reorder_point is None
    assert not Notification.objects.exists()


def test_crossing_the_threshold_alerts_once_by_email_and_in_app(
    shop, owner, member_factory, smtp_server, django_capture_on_commit_callbacks
):
    from hanout.accounts import services as accounts

    business, actor, floor, _ = shop
    reader = member_factory(role=Role.CASHIER)  # no stock access by default
    accounts.module_access_set(
        actor_membership=owner, membership=reader, levels={Module.STOCK: Level.READ}
    )
    outsider = member_factory(role=Role.CASHIER)
    reader.user.language = "fr"
    reader.user.save(update_fields=["language"])
    p = make_product(business, "Croissant")
    receive(business, actor, p, floor, 10)
    services.stock_level_set_thresholds(
        business=business,
        actor=actor,
        product=p,
        location=floor,
        reorder_point=D(5),
        reorder_quantity=D(20),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 5)])  # 10 → 5: crosses
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 1)])  # 5 → 4: already low, no second alert
    recipients = sorted(m["To"] for m in smtp_server.messages)
    assert recipients == sorted([owner.user.email, reader.user.email])
    assert Notification.objects.filter(recipient=owner.user, kind="stock.low").count() == 1
    assert not Notification.objects.filter(recipient=outsider.user).exists()
    note = Notification.objects.get(recipient=owner.user)
    assert "Croissant" in note.title and "5 left (threshold 5)" in note.body
    assert StockLevel.objects.get(product=p, location=floor).is_low

    # Rising above the threshold re-arms the alert; the next crossing alerts again.
    with django_capture_on_commit_callbacks(execute=True):
        receive(business, actor, p, floor, 10)
    assert not StockLevel.objects.get(product=p, location=floor).is_low
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 9)])
    assert Notification.objects.filter(recipient=owner.user, kind="stock.low").count() == 2


def test_two_sales_below_the_threshold_send_exactly_one_email(
    shop, owner, smtp_server, django_capture_on_commit_callbacks
):
    business, actor, floor, _ = shop
    p = make_product(business, "Canette Coca")
    receive(business, actor, p, floor, 6)
    services.stock_level_set_thresholds(
        business=business,
        actor=actor,
        product=p,
        location=floor,
        reorder_point=D(3),
        reorder_quantity=D(12),
    )
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 4)])
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 1)])
    assert len(smtp_server.messages) == 1
    assert "Canette Coca" in smtp_server.messages[0]["Subject"]
    assert "2 left (threshold 3)" in smtp_server.bodies()[0]


def test_a_quiet_block_sends_no_low_stock_alert_and_the_next_crossing_still_does(
    shop, owner, smtp_server, django_capture_on_commit_callbacks
):
    """The demo's simulated past (a delivery each morning, the day's sales each evening)
    crosses the threshold once a day: those days are loaded quietly, not mailed."""
    from hanout.core import events

    business, actor, floor, _ = shop
    p = make_product(business, "Croissant au pistache")
    receive(business, actor, p, floor, 6)
    services.stock_level_set_thresholds(
        business=business,
        actor=actor,
        product=p,
        location=floor,
        reorder_point=D(3),
        reorder_quantity=D(12),
    )
    with events.quiet("stock.low"):
        for _day in range(3):  # each day sells under the threshold, each delivery lifts it
            with django_capture_on_commit_callbacks(execute=True):
                sell(business, actor, [(p, floor, 4)])
            assert StockLevel.objects.get(product=p, location=floor).is_low
            with django_capture_on_commit_callbacks(execute=True):
                receive(business, actor, p, floor, 4)
    assert not Notification.objects.filter(kind="stock.low").exists()
    assert smtp_server.messages == []
    # Outside the block, the next crossing alerts as ever (once).
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 4)])
    with django_capture_on_commit_callbacks(execute=True):
        sell(business, actor, [(p, floor, 1)])
    assert len(smtp_server.messages) == 1


def test_the_demos_past_register_days_send_no_low_stock_alert(
    settings, smtp_server, django_capture_on_commit_callbacks
):
    """Each day of the demo's history has its morning delivery and its tickets: a crossing of
    the threshold a day, which mailed the owner one alert per day loaded (78 of them)."""
    from hanout import demo_sales_history
    from hanout.pos.tests.factories import make_till

    settings.DEMO_SALES_HISTORY_DAYS = 6
    till = make_till(quantity="0")
    products = list(till.products.values())
    for product in products:
        services.stock_level_set_thresholds(
            business=till.business,
            actor=till.user,
            product=product,
            location=till.location,
            reorder_point=D(0),
            reorder_quantity=D(12),
        )
    with django_capture_on_commit_callbacks(execute=True):
        made = demo_sales_history.load(
            till.business,
            register=till.register,
            owner=till.user,
            cashiers=[till.user],
            products=products,
            shop=till.shop,
        )
    assert made > 0
    assert not Notification.objects.filter(kind="stock.low").exists()
    assert smtp_server.messages == []


# --- locations -----------------------------------------------------------------------------------


def test_locations_one_selling_location_per_shop(shop, other_owner):
    from hanout.inventory.tests.stockdata import shop_of

    business, actor, floor, back = shop
    assert floor.is_default and services.default_location(shop=floor.shop).pk == floor.pk
    with pytest.raises(ValidationFailed, match="already has a location"):
        services.location_create(
            business=business, actor=actor, shop=floor.shop, name=back.name.upper()
        )
    with pytest.raises(NotFound):
        services.location_create(
            business=business, actor=actor, shop=shop_of(other_owner.business), name="Theirs"
        )
    with pytest.raises(ValidationFailed):
        services.location_update(location=floor, actor=actor, data={"is_active": False})
    services.location_update(location=back, actor=actor, data={"is_default": True})
    floor.refresh_from_db()
    back.refresh_from_db()
    assert back.is_default and not floor.is_default
    assert services.default_location(shop=floor.shop).pk == back.pk


# --- selectors -----------------------------------------------------------------------------------


def test_stock_level_list_filters_and_its_query_count_does_not_grow(
    shop, django_assert_max_num_queries
):
    business, actor, floor, back = shop
    products = [make_product(business, f"Item {i}", sku=f"IT{i}") for i in range(6)]
    for p in products:
        receive(business, actor, p, floor, 2)
        receive(business, actor, p, back, 1)
    with django_assert_max_num_queries(1):
        rows = [
            (lvl.product.name, lvl.location.name, lvl.location.shop.name)
            for lvl in selectors.stock_level_list(business=business)
        ]
    assert len(rows) == 12
    assert selectors.stock_level_list(business=business, location=back).count() == 6
    assert selectors.stock_level_list(business=business, search="it3").count() == 2
    assert selectors.stock_level_list(business=business, search="Item 4").count() == 2
    assert selectors.movement_list(business=business, reason="receipt", location=floor).count() == 6


def test_restock_suggestions_from_sales_lead_time_and_minimum_order(shop):
    from hanout.suppliers.models import Supplier, SupplierProduct

    business, actor, floor, _ = shop
    croissant, cola, idle = (
        make_product(business, "Croissant"),
        make_product(business, "Cola"),
        make_product(business, "Idle"),
    )
    baker = Supplier.objects.create(business=business, name="Boulangerie Dupont")
    SupplierProduct.objects.create(
        business=business,
        supplier=baker,
        product=croissant,
        lead_time_days=3,
        min_order_quantity=D(12),
        is_preferred=True,
    )
    receive(business, actor, croissant, floor, 100)
    receive(business, actor, cola, floor, 10)
    receive(business, actor, idle, floor, 10)
    sell(business, actor, [(croissant, floor, 60), (cola, floor, 9)])  # over 30 days
    lines = selectors.restock_suggestions(business=business, days=30)
    by_name = {line.product.name: line for line in lines}
    assert "Idle" not in by_name
    # 60 sold / 30 days = 2 a day × (3 lead + 7 review) = 20, minus 40 on hand → nothing.
    assert "Croissant" not in by_name
    sell(business, actor, [(croissant, floor, 35)])  # now 95 sold, 5 on hand
    lines = selectors.restock_suggestions(business=business, days=30)
    c = next(line for line in lines if line.product == croissant)
    # 95/30 × 10 = 31.67 − 5 = 26.67 → rounded up to the minimum order of 12 → 36
    assert c.quantity == D(36) and c.supplier == baker
    assert (c.daily_sales, c.cover_days, c.on_hand) == (D("3.167"), 10, D(5))
    cola_line = next(line for line in lines if line.product == cola)
    # 9/30 × 7 = 2.1 − 1 = 1.1 → 2 whole pieces; no preferred supplier: listed last.
    assert cola_line.quantity == D(2) and cola_line.supplier is None
    assert lines[-1].product == cola
    groups = selectors.restock_groups(lines)
    assert [g.supplier for g in groups] == [baker, None]


def test_valuation_replays_the_ledger_at_any_moment(shop):
    from hanout.catalog.models import Category
    from hanout.core import clock

    business, actor, floor, back = shop
    drinks = Category.objects.create(business=business, name="Drinks")
    cola = make_product(business, "Cola")
    cola.category = drinks
    cola.save()
    bread = make_product(business, "Bread")
    receive(business, actor, cola, floor, 10, "1.00")
    receive(business, actor, bread, back, 4, "0.50")
    moment = clock.now()
    receive(business, actor, cola, back, 10, "2.00")  # average 1.50
    services.stock_transfer(
        business=business,
        actor=actor,
        product=cola,
        from_location=back,
        to_location=floor,
        quantity=D(5),
    )
    sell(business, actor, [(cola, floor, 4)])

    early = selectors.valuation(business=business, at=moment)
    assert early.total == D("12.00")
    by_loc = {row.key: row for row in early.rows}
    assert by_loc[str(floor.pk)].value == D("10.00") and by_loc[str(back.pk)].value == D("2.00")

    now = selectors.valuation(business=business)
    # cola: 11 on the floor + 5 in the back at 1.50; bread: 4 at 0.50
    by_loc = {row.key: row for row in now.rows}
    assert by_loc[str(floor.pk)].value == D("16.50")
    assert by_loc[str(back.pk)].value == D("9.50")
    assert now.total == D("26.00") and now.total_quantity == D(20)
    by_cat = {
        row.label: row for row in selectors.valuation(business=business, group_by="category").rows
    }
    assert by_cat["Drinks"].value == D("24.00") and by_cat["No category"].value == D("2.00")
    # The ledger's replay agrees with the level × average cost kept by the services.
    cola.refresh_from_db()
    assert cola.cost == D("1.50")


def test_valuation_by_category_counts_a_product_in_two_locations_once(shop):
    from hanout.catalog.models import Category

    business, actor, floor, back = shop
    drinks = Category.objects.create(business=business, name="Drinks")
    cola = make_product(business, "Cola")
    cola.category = drinks
    cola.save()
    receive(business, actor, cola, floor, 3, "1.00")
    receive(business, actor, cola, back, 2, "1.00")
    by_category = selectors.valuation(business=business, group_by="category")
    (row,) = [r for r in by_category.rows if r.label == "Drinks"]
    assert (row.products, row.quantity) == (1, D(5))
    by_location = selectors.valuation(business=business, group_by="location")
    assert sorted(r.products for r in by_location.rows) == [1, 1]
