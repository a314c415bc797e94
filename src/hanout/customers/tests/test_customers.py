"""Customers: the card (phone in E.164, search without accents), the API, the pages."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.customers import selectors, services
from hanout.customers.models import Customer
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_business("Kaching test")  # BE


def _make(owner, **data):
    return services.customer_create(
        business=owner.business, actor=owner.user, data={"name": "Hélène Dubois", **data}
    )


def test_a_customer_is_stored_with_an_international_phone_and_is_found_without_accents(owner):
    customer = _make(owner, phone="0470 12 34 56", email="Helene@Example.BE", tax_id="BE0123")
    assert customer.phone == "+32470123456" and customer.email == "helene@example.be"
    business = owner.business
    for typed in ("helene", "HÉLÈNE", "0470 12", "+32 470", "be0123", "example.be"):
        assert list(selectors.customer_list(business=business, search=typed)) == [customer], typed
    assert not selectors.customer_list(business=business, search="zzz").exists()
    entry = AuditEntry.objects.get(action="customer.create", object_id=str(customer.pk))
    assert entry.changes["phone"] == [None, "+32470123456"]


def test_bad_phone_and_email_are_refused_together_and_nothing_is_written(owner):
    with pytest.raises(ValidationFailed) as exc:
        _make(owner, phone="12", email="not-an-email")
    assert set(exc.value.fields) == {"phone", "email"}
    assert not Customer.objects.exists()


def test_changing_a_customer_keeps_the_search_text_and_audits_only_what_changed(owner):
    customer = _make(owner)
    services.customer_update(customer=customer, actor=owner.user, data={"name": "Hélène Martin"})
    customer.refresh_from_db()
    assert "martin" in customer.search_text
    entry = AuditEntry.objects.get(action="customer.update")
    assert entry.changes == {"name": ["Hélène Dubois", "Hélène Martin"]}


def test_the_same_client_uuid_makes_one_customer(owner):
    key = uuid.uuid4()
    first = services.customer_create(
        business=owner.business, actor=owner.user, data={"name": "A"}, client_uuid=key
    )
    again = services.customer_create(
        business=owner.business, actor=owner.user, data={"name": "A"}, client_uuid=key
    )
    assert again.pk == first.pk
    with pytest.raises(Conflict):
        services.customer_create(
            business=owner.business, actor=owner.user, data={"name": "B"}, client_uuid=key
        )
    assert Customer.objects.count() == 1


def test_the_api_creates_lists_updates_and_deactivates(owner):
    api = api_client_for(owner)
    created = api.post(
        "/api/v1/customers/",
        {"name": "Café des Étangs", "is_company": True, "phone": "02 648 33 44"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["phone"] == "+3226483344" and body["is_company"] and body["order_count"] == 0
    bad = api.post("/api/v1/customers/", {"name": "X", "phone": "abc"}, format="json")
    assert bad.status_code == 400 and "phone" in bad.json()["error"]["fields"]
    url = f"/api/v1/customers/{body['id']}/"
    assert api.patch(url, {"tax_id": "BE0789"}, format="json").json()["tax_id"] == "BE0789"
    assert api.post(url + "deactivate/").json()["is_active"] is False
    listed = api.get("/api/v1/customers/", {"search": "etangs"}).json()["results"]
    assert [c["name"] for c in listed] == ["Café des Étangs"]
    assert api.get("/api/v1/customers/", {"active": "true"}).json()["results"] == []
    assert api.get(url + "orders/").json()["results"] == []


def test_another_business_cannot_read_or_change_a_customer(owner):
    customer = _make(owner)
    other = api_client_for(make_business("Other"))
    url = f"/api/v1/customers/{customer.pk}/"
    assert other.get(url).status_code == 404
    assert other.patch(url, {"name": "X"}, format="json").status_code == 404
    assert other.post(url + "deactivate/").status_code == 404
    assert other.get(url + "orders/").status_code == 404
    assert other.get("/api/v1/customers/").json()["results"] == []
    customer.refresh_from_db()
    assert customer.name == "Hélène Dubois" and customer.is_active


def test_a_cashier_reads_customers_but_cannot_add_one(owner):
    cashier = api_client_for(make_member(owner, role=Role.CASHIER))
    assert cashier.get("/api/v1/customers/").status_code == 200
    assert cashier.post("/api/v1/customers/", {"name": "X"}, format="json").status_code == 403


def test_the_pages_add_show_edit_and_export(client, owner):
    client.force_login(owner.user)
    response = client.post(
        reverse("customer_create"),
        {"name": "Marc Peeters", "phone": "0485 98 76 54", "address": "Rue 1"},
    )
    customer = Customer.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "customer_detail", args=[customer.pk]
    )
    page = client.get(response.url).content.decode()
    assert "Marc Peeters" in page and "+32 485 98 76 54" in page and "No orders yet." in page
    bad = client.post(reverse("customer_edit", args=[customer.pk]), {"name": "M", "phone": "1"})
    assert bad.status_code == 400 and "is not a valid phone number" in bad.content.decode()
    listed = client.get(reverse("customer_list"), {"q": "peeters"}).content.decode()
    assert "Marc Peeters" in listed
    csv = b"".join(client.get(reverse("customer_export")).streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[1].startswith("Marc Peeters,no,'+32485987654")
    xlsx = client.get(reverse("customer_export"), {"file": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    other = make_business("Other")
    client.force_login(other.user)
    assert client.get(reverse("customer_detail", args=[customer.pk])).status_code == 404


@pytest.mark.parametrize("rows", [2, 20])
def test_the_customer_list_page_costs_the_same_queries_at_2_and_20_rows(
    client, owner, rows, django_assert_max_num_queries
):
    for i in range(rows):
        _make(owner, name=f"Client {i}")
    client.force_login(owner.user)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("customer_list"))
    assert response.content.decode().count("Client ") >= rows
