"""A store (this test process) and a hub (another `hanout serve`) syncing over HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hanout.inventory.models import StockLevel
from hanout.pos.models import Sale
from hanout.pos.tests.factories import make_till, open_session, sell
from hanout.sync import outbox, selectors, services
from hanout.sync.models import HubLink, OutboxEntry
from hanout.sync.tests import scenario
from hanout.sync.tests.hub import Hub, Store
from tests.factories import make_business

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _http_hub(settings):
    settings.HANOUT_SYNC_ALLOW_HTTP = True  # the test hub listens on plain http://


def hub_state(hub: Hub, business_id: str) -> dict:
    """What the hub holds for its business: every sale (id → total) and every stock level."""
    return hub.run(
        "from hanout.pos.models import Sale\n"
        "from hanout.inventory.models import StockLevel\n"
        "from hanout.reports.models import DailySales\n"
        "from hanout.reports.services import daily_refresh_pending\n"
        "from hanout.core.models import Business\n"
        f"b = '{business_id}'\n"
        "daily_refresh_pending(business=Business.objects.get(pk=b))  # as a report page does\n"
        "out = {\n"
        "  'sales': {str(s.pk): str(s.total) for s in Sale.objects.filter(business_id=b)},\n"
        "  'stock': {f'{l.product_id}@{l.location_id}': str(l.quantity.normalize())\n"
        "            for l in StockLevel.objects.filter(business_id=b)},\n"
        "  'daily_revenue': str(sum(d.revenue for d in DailySales.objects.filter("
        "business_id=b))),\n"
        "}"
    )


def wait_for(probe, what: str, timeout: float = 90):
    """Call `probe` until it returns something true, for `timeout` seconds at most."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)


def link_and_push(hub: Hub, till, hub_business: str) -> None:
    """Link the till's business to `hub_business` with a fresh pairing code; first sync."""
    services.hub_link(
        business=till.business,
        hub_url=hub.url,
        code=hub.pairing_code(hub_business)["code"],
        actor=till.user,
    )
    services.push(business=till.business)


def store_stock(business) -> dict:
    return {
        f"{level.product_id}@{level.location_id}": str(level.quantity.normalize())
        for level in StockLevel.objects.filter(business=business)
    }


def test_triggers_are_on_every_synced_table(db):
    assert outbox.missing_triggers() == []


def test_nothing_is_noted_until_the_store_is_linked(db):
    till = make_till()
    open_session(till)
    sell(till, ("croissant", 2))
    assert not OutboxEntry.objects.exists()


def test_a_day_of_sales_made_offline_reaches_the_hub_once(hub):
    hub_business = hub.make_business("Chain A")
    paired = hub.pairing_code(hub_business, "Bakery on the corner")
    till = make_till()
    open_session(till)
    offline = [sell(till, ("croissant", 2), ("cafe", 1)) for _ in range(5)]

    link = services.hub_link(
        business=till.business, hub_url=hub.url, code=paired["code"], actor=till.user
    )
    assert str(link.hub_business_id) == hub_business
    assert selectors.waiting_count(business=till.business) > 0
    later = [sell(till, ("pain", 1)) for _ in range(3)]

    result = services.push(business=till.business)

    assert result["sent"] > 0
    assert selectors.waiting_count(business=till.business) == 0
    state = hub_state(hub, hub_business)
    sales = Sale.objects.filter(business=till.business)
    assert state["sales"] == {str(s.pk): str(s.total) for s in sales}
    assert set(state["sales"]) == {str(s.pk) for s in offline + later}
    assert state["stock"] == store_stock(till.business)
    assert Decimal(state["daily_revenue"]) == sum(s.revenue for s in sales)

    # A second push with nothing new sends nothing and changes nothing on the hub.
    assert services.push(business=till.business)["sent"] == 0
    assert hub_state(hub, hub_business) == state


def test_a_wrong_code_says_so_and_links_nothing(hub):
    owner = make_business()
    with pytest.raises(services.ValidationFailed) as exc:
        services.hub_link(
            business=owner.business, hub_url=hub.url, code="AAAA-BBBB-CCCC", actor=owner.user
        )
    assert "not valid" in exc.value.message
    assert not HubLink.objects.exists()


def test_a_hub_in_another_currency_is_refused(hub):
    hub_business = hub.make_business("Dirham chain", currency="MAD")
    paired = hub.pairing_code(hub_business)
    owner = make_business()  # EUR
    with pytest.raises(services.ValidationFailed) as exc:
        services.hub_link(
            business=owner.business, hub_url=hub.url, code=paired["code"], actor=owner.user
        )
    assert "EUR" in exc.value.message and "MAD" in exc.value.message
    assert not HubLink.objects.exists()


