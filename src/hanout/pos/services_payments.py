"""Phone payment by QR code: the payment link's whole life.

    register                      server                        customer's phone
    ────────                      ──────                        ────────────────
    payment_link_create  ───────▶ link (pending, token, TTL)
    shows the QR code (url)                                      opens /pay/<token>/
                                  payment_link_pay ◀──────────── card form
                                    provider.charge (no lock held)
                                    payment_link_confirm: row lock, pending → paid
                                    commit, then events
    WebSocket ◀── payment.confirmed (group register-<id>)
    sale_complete(payments=[phone, payment_link=id])

Persist first, push second: every state change is committed before the event is
pushed to the register's channel group, so a register that reconnects and asks
(`links_for_sync`) always finds what it may have missed.

A link ends exactly once: paid (confirming again changes nothing and answers the
same link), cancelled (from the register, or after too many declined cards) or
expired (`payment_links_expire_due`, run every minute). A paid link is never
cancelled or expired; a cancelled or expired one is never paid.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from hanout.core import audit, clock, events
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.events import emit, subscribe
from hanout.core.money import MONEY_DIGITS, MONEY_PLACES, quantize
from hanout.pos import payments
from hanout.pos.models import (
    CashSession,
    PaymentLink,
    PaymentLinkStatus,
    Register,
    SessionStatus,
)

log = logging.getLogger(__name__)

ACTION_LABELS = {
    "payment_link.create": gettext_lazy("Showed a QR code for a phone payment"),
    "payment_link.confirm": gettext_lazy("Received a phone payment"),
    "payment_link.decline": gettext_lazy("A phone payment was declined"),
    "payment_link.cancel": gettext_lazy("Cancelled a phone payment"),
    "payment_link.expire": gettext_lazy("A phone payment link expired"),
}

MAX_ATTEMPTS = 5  # declined cards on one link before it is cancelled
MAX_LINES = 100
MAX_LINE_NAME = 200
TTL_MIN, TTL_MAX = 30, 24 * 3600
# A charge approved by the provider just before the link expired is still taken.
CONFIRM_GRACE = timedelta(seconds=60)
SYNC_LIMIT = 20
_MAX_AMOUNT = Decimal(10) ** (MONEY_DIGITS - MONEY_PLACES)


def register_group(register_id) -> str:
    """The channel group of one register's open pages (RegisterConsumer)."""
    return f"register-{register_id}"


class PaymentDeclined(ValidationFailed):
    """The provider said no. The link stays pending unless the attempts ran out."""

    code = "card_declined"

    def __init__(self, message, *, code=None, attempts_left: int, link: PaymentLink):
        super().__init__(message, code=code, fields={"card_number": [message]})
        self.attempts_left = attempts_left
        self.link = link


# --- reading a link's state ------------------------------------------------------------------


def effective_status(link: PaymentLink, now=None) -> str:
    """The status as a person should read it: a pending link past its time is expired
    even before the periodic job has marked it."""
    now = now or clock.now()
    if link.status == PaymentLinkStatus.PENDING and link.expires_at <= now:
        return PaymentLinkStatus.EXPIRED
    return link.status


def link_message(link: PaymentLink, status: str | None = None) -> dict:
    """What the register's page is told about a link (pushed and in sync answers)."""
    status = status or link.status
    return {
        "link": str(link.pk),
        "register": str(link.register_id),
        "session": str(link.session_id),
        "status": status,
        "amount": str(quantize(link.amount, link.currency)),
        "currency": link.currency,
        "sale_client_uuid": str(link.sale_client_uuid) if link.sale_client_uuid else None,
        "expires_at": link.expires_at.isoformat(),
        "paid_at": link.paid_at.isoformat() if link.paid_at else None,
    }


