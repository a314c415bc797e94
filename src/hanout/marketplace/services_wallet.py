"""Every write on the wallets: deposits, withdrawals, holds and transfers.

The rule: a wallet changes only through `post()` (one change) or `post_many()`
(several, as a transfer), which run with the wallet rows locked (`lock_wallets`:
`FOR NO KEY UPDATE`; on SQLite the write transaction is serialised), append one
immutable entry per change carrying the totals after it, and save the new totals
on the wallets in the same transaction. So the balance is always the sum of the
entries, is read from one row, and two requests can never both spend the same
money; were a wallet ever written from a stale copy, the entries' unique
(wallet, seq) would refuse it. Several wallets are always locked in the order of
their ids, so two transfers in opposite directions cannot deadlock.

A transfer is the hot path (bench/bench_wallet.py): on PostgreSQL it is four
round trips — BEGIN, one `SELECT … ORDER BY id FOR NO KEY UPDATE` of both
wallets, one statement writing both wallets and both entries, COMMIT.

Deposits and withdrawals are requests that a platform administrator (a user with
`is_staff`) approves or rejects; a pending withdrawal holds its amount. A request
that nobody decided before its `expires_at` expires (`requests_expire`, a
periodic job). Approving or rejecting twice — two administrators at the same
moment — decides once: the request row is locked and its status re-read.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import Conflict, PermissionDenied, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import minor_unit
from hanout.marketplace import display
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


PLAIN_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", fields={field: [message]})


def money_text(amount, currency: str, business=None) -> str:
    """An amount in a domain error's message as the pages write it ("1.744,00 €"): the
    language in force (the reader's) and the conventions of `business`'s country."""
    return display.money_in(amount, currency, getattr(business, "country", "") or "")


def parse_amount(value, *, currency: str, field: str = "amount", business=None) -> Decimal:
    """A positive amount with no more decimals than the currency has, within the terms' maximum.

    `business` (the one asking) writes the maximum in a refusal the way its pages do.

    Text must be a plain decimal ("12.50", "-3"): an exponent ("1e3"), "NaN" or "Infinity"
    are what Python reads, not what a person writes, and are refused."""
    if isinstance(value, float):
        value = repr(value)
    amount = None
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, str) and PLAIN_DECIMAL.fullmatch(value.strip()):
        try:
            amount = Decimal(value.strip())
        except (InvalidOperation, ValueError):
            amount = None
    if amount is None or not amount.is_finite():
        raise _bad(field, _("Enter an amount, such as 12.50."))
    if amount <= 0:
        raise _bad(field, _("The amount must be more than zero."))
    limit = terms_for(currency).max_amount
    if amount > limit:
        raise _bad(
            field,
            display.one_stop(
                _("The largest amount is %(limit)s.")
                % {"limit": money_text(limit, currency, business)}
            ),
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
    Call inside atomic(): the locks last until the transaction ends.
    """
    conn = transaction.get_connection()
    if conn.get_autocommit():  # what select_for_update() says outside a transaction
        raise TransactionManagementError("Wallets are locked and written inside atomic().")
    wanted = list({b.pk: b for b in businesses})
    wallets = _select_locked(conn, wanted)
    if len(wallets) < len(wanted):
        for business in businesses:
            wallet_of(business)
        wallets = _select_locked(conn, wanted)
    return {w.business_id: w for w in wallets}


@dataclass(frozen=True)
class Change:
    kind: str
    posted: Decimal = Decimal(0)
    held: Decimal = Decimal(0)


def post(wallet: Wallet, change: Change, **refs) -> WalletEntry:
    """Apply one change to a LOCKED wallet: append the entry, save the totals."""
    return post_many([(wallet, change, refs)])[0]


def post_many(moves: list[tuple[Wallet, Change, dict]]) -> list[WalletEntry]:
    """Apply changes to LOCKED wallets, in order: one entry each, the wallets' new totals.

    Every change is checked before anything is written, so a refused one (not enough
    money) leaves the database and the wallet objects as they were. A wallet may come
    twice: its entries then follow each other. `refs` are the entry's references
    (request, purchase, counterparty).
    """
    now = clock.now()  # what auto_now and auto_now_add would have put (tests may set it)
    after: dict = {}  # wallet pk -> (posted, held, seq) once the changes so far are applied
    wallets: dict = {}
    entries = []
    for wallet, change, refs in moves:
        posted, held, seq = after.get(wallet.pk, (wallet.posted, wallet.held, wallet.seq))
        if held + change.held < 0 or posted + change.posted < held + change.held:
            raise Conflict(
                display.one_stop(
                    _("Not enough money in the wallet: %(available)s available.")
                    % {"available": money_text(posted - held, wallet.currency, wallet.business)}
                ),
                code="insufficient_funds",
            )
        posted, held, seq = posted + change.posted, held + change.held, seq + 1
        after[wallet.pk], wallets[wallet.pk] = (posted, held, seq), wallet
        entries.append(
            WalletEntry(
                business_id=wallet.business_id,
                wallet=wallet,
                kind=change.kind,
                posted_change=change.posted,
                held_change=change.held,
                posted_after=posted,
                held_after=held,
                currency=wallet.currency,
                seq=seq,
                created_at=now,
                updated_at=now,
                **refs,
            )
        )
    for pk, wallet in wallets.items():
        wallet.posted, wallet.held, wallet.seq = after[pk]
        wallet.updated_at = now
    _write(transaction.get_connection(), list(wallets.values()), entries)
    return entries


# --- the ledger's statements, written as SQL ---------------------------------------------------
#
# A transfer is the hot path of the marketplace (bench/bench_wallet.py). Compiling the
# equivalent querysets — a select_for_update(), a save() per wallet, a create() per entry —
# cost the client several times what the database spends running them, and took seven
# round trips. So the lock and the writes are SQL, built once from the models' names
# (identifiers from `_meta`; every value a parameter, prepared by its field's
# `get_db_prep_value` / `get_db_prep_save` as the ORM's are, and rows read back through
# the fields' converters — so UUIDs, decimals and dates are stored and read the way each
# database keeps them). A transfer on PostgreSQL is then four round trips: BEGIN, the
# lock, one write, COMMIT.

_WALLET_WRITES = ("id", "posted", "held", "seq", "updated_at")  # what a change rewrites


@lru_cache(maxsize=16)
def _lock_sql(vendor: str, count: int) -> str:
    """Every column of the wallets of `count` businesses, locked in id order.

    FOR NO KEY UPDATE, as `select_for_update(no_key=True)`: the entries' foreign-key
    checks (KEY SHARE) are not blocked. SQLite has no row locks: there, the write
    transaction itself is exclusive (`BEGIN IMMEDIATE`, see core/sqlite).
    """
    conn = transaction.get_connection()
    qn = conn.ops.quote_name
    columns = ", ".join(qn(f.column) for f in Wallet._meta.concrete_fields)
    lock = ""
    if conn.features.has_select_for_update:
        lock = " FOR NO KEY UPDATE" if conn.features.has_select_for_no_key_update else " FOR UPDATE"
    return (
        f"SELECT {columns} FROM {qn(Wallet._meta.db_table)}"  # noqa: S608 (identifiers from the models)
        f" WHERE {qn(Wallet._meta.get_field('business').column)} IN ({', '.join(['%s'] * count)})"
        f" ORDER BY {qn(Wallet._meta.pk.column)}{lock}"
    )


def _select_locked(conn, business_ids: list) -> list[Wallet]:
    """The wallets of these businesses (those that exist), locked in id order (`_lock_sql`)."""
    business = Wallet._meta.get_field("business")
    params = [business.get_db_prep_value(pk, conn) for pk in business_ids]
    with conn.cursor() as cursor:
        cursor.execute(_lock_sql(conn.vendor, len(business_ids)), params)
        rows = cursor.fetchall()
    # The converters the ORM would apply (none on PostgreSQL, whose driver gives UUIDs,
    # decimals and aware datetimes; text to values on SQLite).
    convert = []
    for i, field in enumerate(Wallet._meta.concrete_fields):
        col = field.get_col(Wallet._meta.db_table)
        functions = conn.ops.get_db_converters(col) + col.get_db_converters(conn)
        if functions:
            convert.append((i, col, functions))
    wallets = []
    for row in rows:
        values = list(row)
        for i, col, functions in convert:
            for function in functions:
                values[i] = function(values[i], col, conn)
        wallets.append(Wallet.from_db(conn.alias, None, values))
    return wallets


@lru_cache(maxsize=16)
def _write_sql(vendor: str, wallets: int, entries: int) -> tuple[str, str]:
    """(the wallets' UPDATE, the entries' INSERT) for so many of each; see `_write`."""
    qn = transaction.get_connection().ops.quote_name
    pk, posted, held, seq, stamp = (qn(Wallet._meta.get_field(n).column) for n in _WALLET_WRITES)
    wallet_table, entry_table = qn(Wallet._meta.db_table), qn(WalletEntry._meta.db_table)
    columns = ", ".join(qn(f.column) for f in WalletEntry._meta.concrete_fields)
    row = "(" + ", ".join(["%s"] * len(WalletEntry._meta.concrete_fields)) + ")"
    insert = f"INSERT INTO {entry_table} ({columns}) VALUES {', '.join([row] * entries)}"  # noqa: S608 (identifiers from the models)
    if vendor == "postgresql":
        # A data-modifying WITH runs once and to completion, though the INSERT reads
        # nothing of it. The casts type the VALUES, which (unlike an INSERT's) have no
        # target columns to take their types from.
        values = ", ".join(
            ["(%s::uuid, %s::numeric, %s::numeric, %s::bigint, %s::timestamptz)"] * wallets
        )
        update = (
            f"WITH totals AS (UPDATE {wallet_table} AS w"  # noqa: S608 (identifiers from the models)
            f" SET {posted} = v.posted, {held} = v.held, {seq} = v.seq, {stamp} = v.stamp"
            f" FROM (VALUES {values}) AS v (id, posted, held, seq, stamp) WHERE w.{pk} = v.id)"
        )
    else:
        # SQLite has no UPDATE inside WITH: this UPDATE runs once per wallet (executemany).
        update = (
            f"UPDATE {wallet_table} SET {posted} = %s, {held} = %s, {seq} = %s, {stamp} = %s"  # noqa: S608 (identifiers from the models)
            f" WHERE {pk} = %s"
        )
    return update, insert


def _write(conn, wallets: list[Wallet], entries: list[WalletEntry]) -> None:
    """Save the wallets' posted, held, seq and updated_at, and insert the entries.

    On PostgreSQL one statement, `WITH totals AS (UPDATE wallets …) INSERT INTO entries …`;
    elsewhere the UPDATE (executemany) then the INSERT. The wallets are locked by the
    caller, so their totals are current; were one not, the entries' unique (wallet, seq)
    would refuse the second writer of a seq.
    """
    update, insert = _write_sql(conn.vendor, len(wallets), len(entries))
    wallet_fields = [Wallet._meta.get_field(name) for name in _WALLET_WRITES]
    rows = [
        [f.get_db_prep_save(getattr(w, f.attname), conn) for f in wallet_fields] for w in wallets
    ]
    new_entries = [
        f.get_db_prep_save(getattr(e, f.attname), conn)
        for e in entries
        for f in WalletEntry._meta.concrete_fields
    ]
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(f"{update} {insert}", [v for r in rows for v in r] + new_entries)
        else:
            cursor.executemany(update, [[*r[1:], r[0]] for r in rows])  # the id last
            cursor.execute(insert, new_entries)
    for entry in entries:  # saved: as bulk_create leaves them
        entry._state.adding, entry._state.db = False, conn.alias


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
    amount = parse_amount(amount, currency=business.currency, business=business)
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
            _("Not enough money in the wallet: %(available)s available, %(amount)s needed.")
            % {
                "available": money_text(wallet.available, wallet.currency, business),
                "amount": money_text(amount, wallet.currency, business),
            },
            code="insufficient_funds",
        )
    return post(wallet, Change(kind, held=amount), **refs)


def release(*, business: Business, amount: Decimal, kind: str = EntryKind.PURCHASE_RELEASE, **refs):
    wallet = lock_wallets(business)[business.pk]
    return post(wallet, Change(kind, held=-amount), **refs)


def transfer_held(*, payer: Business, payee: Business, amount: Decimal, **refs):
    """Pay `amount` that is held on the payer's wallet to the payee: two entries, one transaction.

    Both wallets locked by one statement, then both written by one (`post_many`).
    """
    wallets = lock_wallets(payer, payee)
    paid, _received = post_many(
        [
            (
                wallets[payer.pk],
                Change(EntryKind.PURCHASE, posted=-amount, held=-amount),
                {"counterparty": payee, **refs},
            ),
            (
                wallets[payee.pk],
                Change(EntryKind.SALE, posted=amount),
                {"counterparty": payer, **refs},
            ),
        ]
    )
    return paid