def hub_facts(hub: Hub, business_id: str) -> dict:
    return hub.run(
        f"from hanout.sync.tests.scenario import facts_of\nout = facts_of('{business_id}')"
    )


def test_a_network_cut_mid_batch_loses_nothing_and_doubles_nothing(hub, proxy):
    hub_business = hub.make_business("Chain B")
    paired = hub.pairing_code(hub_business, "Market stall")
    till = scenario.a_day(sales=30)
    link = services.hub_link(
        business=till.business, hub_url=proxy.url, code=paired["code"], actor=till.user
    )
    waiting = selectors.waiting_count(business=till.business)

    # The connection drops while the first batch is on its way: the hub gets part of it.
    proxy.mode, proxy.cut_after = "cut", 3000
    with pytest.raises(services.HubUnreachable):
        services.push(business=till.business, batch=60)
    link.refresh_from_db()
    assert link.sent_seq == 0 and link.last_error and link.failing_since
    assert selectors.waiting_count(business=till.business) == waiting

    # It drops after the hub applied the batch, before its answer reaches the store.
    proxy.mode = "lose_answer"
    with pytest.raises(services.HubUnreachable):
        services.push(business=till.business, batch=60)
    assert (
        hub.run(
            "from hanout.sync.models import StoreLink\n"
            f"out = StoreLink.objects.get(pk='{paired['link']}').received_seq"
        )
        > 0
    )
    link.refresh_from_db()
    assert link.sent_seq == 0  # the store does not know: it sends that batch again
    # Whatever the cut, the hub's ledgers hold (a backup of it now would restore).
    assert (
        hub.run(
            "from hanout.sync.tests.scenario import broken_invariants\nout = broken_invariants()"
        )
        == []
    )

    proxy.mode = "pass"
    services.push(business=till.business, batch=60)

    link.refresh_from_db()
    assert link.last_error == "" and link.failing_since is None
    assert selectors.waiting_count(business=till.business) == 0
    on_hub = hub_facts(hub, hub_business)
    assert on_hub == scenario.facts_of(till.business.pk)
    assert len(on_hub["pos.Sale"]) == 30 and len(on_hub["customers.LoyaltyEntry"]) == 10
    assert (
        hub.run(
            "from hanout.sync.tests.scenario import broken_invariants\nout = broken_invariants()"
        )
        == []
    )


def test_a_store_killed_mid_batch_sends_it_again_once(hub, proxy, tmp_path):
    """The store server's `hanout sync push` is killed (SIGKILL) while its batch is on its
    way; the batch still reaches the hub; the next push sends what is left, once."""
    import os
    import signal

    hub_business = hub.make_business("Chain C")
    paired = hub.pairing_code(hub_business, "Corner shop")
    store = Store(tmp_path / "store")
    store_business = store.open_linked(
        name="Corner shop",
        shop="Corner",
        language="fr",
        sales=40,
        hub_url=proxy.url,
        code=paired["code"],
    )
    store.env_extra = {"HANOUT_SYNC_BATCH": "80"}

    proxy.mode = "hold"
    pushing = store.push_process()
    assert proxy.held.wait(60), (store.data_dir / "push.log").read_text()
    os.kill(pushing.pid, signal.SIGKILL)
    pushing.wait(10)
    proxy.mode = "pass"
    proxy.release()  # the dead store's batch reaches the hub now
    received = wait_for(
        lambda: hub.run(
            "from hanout.sync.models import StoreLink\n"
            f"out = StoreLink.objects.get(pk='{paired['link']}').received_seq"
        ),
        "the held batch to reach the hub",
    )
    assert received > 0

    again = store.push_process()
    assert again.wait(120) == 0, (store.data_dir / "push.log").read_text()

    on_store = store.run(
        f"from hanout.sync.tests.scenario import facts_of\nout = facts_of('{store_business}')"
    )
    on_hub = hub_facts(hub, hub_business)
    assert on_hub == on_store
    assert len(on_hub["pos.Sale"]) == 40
    status = store.run(
        "from hanout.sync import selectors\nfrom hanout.core.models import Business\n"
        f"out = selectors.waiting_count(business=Business.objects.get(pk='{store_business}'))"
    )
    assert status == 0
    told = store.cli("sync", "status")
    assert told.returncode == 0, told.stderr
    assert "Corner shop →" in told.stdout and "waiting: 0 changes" in told.stdout
    assert store.cli("sync", "push", "--business", "Nobody").returncode == 2