def payment_link_list(*, business, register=None, session=None, status: str = ""):
    """The business's payment links, newest first (the API list)."""
    qs = PaymentLink.objects.for_business(business).select_related("register")
    if register is not None:
        qs = qs.filter(register=register)
    if session is not None:
        qs = qs.filter(session=session)
    now = clock.now()
    if status == PaymentLinkStatus.PENDING:
        qs = qs.filter(status=status, expires_at__gt=now)
    elif status == PaymentLinkStatus.EXPIRED:
        qs = qs.filter(Q(status=status) | Q(status=PaymentLinkStatus.PENDING, expires_at__lte=now))
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def links_for_sync(*, register_id) -> list[dict]:
    """The recent links of the register's open session, newest first: what a
    register that (re)connects needs to catch up on what it may have missed."""
    session = (
        CashSession.objects.filter(register_id=register_id, status=SessionStatus.OPEN)
        .only("pk")
        .first()
    )
    if session is None:
        return []
    now = clock.now()
    links = PaymentLink.objects.filter(register_id=register_id, session=session).order_by(
        "-created_at"
    )[:SYNC_LIMIT]
    return [link_message(link, effective_status(link, now)) for link in links]


# --- creating --------------------------------------------------------------------------------


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", fields={field: [message]})


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise _bad(field, _("Type a number.")) from exc
    if not number.is_finite():
        raise _bad(field, _("Type a number."))
    return number


def _clean_lines(lines, currency: str) -> list[dict]:
    """The basket as shown on the phone: names, quantities and totals as text."""
    if lines is None:
        return []
    if not isinstance(lines, list | tuple):
        raise _bad("lines", _("Send a list of lines."))
    if len(lines) > MAX_LINES:
        raise _bad("lines", _("At most %(n)d lines.") % {"n": MAX_LINES})
    out = []
    for i, line in enumerate(lines):
        prefix = f"lines[{i}]"
        if not isinstance(line, dict):
            raise _bad(prefix, _("Each line needs a name, a quantity and a total."))
        name = " ".join(str(line.get("name") or "").split())
        if not name:
            raise _bad(f"{prefix}.name", _("Give the line a name."))
        if len(name) > MAX_LINE_NAME:
            raise _bad(f"{prefix}.name", _("At most %(n)d characters.") % {"n": MAX_LINE_NAME})
        quantity = _decimal(line.get("quantity", 1), f"{prefix}.quantity")
        if abs(quantity) >= _MAX_AMOUNT:
            raise _bad(f"{prefix}.quantity", _("This quantity is too large."))
        total = _decimal(line.get("total", 0), f"{prefix}.total")
        if abs(total) >= _MAX_AMOUNT:
            raise _bad(f"{prefix}.total", _("This amount is too large."))
        quantity = quantity.quantize(Decimal("0.001")).normalize()
        out.append(
            {
                "name": name,
                "quantity": format(quantity, "f"),
                "total": str(quantize(total, currency)),
            }
        )
    return out


def _open_session(register: Register, session: CashSession | None) -> CashSession:
    if session is None:
        session = CashSession.objects.filter(register=register, status=SessionStatus.OPEN).first()
        if session is None:
            raise _bad("session", _("Open a cash session on this register first."))
        return session
    if session.register_id != register.pk:
        raise _bad("session", _("This cash session belongs to another register."))
    if session.status != SessionStatus.OPEN:
        raise _bad("session", _("This cash session is closed."))
    return session


