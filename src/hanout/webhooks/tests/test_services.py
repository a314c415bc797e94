"""Webhook services against a real HTTP receiver (http.server on 127.0.0.1)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db.models import F

from hanout.core import clock
from hanout.core.errors import PermissionDenied, ValidationFailed
from hanout.core.events import Event
from hanout.core.models import AuditEntry
from hanout.core.permissions import Role
from hanout.webhooks import services, signing
from hanout.webhooks import services_deliveries as sending
from hanout.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

EVENTS = ["sale.completed", "order.status_changed"]


def make_endpoint(membership, receiver, events=EVENTS, **data):
    endpoint, secret = services.endpoint_create(
        business=membership.business,
        actor=membership.user,
        data={"url": receiver.url, "events": events, **data},
    )
    receiver.secret = secret
    return endpoint


def fire(business, name="sale.completed", payload=None, capture=None):
    event = Event(name=name, business_id=str(business.pk), payload=payload or {"id": "t-1"})
    if capture is None:
        return sending.deliveries_for_event(event=event)
    with capture(execute=True):
        return sending.deliveries_for_event(event=event)


@pytest.fixture
def at(monkeypatch):
    """Move the clock: at(minutes=6) puts `clock.now` 6 minutes after the real now."""
    start = clock.now()

    def move(**delta):
        later = start + timedelta(**delta)
        monkeypatch.setattr(clock, "now", lambda: later)
        return later

    return move


# --- registering endpoints ---------------------------------------------------------------


def test_owner_registers_an_endpoint_and_gets_its_secret_once(owner, receiver):
    endpoint, secret = services.endpoint_create(
        business=owner.business,
        actor=owner.user,
        data={"url": receiver.url, "events": ["stock.low", "sale.completed", "stock.low"]},
    )
    assert secret.startswith("whsec_") and secret not in endpoint.secret_encrypted
    assert endpoint.events == ["sale.completed", "stock.low"]  # known order, no repeats
    assert services.endpoint_secret_reveal(endpoint=endpoint, membership=owner) == secret
    actions = set(
        AuditEntry.objects.filter(business=owner.business).values_list("action", flat=True)
    )
    assert {"webhook.create", "webhook.secret_reveal"} <= actions


def test_only_the_owner_can_reveal_the_secret(owner, member_factory, receiver):
    endpoint = make_endpoint(owner, receiver)
    manager = member_factory(role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.endpoint_secret_reveal(endpoint=endpoint, membership=manager)


def test_rotating_the_secret_signs_with_the_new_one(
    owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(owner, receiver)
    _, new = services.endpoint_secret_rotate(endpoint=endpoint, actor=owner.user)
    assert new != receiver.secret
    receiver.secret = new
    fire(owner.business, capture=django_capture_on_commit_callbacks)
    assert receiver.requests[0].signature_ok


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "", "events": ["sale.completed"]}, "url"),
        ({"url": "not a url", "events": ["sale.completed"]}, "url"),
        ({"url": "ftp://93.184.215.14/x", "events": ["sale.completed"]}, "url"),
        ({"url": "https://u:p@93.184.215.14/x", "events": ["sale.completed"]}, "url"),
        ({"url": "https://93.184.215.14/x", "events": []}, "events"),
        (
            {"url": "https://93.184.215.14/x", "events": ["sale.completed", "sale.exploded"]},
            "events",
        ),
        ({"url": "https://93.184.215.14/x"}, "events"),
    ],
)
def test_bad_endpoint_input_is_refused_and_nothing_written(owner, local_targets, data, field):
    with pytest.raises(ValidationFailed) as exc:
        services.endpoint_create(business=owner.business, actor=owner.user, data=data)
    assert field in exc.value.fields
    assert not WebhookEndpoint.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="webhook.").exists()


def test_plain_http_needs_the_operators_permission(owner, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    with pytest.raises(ValidationFailed, match="https"):
        services.endpoint_create(
            business=owner.business,
            actor=owner.user,
            data={"url": "http://93.184.215.14/hook", "events": ["sale.completed"]},
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]:8443/hook",
        "https://192.168.1.20/hook",
        "https://localhost/hook",
        "https://0.0.0.0/hook",
        "https://[::ffff:127.0.0.1]/hook",
    ],
)
def test_ssrf_guard_refuses_private_addresses_when_saving(owner, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationFailed, match="private") as exc:
        services.endpoint_create(
            business=owner.business, actor=owner.user, data={"url": url, "events": EVENTS}
        )
    assert "url" in exc.value.fields
    assert not WebhookEndpoint.objects.exists()


def test_ssrf_guard_refuses_a_private_address_on_update(owner, receiver, settings):
    endpoint = make_endpoint(owner, receiver)
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationFailed, match="private"):
        services.endpoint_update(
            endpoint=endpoint, actor=owner.user, data={"url": "https://10.0.0.8/h"}
        )
    endpoint.refresh_from_db()
    assert endpoint.url == receiver.url


def test_ssrf_guard_checks_again_when_sending(
    owner, receiver, settings, django_capture_on_commit_callbacks
):
    """Saved while allowed (or while DNS said public): the send is still refused."""
    make_endpoint(owner, receiver)
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert receiver.requests == []
    assert "private" in delivery.last_error
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempt_count == 1
    assert delivery.attempts.get().status_code is None


# --- sending ------------------------------------------------------------------------------


def test_a_signed_event_reaches_the_real_receiver(
    owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(owner, receiver)
    (delivery,) = fire(
        owner.business,
        payload={"id": "s-1", "total": "12.50"},
        capture=django_capture_on_commit_callbacks,
    )
    (got,) = receiver.requests
    assert got.signature_ok
    assert got.path == "/hooks/hanout"
    assert got.headers["Hanout-Event"] == "sale.completed"
    assert got.headers["Hanout-Delivery"] == str(delivery.pk)
    assert got.headers["Hanout-Signature"].startswith(f"t={got.headers['Hanout-Timestamp']},v1=")
    body = got.json
    assert set(body) == {"id", "event", "created_at", "business", "data"}
    assert body["business"] == str(owner.business.pk)
    assert body["data"] == {"id": "s-1", "total": "12.50"}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempt_count == 1
    attempt = delivery.attempts.get()
    assert attempt.status_code == 200 and attempt.succeeded and attempt.response_body
    assert delivery.endpoint == endpoint and delivery.last_response_ms is not None


def test_a_tampered_body_fails_verification(owner, receiver):
    secret = signing.new_secret()
    header = signing.signature(secret, 1_700_000_000, b'{"a":1}')
    assert signing.verify(secret, header, b'{"a":1}', now=1_700_000_010)
    assert not signing.verify(secret, header, b'{"a":2}', now=1_700_000_010)
    assert not signing.verify(secret, header, b'{"a":1}', now=1_700_001_000)  # stale
    assert not signing.verify("whsec_other", header, b'{"a":1}', now=1_700_000_010)


def test_a_receiver_failing_twice_then_succeeding_gets_exactly_one_accepted_delivery(
    owner, receiver, at, django_capture_on_commit_callbacks
):
    receiver.script = [(500, 0), (503, 0), (200, 0)]
    make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempt_count == 1

    at(seconds=30)  # not due yet: nothing is sent
    assert sending.deliveries_send_due() == 0
    at(minutes=1, seconds=5)  # first retry after 1 minute
    sending.deliveries_send_due()
    at(minutes=7)  # second retry 5 minutes later
    sending.deliveries_send_due()
    at(days=2)  # nothing left to do
    assert sending.deliveries_send_due() == 0

    assert len(receiver.requests) == 3
    assert len(receiver.accepted) == 1
    assert len({r.json["id"] for r in receiver.requests}) == 1  # the same event each time
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempt_count == 3
    codes = list(delivery.attempts.order_by("number").values_list("number", "status_code"))
    assert codes == [(1, 500), (2, 503), (3, 200)]
    assert len(delivery.attempts.get(number=1).response_body) <= 2000


def test_retries_back_off_then_give_up(owner, receiver, at, django_capture_on_commit_callbacks):
    receiver.script = [(500, 0)]
    make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    minutes = 0
    for delay in sending.RETRY_DELAYS:
        delivery.refresh_from_db()
        expected = clock.now() + delay if minutes == 0 else None
        assert delivery.next_attempt_at is not None
        if expected is not None:
            assert abs((delivery.next_attempt_at - expected).total_seconds()) < 5
        minutes += delay.total_seconds() / 60 + 1
        at(minutes=minutes)
        sending.deliveries_send_due()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempt_count == sending.MAX_ATTEMPTS == len(receiver.requests)
    at(days=30)
    assert sending.deliveries_send_due() == 0


def test_a_slow_receiver_times_out_and_is_retried(
    owner, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_TIMEOUT = 0.3
    receiver.script = [(200, 1.0)]
    make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert "No answer within" in delivery.last_error
    attempt = delivery.attempts.get()
    assert attempt.status_code is None and attempt.response_ms >= 250


def test_a_redirect_is_not_followed(owner, receiver, django_capture_on_commit_callbacks):
    receiver.script = [(302, 0)]
    make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1 and delivery.last_status_code == 302
    assert delivery.status == DeliveryStatus.PENDING


def test_a_replay_is_a_new_delivery_marked_as_such_and_sent_once(
    owner, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(owner, receiver)
    (original,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    receiver.script = [(200, 0), (500, 0)]
    with django_capture_on_commit_callbacks(execute=True):
        replay = sending.delivery_replay(delivery=original, actor=owner.user)
    replay.refresh_from_db()
    assert replay.replay_of == original and replay.max_attempts == 1
    assert replay.status == DeliveryStatus.FAILED and replay.attempt_count == 1
    first, second = receiver.requests
    assert second.headers["Hanout-Delivery"] == str(replay.pk)
    assert second.body == first.body  # the same event, byte for byte
    assert AuditEntry.objects.filter(action="webhook.replay").count() == 1


def test_send_test_event_pings_the_endpoint(owner, receiver, django_capture_on_commit_callbacks):
    endpoint = make_endpoint(owner, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = sending.endpoint_send_test(endpoint=endpoint, actor=owner.user)
    (got,) = receiver.requests
    assert got.headers["Hanout-Event"] == "ping" and got.signature_ok
    assert got.json["data"]["endpoint"] == str(endpoint.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


# --- who gets what ------------------------------------------------------------------------


def test_an_event_of_one_business_never_reaches_another(
    owner, other_owner, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(owner, receiver)
    theirs, _ = services.endpoint_create(
        business=other_owner.business,
        actor=other_owner.user,
        data={"url": receiver.url + "?b", "events": EVENTS},
    )
    fire(owner.business, capture=django_capture_on_commit_callbacks)
    assert [r.path for r in receiver.requests] == ["/hooks/hanout"]
    assert not WebhookDelivery.objects.filter(endpoint=theirs).exists()
    assert WebhookDelivery.objects.get().business == owner.business


def test_inactive_endpoints_and_unchosen_events_get_nothing(
    owner, receiver, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(owner, receiver, events=["stock.low"])
    fire(owner.business, "sale.completed", capture=django_capture_on_commit_callbacks)
    services.endpoint_update(endpoint=endpoint, actor=owner.user, data={"is_active": False})
    fire(owner.business, "stock.low", capture=django_capture_on_commit_callbacks)
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_pending_retry_stops_when_the_endpoint_is_switched_off(
    owner, receiver, at, django_capture_on_commit_callbacks
):
    receiver.script = [(500, 0), (200, 0)]
    endpoint = make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    services.endpoint_update(endpoint=endpoint, actor=owner.user, data={"is_active": False})
    at(minutes=2)
    sending.deliveries_send_due()
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1 and delivery.status == DeliveryStatus.FAILED
    assert "inactive" in delivery.last_error


def test_a_delivery_is_never_sent_twice_for_one_attempt(
    owner, receiver, django_capture_on_commit_callbacks
):
    make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business)  # not committed: no job ran
    assert sending.delivery_attempt(delivery_id=delivery.pk) is not None
    assert sending.delivery_attempt(delivery_id=delivery.pk) is None  # already delivered
    assert len(receiver.requests) == 1
    assert WebhookAttempt.objects.count() == 1


def test_every_listed_event_is_subscribed():
    from hanout.core.events import _subscribers
    from hanout.webhooks.models import EVENTS as ALL
    from hanout.webhooks.subscribers import _on_event

    assert all(_on_event in _subscribers[name] for name in ALL)
    assert "expense.created" in ALL


def test_payload_is_json_as_sent(owner, receiver, django_capture_on_commit_callbacks):
    make_endpoint(owner, receiver)
    (delivery,) = fire(
        owner.business, payload={"name": "Café crème"}, capture=django_capture_on_commit_callbacks
    )
    assert json.loads(delivery.body)["data"]["name"] == "Café crème"
    assert receiver.requests[0].json["data"]["name"] == "Café crème"


def test_an_inactive_endpoint_is_never_called(owner, receiver, django_capture_on_commit_callbacks):
    from hanout.core.errors import Conflict

    endpoint = make_endpoint(owner, receiver)
    (original,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    services.endpoint_update(endpoint=endpoint, actor=owner.user, data={"is_active": False})
    with pytest.raises(Conflict):
        sending.endpoint_send_test(endpoint=endpoint, actor=owner.user)
    with pytest.raises(Conflict):
        sending.delivery_replay(delivery=original, actor=owner.user)
    assert len(receiver.requests) == 1 and WebhookDelivery.objects.count() == 1


def test_the_demo_records_deliveries_without_calling_out(
    owner, receiver, settings, django_capture_on_commit_callbacks
):
    from hanout.webhooks import demo

    settings.WEBHOOKS_ALLOW_PRIVATE = False
    spec = {"owner": owner.user}
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(owner.business, spec)
        demo.load(owner.business, spec)  # idempotent
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.is_active
    deliveries = list(WebhookDelivery.objects.all())
    assert len(deliveries) == 2
    assert all(d.status == DeliveryStatus.FAILED and "inactive" in d.last_error for d in deliveries)


def test_a_delivery_lost_during_its_last_attempt_fails_after_the_lease(owner, receiver, at):
    make_endpoint(owner, receiver)
    (delivery,) = fire(owner.business)  # not committed: no job ran
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempt_count=F("max_attempts"))
    at(minutes=1)
    assert sending.deliveries_send_due() == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "interrupted" in delivery.last_error
    assert receiver.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/h",
        "http://10.20.30.40/h",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/h",
        "http://[fe80::1]/h",
        "http://224.0.0.1/h",
    ],
)
def test_the_sender_refuses_private_addresses_itself(settings, monkeypatch, url):
    from hanout.webhooks import guard

    settings.WEBHOOKS_ALLOW_PRIVATE, settings.WEBHOOKS_ALLOW_HTTP = False, True
    monkeypatch.setattr(
        guard.socket, "create_connection", lambda *a, **k: pytest.fail("must not connect")
    )
    result = guard.post(url, b"{}", {})
    assert result.status_code is None and "private" in result.error


def test_a_host_that_now_resolves_to_a_private_address_is_refused_at_send(
    owner, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """DNS rebinding: public when saved, private when sent."""
    import socket

    from hanout.webhooks import guard

    settings.WEBHOOKS_ALLOW_PRIVATE = False
    answer = {"ip": "93.184.215.14"}
    monkeypatch.setattr(
        guard.socket,
        "getaddrinfo",
        lambda host, port, **kw: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (answer["ip"], port))
        ],
    )
    monkeypatch.setattr(
        guard.socket, "create_connection", lambda *a, **k: pytest.fail("must not connect")
    )
    services.endpoint_create(
        business=owner.business,
        actor=owner.user,
        data={"url": "https://hooks.partner.test/in", "events": EVENTS},
    )
    answer["ip"] = "10.0.0.5"
    (delivery,) = fire(owner.business, capture=django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert "private" in delivery.last_error and delivery.status == DeliveryStatus.PENDING
