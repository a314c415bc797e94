"""Phone payment by QR code, service by service: a cashier shows a QR code, the
customer pays on a phone, the register is told. Declines, expiry, cancelling,
double confirmations, replays and other tenants."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from hanout.core import clock
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.events import _subscribers
from hanout.core.models import AuditEntry
from hanout.pos import payments
from hanout.pos import services_payments as services
from hanout.pos.models import CashSession, PaymentLink, PaymentLinkStatus, SessionStatus
from hanout.pos.tests.payments_support import (
    APPROVED,
    BASKET,
    DECLINED,
    NO_FUNDS,
    make_link,
    make_register,
    pay,
)
from tests.factories import make_business

pytestmark = pytest.mark.django_db

EVENTS = ("payment.confirmed", "payment.cancelled", "payment.expired")


@pytest.fixture
def events():
    """Every payment event dispatched after commit, as (name, payload)."""
    seen: list[tuple[str, dict]] = []

    def grab(event):
        seen.append((event.name, event.payload))

    for name in EVENTS:
        _subscribers[name].append(grab)
    yield seen
    for name in EVENTS:
        _subscribers[name].remove(grab)


@pytest.fixture
def till(owner):
    return make_register(owner)


@pytest.fixture
def cashier(owner):
    return owner.user


def later(monkeypatch, seconds: int):
    moment = clock.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


# --- creating a link ---------------------------------------------------------------------------


def test_cashier_makes_a_link_for_the_open_session(till, cashier):
    sale = uuid.uuid4()
    link = make_link(till, cashier, amount="9.004", sale_client_uuid=sale)

    assert link.status == PaymentLinkStatus.PENDING
    assert link.amount == Decimal("9.00") and link.currency == "EUR"
    assert link.session == CashSession.objects.get(register=till, status=SessionStatus.OPEN)
    assert link.sale_client_uuid == sale
    assert len(link.token) >= 40
    assert link.provider == "test"
    assert link.lines == BASKET
    assert timedelta(seconds=590) < link.expires_at - clock.now() <= timedelta(seconds=600)
    entry = AuditEntry.objects.get(action="payment_link.create")
    assert entry.object_id == str(link.pk) and entry.actor == cashier


def test_the_same_client_uuid_makes_one_link(till, cashier):
    key, sale = uuid.uuid4(), uuid.uuid4()
    first = make_link(till, cashier, client_uuid=key, sale_client_uuid=sale)
    again = make_link(till, cashier, client_uuid=key, sale_client_uuid=sale)
    assert again.pk == first.pk
    assert PaymentLink.objects.count() == 1
    with pytest.raises(Conflict):
        make_link(till, cashier, amount="10.00", client_uuid=key, sale_client_uuid=sale)


def test_a_retry_after_the_session_closed_still_answers_the_first_link(till, cashier):
    key, sale = uuid.uuid4(), uuid.uuid4()
    first = make_link(till, cashier, client_uuid=key, sale_client_uuid=sale)
    CashSession.objects.filter(register=till).update(status=SessionStatus.CLOSED)
    assert make_link(till, cashier, client_uuid=key, sale_client_uuid=sale).pk == first.pk


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0", "amount"), ("-5", "amount"), ("abc", "amount"), ("0.001", "amount"), ("NaN", "amount")],
)
def test_a_link_needs_a_positive_amount(till, cashier, amount, field):
    with pytest.raises(ValidationFailed) as exc:
        make_link(till, cashier, amount=amount)
    assert field in exc.value.fields
    assert not PaymentLink.objects.exists()


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ("croissant", "lines"),
        ([{"quantity": 1, "total": "1"}], "lines[0].name"),
        ([{"name": "x" * 201, "total": "1"}], "lines[0].name"),
        ([{"name": "Café", "quantity": "two", "total": "1"}], "lines[0].quantity"),
        ([{"name": "Café", "total": "1e20"}], "lines[0].total"),
        ([{"name": f"Line {i}", "total": "1"} for i in range(101)], "lines"),
        (["just text"], "lines[0]"),
    ],
)
def test_bad_lines_are_refused_with_the_field(till, cashier, lines, field):
    with pytest.raises(ValidationFailed) as exc:
        make_link(till, cashier, lines=lines)
    assert field in exc.value.fields


def test_lines_are_tidied_for_the_phone(till, cashier):
    link = make_link(
        till, cashier, lines=[{"name": "  Café   crème ", "quantity": "1.500", "total": "3.7"}]
    )
    assert link.lines == [{"name": "Café crème", "quantity": "1.5", "total": "3.70"}]


def test_no_link_without_an_open_session(owner, cashier):
    closed = make_register(owner, "Caisse 2", open_session=False)
    with pytest.raises(ValidationFailed) as exc:
        make_link(closed, cashier)
    assert "session" in exc.value.fields


def test_a_session_of_another_register_or_closed_is_refused(owner, till, cashier):
    other = make_register(owner, "Caisse 2")
    other_session = CashSession.objects.get(register=other)
    with pytest.raises(ValidationFailed, match="another register"):
        make_link(till, cashier, session=other_session)
    CashSession.objects.filter(pk=other_session.pk).update(status=SessionStatus.CLOSED)
    other_session.refresh_from_db()
    with pytest.raises(ValidationFailed, match="closed"):
        make_link(other, cashier, session=other_session)


def test_a_link_lives_between_30_seconds_and_a_day(till, cashier):
    for ttl in (5, 90_000, "soon"):
        with pytest.raises(ValidationFailed):
            make_link(till, cashier, ttl_seconds=ttl)


# --- paying ------------------------------------------------------------------------------------


def test_customer_pays_and_the_register_is_told(
    till, cashier, events, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    listener = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(services.register_group(till.pk), listener)
    link = make_link(till, cashier)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = pay(link)

    link.refresh_from_db()
    assert outcome.link == link
    assert "Payment accepted" in outcome.message
    assert link.status == PaymentLinkStatus.PAID
    assert link.provider_reference.startswith("test_ch_")
    assert link.paid_at is not None
    [(name, payload)] = events
    assert name == "payment.confirmed"
    assert payload["link"] == str(link.pk)
    assert payload["register"] == str(till.pk)
    assert payload["amount"] == "9.00"
    assert payload["sale_client_uuid"] == str(link.sale_client_uuid)
    pushed = async_to_sync(layer.receive)(listener)
    assert pushed["type"] == "payment.event"
    assert pushed["data"]["type"] == "payment.confirmed"
    assert pushed["data"]["link"] == str(link.pk)
    async_to_sync(layer.group_discard)(services.register_group(till.pk), listener)
    assert AuditEntry.objects.filter(action="payment_link.confirm", object_id=str(link.pk)).count()


def test_a_declined_card_keeps_the_link_open_and_counts_the_attempt(
    till, cashier, events, django_capture_on_commit_callbacks
):
    link = make_link(till, cashier)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.PaymentDeclined) as exc,
    ):
        pay(link, DECLINED)
    assert "card declined" in exc.value.message and "Try another card" in exc.value.message
    assert exc.value.attempts_left == 4
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PENDING and link.attempts == 1
    assert events == []

    with pytest.raises(services.PaymentDeclined, match="insufficient funds"):
        pay(link, NO_FUNDS)
    with django_capture_on_commit_callbacks(execute=True):
        pay(link, APPROVED)
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PAID and link.attempts == 2
    assert [name for name, _ in events] == ["payment.confirmed"]


def test_a_mistyped_card_is_not_an_attempt(till, cashier):
    link = make_link(till, cashier)
    with pytest.raises(ValidationFailed) as exc:
        pay(link, "4242 4242 4242 4241")
    assert "card_number" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        pay(link, expiry="01/20")
    assert "expiry" in exc.value.fields
    link.refresh_from_db()
    assert link.attempts == 0 and link.status == PaymentLinkStatus.PENDING


def test_five_declined_cards_cancel_the_link(
    till, cashier, events, django_capture_on_commit_callbacks
):
    link = make_link(till, cashier)
    for _ in range(services.MAX_ATTEMPTS - 1):
        with pytest.raises(services.PaymentDeclined):
            pay(link, DECLINED)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.PaymentDeclined, match="Too many attempts") as exc,
    ):
        pay(link, DECLINED)
    assert exc.value.attempts_left == 0
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.CANCELLED and link.cancelled_at
    [(name, payload)] = events
    assert name == "payment.cancelled" and payload["reason"] == "too_many_attempts"
    with pytest.raises(Conflict, match="cancelled"):
        pay(link, APPROVED)


def test_paying_a_paid_link_again_is_refused_and_charges_nothing(till, cashier, monkeypatch):
    link = make_link(till, cashier)
    pay(link)
    charges = []
    monkeypatch.setattr(payments.TestProvider, "charge", lambda self, **kw: charges.append(kw))
    with pytest.raises(Conflict, match="already made"):
        pay(link)
    assert charges == []


def test_confirming_twice_changes_nothing(
    till, cashier, events, django_capture_on_commit_callbacks
):
    link = make_link(till, cashier)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.payment_link_confirm(link=link, provider_reference="ref-1")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.payment_link_confirm(link=link, provider_reference="ref-2")
    assert again.pk == first.pk
    assert again.paid_at == first.paid_at and again.provider_reference == "ref-1"
    assert len(events) == 1
    assert AuditEntry.objects.filter(action="payment_link.confirm").count() == 1


def test_an_unknown_token_is_not_found():
    with pytest.raises(NotFound):
        services.payment_link_pay(token="x" * 43, card_number=APPROVED, expiry="12/40", cvc="123")
    with pytest.raises(NotFound):
        services.link_for_token("")


# --- expiry ------------------------------------------------------------------------------------


def test_an_expired_link_cannot_be_paid(
    till, cashier, events, monkeypatch, django_capture_on_commit_callbacks
):
    link = make_link(till, cashier, ttl_seconds=60)
    later(monkeypatch, 61)
    assert services.effective_status(link) == PaymentLinkStatus.EXPIRED
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Conflict, match="expired"),
    ):
        pay(link)
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.EXPIRED
    assert [name for name, _ in events] == ["payment.expired"]


def test_the_periodic_job_expires_due_links_only(
    owner, till, cashier, events, monkeypatch, django_capture_on_commit_callbacks
):
    short = make_link(till, cashier, ttl_seconds=60)
    long = make_link(till, cashier, ttl_seconds=3600)
    paid = make_link(till, cashier, ttl_seconds=60)
    pay(paid)
    later(monkeypatch, 120)

    from hanout.pos.tasks import expire_payment_links

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_payment_links.call_local() == 1
    assert services.payment_links_expire_due() == 0
    statuses = dict(PaymentLink.objects.values_list("pk", "status"))
    assert statuses == {
        short.pk: PaymentLinkStatus.EXPIRED,
        long.pk: PaymentLinkStatus.PENDING,
        paid.pk: PaymentLinkStatus.PAID,
    }
    [(name, payload)] = events
    assert name == "payment.expired" and payload["link"] == str(short.pk)


def test_a_charge_approved_at_the_last_second_is_still_taken(till, cashier, monkeypatch):
    link = make_link(till, cashier, ttl_seconds=60)
    later(monkeypatch, 75)  # within the grace for a provider's answer
    assert services.payment_link_confirm(link=link, provider_reference="late").status == "paid"


def test_a_confirmation_long_after_expiry_is_refused(till, cashier, monkeypatch):
    link = make_link(till, cashier, ttl_seconds=60)
    later(monkeypatch, 600)
    with pytest.raises(Conflict, match="expired"):
        services.payment_link_confirm(link=link, provider_reference="late")


# --- cancelling --------------------------------------------------------------------------------


def test_the_register_cancels_a_waiting_link(
    till, cashier, events, django_capture_on_commit_callbacks
):
    link = make_link(till, cashier)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.payment_link_cancel(link=link, actor=cashier)
    assert cancelled.status == PaymentLinkStatus.CANCELLED and cancelled.cancelled_at
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_link_cancel(link=link, actor=cashier)  # again: nothing more
    assert [name for name, _ in events] == ["payment.cancelled"]
    assert events[0][1]["reason"] == "register"
    with pytest.raises(Conflict, match="cancelled"):
        pay(link)
    with pytest.raises(Conflict):
        services.payment_link_confirm(link=link, provider_reference="x")
    entry = AuditEntry.objects.get(action="payment_link.cancel")
    assert entry.actor == cashier


def test_a_paid_link_cannot_be_cancelled(till, cashier):
    link = make_link(till, cashier)
    pay(link)
    with pytest.raises(Conflict, match="already made"):
        services.payment_link_cancel(link=link, actor=cashier)
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.PAID


def test_a_link_cancelled_while_the_card_was_charged_is_refunded(till, cashier, monkeypatch):
    link = make_link(till, cashier)
    refunds = []
    real_charge = payments.TestProvider.charge

    def charge_while_the_cashier_cancels(self, **kw):
        result = real_charge(self, **kw)
        services.payment_link_cancel(link=link, actor=cashier)
        return result

    monkeypatch.setattr(payments.TestProvider, "charge", charge_while_the_cashier_cancels)
    monkeypatch.setattr(
        payments.TestProvider,
        "refund",
        lambda self, **kw: refunds.append(kw) or payments.RefundResult(ok=True),
    )
    with pytest.raises(Conflict, match="cancelled"):
        pay(link)
    assert len(refunds) == 1 and refunds[0]["reference"].startswith("test_ch_")
    link.refresh_from_db()
    assert link.status == PaymentLinkStatus.CANCELLED


# --- what a reconnecting register reads --------------------------------------------------------


def test_sync_lists_the_open_sessions_links_newest_first(owner, till, cashier, monkeypatch):
    first = make_link(till, cashier)
    second = make_link(till, cashier, amount="2.50")
    pay(first)
    other = make_register(owner, "Caisse 2")
    make_link(other, cashier)
    state = services.links_for_sync(register_id=till.pk)
    assert [s["link"] for s in state] == [str(second.pk), str(first.pk)]
    assert state[1]["status"] == "paid" and state[0]["amount"] == "2.50"
    later(monkeypatch, 3600)
    assert services.links_for_sync(register_id=till.pk)[0]["status"] == "expired"


# --- tenants -----------------------------------------------------------------------------------


def test_a_session_of_another_business_is_refused(till, cashier, other_owner):
    theirs = make_register(other_owner, "Their till")
    their_session = CashSession.objects.get(register=theirs)
    with pytest.raises(ValidationFailed):
        make_link(till, cashier, session=their_session)


def test_links_of_two_businesses_never_mix(till, cashier, other_owner):
    theirs = make_register(other_owner, "Their till")
    mine = make_link(till, cashier)
    their_link = make_link(theirs, other_owner.user, amount="30")
    assert list(services.payment_link_list(business=till.business)) == [mine]
    assert their_link.currency == "MAD"
    assert services.links_for_sync(register_id=theirs.pk)[0]["link"] == str(their_link.pk)


def test_two_businesses_may_use_the_same_client_uuid(till, cashier, other_owner):
    key = uuid.uuid4()
    theirs = make_register(other_owner, "Their till")
    a = make_link(till, cashier, client_uuid=key)
    b = make_link(theirs, other_owner.user, client_uuid=key)
    assert a.pk != b.pk


def test_a_new_business_is_not_told_about_links(db):
    membership = make_business("Gamma")
    assert services.payment_link_list(business=membership.business).count() == 0