def payment_link_create(
    *,
    register: Register,
    actor,
    amount,
    sale_client_uuid,
    lines,
    session: CashSession | None = None,
    client_uuid: uuid.UUID | None = None,
    ttl_seconds: int = 600,
) -> PaymentLink:
    """Make a one-time link for the customer to pay `amount` on a phone.

    The link belongs to the register's open session (or `session`, which must be
    open and this register's) and ends after `ttl_seconds`. `lines` are only shown
    on the phone: [{name, quantity, total}]. The same `client_uuid` again answers
    the first link (a different request with it is a Conflict).
    """
    business = register.business
    currency = business.currency
    if not register.is_active:
        raise _bad("register", _("This register is not active."))
    amount = quantize(_decimal(amount, "amount"), currency)
    if amount <= 0:
        raise _bad("amount", _("The amount must be more than zero."))
    if amount >= _MAX_AMOUNT:
        raise _bad("amount", _("This amount is too large."))
    try:
        sale_client_uuid = uuid.UUID(str(sale_client_uuid)) if sale_client_uuid else None
    except ValueError as exc:
        raise _bad("sale_client_uuid", _("Not a valid UUID.")) from exc
    if sale_client_uuid is None:
        raise _bad("sale_client_uuid", _("Say which sale this payment settles."))
    clean_lines = _clean_lines(lines, currency)
    try:
        ttl_seconds = int(ttl_seconds)
    except (TypeError, ValueError) as exc:
        raise _bad("ttl_seconds", _("Type a number of seconds.")) from exc
    if not TTL_MIN <= ttl_seconds <= TTL_MAX:
        raise _bad(
            "ttl_seconds",
            _("Between %(min)d and %(max)d seconds.") % {"min": TTL_MIN, "max": TTL_MAX},
        )

    with transaction.atomic():
        if client_uuid is not None:  # a retry answers the first link, whatever happened since
            first = PaymentLink.objects.filter(business=business, client_uuid=client_uuid).first()
            if first is not None:
                return _same_request(
                    first, register=register, amount=amount, sale_client_uuid=sale_client_uuid
                )
        session = _open_session(register, session)
        now = clock.now()
        link = PaymentLink(
            business=business,
            token=secrets.token_urlsafe(32),
            register=register,
            session=session,
            created_by=actor,
            client_uuid=client_uuid,
            sale_client_uuid=sale_client_uuid,
            amount=amount,
            currency=currency,
            lines=clean_lines,
            expires_at=now + timedelta(seconds=ttl_seconds),
            provider=payments.default_provider_name(),
        )
        try:
            with transaction.atomic():
                link.save(force_insert=True)
        except IntegrityError:
            # The same client_uuid committed at the same moment by a retry.
            first = PaymentLink.objects.filter(business=business, client_uuid=client_uuid).first()
            if first is None:
                raise
            return _same_request(
                first, register=register, amount=amount, sale_client_uuid=sale_client_uuid
            )
        audit.record(
            business=business,
            actor=actor,
            action="payment_link.create",
            obj=link,
            changes={
                "amount": [None, str(amount)],
                "register_id": [None, str(register.pk)],
                "expires_at": [None, link.expires_at],
            },
        )
    return link


def _same_request(first: PaymentLink, *, register, amount, sale_client_uuid) -> PaymentLink:
    if (
        first.register_id != register.pk
        or quantize(first.amount, first.currency) != amount
        or first.sale_client_uuid != sale_client_uuid
    ):
        raise Conflict(
            _("This request key was already used for a different payment link."),
            code="idempotency_conflict",
            fields={"client_uuid": [_("Already used with other data.")]},
        )
    return first


# --- paying (the anonymous phone) ------------------------------------------------------------


@dataclass(frozen=True)
class PayOutcome:
    link: PaymentLink
    message: str


def link_for_token(token: str) -> PaymentLink:
    """The link a pay page URL names; NotFound for an unknown token."""
    token = (token or "").strip()
    link = (
        PaymentLink.objects.select_related("register__shop", "business").filter(token=token).first()
        if 20 <= len(token) <= 64
        else None
    )
    if link is None:
        raise NotFound(_("This payment link does not exist."))
    return link


def _refuse_closed(link: PaymentLink, status: str) -> None:
    if status == PaymentLinkStatus.PAID:
        raise Conflict(_("This payment was already made."), code="already_paid")
    if status == PaymentLinkStatus.CANCELLED:
        raise Conflict(_("This payment was cancelled by the shop."), code="cancelled")
    if status == PaymentLinkStatus.EXPIRED:
        raise Conflict(
            _("This payment link has expired. Ask the cashier for a new QR code."),
            code="expired",
        )


