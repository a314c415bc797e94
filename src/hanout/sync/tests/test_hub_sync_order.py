"""The store ↔ hub sync under the review's cases: a transaction committing after a later
one (PostgreSQL), deletions through a full resend and an unlink, a late copy of an older
batch, two processes pushing at once. A hub of its own (the pairing throttle counts per
hub)."""

from __future__ import annotations

import pytest
from django.db import connection

from hanout.pos.tests.factories import make_till
from hanout.sync import selectors, services
from hanout.sync.models import HubLink, OutboxEntry
from hanout.sync.tests.hub import Hub, Store
from hanout.sync.tests.test_hub_sync import (
    hub_facts,
    hub_state,
    link_and_push,
    store_stock,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _http_hub(settings):
    settings.HANOUT_SYNC_ALLOW_HTTP = True  # the test hub listens on plain http://


def _hub_tags(hub: Hub, business_id: str) -> list[str]:
    return hub.run(
        "from hanout.catalog.models import Tag\n"
        f"out = sorted(Tag.objects.filter(business_id='{business_id}')"
        ".values_list('name', flat=True))"
    )


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two transactions writing at once need PostgreSQL"
)
def test_a_change_committed_after_a_later_one_still_reaches_the_hub(hub):
    """Transaction A writes first (its outbox entry is numbered first) and commits last;
    B writes after it and commits, and a push sends B's change while A is still open.
    A's change must still travel, although it was numbered below what was sent."""
    import threading

    from django.db import transaction

    from hanout.catalog.models import Tag

    hub_business = hub.make_business("Chain M")
    till = make_till()
    link_and_push(hub, till, hub_business)
    wrote, pushed = threading.Event(), threading.Event()
    failures = []

    def transaction_a():
        try:
            with transaction.atomic():
                Tag.objects.create(business=till.business, name="late")
                wrote.set()
                assert pushed.wait(120), "the main thread never pushed"
        except Exception as exc:  # noqa: BLE001 - told by the main thread
            failures.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=transaction_a)
    a.start()
    try:
        assert wrote.wait(60), failures
        Tag.objects.create(business=till.business, name="early")  # B, committed at once
        services.push(business=till.business)
        assert _hub_tags(hub, hub_business) == ["early"]
    finally:
        pushed.set()
        a.join(60)
    assert not a.is_alive() and failures == []
    late, early = (
        OutboxEntry.objects.filter(table_name="catalog_tag", row_id=Tag.objects.get(name=n).pk)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
        for n in ("late", "early")
    )
    assert late < early  # A's change was numbered first, and committed last

    services.push(business=till.business)

    assert _hub_tags(hub, hub_business) == ["early", "late"]
    assert selectors.waiting_count(business=till.business) == 0


def test_a_full_resend_carries_the_deletions_the_hub_may_still_hold(hub, monkeypatch):
    """The hub is restored from a backup made before the store deleted a barcode, and the
    store pruned the entries the hub lost: the full resend deletes the barcode too."""
    from hanout.catalog.models import Barcode

    monkeypatch.setattr(services, "KEEP_CONFIRMED", 0)  # every confirmed entry is pruned
    hub_business = hub.make_business("Chain N")
    till = make_till()
    link_and_push(hub, till, hub_business)
    barcode = Barcode.objects.filter(business=till.business).order_by("code").first()
    barcode_id = barcode.pk
    on_hub = (
        "from hanout.catalog.models import Barcode\n"
        f"out = list(Barcode.objects.filter(pk='{barcode_id}').values_list("
        "'business_id', 'product_id', 'code', 'kind'))"
    )
    backup = hub.run(on_hub)
    assert len(backup) == 1
    barcode.delete()
    services.push(business=till.business)
    assert hub.run(on_hub) == []

    # The hub's restore: the barcode is back, and the hub has the store's changes up to
    # the first one only (the store pruned the entries after it long ago).
    business_id, product_id, code, kind = backup[0]
    hub.run(
        "from hanout.catalog.models import Barcode\n"
        "from hanout.sync.models import StoreLink\n"
        f"Barcode.objects.create(id='{barcode_id}', business_id='{business_id}',"
        f" product_id='{product_id}', code='{code}', kind='{kind}')\n"
        f"StoreLink.objects.filter(business_id='{hub_business}').update(received_seq=1)"
    )
    assert len(hub.run(on_hub)) == 1

    services.push(business=till.business)

    assert hub.run(on_hub) == []
    assert hub_state(hub, hub_business)["stock"] == store_stock(till.business)


def test_a_store_unlinked_and_linked_again_loses_no_deletion(hub):
    """A barcode deleted and not sent yet when the store is unlinked, a tag deleted while
    it is unlinked: linked again, the store deletes both on the hub."""
    from hanout.catalog.models import Barcode, Tag

    hub_business = hub.make_business("Chain O")
    # Both codes now: once linked, the store's owner is an owner of the hub business too.
    codes = [hub.pairing_code(hub_business, name)["code"] for name in ("Before", "After")]
    till = make_till()
    tag = Tag.objects.create(business=till.business, name="seasonal")
    services.hub_link(business=till.business, hub_url=hub.url, code=codes[0], actor=till.user)
    services.push(business=till.business)
    barcode = Barcode.objects.filter(business=till.business).order_by("code").first()
    on_hub = (
        "from hanout.catalog.models import Barcode, Tag\n"
        f"out = [Barcode.objects.filter(pk='{barcode.pk}').count(),"
        f" Tag.objects.filter(pk='{tag.pk}').count()]"
    )
    assert hub.run(on_hub) == [1, 1]

    barcode.delete()  # waiting when the store is unlinked
    services.hub_unlink(business=till.business, actor=till.user)
    tag.delete()  # while unlinked
    assert selectors.hub_link_for(business=till.business) is None
    services.hub_link(business=till.business, hub_url=hub.url, code=codes[1], actor=till.user)
    services.push(business=till.business)

    assert hub.run(on_hub) == [0, 0]
    assert selectors.waiting_count(business=till.business) == 0


