"""Webhooks through the REST API: endpoints CRUD, deliveries, replay, permissions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hanout.core.events import Event
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.webhooks import services
from hanout.webhooks import services_deliveries as sending
from hanout.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.fixtures import api_client_for
from tests.test_api_common import assert_error

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints/"
DELIVERIES = "/api/v1/webhooks/deliveries/"
MAX_LIST_QUERIES = 4  # token + membership, module access, the page


def test_owner_creates_reads_updates_and_deletes_an_endpoint(owner_api, receiver):
    response = owner_api.post(
        ENDPOINTS,
        {"url": receiver.url, "events": ["sale.completed"], "description": "ERP"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["secret"].endswith(body["secret_hint"])
    pk = body["id"]
    got = owner_api.get(f"{ENDPOINTS}{pk}/").json()
    assert "secret" not in got and got["events"] == ["sale.completed"]
    assert [e["id"] for e in owner_api.get(ENDPOINTS).json()["results"]] == [pk]

    response = owner_api.patch(
        f"{ENDPOINTS}{pk}/", {"events": ["stock.low", "invoice.issued"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["events"] == [
        "stock.low",
        "invoice.issued",
    ]
    revealed = owner_api.post(f"{ENDPOINTS}{pk}/reveal-secret/").json()["secret"]
    assert revealed == body["secret"]
    rotated = owner_api.post(f"{ENDPOINTS}{pk}/rotate-secret/").json()["secret"]
    assert rotated != revealed
    assert owner_api.delete(f"{ENDPOINTS}{pk}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "https://10.0.0.1/h", "events": ["sale.completed"]}, "url"),
        ({"url": "https://127.0.0.1/h", "events": ["sale.completed"]}, "url"),
        ({"url": "nope", "events": ["sale.completed"]}, "url"),
        ({"url": "https://93.184.215.14/h", "events": []}, "events"),
        ({"url": "https://93.184.215.14/h", "events": ["sale.exploded"]}, "events"),
        ({"url": "https://93.184.215.14/h"}, "events"),
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_is_written(owner_api, settings, data, field):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    error = assert_error(owner_api.post(ENDPOINTS, data, format="json"), 400, field=field)
    if data.get("url", "").startswith("https://1"):
        assert "private" in error["message"]
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="webhook.").exists()


def _endpoint(membership, receiver, **data):
    endpoint, secret = services.endpoint_create(
        business=membership.business,
        actor=membership.user,
        data={"url": receiver.url, "events": ["sale.completed"], **data},
    )
    receiver.secret = secret
    return endpoint


def test_test_event_replay_and_delivery_detail(
    owner_api, owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(owner, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(f"{ENDPOINTS}{endpoint.pk}/test/")
    assert response.status_code == 202, response.content
    ping = response.json()
    assert ping["event"] == "ping"
    assert receiver.requests[-1].headers["Hanout-Event"] == "ping"

    detail = owner_api.get(f"{DELIVERIES}{ping['id']}/").json()
    assert detail["status"] == "succeeded" and detail["body"]["event"] == "ping"
    (attempt,) = detail["attempts"]
    assert attempt["status_code"] == 200 and attempt["response_ms"] >= 0

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_api.post(f"{DELIVERIES}{ping['id']}/replay/")
    assert response.status_code == 201, response.content
    replay = response.json()
    assert replay["replay_of"] == ping["id"] and replay["id"] != ping["id"]
    assert len(receiver.requests) == 2
    assert owner_api.get(f"{DELIVERIES}{replay['id']}/").json()["status"] == "succeeded"


def test_deliveries_filter_by_endpoint_event_and_status(owner_api, owner, receiver):
    first = _endpoint(owner, receiver)
    second = _endpoint(owner, receiver, events=["stock.low"])
    sending.deliveries_for_event(event=Event("sale.completed", str(owner.business.pk), {"id": 1}))
    sending.deliveries_for_event(event=Event("stock.low", str(owner.business.pk), {"id": 2}))
    rows = owner_api.get(DELIVERIES).json()["results"]
    assert len(rows) == 2
    by_endpoint = owner_api.get(DELIVERIES, {"endpoint": str(second.pk)}).json()["results"]
    assert [r["event"] for r in by_endpoint] == ["stock.low"]
    assert [
        r["endpoint"]
        for r in owner_api.get(DELIVERIES, {"event": "sale.completed"}).json()["results"]
    ] == [str(first.pk)]
    assert len(owner_api.get(DELIVERIES, {"status": "pending"}).json()["results"]) == 2
    assert owner_api.get(DELIVERIES, {"status": "succeeded"}).json()["results"] == []
    assert_error(owner_api.get(DELIVERIES, {"status": "exploded"}), 400, field="status")
    assert_error(owner_api.get(DELIVERIES, {"event": "nope"}), 400, field="event")


def test_another_business_sees_404_and_changes_nothing(owner, other_owner, receiver):
    endpoint = _endpoint(owner, receiver)
    (delivery,) = sending.deliveries_for_event(
        event=Event("sale.completed", str(owner.business.pk), {"id": 1})
    )
    theirs = api_client_for(other_owner)
    for method, url in [
        ("get", f"{ENDPOINTS}{endpoint.pk}/"),
        ("patch", f"{ENDPOINTS}{endpoint.pk}/"),
        ("delete", f"{ENDPOINTS}{endpoint.pk}/"),
        ("post", f"{ENDPOINTS}{endpoint.pk}/test/"),
        ("post", f"{ENDPOINTS}{endpoint.pk}/reveal-secret/"),
        ("post", f"{ENDPOINTS}{endpoint.pk}/rotate-secret/"),
        ("get", f"{DELIVERIES}{delivery.pk}/"),
        ("post", f"{DELIVERIES}{delivery.pk}/replay/"),
    ]:
        assert_error(getattr(theirs, method)(url, {}, format="json"), 404)
    assert theirs.get(ENDPOINTS).json()["results"] == []
    assert theirs.get(DELIVERIES).json()["results"] == []
    assert_error(theirs.get(DELIVERIES, {"endpoint": str(endpoint.pk)}), 404, field="endpoint")
    assert WebhookDelivery.objects.count() == 1 and WebhookEndpoint.objects.count() == 1


def test_managers_read_staff_are_refused_only_owners_see_secrets(owner, member_factory, receiver):
    endpoint = _endpoint(owner, receiver)
    manager = api_client_for(member_factory(role=Role.MANAGER))
    assert manager.get(ENDPOINTS).status_code == 200
    assert_error(
        manager.post(ENDPOINTS, {"url": receiver.url, "events": ["stock.low"]}, format="json"),
        403,
    )
    assert_error(manager.post(f"{ENDPOINTS}{endpoint.pk}/reveal-secret/"), 403)
    staff = api_client_for(member_factory(role=Role.STAFF))
    assert_error(staff.get(ENDPOINTS), 403)
    assert_error(staff.get(DELIVERIES), 403)


def test_deliveries_list_query_count_does_not_grow(
    owner_api, owner, receiver, django_assert_max_num_queries
):
    endpoints = [_endpoint(owner, receiver), _endpoint(owner, receiver)]
    owner_api.get(DELIVERIES)  # the token's first use is recorded once; not part of the count
    counts = []
    for n in (2, 20):
        for _ in range(n):
            sending.deliveries_for_event(
                event=Event("sale.completed", str(owner.business.pk), {"id": 1})
            )
        with (
            CaptureQueriesContext(connection) as ctx,
            django_assert_max_num_queries(MAX_LIST_QUERIES),
        ):
            response = owner_api.get(DELIVERIES)
        assert response.status_code == 200
        counts.append(len(ctx))
    assert len(response.json()["results"]) == len(endpoints) * (2 + 20)
    assert counts[0] == counts[1], [q["sql"] for q in ctx.captured_queries]
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        assert owner_api.get(ENDPOINTS).status_code == 200
