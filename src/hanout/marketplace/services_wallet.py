"""Every write on the wallets: deposits, withdrawals, holds and transfers.

The rule: a wallet changes only through `post()`, which runs with the wallet row
locked (`select_for_update`; on SQLite the write transaction is serialised),
appends one immutable entry carrying the totals after it, and saves the new
totals on the wallet in the same transaction. So the balance is always the sum
of the entries, is read from one row, and two requests can never both spend the
same money. Several wallets are always locked in the order of their ids, so two
transfers in opposite directions cannot deadlock.

Deposits and withdrawals are requests that a platform administrator (a user with
`is_staff`) approves or rejects; a pending withdrawal holds its amount. A request
that nobody decided before its `expires_at` expires (`requests_expire`, a
periodic job). Approving or rejecting twice — two administrators at the same
moment — decides once: the request row is locked and its status re-read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import Conflict, PermissionDenied, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import minor_unit
from hanout.marketplace.models import (
    EntryKind,
    MarketTerms,
    RequestKind,
    RequestStatus,
    Wallet,
    WalletEntry,
    WalletRequest,
)

ACTION_LABELS = {
    "wallet.deposit_request": gettext_lazy("Asked to deposit money in the wallet"),
    "wallet.withdrawal_request": gettext_lazy("Asked to withdraw money from the wallet"),
    "wallet.request_approve": gettext_lazy("Approved a deposit or withdrawal"),
    "wallet.request_reject": gettext_lazy("Rejected a deposit or withdrawal"),
    "wallet.request_expire": gettext_lazy("A deposit or withdrawal expired"),
}

DEFAULT_TERMS = {"approval_threshold": None, "request_days": 7, "confirm_days": 7}
DEFAULT_MAX = Decimal("1000000")


def terms_for(currency: str) -> MarketTerms:
    """The operator's terms for a currency, or the defaults (unsaved) when none are set."""
    found = MarketTerms.objects.filter(currency=currency).first()
    return found or MarketTerms(currency=currency, max_amount=DEFAULT_MAX, **DEFAULT_TERMS)


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", fields={field: [message]})


def parse_amount(value, *, currency: str, field: str = "amount") -> Decimal:
    """A positive amount with no more decimals than the currency has, within the terms' maximum."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise _bad(field, _("Enter an amount, such as 12.50."))
    if amount <= 0:
        raise _bad(field, _("The amount must be more than zero."))
    limit = terms_for(currency).max_amount
    if amount > limit:
        raise _bad(
            field,
            _("The largest amount is %(limit)s %(currency)s.")
            % {"limit": limit.quantize(minor_unit(currency)), "currency": currency},
        )
    unit = minor_unit(currency)
    if amount != amount.quantize(unit):  # 10.500 is 10.50; 10.505 is refused
        raise _bad(
            field,
            _("%(currency)s has %(places)d decimals: %(amount)s has more.")
            % {"currency": currency, "places": -unit.as_tuple().exponent, "amount": amount},
        )
    return amount.quantize(unit)


# --- wallets and entries ---------------------------------------------------------------------


def wallet_of(business: Business) -> Wallet:
    """The business's wallet, made (empty, in its currency) the first time."""
    found = Wallet.objects.filter(business=business).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Wallet.objects.create(business=business, currency=business.currency)
    except IntegrityError:  # made at the same moment by another request
        return Wallet.objects.get(business=business)


def lock_wallets(*businesses: Business) -> dict:
    """The wallets of these businesses, locked in the order of their ids; by business id.

    One statement when the wallets exist (the usual case); a missing one is made first.
    """
    wanted = {b.pk for b in businesses}

    def locked():
        rows = Wallet.objects.select_for_update(no_key=True, of=("self",))
        return list(rows.filter(business_id__in=wanted).order_by("pk"))

    wallets = locked()
    if len(wallets) < len(wanted):
        for business in businesses:
            wallet_of(business)
        wallets = locked()
    return {w.business_id: w for w in wallets}


@dataclass(frozen=True)
class Change:
    kind: str
    posted: Decimal = Decimal(0)
    held: Decimal = Decimal(0)