@sensitive_variables("card_number", "expiry", "cvc", "card")
def payment_link_pay(*, token: str, card_number: str, expiry: str, cvc: str) -> PayOutcome:
    """The customer pays a link with a card on their phone.

    Checks the link is pending and in time, checks the card's shape, charges it
    through the link's provider (no database lock is held during the charge;
    the provider dedupes on the link and attempt number), then confirms. A
    declined card raises PaymentDeclined and counts an attempt; after
    MAX_ATTEMPTS the link is cancelled. A link cancelled or expired while the
    card was being charged is refunded and refused.
    """
    link = link_for_token(token)
    status = effective_status(link)
    if status == PaymentLinkStatus.EXPIRED and link.status == PaymentLinkStatus.PENDING:
        _expire(link)
    _refuse_closed(link, status)
    card = payments.card_details_parse(number=card_number, expiry=expiry, cvc=cvc)
    provider = payments.get_provider(link.provider)
    result = provider.charge(
        amount=link.amount,
        currency=link.currency,
        card=card,
        idempotency_key=f"{link.pk}:{link.attempts}",
    )
    if not result.ok:
        _decline(link, result)
    try:
        link = payment_link_confirm(link=link, provider_reference=result.reference)
    except Conflict:
        # Cancelled or expired between the check and the charge: give the money back.
        refund = provider.refund(
            reference=result.reference, amount=link.amount, currency=link.currency
        )
        if not refund.ok:  # pragma: no cover - the test provider always refunds its charges
            log.error("could not refund %s for link %s", result.reference, link.pk)
        raise
    return PayOutcome(link=link, message=_("Payment accepted — you can close this page."))


def _decline(link: PaymentLink, result: payments.ChargeResult) -> None:
    with transaction.atomic():
        locked = PaymentLink.objects.select_for_update(no_key=True, of=("self",)).get(pk=link.pk)
        _refuse_closed(locked, locked.status)
        locked.attempts += 1
        fields = ["attempts", "updated_at"]
        give_up = locked.attempts >= MAX_ATTEMPTS
        if give_up:
            locked.status = PaymentLinkStatus.CANCELLED
            locked.cancelled_at = clock.now()
            fields += ["status", "cancelled_at"]
        locked.save(update_fields=fields)
        audit.record(
            business=locked.business,
            actor=None,
            action="payment_link.decline",
            obj=locked,
            changes={
                "attempts": [locked.attempts - 1, locked.attempts],
                "reason": [None, result.code],
            },
        )
        if give_up:
            _ended(locked, "payment_link.cancel", "payment.cancelled", reason="too_many_attempts")
    left = max(0, MAX_ATTEMPTS - locked.attempts)
    message = result.message or _("Your card was declined.")
    if left:
        message = f"{message} " + _("Try another card.")
    else:
        message = f"{message} " + _(
            "Too many attempts: this payment is cancelled. Ask the cashier for a new QR code."
        )
    raise PaymentDeclined(message, code=result.code or None, attempts_left=left, link=locked)


