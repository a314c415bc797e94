"""Phone payments given back through the payment provider when a return is refunded
by the original method: sent after commit, once, with the answer recorded; a failed
refund is shown to the owner and can be sent again."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.core import clock
from hanout.core.errors import Conflict
from hanout.core.models import AuditEntry
from hanout.pos import payments, services
from hanout.pos.models import Payment, PaymentLink, PaymentLinkStatus, RefundStatus
from hanout.pos.services import PaymentInput
from hanout.pos.services_refunds import phone_refund_retry, phone_refund_send
from hanout.pos.tests.factories import make_till, open_session, sell
from tests.factories import make_business
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def till(owner):
    return make_till(owner)


@pytest.fixture
def session(till):
    return open_session(till)


@pytest.fixture
def provider_calls(monkeypatch):
    """Every refund the test provider is asked for, as (reference, amount, currency)."""
    calls = []
    real = payments.TestProvider.refund

    def spy(self, *, reference, amount, currency):
        calls.append((reference, amount, currency))
        return real(self, reference=reference, amount=amount, currency=currency)

    monkeypatch.setattr(payments.TestProvider, "refund", spy)
    return calls


def paid_link(till, session, amount, reference="test_ch_0001"):
    return PaymentLink.objects.create(
        business=till.business,
        token=uuid.uuid4().hex,
        register=till.register,
        session=session,
        created_by=till.user,
        sale_client_uuid=uuid.uuid4(),
        amount=D(amount),
        currency="EUR",
        status=PaymentLinkStatus.PAID,
        expires_at=clock.now() + timedelta(minutes=10),
        paid_at=clock.now(),
        provider="test",
        provider_reference=reference,
    )


def phone(link, amount=None):
    return PaymentInput(method="phone", amount=amount, payment_link=link.pk)


def give_back(till, sale, *lines, method="original"):
    by_position = {line.position: line for line in sale.lines.all()}
    return services.sale_return(
        sale=sale,
        actor=till.user,
        client_uuid=uuid.uuid4(),
        lines=[(by_position[pos], D(qty)) for pos, qty in lines],
        refund_method=method,
        reason="Changed mind",
    )


def refunds_of(ret):
    return list(ret.payments.order_by("created_at", "id"))


def test_a_phone_payment_is_refunded_through_the_provider_after_commit(
    till, session, provider_calls, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "7.00")
    sale = sell(till, ("chocolat", 2), payments=[phone(link)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ret = give_back(till, sale, (1, "1"))
    (refund,) = refunds_of(ret)
    assert (refund.method, refund.amount, refund.refund_of.payment_link_id) == (
        "phone",
        D("-3.50"),
        link.pk,
    )
    # Nothing is sent before the return is committed.
    assert refund.provider_status == RefundStatus.PENDING and provider_calls == []
    for callback in callbacks:
        callback()
    refund.refresh_from_db()
    assert provider_calls == [("test_ch_0001", D("3.50"), "EUR")]
    assert refund.provider_status == RefundStatus.DONE
    assert refund.reference.startswith("test_re_")
    assert AuditEntry.objects.filter(
        action="payment.refund_done", object_id=str(refund.pk)
    ).exists()
    # The drawer gives nothing back for it.
    session.refresh_from_db()
    assert session.cash_refunds == 0


def test_the_job_sends_a_refund_once_even_when_run_twice(till, session, provider_calls):
    link = paid_link(till, session, "3.50")
    sale = sell(till, "chocolat", payments=[phone(link)])
    (refund,) = refunds_of(give_back(till, sale, (1, "1")))
    assert phone_refund_send(payment_id=refund.pk) == RefundStatus.DONE
    assert phone_refund_send(payment_id=refund.pk) == RefundStatus.DONE
    assert len(provider_calls) == 1


def test_a_refund_taken_by_another_worker_is_left_alone(till, session, provider_calls):
    link = paid_link(till, session, "3.50")
    sale = sell(till, "chocolat", payments=[phone(link)])
    (refund,) = refunds_of(give_back(till, sale, (1, "1")))
    Payment.objects.filter(pk=refund.pk).update(provider_status=RefundStatus.SENDING)
    assert phone_refund_send(payment_id=refund.pk) == RefundStatus.SENDING
    assert provider_calls == []


def test_a_refused_refund_is_failed_with_the_providers_reason_then_sent_again(
    till, session, monkeypatch, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "3.50")
    sale = sell(till, "chocolat", payments=[phone(link)])
    answers = [ConnectionError("timed out"), payments.RefundResult(ok=True, reference="test_re_9")]

    def flaky(self, *, reference, amount, currency):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(payments.TestProvider, "refund", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        (refund,) = refunds_of(give_back(till, sale, (1, "1")))
    refund.refresh_from_db()
    assert refund.provider_status == RefundStatus.FAILED
    assert "timed out" in refund.provider_message

    with django_capture_on_commit_callbacks(execute=True):
        phone_refund_retry(payment=refund, actor=till.user)
    refund.refresh_from_db()
    assert (refund.provider_status, refund.reference, refund.provider_message) == (
        RefundStatus.DONE,
        "test_re_9",
        "",
    )
    assert AuditEntry.objects.filter(action="payment.refund_retry").count() == 1
    with pytest.raises(Conflict):
        phone_refund_retry(payment=refund, actor=till.user)


def test_an_unknown_charge_is_refused_by_the_test_provider(
    till, session, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "3.50", reference="not-a-test-charge")
    sale = sell(till, "chocolat", payments=[phone(link)])
    with django_capture_on_commit_callbacks(execute=True):
        (refund,) = refunds_of(give_back(till, sale, (1, "1")))
    refund.refresh_from_db()
    assert refund.provider_status == RefundStatus.FAILED
    assert refund.provider_message == "Unknown charge."


def test_card_first_then_each_phone_payment_up_to_what_it_paid(
    till, session, provider_calls, django_capture_on_commit_callbacks
):
    first = paid_link(till, session, "2.00", reference="test_ch_a")
    second = paid_link(till, session, "3.00", reference="test_ch_b")
    # 4 × 3.50 = 14.00: 9.00 by card, 2.00 + 3.00 by two phones.
    sale = sell(
        till,
        ("chocolat", 4),
        payments=[
            PaymentInput(method="card", amount=D("9.00")),
            phone(first),
            phone(second),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        ret = give_back(till, sale, (1, "3"))  # 10.50: card 9.00, then 1.50 of the first phone
    assert [(p.method, p.amount) for p in refunds_of(ret)] == [
        ("card", D("-9.00")),
        ("phone", D("-1.50")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        ret = give_back(till, sale, (1, "1"))  # 3.50: 0.50 left on the first, 3.00 on the second
    assert [(p.method, p.amount, p.refund_of.payment_link_id) for p in refunds_of(ret)] == [
        ("phone", D("-0.50"), first.pk),
        ("phone", D("-3.00"), second.pk),
    ]
    assert provider_calls == [
        ("test_ch_a", D("1.50"), "EUR"),
        ("test_ch_a", D("0.50"), "EUR"),
        ("test_ch_b", D("3.00"), "EUR"),
    ]
    assert set(
        Payment.objects.filter(provider_status=RefundStatus.DONE).values_list("amount", flat=True)
    ) == {
        D("-1.50"),
        D("-0.50"),
        D("-3.00"),
    }


def test_a_cash_refund_of_a_phone_sale_asks_no_provider(
    till, session, provider_calls, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "3.50")
    sale = sell(till, "chocolat", payments=[phone(link)])
    with django_capture_on_commit_callbacks(execute=True):
        (refund,) = refunds_of(give_back(till, sale, (1, "1"), method="cash"))
    assert (refund.method, refund.provider_status, refund.refund_of_id) == ("cash", "", None)
    assert provider_calls == []


def test_the_ticket_page_shows_a_failed_refund_and_sends_it_again(
    till, session, client, monkeypatch, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "3.50", reference="not-a-test-charge")
    sale = sell(till, "chocolat", payments=[phone(link)])
    with django_capture_on_commit_callbacks(execute=True):
        ret = give_back(till, sale, (1, "1"))
    (refund,) = refunds_of(ret)
    client.force_login(till.user)
    page = client.get(reverse("pos_sale_detail", args=[ret.pk]))
    body = page.content.decode()
    assert "Refund failed" in body and "Unknown charge." in body
    retry_url = reverse("pos_refund_retry", args=[ret.pk, refund.pk])
    assert retry_url in body

    PaymentLink.objects.filter(pk=link.pk).update(provider_reference="test_ch_fixed")
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(retry_url, {"_business": str(till.business.pk)})
    assert answer.status_code == 302
    refund.refresh_from_db()
    assert refund.provider_status == RefundStatus.DONE
    assert "Refunded by the provider" in client.get(answer["Location"]).content.decode()


def test_the_api_shows_the_refund_status_and_retries_it(
    till, session, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "3.50", reference="not-a-test-charge")
    sale = sell(till, "chocolat", payments=[phone(link)])
    with django_capture_on_commit_callbacks(execute=True):
        ret = give_back(till, sale, (1, "1"))
    (refund,) = refunds_of(ret)
    api = api_client_for(till.owner)
    data = api.get(f"/api/v1/sales/{ret.pk}/").json()
    (shown,) = data["payments"]
    assert (shown["provider_status"], shown["provider_message"], shown["refund_of"]) == (
        "failed",
        "Unknown charge.",
        str(refund.refund_of_id),
    )
    url = f"/api/v1/sales/{ret.pk}/retry-refund/"
    assert api.post(url, {"payment": str(uuid.uuid4())}, format="json").status_code == 404
    PaymentLink.objects.filter(pk=link.pk).update(provider_reference="test_ch_fixed")
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(url, {"payment": str(refund.pk)}, format="json")
    assert answer.status_code == 200, answer.content
    refund.refresh_from_db()
    assert refund.provider_status == RefundStatus.DONE
    again = api.post(url, {"payment": str(refund.pk)}, format="json")
    assert again.status_code == 409


def test_another_business_cannot_retry_or_see_the_refund(
    till, session, client, django_capture_on_commit_callbacks
):
    link = paid_link(till, session, "3.50", reference="not-a-test-charge")
    sale = sell(till, "chocolat", payments=[phone(link)])
    with django_capture_on_commit_callbacks(execute=True):
        ret = give_back(till, sale, (1, "1"))
    (refund,) = refunds_of(ret)
    outsider = make_business("Autre boutique")
    client.force_login(outsider.user)
    retry_url = reverse("pos_refund_retry", args=[ret.pk, refund.pk])
    assert client.post(retry_url, {"_business": str(outsider.business.pk)}).status_code == 404
    api = api_client_for(outsider)
    answer = api.post(f"/api/v1/sales/{ret.pk}/retry-refund/", {"payment": str(refund.pk)})
    assert answer.status_code == 404
    refund.refresh_from_db()
    assert refund.provider_status == RefundStatus.FAILED