def post(wallet: Wallet, change: Change, **refs) -> WalletEntry:
    """Apply one change to a LOCKED wallet: append the entry, save the totals."""
    posted = wallet.posted + change.posted
    held = wallet.held + change.held
    if held < 0 or posted < held:
        raise Conflict(
            _("Not enough money in the wallet: %(available)s %(currency)s available.")
            % {"available": wallet.available, "currency": wallet.currency},
            code="insufficient_funds",
        )
    wallet.posted, wallet.held, wallet.seq = posted, held, wallet.seq + 1
    wallet.save(update_fields=["posted", "held", "seq", "updated_at"])
    return WalletEntry.objects.create(
        business_id=wallet.business_id,
        wallet=wallet,
        kind=change.kind,
        posted_change=change.posted,
        held_change=change.held,
        posted_after=posted,
        held_after=held,
        currency=wallet.currency,
        seq=wallet.seq,
        **refs,
    )


def _need_staff(user) -> None:
    if not (user and getattr(user, "is_staff", False) and user.is_active):
        raise PermissionDenied(_("Only a platform administrator can do this."))


def _event(name: str, request: WalletRequest) -> None:
    events.emit(
        name,
        business=request.business,
        payload={
            "id": request.pk,
            "kind": request.kind,
            "amount": request.amount,
            "currency": request.currency,
            "status": request.status,
            "reason": request.reason,
        },
    )


# --- deposits and withdrawals ---------------------------------------------------------------


def _request(*, business, actor, kind, amount, reference, key) -> WalletRequest:
    reference = (reference or "").strip()
    if len(reference) > 120:
        raise _bad("reference", _("Keep the reference under 120 characters."))
    amount = parse_amount(amount, currency=business.currency)
    with transaction.atomic():
        payload = {"kind": kind, "amount": str(amount), "reference": reference}
        first = idempotency.claim(
            business=business, key=key, scope="wallet.request", payload=payload
        )
        if first is not None:
            return WalletRequest.objects.get(pk=first, business=business)
        days = terms_for(business.currency).request_days
        request = WalletRequest.objects.create(
            business=business,
            kind=kind,
            amount=amount,
            currency=business.currency,
            reference=reference,
            expires_at=clock.now() + timedelta(days=days),
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if kind == RequestKind.WITHDRAWAL:
            wallet = lock_wallets(business)[business.pk]
            post(wallet, Change(EntryKind.WITHDRAWAL_HOLD, held=amount), request=request)
        idempotency.remember(business=business, key=key, result_id=request.pk)
        audit.record(
            business=business,
            actor=actor,
            action=f"wallet.{kind}_request",
            obj=request,
            changes={"amount": [None, amount], "reference": [None, reference]},
        )
        _event(f"wallet.{kind}_requested", request)
    return request


def deposit_request(*, business, actor, amount, reference: str = "", key: uuid.UUID | None = None):
    """Ask to add money; nothing is posted until an administrator approves."""
    return _request(
        business=business,
        actor=actor,
        kind=RequestKind.DEPOSIT,
        amount=amount,
        reference=reference,
        key=key,
    )


def withdrawal_request(
    *, business, actor, amount, reference: str = "", key: uuid.UUID | None = None
):
    """Ask to take money out; the amount is held at once (it cannot be spent meanwhile)."""
    return _request(
        business=business,
        actor=actor,
        kind=RequestKind.WITHDRAWAL,
        amount=amount,
        reference=reference,
        key=key,
    )


def _locked_request(request: WalletRequest) -> WalletRequest:
    return (
        WalletRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("business")
        .get(pk=request.pk)
    )


def _settle(request: WalletRequest, status: str) -> None:
    """Post (approve) or release (reject, expire) a locked pending request."""
    wallet = lock_wallets(request.business)[request.business_id]
    a = request.amount
    if request.kind == RequestKind.DEPOSIT:
        if status == RequestStatus.POSTED:
            post(wallet, Change(EntryKind.DEPOSIT, posted=a), request=request)
    elif status == RequestStatus.POSTED:
        post(wallet, Change(EntryKind.WITHDRAWAL, posted=-a, held=-a), request=request)
    else:
        post(wallet, Change(EntryKind.WITHDRAWAL_RELEASE, held=-a), request=request)


def _decide(*, request, admin, status: str, reason: str) -> WalletRequest:
    _need_staff(admin)
    reason = (reason or "").strip()
    if status == RequestStatus.VOIDED and not reason:
        raise _bad("reason", _("Say why it is rejected: the business reads it."))
    if len(reason) > 300:
        raise _bad("reason", _("Keep the reason under 300 characters."))
    with transaction.atomic():
        request = _locked_request(request)
        if request.status == status:
            return request  # decided the same way already (a second click, a second admin)
        if request.status != RequestStatus.PENDING:
            raise Conflict(
                _("This %(kind)s is already %(status)s.")
                % {
                    "kind": request.get_kind_display().lower(),
                    "status": request.get_status_display().lower(),
                },
                code="request_decided",
            )
        if request.expires_at <= clock.now():
            _expire_locked(request)
            raise Conflict(_("This request has expired."), code="request_expired")
        _settle(request, status)
        before = request.status
        request.status, request.decided_by, request.decided_at = status, admin, clock.now()
        request.reason = reason
        request.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
        approved = status == RequestStatus.POSTED
        audit.record(
            business=request.business,
            actor=admin,
            action="wallet.request_approve" if approved else "wallet.request_reject",
            obj=request,
            changes={"status": [before, status], **({"reason": [None, reason]} if reason else {})},
        )
        _event(f"wallet.{request.kind}_{'approved' if approved else 'rejected'}", request)
    return request


def request_approve(*, request: WalletRequest, admin) -> WalletRequest:
    return _decide(request=request, admin=admin, status=RequestStatus.POSTED, reason="")


def request_reject(*, request: WalletRequest, admin, reason: str) -> WalletRequest:
    return _decide(request=request, admin=admin, status=RequestStatus.VOIDED, reason=reason)


def _expire_locked(request: WalletRequest) -> None:
    _settle(request, RequestStatus.EXPIRED)
    request.status, request.decided_at = RequestStatus.EXPIRED, clock.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    audit.record(
        business=request.business,
        actor=None,
        action="wallet.request_expire",
        obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.EXPIRED]},
    )
    _event("wallet.request_expired", request)


