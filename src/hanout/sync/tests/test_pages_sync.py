"""The Hub sync page and API, hub side: store links, pairing codes shown once, revoke."""

from __future__ import annotations

from hanout.core.permissions import Role
from hanout.sync import outbox
from hanout.sync.models import StoreLink
from tests.factories import make_member
from tests.fixtures import api_client_for, login


def test_the_owner_makes_a_pairing_code_shown_once(owner_client, owner):
    response = owner_client.post("/settings/sync/stores/new/", {"name": "Shop on Main Street"})
    assert response.status_code == 302 and response["Location"].endswith("#stores")
    page = owner_client.get("/settings/sync/").content.decode()
    link = StoreLink.objects.get(business=owner.business)
    assert "Shop on Main Street" in page and 'id="new-code-value"' in page
    assert link.state == "waiting" and link.code_hash
    assert 'id="new-code-value"' not in owner_client.get("/settings/sync/").content.decode()


def test_a_store_needs_a_name(owner_client, owner):
    response = owner_client.post("/settings/sync/stores/new/", {"name": "  "})
    assert response.status_code == 400
    assert not StoreLink.objects.exists()


def test_revoke_and_other_tenants(owner_client, owner, other_owner):
    owner_client.post("/settings/sync/stores/new/", {"name": "Alpha street shop"})
    link = StoreLink.objects.get()
    response = owner_client.post(f"/settings/sync/stores/{link.pk}/revoke/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.state == "revoked" and link.key_hash is None and link.code_hash == ""
    other = login(owner_client.__class__(), other_owner)
    assert other.post(f"/settings/sync/stores/{link.pk}/revoke/").status_code == 404
    assert "Alpha street shop" not in other.get("/settings/sync/").content.decode()


def test_a_manager_reads_but_cannot_change(client, owner):
    manager = make_member(owner, role=Role.MANAGER)
    login(client, manager)
    page = client.get("/settings/sync/")
    assert page.status_code == 200
    assert b"store-new-form" not in page.content and b"hub-link-form" not in page.content
    assert client.post("/settings/sync/stores/new/", {"name": "X"}).status_code == 403
    assert not StoreLink.objects.exists()


def test_a_cashier_cannot_see_the_page(client, owner):
    login(client, make_member(owner, role=Role.CASHIER))
    assert client.get("/settings/sync/").status_code == 403


def test_the_api_makes_lists_and_revokes_store_links(owner, other_owner):
    api = api_client_for(owner)
    made = api.post("/api/v1/sync/stores/", {"name": "Souk stall"}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert body["state"] == "waiting" and len(body["code"]) == 14
    listed = api.get("/api/v1/sync/stores/").json()["results"]
    assert [s["name"] for s in listed] == ["Souk stall"] and "code" not in listed[0]
    other = api_client_for(other_owner)
    assert other.post(f"/api/v1/sync/stores/{body['id']}/revoke/").status_code == 404
    revoked = api.post(f"/api/v1/sync/stores/{body['id']}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    assert api.post("/api/v1/sync/stores/", {"name": ""}, format="json").status_code == 400


def test_the_triggers_come_back_after_a_migration(db):
    """SQLite rebuilds a table to alter it, which drops its triggers: every migrate
    makes them again."""
    from django.core.management import call_command
    from django.db import connection

    table = "pos_sale"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {outbox.TRIGGER}_insert_{table}")
        else:
            cursor.execute(f"DROP TRIGGER {outbox.TRIGGER} ON {table}")
    assert outbox.missing_triggers() == [table]
    call_command("migrate", verbosity=0)
    assert outbox.missing_triggers() == []


def test_a_day_without_sync_is_told_once_on_both_sides(
    owner, smtp_server, django_capture_on_commit_callbacks
):
    """The store's owners hear of a hub that has failed for a day; the hub's owners of a
    store that has not called for a day; once per silence."""
    from datetime import timedelta

    from hanout.core import clock
    from hanout.notifications.models import Notification
    from hanout.sync import services
    from hanout.sync.crypto import seal
    from hanout.sync.models import HubLink

    now = clock.now()
    HubLink.objects.create(
        business=owner.business,
        hub_url="https://hub.example",
        link_id="01234567-89ab-7def-8123-000000000009",
        hub_business_id="01234567-89ab-7def-8123-00000000000a",
        sealed_key=seal("k"),
        linked_by=owner.user,
        linked_at=now - timedelta(days=3),
        last_success_at=now - timedelta(days=2),
        failing_since=now - timedelta(hours=25),
        last_error="The hub at https://hub.example did not answer (timed out).",
    )
    link, _code = services.store_link_create(business=owner.business, name="Souk", actor=owner.user)
    StoreLink.objects.filter(pk=link.pk).update(
        linked_at=now - timedelta(days=2), last_sync_at=now - timedelta(hours=30)
    )
    fresh, _code = services.store_link_create(business=owner.business, name="New", actor=owner.user)
    StoreLink.objects.filter(pk=fresh.pk).update(linked_at=now - timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.silence_alerts() == 2
    kinds = sorted(Notification.objects.filter(recipient=owner.user).values_list("kind", flat=True))
    assert kinds == ["sync.hub_store_silent", "sync.store_silent"]
    titles = " ".join(Notification.objects.values_list("title", flat=True))
    assert "Souk has not synced for a day" in titles and "New" not in titles
    assert services.silence_alerts() == 0  # once per silence
    assert len(smtp_server.messages) == 2

    # Back in touch, then silent again: told again.
    StoreLink.objects.filter(pk=link.pk).update(alerted_at=None, last_sync_at=now)
    assert services.silence_alerts() == 0
