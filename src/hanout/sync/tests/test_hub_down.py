"""Master data both ways (ADR 0016): a store (this test process) and a hub (another
`hanout serve`, on PostgreSQL) changing the same catalog and customers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanout.catalog.models import Product
from hanout.catalog.services import product_update
from hanout.customers.models import Customer
from hanout.pos.tests.factories import make_till
from hanout.sync import down, services
from hanout.sync.crypto import unseal
from hanout.sync.models import HubLink
from hanout.sync.tests.hub import Hub, Store
from hanout.sync.tests.test_hub_sync import link_and_push

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _http_hub(settings):
    settings.HANOUT_SYNC_ALLOW_HTTP = True


def hub_owner(business_id: str) -> str:
    return (
        "from hanout.accounts.models import Membership\n"
        f"m = Membership.objects.get(business_id='{business_id}', user__email='{Hub.OWNER}')\n"
    )


def hub_edit_product(hub: Hub, business_id: str, product_id, **data) -> None:
    hub.run(
        hub_owner(business_id) + "from hanout.catalog.models import Product\n"
        "from hanout.catalog.services import product_update\n"
        f"p = Product.objects.get(pk='{product_id}')\n"
        f"product_update(product=p, actor=m.user, data={data!r})\n"
    )


def hub_token(hub: Hub, business_id: str) -> str:
    return hub.run(
        hub_owner(business_id) + "from hanout.accounts.services import api_token_create\n"
        "token, raw = api_token_create(membership=m, name='conflicts')\n"
        "out = raw"
    )


def open_conflicts(hub: Hub, token: str) -> list[dict]:
    status, body = hub.call("sync/conflicts/", token=token)
    assert status == 200, body
    return body["results"]


def test_a_product_renamed_on_the_hub_reaches_the_store_and_nothing_echoes(hub):
    hub_business = hub.make_business("Chain D1")
    till = make_till()
    link_and_push(hub, till, hub_business)
    croissant = till["croissant"]

    hub_edit_product(hub, hub_business, croissant.pk, name="Croissant au beurre")
    result = services.push(business=till.business)

    croissant.refresh_from_db()
    assert croissant.name == "Croissant au beurre"
    assert result["received"] >= 1
    # The store's search knows the new name (its search row follows the applied row).
    from hanout.catalog.selectors import product_list

    assert croissant.pk in {p.pk for p in product_list(business=till.business, search="beurre")}
    # A quiet round trip: nothing goes up, nothing comes down, nothing waits.
    assert services.push(business=till.business) == {"sent": 0, "received": 0}
    from hanout.sync import selectors

    assert selectors.waiting_count(business=till.business) == 0

    # What the hub says to a bad ask, or to a caller without the store's key.
    key = unseal(HubLink.objects.get(business=till.business).sealed_key)
    assert hub.call("sync/down/", {"applied": "far"}, key=key)[0] == 400
    assert hub.call("sync/down/", {"applied": 0, "skipped": "all"}, key=key)[0] == 400
    assert hub.call("sync/down/", {"applied": 0})[0] in (401, 403)


def test_the_same_product_renamed_on_both_sides_is_one_conflict_the_owner_settles(hub):
    hub_business = hub.make_business("Chain D2")
    till = make_till()
    link_and_push(hub, till, hub_business)
    croissant = till["croissant"]
    token = hub_token(hub, hub_business)

    # The store renames it and changes its price; the hub renames it too.
    product_update(
        product=croissant,
        actor=till.user,
        data={"name": "Croissant maison", "sale_price": Decimal("1.35")},
    )
    hub_edit_product(hub, hub_business, croissant.pk, name="Croissant pur beurre")
    services.push(business=till.business)

    # The hub wins the name by default; the price, changed on the store only, is kept.
    croissant.refresh_from_db()
    assert (croissant.name, croissant.sale_price) == ("Croissant pur beurre", Decimal("1.35"))
    name, price = hub.run(
        f"from hanout.catalog.models import Product\np = Product.objects.get(pk='{croissant.pk}')\n"
        "out = [p.name, str(p.sale_price)]"
    )
    assert (name, Decimal(price)) == ("Croissant pur beurre", Decimal("1.35"))
    (conflict,) = open_conflicts(hub, token)
    assert conflict["model"] == "catalog.product" and conflict["field"] == "name"
    assert conflict["store_value"] == "Croissant maison"
    assert conflict["hub_value"] == "Croissant pur beurre"
    assert conflict["applied"] == "hub" and conflict["settled_at"] is None
    assert conflict["hub_by"] == "Chain Owner"
    assert HubLink.objects.get(business=till.business).hub_conflicts == 1

    # The owner keeps the store's name: it is written on the hub and comes down.
    status, body = hub.call(
        f"sync/conflicts/{conflict['id']}/settle/", {"keep": "store"}, token=token
    )
    assert status == 200 and body["kept"] == "store" and body["settled_at"]
    status, body = hub.call(
        f"sync/conflicts/{conflict['id']}/settle/", {"keep": "hub"}, token=token
    )
    assert status == 409  # settled once
    status, body = hub.call(
        f"sync/conflicts/{conflict['id']}/settle/", {"keep": "both"}, token=token
    )
    assert status == 400 and "keep" in str(body)
    services.push(business=till.business)
    croissant.refresh_from_db()
    assert croissant.name == "Croissant maison"
    assert open_conflicts(hub, token) == []
    assert HubLink.objects.get(business=till.business).hub_conflicts == 0


def test_different_fields_of_one_customer_changed_on_each_side_both_survive(hub):
    from hanout.customers.services import customer_create, customer_update

    hub_business = hub.make_business("Chain D3")
    till = make_till()
    nadia = customer_create(
        business=till.business, actor=till.user, data={"name": "Nadia", "phone": ""}
    )
    link_and_push(hub, till, hub_business)
    token = hub_token(hub, hub_business)

    customer_update(customer=nadia, actor=till.user, data={"phone": "+32 470 12 34 56"})
    hub.run(
        hub_owner(hub_business) + "from hanout.customers.models import Customer\n"
        "from hanout.customers.services import customer_update\n"
        f"c = Customer.objects.get(pk='{nadia.pk}')\n"
        "customer_update(customer=c, actor=m.user, data={'email': 'nadia@example.test'})\n"
    )
    services.push(business=till.business)

    nadia.refresh_from_db()
    assert (nadia.phone, nadia.email) == ("+32470123456", "nadia@example.test")
    assert hub.run(
        f"from hanout.customers.models import Customer\nc = Customer.objects.get(pk='{nadia.pk}')\n"
        "out = [c.phone, c.email]"
    ) == ["+32470123456", "nadia@example.test"]
    assert open_conflicts(hub, token) == []
    # The store finds her by her new email (its search text follows the applied row).
    assert "nadia@example.test" in Customer.objects.get(pk=nadia.pk).search_text

    # Her phone changed on both sides: the store's wins (the cashier typed it).
    customer_update(customer=nadia, actor=till.user, data={"phone": "+32 470 00 00 01"})
    hub.run(
        hub_owner(hub_business) + "from hanout.customers.models import Customer\n"
        "from hanout.customers.services import customer_update\n"
        f"c = Customer.objects.get(pk='{nadia.pk}')\n"
        "customer_update(customer=c, actor=m.user, data={'phone': '+32 470 00 00 02'})\n"
    )
    services.push(business=till.business)
    nadia.refresh_from_db()
    assert nadia.phone == "+32470000001"
    (conflict,) = open_conflicts(hub, token)
    assert (conflict["field"], conflict["applied"]) == ("phone", "store")


def test_a_store_edit_made_while_the_answer_was_on_its_way_is_not_overwritten(hub):
    """The hub's batch is built, then the store changes the same product before applying
    it: the store keeps its change and says it skipped the row; its change goes up and
    meets the hub's as a conflict, whose default (the hub's) then comes down."""
    hub_business = hub.make_business("Chain D4")
    till = make_till()
    link_and_push(hub, till, hub_business)
    token = hub_token(hub, hub_business)
    link = HubLink.objects.get(business=till.business)
    croissant = till["croissant"]

    hub_edit_product(hub, hub_business, croissant.pk, name="Croissant (hub)")
    answer = services._call(
        services._endpoint(hub.url, "down/"),
        body={"protocol": 1, "applied": link.down_seq, "skipped": []},
        key=unseal(link.sealed_key),
    )
    assert [r["pk"] for r in answer["records"]] == [str(croissant.pk)]
    product_update(product=croissant, actor=till.user, data={"name": "Croissant (store)"})
    skipped = down.apply_down(link=link, payload=answer)

    assert skipped == [["catalog.product", str(croissant.pk)]]
    croissant.refresh_from_db()
    assert croissant.name == "Croissant (store)"

    services.push(business=till.business)
    (conflict,) = open_conflicts(hub, token)
    assert (conflict["store_value"], conflict["hub_value"]) == (
        "Croissant (store)",
        "Croissant (hub)",
    )
    assert conflict["store_by"]  # the store's audit row said who
    croissant.refresh_from_db()
    assert croissant.name == "Croissant (hub)"


def test_a_down_batch_whose_answer_is_lost_is_applied_on_the_next_sync(hub, proxy):
    hub_business = hub.make_business("Chain D5")
    till = make_till()
    services.hub_link(
        business=till.business,
        hub_url=proxy.url,
        code=hub.pairing_code(hub_business)["code"],
        actor=till.user,
    )
    services.push(business=till.business)
    token = hub_token(hub, hub_business)
    croissant = till["croissant"]
    hub_edit_product(hub, hub_business, croissant.pk, name="Croissant d'hiver")

    proxy.only, proxy.mode = "/sync/down/", "lose_answer"
    with pytest.raises(services.HubUnreachable):
        services.push(business=till.business)
    croissant.refresh_from_db()
    assert croissant.name == "Croissant"

    proxy.mode = "pass"
    services.push(business=till.business)
    croissant.refresh_from_db()
    assert croissant.name == "Croissant d'hiver"
    assert open_conflicts(hub, token) == []
    assert services.push(business=till.business) == {"sent": 0, "received": 0}


def test_a_product_deleted_in_the_store_and_changed_on_the_hub_is_kept(hub):
    from hanout.pos.tests.factories import make_product

    hub_business = hub.make_business("Chain D6")
    till = make_till()
    seasonal = make_product(till.business, "Galette", barcode="5400000000028")
    link_and_push(hub, till, hub_business)
    token = hub_token(hub, hub_business)

    hub_edit_product(hub, hub_business, seasonal.pk, sale_price="12.50")
    seasonal_id = seasonal.pk
    seasonal.delete()
    services.push(business=till.business)

    (conflict,) = open_conflicts(hub, token)
    assert (conflict["field"], conflict["applied"]) == ("", "hub")
    # The hub's changed row came back down to the store.
    assert Product.objects.get(pk=seasonal_id).sale_price == Decimal("12.50")


def test_store_b_gets_store_a_s_product_and_the_hub_s_but_not_a_s_shop_or_sales(hub, tmp_path):
    from hanout.catalog.services import product_create

    hub_business = hub.make_business("Chain D7")
    other_chain = hub.make_business("Chain Z")
    hub.run(
        hub_owner(other_chain) + "from hanout.catalog.services import product_create\n"
        "product_create(business=m.business, actor=m.user, data={'name': 'Not yours',"
        " 'sku': 'Z-1', 'sale_price': '1.00', 'tax_rate': '6'})\n"
    )
    hub.run(
        hub_owner(hub_business) + "from hanout.catalog.services import product_create\n"
        "product_create(business=m.business, actor=m.user, data={'name': 'Hub special',"
        " 'sku': 'HUB-1', 'sale_price': '9.90', 'tax_rate': '6'})\n"
    )
    till = make_till()
    link_and_push(hub, till, hub_business)
    galette = product_create(
        business=till.business,
        actor=till.user,
        data={"name": "Galette des rois", "sku": "GAL-1", "sale_price": "18.00", "tax_rate": "6"},
    )
    services.push(business=till.business)
    assert Product.objects.filter(business=till.business, sku="HUB-1").exists()

    b = Store(tmp_path / "b")
    b.open_linked(
        name="Shop B",
        shop="Rue B",
        language="fr",
        sales=2,
        hub_url=hub.url,
        code=hub.pairing_code(hub_business, "B")["code"],
    )
    done = b.cli("sync", "push")
    assert done.returncode == 0, done.stdout + done.stderr
    seen = b.run(
        "from hanout.catalog.models import Product\n"
        "from hanout.core.models import Shop\n"
        "from hanout.pos.models import Sale\n"
        "out = {\n"
        f"  'galette': Product.objects.filter(pk='{galette.pk}').values_list('name', flat=True)"
        ".first(),\n"
        "  'hub': Product.objects.filter(sku='HUB-1').count(),\n"
        "  'other': Product.objects.filter(sku='Z-1').count(),\n"
        "  'shops': sorted(Shop.objects.values_list('name', flat=True)),\n"
        "  'sales': Sale.objects.count(),\n"
        "}"
    )
    assert seen == {
        "galette": "Galette des rois",
        "hub": 1,
        "other": 0,
        "shops": ["Rue B"],
        "sales": 2,
    }


def test_a_cashier_added_on_the_hub_signs_in_at_the_store_and_a_pin_set_there_stays(hub):
    from hanout.accounts.models import Membership
    from hanout.accounts.services import employee_check_pin, employee_set_pin
    from hanout.pos.services_register import member_by_code

    hub_business = hub.make_business("Chain D8")
    till = make_till()
    link_and_push(hub, till, hub_business)
    token = hub_token(hub, hub_business)
    hub.run(
        hub_owner(hub_business) + "from hanout.accounts.services import employee_create\n"
        "employee_create(actor_membership=m, email='karim@example.test', full_name='Karim',"
        " role='cashier', employee_code='4321', pin='2468', send_invitation=False)\n"
    )
    services.push(business=till.business)

    karim = member_by_code(business=till.business, code="4321")
    assert karim is not None and karim.user.email == "karim@example.test"
    assert karim.role == "cashier" and employee_check_pin(membership=karim, pin="2468")
    assert not karim.user.has_usable_password()  # no password travels

    # The shop sets his PIN at its till; the hub makes him a manager: both stay.
    employee_set_pin(actor_membership=till.owner, membership=karim, pin="1357")
    hub.run(
        hub_owner(hub_business) + "from hanout.accounts.models import Membership\n"
        "from hanout.accounts.services import employee_update\n"
        "k = Membership.objects.get(business=m.business, user__email='karim@example.test')\n"
        "employee_update(actor_membership=m, membership=k, data={'role': 'manager'})\n"
    )
    services.push(business=till.business)

    karim = Membership.objects.get(pk=karim.pk)
    assert karim.role == "manager" and employee_check_pin(membership=karim, pin="1357")
    # (The same hash: the hub checks it with its own hasher settings.)
    assert hub.run(
        "from hanout.accounts.models import Membership\n"
        "k = Membership.objects.get(user__email='karim@example.test')\n"
        "out = [k.role, k.pin_hash]"
    ) == ["manager", karim.pin_hash]
    assert open_conflicts(hub, token) == []


def test_a_store_cannot_take_over_the_account_of_someone_of_another_business(hub):
    """A store names a person by the email of someone who works for another business on
    the same hub: that account is not joined to the chain, and nothing of it comes down."""
    from tests.factories import make_member

    hub_business = hub.make_business("Chain D9")
    hub.run(
        "from hanout.accounts import services as accounts\n"
        "from hanout.accounts.models import User\n"
        "v = User.objects.create_user(email='victim@example.test', password='x-pass-1234',"
        " full_name='Victim Name', phone='+32470999999')\n"
        "accounts.business_register(store=accounts.StoreDetails(name='Elsewhere',"
        " currency='EUR', country='BE', time_zone='Europe/Brussels', shop_name='Far',"
        " language='en'), owner=v)\n"
    )
    till = make_till()
    make_member(till.owner, role="cashier", email="victim@example.test", full_name="Fake")
    link_and_push(hub, till, hub_business)

    seen = hub.run(
        "from hanout.accounts.models import Membership\n"
        f"chain = Membership.objects.filter(business_id='{hub_business}')\n"
        "out = {\n"
        "  'victim_in_chain': chain.filter(user__email='victim@example.test').count(),\n"
        "  'victim_memberships': Membership.objects.filter("
        "user__email='victim@example.test').count(),\n"
        "  'fake': list(chain.filter(user__full_name='Fake').values_list("
        "'user__email', flat=True)),\n"
        "}"
    )
    assert seen["victim_in_chain"] == 0 and seen["victim_memberships"] == 1
    assert len(seen["fake"]) == 1 and seen["fake"][0].endswith("@store.invalid")
    # The store's own cashier stays who she was on the store.
    from hanout.accounts.models import Membership

    assert Membership.objects.filter(
        business=till.business, user__email="victim@example.test"
    ).exists()


def test_a_product_the_hub_deletes_while_the_store_sells_it_offline_comes_back(hub):
    """The hub's owner deletes a product nobody sold on the hub, while a store, offline,
    sells it: the store's sale still reaches the hub (the product is made again there
    from what the two last agreed on), and the owner sees it on the conflicts page."""
    from hanout.pos.models import Sale
    from hanout.pos.tests.factories import open_session, sell

    hub_business = hub.make_business("Chain D10")
    till = make_till()
    link_and_push(hub, till, hub_business)
    token = hub_token(hub, hub_business)
    hub.run(
        hub_owner(hub_business) + "from hanout.catalog.services import product_create\n"
        "product_create(business=m.business, actor=m.user, data={'name': 'Brioche',"
        " 'sku': 'BRI-1', 'sale_price': '3.00', 'tax_rate': '6'})\n"
    )
    services.push(business=till.business)
    brioche = Product.objects.get(business=till.business, sku="BRI-1")
    till.business.allow_negative_stock = True
    till.business.save(update_fields=["allow_negative_stock"])
    open_session(till)
    sell(till, (brioche, 1))
    hub.run(
        f"from hanout.catalog.models import Product\nProduct.objects.filter(pk='{brioche.pk}')"
        ".delete()\n"
    )

    services.push(business=till.business)

    assert hub.run(
        "from hanout.catalog.models import Product\nfrom hanout.pos.models import SaleLine\n"
        f"out = [Product.objects.filter(pk='{brioche.pk}').count(),"
        f" SaleLine.objects.filter(product_id='{brioche.pk}').count()]"
    ) == [1, 1]
    (conflict,) = open_conflicts(hub, token)
    assert (conflict["row_id"], conflict["field"], conflict["applied"]) == (
        str(brioche.pk),
        "",
        "store",
    )
    assert Product.objects.filter(pk=brioche.pk).exists()
    assert Sale.objects.filter(business=till.business).count() == 1
