"""CRM: a customer's purchase history and figures, trust level, segments (RFM),
the dashboard, the list filters and the export."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hanout.catalog.models import Product
from hanout.core.errors import ValidationFailed
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.customers import selectors, selectors_crm, services
from hanout.customers.models import Customer, TrustLevel
from hanout.customers.tests.crm_support import days_ago, make_customer, return_part, sell_to
from hanout.inventory import services as inventory
from hanout.pos.models import Sale
from hanout.pos.services import PaymentInput
from hanout.pos.tests.factories import make_till
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def till():
    return make_till(quantity=None)


def receive(till, key, quantity, cost):
    inventory.stock_receive(
        business=till.business,
        actor=None,
        product=till[key],
        location=till.location,
        quantity=D(quantity),
        unit_cost=D(cost),
    )


# --- figures -----------------------------------------------------------------------------------


def test_net_gain_uses_the_cost_of_the_goods_when_they_were_sold(till):
    customer = make_customer(till.owner)
    receive(till, "cafe", 10, "1.00")
    first = sell_to(till, customer, ("cafe", 2))
    receive(till, "cafe", 10, "3.00")  # the average cost rises after the first sale
    average = Product.objects.get(pk=till["cafe"].pk).cost
    assert average > D("1.00")
    second = sell_to(till, customer, ("cafe", 1), payments=None, card="2.50")

    stats = selectors_crm.customer_stats(customer=customer)

    net = sum((s.revenue - s.tax_total for s in (first, second)), D(0))
    assert stats.cost == D("2.00") + average
    assert stats.net_gain == net - D("2.00") - average
    assert stats.total_spent == D("7.50")
    assert stats.ticket_count == 2 and stats.cash == D("5.00") and stats.online == D("2.50")
    assert stats.online_share == 33


def test_a_return_lowers_what_was_spent_and_the_cost_comes_back(till):
    customer = make_customer(till.owner)
    receive(till, "cafe", 10, "1.00")
    sale = sell_to(till, customer, ("cafe", 4))
    return_part(sale, 1, owner=till.owner)
    Sale.objects.filter(original=sale).update(customer=customer)

    stats = selectors_crm.customer_stats(customer=customer)

    assert stats.total_spent == D("7.50") and stats.ticket_returns == D("2.50")
    assert stats.cost == D("3.00") and stats.return_count == 1
    assert stats.payments["cash"] == D("7.50")


def test_a_customer_with_nothing_bought_has_zero_figures_and_no_online_share(till):
    stats = selectors_crm.customer_stats(customer=make_customer(till.owner))
    assert stats.total_spent == 0 and stats.net_gain == 0 and stats.online_share is None
    assert stats.last_purchase_at is None


def test_the_figures_cost_the_same_queries_whatever_the_history(
    till, django_assert_max_num_queries
):
    customer = make_customer(till.owner)
    receive(till, "cafe", 50, "1.00")
    for _ in range(6):
        sell_to(till, customer, ("cafe", 1))
    with django_assert_max_num_queries(7):
        selectors_crm.customer_stats(customer=customer)


# --- trust -------------------------------------------------------------------------------------


def test_the_trust_level_is_set_by_hand_and_audited(till):
    customer = make_customer(till.owner)
    services.customer_set_trust(
        customer=customer, actor=till.user, level=TrustLevel.HIGH, note="Pays on time"
    )
    customer.refresh_from_db()
    assert customer.trust_level == "high"
    entry = AuditEntry.objects.get(action="customer.trust")
    assert entry.changes == {"trust_level": ["unknown", "high"], "note": [None, "Pays on time"]}


def test_a_bad_trust_level_is_refused_and_nothing_changes(till):
    customer = make_customer(till.owner)
    with pytest.raises(ValidationFailed) as exc:
        services.customer_set_trust(customer=customer, actor=till.user, level="excellent")
    assert "trust_level" in exc.value.fields
    customer.refresh_from_db()
    assert customer.trust_level == "unknown"
    assert not AuditEntry.objects.filter(action="customer.trust").exists()


def test_the_suggestion_follows_the_payment_history(till):
    receive(till, "cafe", 100, "1.00")
    nobody = make_customer(till.owner, "Nobody")
    loyal = make_customer(till.owner, "Loyal")
    for _ in range(5):
        sell_to(till, loyal, ("cafe", 1))
    returner = make_customer(till.owner, "Returner")
    sale = sell_to(till, returner, ("cafe", 4))
    return_part(sale, 2, owner=till.owner)
    Sale.objects.filter(original=sale).update(customer=returner)

    def suggest(c):
        return selectors_crm.trust_suggestion(stats=selectors_crm.customer_stats(customer=c))

    assert suggest(nobody).level == "unknown" and suggest(nobody).reasons == ["No purchase yet."]
    high = suggest(loyal)
    assert high.level == "high" and "5 purchases." in high.reasons
    low = suggest(returner)
    assert low.level == "low" and "Returns: 50 % of what they bought." in low.reasons


# --- segments ----------------------------------------------------------------------------------


@pytest.fixture
def segmented(till):
    """Six customers, one per segment, at a fixed `now`."""
    now = timezone.now()
    receive(till, "cafe", 200, "1.00")
    made = {}
    for name in ("lapsed", "top", "regular", "new", "occasional", "prospect"):
        made[name] = make_customer(till.owner, name.title())
    Customer.objects.filter(pk__in=[c.pk for c in made.values()]).update(
        created_at=days_ago(now, 400)
    )
    sell_to(till, made["lapsed"], ("cafe", 10), sold_at=days_ago(now, 120))
    for n in (40, 20, 5):
        sell_to(till, made["top"], ("cafe", 8), sold_at=days_ago(now, n))
    for n in (50, 10):
        sell_to(till, made["regular"], ("cafe", 1), sold_at=days_ago(now, n))
    sell_to(till, made["new"], ("cafe", 1), sold_at=days_ago(now, 3))
    sell_to(till, made["occasional"], ("cafe", 1), sold_at=days_ago(now, 60))
    return now, made


def test_each_customer_falls_in_the_segment_the_rule_says(till, segmented):
    now, made = segmented
    rows = dict(
        selectors.customer_list(business=till.business, now=now).values_list("name", "segment")
    )
    assert rows == {name.title(): name for name in made}
    counts = selectors_crm.segment_counts(business=till.business, now=now)
    assert counts == dict.fromkeys(selectors_crm.SEGMENTS, 1)


def test_a_new_card_without_purchase_is_new_then_a_prospect(till):
    now = timezone.now()
    fresh = make_customer(till.owner, "Fresh")
    assert selectors_crm.customer_segment(customer=fresh, now=now) == "new"
    later = now + datetime.timedelta(days=31)
    assert selectors_crm.customer_segment(customer=fresh, now=later) == "prospect"


def test_the_top_fifth_of_recent_buyers_is_top(till):
    now = timezone.now()
    receive(till, "cafe", 200, "1.00")
    buyers = [make_customer(till.owner, f"Buyer {i}") for i in range(10)]
    Customer.objects.update(created_at=days_ago(now, 100))
    for i, buyer in enumerate(buyers):
        sell_to(till, buyer, ("cafe", i + 1), sold_at=days_ago(now, 40))
    top = selectors.customer_list(business=till.business, segment="top", now=now)
    assert sorted(c.name for c in top) == ["Buyer 8", "Buyer 9"]


def test_the_api_filters_by_segment_and_refuses_an_unknown_one(till, segmented):
    api = api_client_for(till.owner)
    lapsed = api.get("/api/v1/customers/", {"segment": "lapsed"})
    assert lapsed.status_code == 200
    body = lapsed.json()["results"]
    assert [c["name"] for c in body] == ["Lapsed"]
    assert body[0]["segment"] == "lapsed" and body[0]["purchase_count"] == 1
    assert body[0]["spent"] == "25.000"
    bad = api.get("/api/v1/customers/", {"segment": "vip"})
    assert bad.status_code == 400 and "segment" in bad.json()["error"]["fields"]


def test_the_list_page_filters_by_segment_and_shows_the_badge(client, till, segmented):
    client.force_login(till.user)
    page = client.get(reverse("customer_list"), {"segment": "top"}).content.decode()
    assert ">Top<" in page and "Regular</a>" not in page and "1 customer" in page


# --- pages -------------------------------------------------------------------------------------


def test_the_customer_page_shows_figures_trust_and_points_with_forms_for_the_owner(client, till):
    customer = make_customer(till.owner)
    receive(till, "cafe", 10, "1.00")
    sale = sell_to(till, customer, ("cafe", 2))
    client.force_login(till.user)
    page = client.get(reverse("customer_detail", args=[customer.pk])).content.decode()
    assert "Total spent" in page and "Net gain" in page and "Suggested" in page
    assert sale.ticket_number in page
    assert reverse("customer_trust", args=[customer.pk]) in page
    assert reverse("customer_points", args=[customer.pk]) in page
    saved = client.post(reverse("customer_trust", args=[customer.pk]), {"trust_level": "low"})
    assert saved.status_code == 302
    customer.refresh_from_db()
    assert customer.trust_level == "low"
    bad = client.post(reverse("customer_trust", args=[customer.pk]), {"trust_level": "vip"})
    assert bad.status_code == 400 and "is not one of the available choices" in bad.content.decode()


def test_a_cashier_reads_the_customer_page_without_edit_controls_and_cannot_post(client, till):
    customer = make_customer(till.owner)
    cashier = make_member(till.owner, role=Role.CASHIER)
    client.force_login(cashier.user)
    page = client.get(reverse("customer_detail", args=[customer.pk])).content.decode()
    assert "Total spent" in page and "Net gain" not in page  # no Reports access: no margin
    assert reverse("customer_trust", args=[customer.pk]) not in page
    assert reverse("customer_points", args=[customer.pk]) not in page
    url = reverse("customer_trust", args=[customer.pk])
    assert client.post(url, {"trust_level": "high"}).status_code == 403
    points = client.post(
        reverse("customer_points", args=[customer.pk]), {"points": 5, "reason": "x"}
    )
    assert points.status_code == 403
    customer.refresh_from_db()
    assert customer.trust_level == "unknown" and customer.loyalty_points == 0


def test_another_business_gets_a_404_on_every_crm_page_and_action(client, till):
    customer = make_customer(till.owner)
    other = make_business("Other")
    client.force_login(other.user)
    for name in ("customer_detail",):
        assert client.get(reverse(name, args=[customer.pk])).status_code == 404
    for name, data in (
        ("customer_trust", {"trust_level": "high"}),
        ("customer_points", {"points": 3, "reason": "x"}),
    ):
        assert client.post(reverse(name, args=[customer.pk]), data).status_code == 404
    api = api_client_for(other)
    for suffix in ("stats/", "loyalty/"):
        assert api.get(f"/api/v1/customers/{customer.pk}/{suffix}").status_code == 404
    assert (
        api.post(
            f"/api/v1/customers/{customer.pk}/trust/", {"trust_level": "high"}, format="json"
        ).status_code
        == 404
    )
    customer.refresh_from_db()
    assert customer.trust_level == "unknown"


def test_the_stats_api_gives_the_figures_and_the_suggestion(till):
    customer = make_customer(till.owner)
    receive(till, "cafe", 10, "1.00")
    sell_to(till, customer, ("cafe", 2), payments=[PaymentInput(method="card", amount=D("5.00"))])
    api = api_client_for(till.owner)
    body = api.get(f"/api/v1/customers/{customer.pk}/stats/").json()
    assert body["total_spent"] == "5.000" and body["online"] == "5.000" and body["cash"] == "0.000"
    assert body["net_gain"] is not None and body["suggestion"]["level"] == "normal"
    cashier = api_client_for(make_member(till.owner, role=Role.CASHIER))
    assert cashier.get(f"/api/v1/customers/{customer.pk}/stats/").json()["net_gain"] is None
    trust = api.post(
        f"/api/v1/customers/{customer.pk}/trust/", {"trust_level": "normal"}, format="json"
    )
    assert trust.status_code == 200 and trust.json()["trust_level"] == "normal"
    assert (
        cashier.post(
            f"/api/v1/customers/{customer.pk}/trust/", {"trust_level": "low"}, format="json"
        ).status_code
        == 403
    )
    bad = api.post(f"/api/v1/customers/{customer.pk}/trust/", {"trust_level": "x"}, format="json")
    assert bad.status_code == 400 and "trust_level" in bad.json()["error"]["fields"]


def test_the_unauthenticated_api_is_refused(till):
    from rest_framework.test import APIClient

    customer = make_customer(till.owner)
    assert APIClient().get(f"/api/v1/customers/{customer.pk}/stats/").status_code in (401, 403)
    assert APIClient().get("/api/v1/customers/lookup/", {"phone": "0470"}).status_code in (401, 403)


def test_the_dashboard_shows_growth_segments_and_top_customers_in_bounded_queries(
    client, till, segmented, django_assert_max_num_queries
):
    client.force_login(till.user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("customer_dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="month-chart"' in page and 'id="segment-chart"' in page and "Top customers" in page
    assert page.index("Top</span>") > 0
    assert "core/charts.js" in page
    chart = response.context["month_chart"]
    assert (
        len(chart["labels"]) == 12 and sum(chart["datasets"][0]["data"]) == 0
    )  # made 400 days ago
    years = {r["label"]: r["count"] for r in response.context["year_rows"]}
    assert sum(years.values()) == 6


def test_the_dashboard_counts_new_customers_in_their_month_of_the_shop(client, till):
    now = timezone.now()
    for i, days in enumerate((0, 1, 62, 400)):
        customer = make_customer(till.owner, f"C{i}")
        Customer.objects.filter(pk=customer.pk).update(created_at=days_ago(now, days))
    client.force_login(till.user)
    response = client.get(reverse("customer_dashboard"))
    data = response.context["month_chart"]["datasets"][0]["data"]
    assert sum(data) == 3 and data[-1] >= 1  # the 400-day-old one is before the 12 months
    assert sum(r["count"] for r in response.context["year_rows"]) == 4


def test_the_growth_api_gives_the_dashboards_figures_to_this_business_only(
    client, till, django_assert_max_num_queries
):
    """`GET /api/v1/customers/growth/` (the desktop's clients chart): the same months and
    years as the page, every month listed, segment counts; another business sees its own."""
    now = timezone.now()
    for i, days in enumerate((0, 1, 62, 400)):
        customer = make_customer(till.owner, f"C{i}")
        Customer.objects.filter(pk=customer.pk).update(created_at=days_ago(now, days))
    api = api_client_for(till.owner)
    with django_assert_max_num_queries(8):
        response = api.get("/api/v1/customers/growth/")
    assert response.status_code == 200, response.content
    data = response.json()
    client.force_login(till.user)
    page = client.get(reverse("customer_dashboard")).context
    assert [m["count"] for m in data["months"]] == page["month_chart"]["datasets"][0]["data"]
    assert len(data["months"]) == 12 and sum(m["count"] for m in data["months"]) == 3
    assert data["months"][-1]["month"].endswith("-01")
    assert {str(y["year"]): y["count"] for y in data["years"]} == {
        r["label"]: r["count"] for r in page["year_rows"]
    }
    assert sum(s["count"] for s in data["segments"]) == 4
    assert [s["key"] for s in data["segments"]] == list(selectors_crm.SEGMENTS)

    other = make_business("Other shop")
    theirs = api_client_for(other).get("/api/v1/customers/growth/").json()
    assert sum(m["count"] for m in theirs["months"]) == 0 and theirs["years"] == []


def test_the_dashboard_reads_right_to_left_in_arabic(client, till):
    till.user.language = "ar"
    till.user.save(update_fields=["language"])
    client.force_login(till.user)
    page = client.get(reverse("customer_dashboard")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page


def test_the_export_has_segment_trust_and_points(client, till, segmented):
    client.force_login(till.user)
    csv = b"".join(client.get(reverse("customer_export")).streaming_content).decode("utf-8-sig")
    header, *rows = csv.splitlines()
    assert "Segment" in header and "Trust level" in header and "Loyalty points" in header
    top = next(r for r in rows if r.startswith("Top,"))
    assert ",Top,Unknown,0," in top


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_with_segments_costs_the_same_queries_at_2_and_20_rows(
    client, till, rows, django_assert_max_num_queries
):
    receive(till, "cafe", 100, "1.00")
    for i in range(rows):
        sell_to(till, make_customer(till.owner, f"Client {i}"), ("cafe", 1))
    client.force_login(till.user)
    with django_assert_max_num_queries(7):
        client.get(reverse("customer_list"), {"segment": "new"})


@pytest.mark.parametrize("tickets", [1, 8])
def test_the_customer_page_costs_the_same_queries_whatever_the_history(
    client, till, tickets, django_assert_max_num_queries
):
    customer = make_customer(till.owner)
    receive(till, "cafe", 100, "1.00")
    for _ in range(tickets):
        sell_to(till, customer, ("cafe", 1))
    client.force_login(till.user)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("customer_detail", args=[customer.pk]))
    assert page.content.decode().count("000") >= tickets