def test_a_late_copy_of_an_older_batch_changes_nothing(hub, monkeypatch):
    """A batch delivered again after a newer one (held on the way, sent by a store process
    since killed) is acknowledged, not applied: the hub keeps the newer state."""
    import json

    from hanout.catalog.models import Product
    from hanout.sync import wire
    from hanout.sync.crypto import unseal

    hub_business = hub.make_business("Chain P")
    till = make_till()
    link_and_push(hub, till, hub_business)
    batches = []
    call = services._call

    def recording(url, *, body, **kwargs):
        if url.endswith("/push/"):
            batches.append(json.loads(wire.dumps(body)))
        return call(url, body=body, **kwargs)

    monkeypatch.setattr(services, "_call", recording)
    croissant = till["croissant"].pk
    price = (
        "from hanout.catalog.models import Product\n"
        f"out = str(Product.objects.get(pk='{croissant}').sale_price.normalize())"
    )
    Product.objects.filter(pk=croissant).update(sale_price="2.00")
    services.push(business=till.business)
    Product.objects.filter(pk=croissant).update(sale_price="3.00")
    services.push(business=till.business)
    assert len(batches) == 2 and hub.run(price) == "3"

    key = unseal(HubLink.objects.get(business=till.business).sealed_key)
    status, answer = hub.call("sync/push/", batches[0], key=key)  # the older one, again

    assert status == 200, answer
    assert answer["written"] == 0 and answer["received_seq"] == batches[1]["upto"]
    assert hub.run(price) == "3"


def test_two_store_processes_never_push_one_business_at_once(hub, proxy, tmp_path):
    """`hanout sync push` while the job queue's push of the same business is on its way
    (another process: the lock is in the database, not in a process's memory). The held
    push's answer is lost (the proxy drops it): the next push finds the hub ahead of what
    the store knows, and sends the rest."""
    hub_business = hub.make_business("Chain Q")
    paired = hub.pairing_code(hub_business, "Two pushers")
    store = Store(tmp_path / "store")
    store_business = store.open_linked(
        name="Two pushers",
        shop="Kiosk",
        language="en",
        sales=5,
        hub_url=proxy.url,
        code=paired["code"],
    )
    proxy.mode = "hold"
    first = store.push_process()
    try:
        assert proxy.held.wait(60), (store.data_dir / "push.log").read_text()
        proxy.mode = "pass"

        second = store.cli("sync", "push")

        assert second.returncode == 1, second.stdout + second.stderr
        assert "already running" in second.stderr
    finally:
        proxy.release()
    assert first.wait(120) == 1  # its batch reached the hub, the answer did not come back
    assert "did not answer" in (store.data_dir / "push.log").read_text()
    again = store.cli("sync", "push")
    assert again.returncode == 0, again.stdout + again.stderr  # the lease was given back
    on_store = store.run(
        f"from hanout.sync.tests.scenario import facts_of\nout = facts_of('{store_business}')"
    )
    assert hub_facts(hub, hub_business) == on_store
    assert "waiting: 0 changes" in store.cli("sync", "status").stdout


def test_the_push_lease_is_one_process_s_until_it_ends_or_its_process_dies(db):
    """The push lock lives on the hub link's row: a live holder keeps it (here another
    push of this process), one of another machine until its lease ends, and one of this
    machine whose process is gone (killed mid-push) is taken over at once."""
    import os
    import socket
    import subprocess
    import sys
    import uuid
    from datetime import timedelta

    from hanout.core import clock

    till = make_till()
    link = HubLink.objects.create(
        business=till.business,
        hub_url="https://hub.example.test",
        link_id=uuid.uuid4(),
        hub_business_id=uuid.uuid4(),
        sealed_key="-",
        linked_by=till.user,
        linked_at=clock.now(),
    )
    host, later = socket.gethostname(), clock.now() + timedelta(minutes=5)
    rows = HubLink.objects.filter(pk=link.pk)

    rows.update(push_holder=f"{host} {os.getpid()} other", push_until=later)
    with pytest.raises(services.HubUnreachable, match="already running"):
        services.push(business=till.business)
    rows.update(push_holder="elsewhere 1 other", push_until=later)
    assert not services._lease_take(link, f"{host} {os.getpid()} me")
    rows.update(push_until=clock.now() - timedelta(seconds=1))
    assert services._lease_take(link, f"{host} {os.getpid()} me")  # its lease ended

    finished = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    rows.update(push_holder=f"{host} {finished.stdout.strip()} killed", push_until=later)
    assert services._lease_take(link, f"{host} {os.getpid()} me")
    assert rows.get().push_holder == f"{host} {os.getpid()} me"
    services._lease_release(link, f"{host} {os.getpid()} me")
    assert rows.get().push_holder == "" and rows.get().push_until is None
