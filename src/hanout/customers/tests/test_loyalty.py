"""Loyalty points: the earn rule, earning on completed sales (through the
`sale.completed` event), reversal on returns, redeeming at the register,
adjustments, the lookup the register attaches a customer with, and the ledger."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.models import AuditEntry, ImmutableRecord
from hanout.core.permissions import Role
from hanout.customers import services_loyalty as loyalty
from hanout.customers.models import Customer, LoyaltyEntry, LoyaltyRule
from hanout.customers.tests.crm_support import loyalty_on, make_customer, return_part, sell_to
from hanout.pos.tests.factories import make_till
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    return make_till(quantity="1000")


def ledger_sum(customer) -> int:
    return sum(LoyaltyEntry.objects.filter(customer=customer).values_list("points", flat=True))


# --- the rule ----------------------------------------------------------------------------------


def test_the_rule_is_set_audited_and_read_back(till):
    rule = loyalty_on(till.owner, step="5", points=2, value="0.25")
    assert (rule.enabled, rule.spend_step, rule.points_per_step, rule.point_value) == (
        True,
        D("5.00"),
        2,
        D("0.25"),
    )
    assert AuditEntry.objects.filter(action="loyalty.rule").count() == 1
    assert loyalty.points_for(rule=rule, amount=D("14.99")) == 4


@pytest.mark.parametrize(
    "data,field",
    [
        ({"spend_step": "0"}, "spend_step"),
        ({"spend_step": "abc"}, "spend_step"),
        ({"point_value": "-1"}, "point_value"),
        ({"points_per_step": 0}, "points_per_step"),
        ({"points_per_step": "many"}, "points_per_step"),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_is_written(till, data, field):
    with pytest.raises(ValidationFailed) as exc:
        loyalty.loyalty_rule_set(business=till.business, actor=till.user, data=data)
    assert field in exc.value.fields
    assert not LoyaltyRule.objects.exists()


def test_the_rule_api_reads_and_changes_it_and_a_cashier_only_reads(till):
    api = api_client_for(till.owner)
    assert api.get("/api/v1/customers/loyalty-rule/").json()["enabled"] is False
    changed = api.patch(
        "/api/v1/customers/loyalty-rule/", {"enabled": True, "spend_step": "20"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["spend_step"] == "20.000"
    bad = api.patch("/api/v1/customers/loyalty-rule/", {"spend_step": "0"}, format="json")
    assert bad.status_code == 400 and "spend_step" in bad.json()["error"]["fields"]
    cashier = api_client_for(make_member(till.owner, role=Role.CASHIER))
    assert cashier.get("/api/v1/customers/loyalty-rule/").status_code == 200
    refused = cashier.patch("/api/v1/customers/loyalty-rule/", {"enabled": False}, format="json")
    assert refused.status_code == 403
    assert LoyaltyRule.objects.get().enabled is True


def test_the_loyalty_page_saves_the_rule_and_a_cashier_sees_no_form(client, till):
    client.force_login(till.user)
    url = reverse("customer_loyalty")
    data = {"enabled": "on", "spend_step": "10", "points_per_step": "1", "point_value": "0.10"}
    assert client.post(url, data).status_code == 302
    assert LoyaltyRule.objects.get(business=till.business).enabled
    bad = client.post(url, {**data, "spend_step": "0"})
    assert bad.status_code == 400 and "above zero" in bad.content.decode()
    cashier = make_member(till.owner, role=Role.CASHIER)
    client.force_login(cashier.user)
    page = client.get(url).content.decode()
    assert "Customers earn 1 point for every" in page and 'name="spend_step"' not in page
    assert client.post(url, data).status_code == 403


# --- earning and reversing ---------------------------------------------------------------------


def test_a_sale_with_a_customer_earns_points_once_through_the_event(
    till, django_capture_on_commit_callbacks
):
    loyalty_on(till.owner)  # 1 point per 10.00
    customer = make_customer(till.owner)
    sale = sell_to(
        till, customer, ("chocolat", 7), capture=django_capture_on_commit_callbacks
    )  # 24.50
    customer.refresh_from_db()
    assert customer.loyalty_points == 2
    entry = LoyaltyEntry.objects.get()
    assert (entry.kind, entry.points, entry.balance_after, entry.sale_id) == (
        "earn",
        2,
        2,
        sale.pk,
    )
    again = loyalty.loyalty_earn_for_sale(sale=sale)  # a replayed event
    assert again.pk == entry.pk and LoyaltyEntry.objects.count() == 1


def test_no_points_without_customer_below_one_step_or_with_the_programme_off(
    till, django_capture_on_commit_callbacks
):
    customer = make_customer(till.owner)
    sale = sell_to(till, customer, ("chocolat", 7))
    assert loyalty.loyalty_earn_for_sale(sale=sale) is None  # programme off
    loyalty_on(till.owner)
    small = sell_to(till, customer, ("cafe", 1))  # 2.50
    assert loyalty.loyalty_earn_for_sale(sale=small) is None
    anonymous = sell_to(till, None, ("chocolat", 7), capture=django_capture_on_commit_callbacks)
    assert anonymous.customer_id is None
    assert not LoyaltyEntry.objects.exists()


def test_a_return_takes_back_the_returned_share_of_the_points(
    till, django_capture_on_commit_callbacks
):
    loyalty_on(till.owner, step="1")  # 1 point per 1.00
    customer = make_customer(till.owner)
    sale = sell_to(till, customer, ("chocolat", 4), capture=django_capture_on_commit_callbacks)
    customer.refresh_from_db()
    assert customer.loyalty_points == 14
    first = return_part(sale, 1, capture=django_capture_on_commit_callbacks, owner=till.owner)
    customer.refresh_from_db()
    assert customer.loyalty_points == 11  # floor(14 × 1/4) = 3 back
    return_part(sale, 3, capture=django_capture_on_commit_callbacks, owner=till.owner)
    customer.refresh_from_db()
    assert customer.loyalty_points == 0  # all of it, across both returns
    assert loyalty.loyalty_reverse_for_return(sale=first).points == -3  # idempotent
    assert ledger_sum(customer) == 0


def test_a_return_cannot_take_back_points_already_spent(till, django_capture_on_commit_callbacks):
    loyalty_on(till.owner, step="1")
    customer = make_customer(till.owner)
    sale = sell_to(till, customer, ("chocolat", 2), capture=django_capture_on_commit_callbacks)
    loyalty.loyalty_redeem(customer=customer, points=6, reference="T", client_uuid=uuid.uuid4())
    return_part(sale, 2, capture=django_capture_on_commit_callbacks, owner=till.owner)
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    reversal = LoyaltyEntry.objects.get(kind="reverse")
    assert reversal.points == -1 and "Only 1 points" in reversal.reason


# --- redeeming and adjusting -------------------------------------------------------------------


def test_redeeming_pays_with_points_once_per_request_key(till):
    loyalty_on(till.owner, value="0.10")
    customer = make_customer(till.owner)
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=50, reason="Welcome")
    key = uuid.uuid4()
    entry = loyalty.loyalty_redeem(customer=customer, points=30, reference="B-1", client_uuid=key)
    assert entry.value == D("3.00") and entry.balance_after == 20 and not entry.replayed
    again = loyalty.loyalty_redeem(customer=customer, points=30, reference="B-1", client_uuid=key)
    assert again.pk == entry.pk and again.replayed
    with pytest.raises(Conflict):
        loyalty.loyalty_redeem(customer=customer, points=10, reference="B-1", client_uuid=key)
    customer.refresh_from_db()
    assert customer.loyalty_points == 20 == ledger_sum(customer)


@pytest.mark.parametrize("points", [0, -5, 21, "lots", None])
def test_a_bad_or_too_large_redemption_is_refused_and_nothing_is_written(till, points):
    loyalty_on(till.owner)
    customer = make_customer(till.owner)
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=20, reason="Welcome")
    with pytest.raises(ValidationFailed) as exc:
        loyalty.loyalty_redeem(
            customer=customer, points=points, reference="", client_uuid=uuid.uuid4()
        )
    assert "points" in exc.value.fields
    assert LoyaltyEntry.objects.count() == 1
    customer.refresh_from_db()
    assert customer.loyalty_points == 20


def test_no_redemption_when_the_programme_is_off_or_without_a_key(till):
    customer = make_customer(till.owner)
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=20, reason="Welcome")
    with pytest.raises(ValidationFailed):
        loyalty.loyalty_redeem(customer=customer, points=5, reference="", client_uuid=uuid.uuid4())
    loyalty_on(till.owner)
    with pytest.raises(ValidationFailed) as exc:
        loyalty.loyalty_redeem(customer=customer, points=5, reference="", client_uuid=None)
    assert "client_uuid" in exc.value.fields


def test_an_adjustment_needs_a_reason_and_cannot_go_below_zero(till):
    customer = make_customer(till.owner)
    with pytest.raises(ValidationFailed) as exc:
        loyalty.loyalty_adjust(customer=customer, actor=till.user, points=5, reason=" ")
    assert "reason" in exc.value.fields
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=5, reason="Gift")
    with pytest.raises(ValidationFailed):
        loyalty.loyalty_adjust(customer=customer, actor=till.user, points=-6, reason="Oops")
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=-5, reason="Oops")
    customer.refresh_from_db()
    assert customer.loyalty_points == 0
    audit = AuditEntry.objects.filter(action="loyalty.adjust").order_by("at")
    assert [a.changes["loyalty_points"] for a in audit] == [[0, 5], [5, 0]]


def test_ledger_entries_cannot_be_changed_or_deleted(till):
    customer = make_customer(till.owner)
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=5, reason="Gift")
    with pytest.raises(ImmutableRecord):
        LoyaltyEntry.objects.update(points=500)
    with pytest.raises(ImmutableRecord):
        LoyaltyEntry.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(loyalty_points=-1)


# --- the register's API ------------------------------------------------------------------------


def test_the_register_finds_a_customer_by_phone_or_card_and_redeems(till):
    loyalty_on(till.owner)
    customer = make_customer(till.owner, phone="0470 12 34 56", card_code="CARD-0042")
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=40, reason="Welcome")
    cashier = api_client_for(make_member(till.owner, role=Role.CASHIER))
    for query in ({"phone": "0470123456"}, {"phone": "+32 470 12 34 56"}, {"card": "CARD-0042"}):
        found = cashier.get("/api/v1/customers/lookup/", query)
        assert found.status_code == 200
        assert [c["id"] for c in found.json()] == [str(customer.pk)], query
        assert found.json()[0]["loyalty_points"] == 40
    assert cashier.get("/api/v1/customers/lookup/", {"phone": "0499 99 99 99"}).json() == []
    assert cashier.get("/api/v1/customers/lookup/", {"phone": "12"}).json() == []
    empty = cashier.get("/api/v1/customers/lookup/")
    assert empty.status_code == 400 and "phone" in empty.json()["error"]["fields"]

    url = f"/api/v1/customers/{customer.pk}/redeem/"
    key = str(uuid.uuid4())
    made = cashier.post(url, {"points": 25, "reference": "B-7", "client_uuid": key}, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["value"] == "2.500" and made.json()["balance_after"] == 15
    replay = cashier.post(
        url, {"points": 25, "reference": "B-7", "client_uuid": key}, format="json"
    )
    assert replay.status_code == 200 and replay.json()["id"] == made.json()["id"]
    over = cashier.post(url, {"points": 16, "client_uuid": str(uuid.uuid4())}, format="json")
    assert over.status_code == 400 and "points" in over.json()["error"]["fields"]
    no_key = cashier.post(url, {"points": 1}, format="json")
    assert no_key.status_code == 400 and "client_uuid" in no_key.json()["error"]["fields"]
    customer.refresh_from_db()
    assert customer.loyalty_points == 15


def test_redeeming_needs_full_register_access_and_adjusting_full_customers(till):
    loyalty_on(till.owner)
    customer = make_customer(till.owner)
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=40, reason="Welcome")
    staff = make_member(till.owner, role=Role.STAFF)
    from hanout.accounts.models import ModuleAccess

    ModuleAccess.objects.update_or_create(
        membership=staff, module="register", defaults={"level": "read", "business": staff.business}
    )
    api = api_client_for(staff)
    body = {"points": 5, "client_uuid": str(uuid.uuid4())}
    refused = api.post(f"/api/v1/customers/{customer.pk}/redeem/", body, format="json")
    assert refused.status_code == 403
    cashier = api_client_for(make_member(till.owner, role=Role.CASHIER))
    adjust = cashier.post(
        f"/api/v1/customers/{customer.pk}/adjust-points/",
        {"points": 5, "reason": "x"},
        format="json",
    )
    assert adjust.status_code == 403
    owner = api_client_for(till.owner)
    ok = owner.post(
        f"/api/v1/customers/{customer.pk}/adjust-points/",
        {"points": -5, "reason": "Fix"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["balance_after"] == 35
    ledger = owner.get(f"/api/v1/customers/{customer.pk}/loyalty/").json()["results"]
    assert [e["points"] for e in ledger] == [-5, 40]
    customer.refresh_from_db()
    assert customer.loyalty_points == 35


def test_another_business_cannot_look_up_redeem_or_adjust(till):
    loyalty_on(till.owner)
    customer = make_customer(till.owner, phone="0470 12 34 56", card_code="C1")
    loyalty.loyalty_adjust(customer=customer, actor=till.user, points=40, reason="Welcome")
    other = make_business("Other")
    loyalty_on(other)
    api = api_client_for(other)
    assert api.get("/api/v1/customers/lookup/", {"card": "C1"}).json() == []
    assert api.get("/api/v1/customers/lookup/", {"phone": "0470123456"}).json() == []
    body = {"points": 5, "client_uuid": str(uuid.uuid4())}
    assert (
        api.post(f"/api/v1/customers/{customer.pk}/redeem/", body, format="json").status_code == 404
    )
    assert (
        api.post(
            f"/api/v1/customers/{customer.pk}/adjust-points/",
            {"points": 5, "reason": "x"},
            format="json",
        ).status_code
        == 404
    )
    customer.refresh_from_db()
    assert customer.loyalty_points == 40


def test_a_card_code_is_unique_in_the_business(till):
    make_customer(till.owner, card_code="C1")
    with pytest.raises(ValidationFailed) as exc:
        make_customer(till.owner, "Other", card_code="C1")
    assert "card_code" in exc.value.fields
    other = make_business("Other")
    assert make_customer(other, card_code="C1").card_code == "C1"  # another business may


def test_the_adjust_form_on_the_page_shows_the_error_beside_the_field(client, till):
    customer = make_customer(till.owner)
    client.force_login(till.user)
    url = reverse("customer_points", args=[customer.pk])
    bad = client.post(url, {"points": "-3", "reason": "Oops"})
    assert bad.status_code == 400 and "Not enough points" in bad.content.decode()
    ok = client.post(url, {"points": "12", "reason": "Birthday"})
    assert ok.status_code == 302
    page = client.get(reverse("customer_detail", args=[customer.pk])).content.decode()
    assert "Birthday" in page and "+12" in page


# --- the ledger invariant ----------------------------------------------------------------------

op_st = st.one_of(
    st.tuples(st.just("earn"), st.integers(min_value=1, max_value=6)),
    st.tuples(st.just("return"), st.integers(min_value=0, max_value=10**6)),
    st.tuples(st.just("redeem"), st.integers(min_value=1, max_value=30)),
    st.tuples(st.just("adjust"), st.integers(min_value=-30, max_value=30).filter(bool)),
)


@pytest.fixture
def big_till():
    return make_till(quantity="100000")


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(op_st, min_size=1, max_size=12))
def test_the_balance_is_the_sum_of_the_ledger_and_never_negative(big_till, ops):
    """Any mix of sales earning points, returns taking them back, redemptions and
    adjustments: the balance is the sum of the entries, each entry's balance_after
    is the running sum, and nothing ever goes below zero."""
    till = big_till
    loyalty_on(till.owner, step="1")
    customer = make_customer(till.owner, f"H {uuid.uuid4()}")
    sales = []
    expected = 0
    for kind, n in ops:
        entry = None
        try:
            if kind == "earn":
                sale = sell_to(till, customer, ("chocolat", n))
                sales.append(sale)
                entry = loyalty.loyalty_earn_for_sale(sale=sale)
            elif kind == "return":
                open_sales = [
                    s for s in sales if s.lines.get().returned_quantity < s.lines.get().quantity
                ]
                if not open_sales:
                    continue
                ret = return_part(open_sales[n % len(open_sales)], 1, owner=till.owner)
                entry = loyalty.loyalty_reverse_for_return(sale=ret)
            elif kind == "redeem":
                entry = loyalty.loyalty_redeem(
                    customer=customer, points=n, reference="", client_uuid=uuid.uuid4()
                )
            else:
                entry = loyalty.loyalty_adjust(
                    customer=customer, actor=till.user, points=n, reason="a"
                )
        except ValidationFailed:
            # Refused only when it would have taken the balance below zero.
            assert kind in ("redeem", "adjust") and expected - abs(n) < 0
            continue
        if entry is not None:
            expected += entry.points
        customer.refresh_from_db()
        assert customer.loyalty_points == expected == ledger_sum(customer) >= 0
    running = 0
    for points, after in (
        LoyaltyEntry.objects.filter(customer=customer)
        .order_by("created_at", "id")
        .values_list("points", "balance_after")
    ):
        running += points
        assert after == running >= 0
