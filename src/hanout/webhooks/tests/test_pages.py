"""The webhook pages, driven through Django's test client like a person would."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hanout.core.events import Event
from hanout.core.permissions import Role
from hanout.webhooks import services
from hanout.webhooks import services_deliveries as sending
from hanout.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import login

pytestmark = pytest.mark.django_db


def client_for(membership) -> Client:
    return login(Client(), membership)


def _endpoint(membership, receiver, **data):
    endpoint, secret = services.endpoint_create(
        business=membership.business,
        actor=membership.user,
        data={"url": receiver.url, "events": ["sale.completed"], **data},
    )
    receiver.secret = secret
    return endpoint


def test_owner_adds_an_endpoint_sees_the_secret_once_and_sends_a_test(
    owner_client, owner, receiver, django_capture_on_commit_callbacks
):
    page = owner_client.get(reverse("webhook_create"))
    assert page.status_code == 200 and b'value="order.status_changed"' in page.content
    response = owner_client.post(
        reverse("webhook_create"),
        {"url": receiver.url, "events": ["sale.completed", "stock.low"], "is_active": "on"},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "webhook_detail", args=[endpoint.pk]
    )
    detail = owner_client.get(response["Location"]).content.decode()
    assert "whsec_" in detail and 'id="webhook-secret"' in detail
    again = owner_client.get(response["Location"]).content.decode()
    assert 'id="webhook-secret"' not in again  # shown once
    assert endpoint.events == ["sale.completed", "stock.low"]

    receiver.secret = services.endpoint_secret_reveal(endpoint=endpoint, membership=owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("webhook_test", args=[endpoint.pk]))
    delivery = WebhookDelivery.objects.get()
    assert response["Location"] == reverse("webhook_delivery_detail", args=[delivery.pk])
    assert receiver.requests[0].signature_ok
    page = owner_client.get(response["Location"]).content.decode()
    assert "ping" in page and "Replay" in page and "Hanout-Signature" in page


def test_a_private_address_is_refused_beside_the_url_and_nothing_saved(owner_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = owner_client.post(
        reverse("webhook_create"),
        {"url": "https://169.254.169.254/latest", "events": ["sale.completed"]},
    )
    assert response.status_code == 400
    assert "private" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_no_event_chosen_is_refused(owner_client, local_targets):
    response = owner_client.post(
        reverse("webhook_create"), {"url": "https://93.184.215.14/h", "events": []}
    )
    assert response.status_code == 400 and "at least one event" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_edit_and_replay_from_the_page(
    owner_client, owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(owner, receiver)
    response = owner_client.post(
        reverse("webhook_edit", args=[endpoint.pk]),
        {"url": receiver.url, "events": ["stock.low"], "description": "ERP", "is_active": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == ["stock.low"] and endpoint.description == "ERP"

    with django_capture_on_commit_callbacks(execute=True):
        (original,) = sending.deliveries_for_event(
            event=Event("stock.low", str(owner.business.pk), {"levels": []})
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("webhook_delivery_replay", args=[original.pk]))
    replay = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert replay.replay_of == original
    assert response["Location"] == reverse("webhook_delivery_detail", args=[replay.pk])
    page = owner_client.get(response["Location"]).content.decode()
    assert "Replay of" in page
    assert len(receiver.requests) == 2


def test_another_business_gets_404(owner, other_owner, receiver):
    endpoint = _endpoint(owner, receiver)
    (delivery,) = sending.deliveries_for_event(
        event=Event("sale.completed", str(owner.business.pk), {})
    )
    theirs = client_for(other_owner)
    for name, pk in [
        ("webhook_detail", endpoint.pk),
        ("webhook_edit", endpoint.pk),
        ("webhook_delivery_detail", delivery.pk),
    ]:
        assert theirs.get(reverse(name, args=[pk])).status_code == 404
    for name, pk in [
        ("webhook_test", endpoint.pk),
        ("webhook_delete", endpoint.pk),
        ("webhook_secret", endpoint.pk),
        ("webhook_delivery_replay", delivery.pk),
    ]:
        assert theirs.post(reverse(name, args=[pk])).status_code == 404
    assert WebhookEndpoint.objects.count() == 1 and WebhookDelivery.objects.count() == 1


def test_managers_read_but_do_not_change_staff_see_nothing(owner, member_factory, receiver):
    endpoint = _endpoint(owner, receiver)
    manager = client_for(member_factory(role=Role.MANAGER))
    page = manager.get(reverse("webhook_detail", args=[endpoint.pk]))
    assert page.status_code == 200 and b"Send a test event" not in page.content
    assert b"Show the secret" not in page.content
    assert manager.post(reverse("webhook_delete", args=[endpoint.pk])).status_code == 403
    assert manager.get(reverse("webhook_create")).status_code == 403
    staff = client_for(member_factory(role=Role.STAFF))
    assert staff.get(reverse("webhook_list")).status_code == 403
    assert WebhookEndpoint.objects.count() == 1


def test_the_owner_deletes_an_endpoint(owner_client, owner, receiver):
    endpoint = _endpoint(owner, receiver)
    response = owner_client.post(reverse("webhook_delete", args=[endpoint.pk]))
    assert response["Location"] == reverse("webhook_list")
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_page_query_count_does_not_grow(
    owner_client, owner, receiver, django_assert_max_num_queries
):
    endpoint = _endpoint(owner, receiver)
    owner_client.get(reverse("webhook_list"))
    counts = []
    for n in (2, 25):
        for _ in range(n):
            sending.deliveries_for_event(event=Event("sale.completed", str(owner.business.pk), {}))
        with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(12):
            page = owner_client.get(reverse("webhook_detail", args=[endpoint.pk]))
            assert page.status_code == 200
            assert owner_client.get(reverse("webhook_list")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1], [q["sql"] for q in ctx.captured_queries]