def _pair(hub: Hub, code: str, business_id: str, currency: str = "EUR") -> str:
    status, answer = hub.call(
        "sync/pair/", {"code": code, "business": {"id": business_id, "currency": currency}}
    )
    assert status == 200, answer
    return answer["key"]


def test_a_store_cannot_touch_another_business_on_the_hub(hub):
    """A store's batch naming rows of another business on the hub is refused whole."""
    from hanout.catalog.models import Tag

    first = hub.make_business("Chain D")
    till = make_till()
    till["croissant"].tags.add(Tag.objects.create(business=till.business, name="bio"))
    link_and_push(hub, till, first)
    product = till["croissant"]

    second = hub.make_business("Chain E")
    key = _pair(hub, hub.pairing_code(second)["code"], "01234567-89ab-7def-8123-456789abcdef")
    batch = {
        "protocol": 1,
        "after": 0,
        "upto": 1,
        "entries": 1,
        "business": {"id": "01234567-89ab-7def-8123-456789abcdef", "name": "X"},
        "people": [],
        "records": [
            {
                "model": "catalog.product",
                "pk": str(product.pk),
                "fields": {"business": "01234567-89ab-7def-8123-456789abcdef", "name": "Stolen"},
            }
        ],
        "deleted": [],
    }
    status, answer = hub.call("sync/push/", batch, key=key)
    assert status == 409
    assert "not this business" in answer["error"]["message"]
    # A new row written straight into the other business (an owner's membership there).
    intruder = "01234567-89ab-7def-8123-456789abcdef"
    assert first != intruder
    batch["records"] = [
        {
            "model": "accounts.membership",
            "pk": "01234567-89ab-7def-8123-0000000000aa",
            "fields": {"business": first, "user": str(till.user.pk), "role": "owner"},
        }
    ]
    status, answer = hub.call("sync/push/", batch, key=key)
    assert status == 409 and "other than the store's" in answer["error"]["message"]
    # A new product of its own, tagged with the other business's tag.
    tag = str(till["croissant"].tags.get().pk)  # on the hub since the first push, in Chain D
    batch["records"] = [
        {
            "model": "catalog.product",
            "pk": "01234567-89ab-7def-8123-0000000000ab",
            "fields": {"business": intruder, "name": "Spy", "tags": [tag]},
        }
    ]
    status, answer = hub.call("sync/push/", batch, key=key)
    assert status == 409 and "not this business" in answer["error"]["message"]
    assert hub.run(
        "from hanout.accounts.models import Membership\n"
        "from hanout.catalog.models import Product\n"
        f"out = [Membership.objects.filter(business_id='{first}', role='owner').count(),"
        " Product.objects.filter(name='Spy').count()]"
    ) == [2, 0]  # the hub's owner and the store's, nobody else; no spy product
    # A tombstone of the other business's row deletes nothing either.
    batch["records"], batch["deleted"] = [], [{"model": "catalog.product", "pk": str(product.pk)}]
    hub.call("sync/push/", batch, key=key)
    assert (
        hub.run(
            "from hanout.catalog.models import Product\n"
            f"out = Product.objects.get(pk='{product.pk}').name"
        )
        == product.name
    )


def test_a_pairing_code_works_once_and_a_revoked_store_is_refused(hub):
    business = hub.make_business("Chain F")
    paired = hub.pairing_code(business)
    store_id = "01234567-89ab-7def-8123-000000000001"
    key = _pair(hub, paired["code"].lower().replace("-", " "), store_id)  # as a person types it
    status, answer = hub.call("sync/pair/", {"code": paired["code"], "business": {"id": store_id}})
    assert status == 404 and "already used" in answer["error"]["message"]
    status, answer = hub.call("sync/pair/", {"code": paired["code"], "business": {"id": "x"}})
    assert status == 400 and answer["error"]["fields"] == {"business": ["Required."]}
    assert hub.call("sync/status/", {}, key=key)[0] == 200
    assert hub.call("sync/status/", {}, key="not-a-key")[0] == 401
    hub.run(
        "from hanout.sync import services\nfrom hanout.sync.models import StoreLink\n"
        f"link = StoreLink.objects.get(pk='{paired['link']}')\n"
        "services.store_link_revoke(link=link, actor=link.created_by)"
    )
    status, answer = hub.call("sync/status/", {}, key=key)
    assert status == 401 and "revoked" in answer["error"]["message"]


