"""Giving a phone payment back through its payment provider.

A register return refunded "by the original method" writes a negative phone
Payment that names the payment it gives back (`refund_of`) with
`provider_status = pending`, in the return's transaction. After commit a job
asks the provider to refund the charge — a network call, so never inside a
database transaction — and records the answer:

    pending → sending → done
                      ↘ failed  (the owner sees why and can send it again)

Claiming a refund (`pending → sending`) is one conditional UPDATE, so two
workers given the same job send it once. A refund left in `sending` by a worker
that died mid-call is not sent again automatically: only the provider knows
whether it went through, and a second refund would give the money back twice.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hanout.core import audit, clock
from hanout.core.errors import Conflict, NotFound
from hanout.pos import payments as providers
from hanout.pos.models import Payment, RefundStatus

log = logging.getLogger(__name__)

MAX_MESSAGE = 200


def send_refunds_after_commit(payment_ids: list) -> None:
    """Queue the provider refunds of these payments once the transaction commits."""
    from hanout.pos.tasks import send_phone_refund

    for pk in payment_ids:
        transaction.on_commit(lambda pk=pk: send_phone_refund(str(pk)))


def _finish(payment: Payment, status: str, *, reference: str = "", message: str = "") -> None:
    values = {
        "provider_status": status,
        "provider_message": (message or "")[:MAX_MESSAGE],
        "updated_at": clock.now(),
    }
    if reference:
        values["reference"] = reference[:120]
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(**values)
        audit.record(
            business=payment.business,
            actor=None,
            action="payment.refund_done"
            if status == RefundStatus.DONE
            else "payment.refund_failed",
            obj=payment,
            object_repr=f"{payment.sale.ticket_number}: {-payment.amount} {payment.business.currency}",
            changes={"provider_status": [RefundStatus.SENDING, status]}
            | ({"provider_message": [None, values["provider_message"]]} if message else {}),
        )


def phone_refund_send(*, payment_id) -> str:
    """Send one pending phone refund to its provider; answer the status it ends in.

    Anything but a pending refund is left alone (already sent, being sent, or
    failed and waiting for a person), so the job is safe to run twice."""
    claimed = Payment.objects.filter(pk=payment_id, provider_status=RefundStatus.PENDING).update(
        provider_status=RefundStatus.SENDING, updated_at=clock.now()
    )
    payment = (
        Payment.objects.select_related("business", "sale", "refund_of__payment_link")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        return ""
    if not claimed:
        return payment.provider_status
    link = payment.refund_of.payment_link if payment.refund_of_id else None
    if link is None or not link.provider_reference:
        _finish(payment, RefundStatus.FAILED, message=_("The original charge is not known."))
        return RefundStatus.FAILED
    amount = -Decimal(payment.amount)
    try:
        provider = providers.get_provider(link.provider)
        result = provider.refund(
            reference=link.provider_reference, amount=amount, currency=payment.business.currency
        )
    except Exception as exc:  # the provider unreachable, or a bug in an adapter
        log.warning("refund of payment %s failed: %s", payment.pk, exc)
        _finish(
            payment,
            RefundStatus.FAILED,
            message=_("The payment provider could not be reached: %(error)s") % {"error": exc},
        )
        return RefundStatus.FAILED
    if not result.ok:
        _finish(payment, RefundStatus.FAILED, message=result.message or _("Refused."))
        return RefundStatus.FAILED
    _finish(payment, RefundStatus.DONE, reference=result.reference, message=result.message)
    return RefundStatus.DONE


@transaction.atomic
def phone_refund_retry(*, payment: Payment, actor) -> Payment:
    """Send a failed phone refund again (a person decided to, after reading why it failed)."""
    locked = (
        Payment.objects.select_for_update()
        .select_related("sale")
        .filter(pk=payment.pk, business_id=payment.business_id)
        .first()
    )
    if locked is None:
        raise NotFound(_("This payment was not found."))
    if locked.provider_status != RefundStatus.FAILED:
        raise Conflict(
            _("Only a failed refund can be sent again (this one is “%(status)s”).")
            % {"status": locked.get_provider_status_display() or _("not a provider refund")},
            code="refund_not_failed",
        )
    before = locked.provider_message
    locked.provider_status = RefundStatus.PENDING
    locked.provider_message = ""
    locked.save(update_fields=["provider_status", "provider_message", "updated_at"])
    audit.record(
        business=locked.business,
        actor=actor,
        action="payment.refund_retry",
        obj=locked,
        object_repr=f"{locked.sale.ticket_number}: {-locked.amount} {locked.business.currency}",
        changes={
            "provider_status": [RefundStatus.FAILED, RefundStatus.PENDING],
            "provider_message": [before, ""],
            "at": [None, clock.now().isoformat()],
        },
    )
    send_refunds_after_commit([locked.pk])
    return locked