def requests_expire(*, now=None) -> int:
    """Expire every pending request past its day (a periodic job); returns how many."""
    now = now or clock.now()
    count = 0
    due = WalletRequest.objects.filter(status=RequestStatus.PENDING, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            request = (
                WalletRequest.objects.select_for_update(no_key=True, of=("self",))
                .select_related("business")
                .get(pk=pk)
            )
            if request.status == RequestStatus.PENDING and request.expires_at <= now:
                _expire_locked(request)
                count += 1
    return count


# --- moving money between businesses ----------------------------------------------------------


def hold(*, business: Business, amount: Decimal, kind: str = EntryKind.PURCHASE_HOLD, **refs):
    """Hold `amount` on the business's wallet (inside the caller's transaction)."""
    wallet = lock_wallets(business)[business.pk]
    if wallet.available < amount:
        raise Conflict(
            _(
                "Not enough money in the wallet: %(available)s %(currency)s available, %(amount)s needed."
            )
            % {"available": wallet.available, "currency": wallet.currency, "amount": amount},
            code="insufficient_funds",
        )
    return post(wallet, Change(kind, held=amount), **refs)


def release(*, business: Business, amount: Decimal, kind: str = EntryKind.PURCHASE_RELEASE, **refs):
    wallet = lock_wallets(business)[business.pk]
    return post(wallet, Change(kind, held=-amount), **refs)


def transfer_held(*, payer: Business, payee: Business, amount: Decimal, **refs):
    """Pay `amount` that is held on the payer's wallet to the payee: two entries, one transaction."""
    wallets = lock_wallets(payer, payee)
    out = post(
        wallets[payer.pk],
        Change(EntryKind.PURCHASE, posted=-amount, held=-amount),
        counterparty=payee,
        **refs,
    )
    post(wallets[payee.pk], Change(EntryKind.SALE, posted=amount), counterparty=payer, **refs)
    return out