def test_the_hub_refuses_a_batch_it_cannot_read(hub):
    business = hub.make_business("Chain G")
    key = _pair(hub, hub.pairing_code(business)["code"], "01234567-89ab-7def-8123-000000000002")
    assert hub.call("sync/push/", {"protocol": 99, "after": 0, "upto": 1}, key=key)[0] == 409
    status, answer = hub.call(
        "sync/push/",
        {
            "protocol": 1,
            "after": 0,
            "upto": 1,
            "business": {"id": "x"},
            "records": [{"model": "accounts.user", "pk": "1", "fields": {}}],
        },
        key=key,
    )
    assert status in (400, 409) and answer["error"]["message"]


def test_the_owner_links_the_store_from_its_page(hub, client):
    from tests.fixtures import login

    hub_business = hub.make_business("Chain H")
    till = make_till()
    open_session(till)
    sell(till, ("cafe", 2))
    login(client, till.owner)

    wrong = client.post("/settings/sync/link/", {"hub_url": hub.url, "code": "ZZZZ-ZZZZ-ZZZZ"})
    assert wrong.status_code == 400
    assert "This pairing code is not valid" in wrong.content.decode()
    unreachable = client.post(
        "/settings/sync/link/", {"hub_url": "http://127.0.0.1:9", "code": "ZZZZ-ZZZZ-ZZZZ"}
    )
    assert unreachable.status_code == 400 and "did not answer" in unreachable.content.decode()
    assert not HubLink.objects.exists()

    code = hub.pairing_code(hub_business, "Till street")["code"]
    linked = client.post("/settings/sync/link/", {"hub_url": hub.url + "/", "code": code})
    assert linked.status_code == 302
    page = client.get("/settings/sync/").content.decode()
    assert 'id="sync-done"' in page  # the first sync ran (the job queue runs at once in tests)
    assert 'id="hub-waiting">0 changes' in page
    assert hub_state(hub, hub_business)["sales"].keys() == {
        str(s.pk) for s in Sale.objects.filter(business=till.business)
    }

    sell(till, ("cafe", 1))
    assert selectors.waiting_count(business=till.business) > 0
    assert client.post("/settings/sync/now/").status_code == 302
    assert 'id="sync-done"' in client.get("/settings/sync/").content.decode()
    assert len(hub_state(hub, hub_business)["sales"]) == 2

    assert client.post("/settings/sync/unlink/").status_code == 302
    assert not HubLink.objects.filter(unlinked_at__isnull=True).exists()
    assert not OutboxEntry.objects.exists()
    sell(till, ("cafe", 1))
    assert not OutboxEntry.objects.exists()  # nothing is noted once unlinked


def test_the_same_owner_is_one_person_and_clashing_names_are_sorted_out(hub):
    """The owner who signed up on both sides is one person and one membership on the hub.
    A store cashier whose employee code a hub cashier has arrives without a code there;
    a barcode the hub has on another product refuses the batch in words, nothing written,
    until it is changed."""
    from hanout.accounts import services as accounts
    from hanout.accounts.models import User
    from hanout.catalog.models import Barcode
    from hanout.pos.tests.factories import make_product
    from tests.factories import make_member

    hub_business = hub.make_business("Chain I")
    hub.run(
        "from hanout.accounts import services as accounts\n"
        "from hanout.accounts.models import Membership\n"
        "from hanout.catalog.models import Barcode, Product\n"
        f"owner = Membership.objects.get(business_id='{hub_business}', role='owner')\n"
        "accounts.employee_create(actor_membership=owner, email='hub.cashier@example.test',"
        " full_name='Hub Cashier', role='cashier', employee_code='2', pin='2468',"
        " send_invitation=False)\n"
        "tea = Product.objects.create(business=owner.business, name='Hub tea', sku='HT1',"
        " sale_price=2, tax_rate=6)\n"
        "Barcode.objects.create(business=owner.business, product=tea, code='77001')"
    )
    person = User.objects.create_user(email=Hub.OWNER.upper(), password="pass-1234-x")
    owner = accounts.business_register(
        store=accounts.StoreDetails(
            name="Corner",
            currency="EUR",
            country="BE",
            time_zone="Europe/Brussels",
            shop_name="Hub shop",  # the hub business's shop has this name too
            language="en",
        ),
        owner=person,
    )
    cashier = make_member(owner, role="cashier", code="2", pin="1357", full_name="Store Cashier")
    make_product(owner.business, "Store coffee", sku="SC1", barcode="77001")
    till = scenario.a_day(owner, sales=3)
    services.hub_link(
        business=till.business,
        hub_url=hub.url,
        code=hub.pairing_code(hub_business)["code"],
        actor=person,
    )

    with pytest.raises(services.HubUnreachable) as exc:
        services.push(business=till.business)
    assert "“77001”" in str(exc.value) and "Change it on one side" in str(exc.value)
    assert HubLink.objects.get().last_error == str(exc.value)
    assert hub_state(hub, hub_business)["sales"] == {}  # the whole batch was refused

    Barcode.objects.filter(business=till.business, code="77001").update(code="77002")
    services.push(business=till.business)

    on_hub = hub.run(
        "from hanout.accounts.models import Membership\n"
        "from hanout.core.models import Shop\n"
        f"b = '{hub_business}'\n"
        "out = [sorted((m.user.email.lower(), m.role, m.employee_code) for m in "
        "Membership.objects.filter(business_id=b).select_related('user')),"
        " sorted(Shop.objects.filter(business_id=b).values_list('name', flat=True))]"
    )
    assert on_hub[0] == [
        [Hub.OWNER, "owner", "1"],
        ["hub.cashier@example.test", "cashier", "2"],
        [cashier.user.email, "cashier", ""],
    ]
    assert on_hub[1] == ["Hub shop", "Hub shop (Store)"]
    assert len(hub_state(hub, hub_business)["sales"]) == 3


