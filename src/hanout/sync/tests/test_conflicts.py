"""The three-way comparison behind sync conflicts (sync/conflicts.py), and the Conflicts
page and API on a hub."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanout.sync import conflicts
from hanout.sync.models import StoreLink, SyncConflict

BASE = {"name": "Croissant", "sale_price": "1.00", "tags": []}


def test_a_field_changed_on_one_side_only_follows_that_side():
    merged, clashes = conflicts.merge(
        "catalog.product",
        store={**BASE, "sale_price": "1.10"},
        hub={**BASE, "name": "Croissant beurre"},
        base=BASE,
    )
    assert merged == {"name": "Croissant beurre", "sale_price": "1.10", "tags": []}
    assert clashes == []


def test_the_same_change_on_both_sides_is_no_conflict():
    same = {**BASE, "name": "Croissant beurre"}
    merged, clashes = conflicts.merge("catalog.product", store=same, hub=same, base=BASE)
    assert merged == same and clashes == []


def test_different_changes_of_one_field_are_a_conflict_the_rule_decides():
    merged, clashes = conflicts.merge(
        "catalog.product",
        store={**BASE, "name": "Croissant maison"},
        hub={**BASE, "name": "Croissant pur beurre"},
        base=BASE,
    )
    assert merged["name"] == "Croissant pur beurre"  # the hub wins the catalog
    (clash,) = clashes
    assert (clash.field, clash.store, clash.hub, clash.base, clash.applied) == (
        "name",
        "Croissant maison",
        "Croissant pur beurre",
        "Croissant",
        "hub",
    )
    customer = {"name": "Nadia", "phone": "+32470000000"}
    merged, clashes = conflicts.merge(
        "customers.customer",
        store={**customer, "phone": "+32470000001"},
        hub={**customer, "phone": "+32470000002"},
        base=customer,
    )
    assert merged["phone"] == "+32470000001"  # the store wins what the till typed
    assert [c.applied for c in clashes] == ["store"]


def test_the_first_time_a_row_arrives_the_store_s_values_apply():
    merged, clashes = conflicts.merge(
        "catalog.product", store={**BASE, "name": "A"}, hub={**BASE, "name": "B"}, base=None
    )
    assert merged["name"] == "A" and clashes == []


def test_values_compare_as_the_wire_carries_them():
    """A decimal read from SQLite and the same from PostgreSQL, tags in any order, the
    row's clock and derived fields: none of these is a change."""
    one = {"sale_price": Decimal("1.200"), "tags": ["b", "a"], "updated_at": "x", "level": 1}
    two = {"sale_price": "1.200", "tags": ["a", "b"], "updated_at": "y", "level": 2}
    assert conflicts.normal(one, "catalog.category") == conflicts.normal(two, "catalog.category")
    # A module access's level is what it grants, not a derived field: it is compared.
    assert conflicts.compared("accounts.moduleaccess", {"level": "full"}) == {"level": "full"}
    assert "loyalty_points" not in conflicts.compared("customers.customer", {"loyalty_points": 3})


# --- the page and the API ------------------------------------------------------------------


@pytest.fixture
def conflict(owner):
    from hanout.catalog.models import Product

    product = Product.objects.create(
        business=owner.business, name="Croissant pur beurre", sku="C-1", sale_price="1.00"
    )
    link = StoreLink.objects.create(
        business=owner.business, name="Rue Neuve", created_by=owner.user
    )
    return SyncConflict.objects.create(
        business=owner.business,
        link=link,
        model="catalog.product",
        row_id=product.pk,
        row_label=product.name,
        field="name",
        store_value="Croissant maison",
        hub_value="Croissant pur beurre",
        base_value="Croissant",
        applied="hub",
        store_by="Sara (cashier)",
        hub_by="Chain Owner",
    )