def payment_link_confirm(*, link: PaymentLink, provider_reference: str) -> PaymentLink:
    """The provider approved the charge: pending → paid, under a row lock.

    Confirming a paid link again changes nothing and answers the same link (no
    second event). A cancelled or expired link is refused (Conflict): the caller
    refunds the charge.
    """
    with transaction.atomic():
        locked = (
            PaymentLink.objects.select_for_update(no_key=True, of=("self",))
            .select_related("business")
            .get(pk=link.pk, business_id=link.business_id)
        )
        if locked.status == PaymentLinkStatus.PAID:
            return locked
        now = clock.now()
        if locked.status == PaymentLinkStatus.PENDING and locked.expires_at + CONFIRM_GRACE <= now:
            _refuse_closed(locked, PaymentLinkStatus.EXPIRED)
        _refuse_closed(locked, locked.status)
        locked.status = PaymentLinkStatus.PAID
        locked.paid_at = now
        locked.provider_reference = (provider_reference or "")[: payments.MAX_REFERENCE]
        locked.save(update_fields=["status", "paid_at", "provider_reference", "updated_at"])
        audit.record(
            business=locked.business,
            actor=None,
            action="payment_link.confirm",
            obj=locked,
            changes={
                "status": [PaymentLinkStatus.PENDING, PaymentLinkStatus.PAID],
                "provider_reference": ["", locked.provider_reference],
            },
        )
        emit("payment.confirmed", business=locked.business, payload=link_message(locked))
    return locked


# --- ending without payment --------------------------------------------------------------------


def _ended(link: PaymentLink, action: str, event: str, *, actor=None, reason: str = "") -> None:
    """Audit and event of a link that ended unpaid (inside the caller's transaction)."""
    audit.record(
        business=link.business,
        actor=actor,
        action=action,
        obj=link,
        changes={"status": [PaymentLinkStatus.PENDING, link.status]},
    )
    emit(event, business=link.business, payload={**link_message(link), "reason": reason})


def payment_link_cancel(*, link: PaymentLink, actor, reason: str = "") -> PaymentLink:
    """The register cancels a pending link. A paid link cannot be cancelled
    (Conflict); cancelling a link that already ended unpaid changes nothing."""
    with transaction.atomic():
        locked = (
            PaymentLink.objects.select_for_update(no_key=True, of=("self",))
            .select_related("business")
            .get(pk=link.pk, business_id=link.business_id)
        )
        if locked.status == PaymentLinkStatus.PAID:
            raise Conflict(
                _("This payment was already made: it cannot be cancelled."), code="already_paid"
            )
        if locked.status != PaymentLinkStatus.PENDING:
            return locked
        locked.status = PaymentLinkStatus.CANCELLED
        locked.cancelled_at = clock.now()
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        _ended(
            locked,
            "payment_link.cancel",
            "payment.cancelled",
            actor=actor,
            reason=reason or "register",
        )
    return locked


def _expire(link: PaymentLink) -> bool:
    """Mark one pending link past its time as expired; False if it ended otherwise."""
    with transaction.atomic():
        locked = (
            PaymentLink.objects.select_for_update(no_key=True, of=("self",))
            .select_related("business")
            .filter(pk=link.pk)
            .first()
        )
        if (
            locked is None
            or locked.status != PaymentLinkStatus.PENDING
            or locked.expires_at > clock.now()
        ):
            return False
        locked.status = PaymentLinkStatus.EXPIRED
        locked.save(update_fields=["status", "updated_at"])
        _ended(locked, "payment_link.expire", "payment.expired", reason="expired")
    link.status = locked.status
    return True


def payment_links_expire_due(*, limit: int = 500) -> int:
    """Expire the pending links whose time is up (the periodic job). Each link in
    its own short transaction, so one busy link does not hold the others."""
    due = list(
        PaymentLink.objects.filter(
            status=PaymentLinkStatus.PENDING, expires_at__lte=clock.now()
        ).order_by("expires_at")[:limit]
    )
    return sum(1 for link in due if _expire(link))


# --- pushing to the register -----------------------------------------------------------------


def _push_to_register(event) -> None:
    """After commit: the payment event to the register's open pages (RegisterConsumer)."""
    register_id = event.payload.get("register")
    if not register_id:
        return
    # Not waited for under the server: the register's page hears it from the loop.
    events.push(
        register_group(register_id),
        {"type": "payment.event", "data": {"type": event.name, **event.payload}},
    )


for _name in ("payment.confirmed", "payment.cancelled", "payment.expired"):
    subscribe(_name)(_push_to_register)