def test_a_row_noted_early_and_moved_under_a_later_parent_does_not_stall_the_sync(hub):
    """A product changed (noted), then many sales, then moved into a category made after
    them: the first small batch carries the product in its current state, pointing to a
    category the hub would only get batches later; it comes along in that batch."""
    from hanout.catalog.models import Category, Product

    hub_business = hub.make_business("Chain J")
    till = make_till()
    open_session(till)
    link_and_push(hub, till, hub_business)
    croissant = till["croissant"]
    Product.objects.filter(pk=croissant.pk).update(sale_price="1.10")  # noted early
    for _ in range(6):
        sell(till, ("cafe", 1))
    viennoiseries = Category.objects.create(business=till.business, name="Viennoiseries")
    Product.objects.filter(pk=croissant.pk).update(category=viennoiseries)

    services.push(business=till.business, batch=8)

    assert selectors.waiting_count(business=till.business) == 0
    assert hub.run(
        "from hanout.catalog.models import Product\n"
        f"p = Product.objects.select_related('category').get(pk='{croissant.pk}')\n"
        "out = [p.category.name, str(p.sale_price)]"
    ) == ["Viennoiseries", str(Product.objects.get(pk=croissant.pk).sale_price)]
    assert len(hub_state(hub, hub_business)["sales"]) == 6


def test_deletions_travel_first_and_a_barcode_moved_to_another_product_follows(hub):
    from hanout.catalog.models import Barcode, BarcodeKind
    from hanout.pos.tests.factories import make_product

    hub_business = hub.make_business("Chain K")
    till = make_till()
    gone = make_product(till.business, "Seasonal cake", barcode="5400000000011")
    link_and_push(hub, till, hub_business)
    code = "1946753214860"  # the pain au chocolat's
    Barcode.objects.filter(business=till.business, code=code).delete()
    moved = Barcode.objects.create(
        business=till.business, product=till["chocolat"], code=code, kind=BarcodeKind.EAN13
    )
    gone_id = gone.pk
    gone.delete()  # with its barcode

    services.push(business=till.business)

    assert hub.run(
        "from hanout.catalog.models import Barcode, Product\n"
        f"b = Barcode.objects.get(business_id='{hub_business}', code='{code}')\n"
        f"out = [str(b.pk), str(b.product_id), Product.objects.filter(pk='{gone_id}').count()]"
    ) == [str(moved.pk), str(till["chocolat"].pk), 0]


def test_a_change_of_tags_only_reaches_the_hub(hub):
    """Tagging writes the link table only, never the product's row: its own trigger
    notes the product."""
    from hanout.catalog.models import Tag

    hub_business = hub.make_business("Chain L")
    till = make_till()
    link_and_push(hub, till, hub_business)
    vegan = Tag.objects.create(business=till.business, name="vegan")
    till["pain"].tags.add(vegan)
    assert selectors.waiting_count(business=till.business) >= 2  # the tag, the product

    services.push(business=till.business)
    tagged = f"Product.objects.get(pk='{till['pain'].pk}').tags.values_list('name', flat=True)"
    assert hub.run(f"from hanout.catalog.models import Product\nout = list({tagged})") == ["vegan"]

    till["pain"].tags.remove(vegan)
    services.push(business=till.business)
    assert hub.run(f"from hanout.catalog.models import Product\nout = list({tagged})") == []
