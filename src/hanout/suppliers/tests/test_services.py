"""Suppliers and their catalogs through the services: what a shop owner does, and what is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.suppliers import selectors, services
from hanout.suppliers.models import Supplier, SupplierProduct

from .helpers import make_product, make_supplier

pytestmark = pytest.mark.django_db


def test_owner_adds_a_supplier_with_a_local_phone_stored_in_e164(owner):
    supplier = make_supplier(
        owner,
        "  Moulins Réunis ",
        contact_name="Jan Peeters",
        phone="0470 12 34 56",
        email="jan@moulins.example",
        address="Rue du Moulin 1\n1000 Bruxelles",
        notes="Delivers on Tuesdays",
    )
    supplier.refresh_from_db()
    assert supplier.name == "Moulins Réunis"
    assert supplier.phone == "+32470123456"  # read with the business's country, BE
    assert supplier.is_active
    entry = AuditEntry.objects.get(action="supplier.create")
    assert entry.object_id == str(supplier.pk) and entry.changes["phone"] == [None, "+32470123456"]
    assert str(services.ACTION_LABELS["supplier.create"])


def test_a_moroccan_business_reads_local_numbers_as_moroccan(other_owner):
    supplier = make_supplier(other_owner, "Atlas Distribution", phone="0612345678")
    assert supplier.phone == "+212612345678"


def test_duplicate_name_is_refused_on_the_name_field_whatever_the_case(owner):
    make_supplier(owner, "Moulins Réunis")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        make_supplier(owner, "moulins réunis")
    assert "already exists" in exc.value.fields["name"][0]
    assert Supplier.objects.count() == 1 and AuditEntry.objects.count() == before


def test_the_same_name_in_another_business_is_fine(owner, other_owner):
    make_supplier(owner, "Coca-Cola")
    make_supplier(other_owner, "Coca-Cola")
    assert Supplier.objects.filter(name="Coca-Cola").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"phone": "12"}, "phone"),
        ({"phone": "not a phone"}, "phone"),
        ({"email": "jan@"}, "email"),
        ({"email": "no at sign"}, "email"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 161}, "name"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(owner, data, field):
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_create(
            business=owner.business, actor=owner.user, data={"name": "Good name", **data}
        )
    assert field in exc.value.fields
    assert not Supplier.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="supplier").exists()


def test_every_problem_is_reported_at_once(owner):
    make_supplier(owner, "Moulins")
    with pytest.raises(ValidationFailed) as exc:
        make_supplier(owner, "MOULINS", phone="12", email="nope")
    assert set(exc.value.fields) == {"name", "phone", "email"}


def test_update_saves_and_audits_only_what_changed(owner):
    supplier = make_supplier(owner, "Moulins", phone="+32470123456", email="a@b.example")
    services.supplier_update(
        supplier=supplier,
        actor=owner.user,
        data={"name": "Moulins", "phone": "0470 12 34 56", "contact_name": "Els"},
    )
    entry = AuditEntry.objects.get(action="supplier.update")
    assert entry.changes == {"contact_name": ["", "Els"]}
    # Nothing changed: no audit row.
    services.supplier_update(supplier=supplier, actor=owner.user, data={"contact_name": "Els"})
    assert AuditEntry.objects.filter(action="supplier.update").count() == 1


def test_rename_onto_another_supplier_is_refused(owner):
    make_supplier(owner, "Alpha")
    beta = make_supplier(owner, "Beta")
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_update(supplier=beta, actor=owner.user, data={"name": "ALPHA"})
    assert "name" in exc.value.fields
    beta.refresh_from_db()
    assert beta.name == "Beta"
    # Changing only the case of its own name is allowed.
    services.supplier_update(supplier=beta, actor=owner.user, data={"name": "BETA"})
    beta.refresh_from_db()
    assert beta.name == "BETA"


def test_bad_phone_on_update_changes_nothing(owner):
    supplier = make_supplier(owner, "Moulins", phone="+32470123456")
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_update(
            supplier=supplier, actor=owner.user, data={"phone": "123", "contact_name": "X"}
        )
    assert "phone" in exc.value.fields
    supplier.refresh_from_db()
    assert supplier.phone == "+32470123456" and supplier.contact_name == ""


def test_deactivate_and_reactivate_are_audited_once_each(owner):
    supplier = make_supplier(owner)
    services.supplier_set_active(supplier=supplier, actor=owner.user, active=False)
    services.supplier_set_active(supplier=supplier, actor=owner.user, active=False)
    supplier.refresh_from_db()
    assert not supplier.is_active
    assert AuditEntry.objects.filter(action="supplier.deactivate").count() == 1
    services.supplier_set_active(supplier=supplier, actor=owner.user, active=True)
    supplier.refresh_from_db()
    assert supplier.is_active
    assert AuditEntry.objects.filter(action="supplier.reactivate").count() == 1


# --- the catalog ---------------------------------------------------------------------------------


def test_item_set_creates_then_updates_one_line_with_money_rounded_to_the_currency(owner):
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain", sku="1234")
    item = services.supplier_item_set(
        supplier=supplier,
        actor=owner.user,
        product=bread,
        data={
            "supplier_sku": " MR-55 ",
            "cost": "0.455",
            "lead_time_days": 2,
            "min_order_quantity": "10",
        },
    )
    item.refresh_from_db()
    assert item.supplier_sku == "MR-55"
    assert item.cost == Decimal("0.46")  # EUR: two decimals, half up
    assert item.lead_time_days == 2 and item.min_order_quantity == Decimal("10")
    assert not item.is_preferred
    assert AuditEntry.objects.filter(action="supplier_item.add", object_id=str(item.pk)).exists()

    again = services.supplier_item_set(
        supplier=supplier, actor=owner.user, product=bread, data={"cost": Decimal("0.50")}
    )
    assert again.pk == item.pk and SupplierProduct.objects.count() == 1
    again.refresh_from_db()
    assert again.cost == Decimal("0.50") and again.supplier_sku == "MR-55"  # others kept
    entry = AuditEntry.objects.get(action="supplier_item.update")
    assert entry.changes == {"cost": ["0.460", "0.500"]}
    # The same cost typed again is no change at all.
    services.supplier_item_set(
        supplier=supplier, actor=owner.user, product=bread, data={"cost": "0.5"}
    )
    assert AuditEntry.objects.filter(action="supplier_item.update").count() == 1


def test_a_new_line_gets_the_defaults(owner):
    supplier = make_supplier(owner)
    item = services.supplier_item_set(
        supplier=supplier, actor=owner.user, product=make_product(owner, "Café"), data={}
    )
    item.refresh_from_db()
    assert (item.cost, item.lead_time_days, item.min_order_quantity, item.is_preferred) == (
        Decimal(0),
        0,
        Decimal(1),
        False,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cost": "-0.01"}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"cost": "NaN"}, "cost"),
        ({"cost": "Infinity"}, "cost"),
        ({"cost": "123456789012345"}, "cost"),
        ({"min_order_quantity": "-1"}, "min_order_quantity"),
        ({"min_order_quantity": "x"}, "min_order_quantity"),
        ({"lead_time_days": -1}, "lead_time_days"),
        ({"lead_time_days": "two"}, "lead_time_days"),
        ({"lead_time_days": 100000}, "lead_time_days"),
        ({"supplier_sku": "x" * 65}, "supplier_sku"),
    ],
)
def test_bad_catalog_numbers_name_the_field_and_write_nothing(owner, data, field):
    supplier = make_supplier(owner)
    product = make_product(owner, "Pain")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.supplier_item_set(supplier=supplier, actor=owner.user, product=product, data=data)
    assert field in exc.value.fields
    assert not SupplierProduct.objects.exists() and AuditEntry.objects.count() == before


def test_making_a_supplier_preferred_takes_the_flag_from_the_other(owner):
    mill, baker = make_supplier(owner, "Mill"), make_supplier(owner, "Baker")
    bread, cake = make_product(owner, "Pain"), make_product(owner, "Cake")
    first = services.supplier_item_set(
        supplier=mill, actor=owner.user, product=bread, data={"is_preferred": True}
    )
    # Another product's preferred supplier is not touched.
    services.supplier_item_set(
        supplier=mill, actor=owner.user, product=cake, data={"is_preferred": True}
    )
    second = services.supplier_item_set(
        supplier=baker, actor=owner.user, product=bread, data={"is_preferred": True}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_preferred and second.is_preferred
    assert SupplierProduct.objects.get(supplier=mill, product=cake).is_preferred
    assert AuditEntry.objects.filter(
        action="supplier_item.update",
        object_id=str(first.pk),
        changes={"is_preferred": [True, False]},
    ).exists()
    assert [i.supplier.name for i in selectors.product_suppliers(product=bread)] == [
        "Baker",
        "Mill",
    ]
    # Setting it preferred again is a no-op.
    services.supplier_item_set(
        supplier=baker, actor=owner.user, product=bread, data={"is_preferred": True}
    )
    assert SupplierProduct.objects.filter(product=bread, is_preferred=True).count() == 1


def test_another_business_product_is_not_found(owner, other_owner):
    supplier = make_supplier(owner)
    theirs = make_product(other_owner, "Their bread")
    with pytest.raises(NotFound):
        services.supplier_item_set(
            supplier=supplier, actor=owner.user, product=theirs, data={"cost": "1"}
        )
    assert not SupplierProduct.objects.exists()


def test_remove_a_line_keeps_the_product_and_is_audited(owner):
    supplier = make_supplier(owner)
    bread = make_product(owner, "Pain")
    item = services.supplier_item_set(supplier=supplier, actor=owner.user, product=bread, data={})
    services.supplier_item_remove(item=item, actor=owner.user)
    assert not SupplierProduct.objects.exists()
    bread.refresh_from_db()
    entry = AuditEntry.objects.get(action="supplier_item.remove")
    assert entry.object_id == str(item.pk) and "Pain" in entry.object_repr


def test_every_action_has_a_label():
    from hanout.core.audit import ACTION_LABELS

    for code in (
        "supplier.create",
        "supplier.update",
        "supplier.deactivate",
        "supplier.reactivate",
        "supplier_item.add",
        "supplier_item.update",
        "supplier_item.remove",
    ):
        assert code in ACTION_LABELS


# --- selectors -----------------------------------------------------------------------------------


def test_supplier_list_searches_name_contact_email_and_phone_and_counts_items(owner, other_owner):
    mill = make_supplier(
        owner, "Moulins", contact_name="Jan Peeters", phone="0470123456", email="jan@mill.example"
    )
    make_supplier(owner, "Coca-Cola", email="orders@coke.example")
    sleepy = make_supplier(owner, "Sleepy")
    services.supplier_set_active(supplier=sleepy, actor=owner.user, active=False)
    make_supplier(other_owner, "Moulins")
    for name in ("Pain", "Cake"):
        services.supplier_item_set(
            supplier=mill, actor=owner.user, product=make_product(owner, name), data={}
        )

    def names(**kw):
        return [s.name for s in selectors.supplier_list(business=owner.business, **kw)]

    assert names() == ["Coca-Cola", "Moulins", "Sleepy"]
    assert names(search="moul") == ["Moulins"]
    assert names(search="peeters") == ["Moulins"]
    assert names(search="coke") == ["Coca-Cola"]
    assert names(search="0470 12") == ["Moulins"]  # typed the local way
    assert names(search="+32470") == ["Moulins"]
    assert names(active=False) == ["Sleepy"]
    assert names(active=True) == ["Coca-Cola", "Moulins"]
    counts = {s.name: s.item_count for s in selectors.supplier_list(business=owner.business)}
    assert counts == {"Coca-Cola": 0, "Moulins": 2, "Sleepy": 0}
    items = list(selectors.supplier_items(supplier=mill))
    assert [i.product.name for i in items] == ["Cake", "Pain"]


def test_supplier_get_of_another_business_does_not_exist(owner, other_owner):
    theirs = make_supplier(other_owner, "Theirs")
    with pytest.raises(Supplier.DoesNotExist):
        selectors.supplier_get(business=owner.business, pk=theirs.pk)


# --- concurrency (PostgreSQL) --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_choosing_different_preferred_suppliers_at_once_leave_exactly_one():
    """Each thread has its own connection; the product row lock makes them take turns,
    so the partial unique index is never hit and the last one wins cleanly."""
    import threading

    from django.db import connection, connections

    from tests.factories import make_business

    if connection.vendor != "postgresql":
        pytest.skip("row locks are only contended on PostgreSQL (SQLite serialises writers)")
    owner = make_business("Race Bakery")
    bread = make_product(owner, "Pain")
    suppliers = [make_supplier(owner, f"Supplier {n}") for n in range(6)]
    barrier = threading.Barrier(len(suppliers))
    errors = []

    def choose(supplier):
        try:
            barrier.wait()
            services.supplier_item_set(
                supplier=supplier, actor=owner.user, product=bread, data={"is_preferred": True}
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=choose, args=(s,)) for s in suppliers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert SupplierProduct.objects.filter(product=bread).count() == len(suppliers)
    assert SupplierProduct.objects.filter(product=bread, is_preferred=True).count() == 1