def test_the_owner_sees_both_values_and_keeps_the_store_s(owner_client, owner, conflict):
    from hanout.catalog.models import Product
    from hanout.core.models import AuditEntry

    page = owner_client.get("/settings/sync/conflicts/").content.decode()
    assert "Croissant maison" in page and "Croissant pur beurre" in page
    assert "Rue Neuve" in page and "Sara (cashier)" in page and "Chain Owner" in page
    assert "1 conflict to settle" in owner_client.get("/settings/sync/").content.decode()

    response = owner_client.post(
        f"/settings/sync/conflicts/{conflict.pk}/settle/", {"keep": "store"}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.settled_at and conflict.kept == "store" and conflict.settled_by == owner.user
    product = Product.objects.get(pk=conflict.row_id)
    assert product.name == "Croissant maison"
    from hanout.catalog.models import ProductSearch

    assert "maison" in ProductSearch.objects.get(product=product).text
    assert AuditEntry.objects.filter(
        action="sync.conflict_keep", object_id=str(product.pk)
    ).exists()
    page = owner_client.get("/settings/sync/conflicts/").content.decode()
    assert 'id="no-conflicts"' in page and 'id="settled-conflicts"' in page


def test_agreeing_changes_nothing_but_the_conflict(owner_client, owner, conflict):
    from hanout.catalog.models import Product

    owner_client.post(f"/settings/sync/conflicts/{conflict.pk}/settle/", {"keep": "hub"})
    conflict.refresh_from_db()
    assert conflict.kept == "hub"
    assert Product.objects.get(pk=conflict.row_id).name == "Croissant pur beurre"


def test_the_api_lists_and_settles_and_other_tenants_see_nothing(owner, other_owner, conflict):
    from tests.fixtures import api_client_for

    api = api_client_for(owner)
    body = api.get("/api/v1/sync/conflicts/").json()
    assert [c["id"] for c in body["results"]] == [str(conflict.pk)]
    assert (
        api.post(
            f"/api/v1/sync/conflicts/{conflict.pk}/settle/", {"keep": "x"}, format="json"
        ).status_code
        == 400
    )
    conflict.refresh_from_db()
    assert conflict.settled_at is None  # bad input changes nothing

    other = api_client_for(other_owner)
    assert other.get("/api/v1/sync/conflicts/").json()["results"] == []
    assert (
        other.post(
            f"/api/v1/sync/conflicts/{conflict.pk}/settle/", {"keep": "hub"}, format="json"
        ).status_code
        == 404
    )

    answer = api.post(
        f"/api/v1/sync/conflicts/{conflict.pk}/settle/", {"keep": "hub"}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["kept"] == "hub"
    assert api.get("/api/v1/sync/conflicts/").json()["results"] == []
    assert len(api.get("/api/v1/sync/conflicts/?settled=true").json()["results"]) == 1


def test_a_cashier_cannot_open_the_conflicts(client, owner, conflict):
    from hanout.core.permissions import Role
    from tests.factories import make_member
    from tests.fixtures import login

    cashier = make_member(owner, role=Role.CASHIER)
    page = login(client, cashier)
    assert page.get("/settings/sync/conflicts/").status_code in (302, 403)
    assert page.post(
        f"/settings/sync/conflicts/{conflict.pk}/settle/", {"keep": "store"}
    ).status_code in (302, 403)
    conflict.refresh_from_db()
    assert conflict.settled_at is None


def _membership_conflict(owner, field, store, hub, applied="store"):
    from tests.factories import make_member

    member = make_member(owner, code="42")
    link = StoreLink.objects.create(
        business=owner.business, name="Rue Neuve", created_by=owner.user
    )
    return SyncConflict.objects.create(
        business=owner.business,
        link=link,
        model="accounts.membership",
        row_id=member.pk,
        row_label=str(member.user),
        field=field,
        store_value=store,
        hub_value=hub,
        base_value=hub,
        applied=applied,
    )


def test_a_pin_conflict_never_shows_the_hashes(owner_client, owner):
    from tests.fixtures import api_client_for

    conflict = _membership_conflict(
        owner, "pin_hash", "pbkdf2_sha256$store-hash", "pbkdf2$hub-hash"
    )
    page = owner_client.get("/settings/sync/conflicts/").content.decode()
    assert "Register PIN" in page and "store-hash" not in page and "hub-hash" not in page
    body = api_client_for(owner).get("/api/v1/sync/conflicts/").json()["results"][0]
    assert body["field"] == "pin_hash"
    assert (body["store_value"], body["hub_value"], body["base_value"]) == (None, None, None)
    assert conflict.store_value  # kept, to be applied if the owner keeps it


def test_settling_a_staff_conflict_needs_the_right_to_change_the_staff(owner):
    from hanout.accounts.services import module_access_set
    from hanout.core.permissions import Module, Role
    from tests.factories import make_member
    from tests.fixtures import api_client_for

    conflict = _membership_conflict(owner, "role", "manager", "cashier", applied="hub")
    clerk = make_member(owner, role=Role.STAFF)
    module_access_set(
        actor_membership=owner,
        membership=clerk,
        levels={Module.SETTINGS: "full", Module.STAFF: "read"},
    )
    api = api_client_for(clerk)
    answer = api.post(
        f"/api/v1/sync/conflicts/{conflict.pk}/settle/", {"keep": "store"}, format="json"
    )
    assert answer.status_code == 403
    conflict.refresh_from_db()
    assert conflict.settled_at is None
    assert conflict.row_id and conflict.applied == "hub"


# --- the store applying a down batch --------------------------------------------------------


@pytest.fixture
def hub_link(owner):
    import uuid

    from hanout.core import clock
    from hanout.sync.models import HubLink

    return HubLink.objects.create(
        business=owner.business,
        hub_url="https://hub.example.test",
        link_id=uuid.uuid4(),
        hub_business_id=uuid.uuid4(),
        sealed_key="-",
        linked_by=owner.user,
        linked_at=clock.now(),
    )


def test_a_row_whose_parent_the_store_lacks_is_skipped_not_fatal(owner, hub_link):
    import uuid

    from hanout.accounts.models import ModuleAccess
    from hanout.sync import down

    stray = str(uuid.uuid4())
    payload = {
        "after": 0,
        "upto": 7,
        "records": [
            {
                "model": "accounts.moduleaccess",
                "pk": stray,
                "fields": {
                    "business": str(owner.business_id),
                    "membership": str(uuid.uuid4()),  # a membership this store skipped
                    "module": "stock",
                    "level": "full",
                },
            }
        ],
        "deleted": [],
        "people": [],
    }
    assert down.apply_down(link=hub_link, payload=payload) == [["accounts.moduleaccess", stray]]
    assert not ModuleAccess.objects.filter(pk=stray).exists()
    hub_link.refresh_from_db()
    assert (hub_link.down_seq, hub_link.down_skipped) == (7, [["accounts.moduleaccess", stray]])


def test_a_blank_code_from_the_hub_leaves_the_till_s_code(owner, hub_link):
    from django.core import serializers

    from hanout.accounts.models import Membership
    from hanout.sync import down
    from hanout.sync.models import OutboxEntry
    from tests.factories import make_member

    cashier = make_member(owner, code="77")
    OutboxEntry.objects.all().delete()  # sent up already (else the till's change is kept)
    (record,) = serializers.serialize("python", Membership.objects.filter(pk=cashier.pk))
    record["fields"].update(employee_code="", job_title="Baker")
    record["pk"] = str(record["pk"])
    down.apply_down(
        link=hub_link,
        payload={"after": 0, "upto": 3, "records": [record], "deleted": [], "people": []},
    )
    cashier.refresh_from_db()
    assert (cashier.employee_code, cashier.job_title) == ("77", "Baker")


def test_a_row_matched_by_its_sku_was_never_agreed_on_so_the_rule_decides_each_difference():
    merged, clashes = conflicts.merge(
        "catalog.product",
        store={**BASE, "name": "Coca 33", "sale_price": "5.50"},
        hub={**BASE, "name": "Coca-Cola 33 cl", "sale_price": "6.00"},
        base={},
    )
    assert (merged["name"], merged["sale_price"]) == ("Coca-Cola 33 cl", "6.00")
    assert sorted(c.field for c in clashes) == ["name", "sale_price"]
    assert all(c.base is None and c.applied == "hub" for c in clashes)
