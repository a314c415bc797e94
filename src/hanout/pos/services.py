"""Every write of the register: registers and devices, cash sessions, sales, returns.

Completing a sale (`sale_complete`) is one transaction with a fixed order of
locks, the same on every path, so two registers never deadlock:

    1. the Register row (SELECT … FOR UPDATE): the gapless ticket number;
    2. the CashSession row (an UPDATE of its running totals with F());
    3. paid PaymentLink rows, when the sale has phone payments;
    4. stock levels, in (location, product) order (inventory.ledger.post_legs).

Closing a session locks only its row; the sale's UPDATE in step 2 is filtered on
`status = open`, so a sale that commits after the close finds no open row, is
recorded with `late=True` and leaves the frozen Z figures alone.

Idempotency: a sale's `client_uuid` is unique per business. A retry is
answered from a first read; two copies racing past that read collide on the
unique index when inserting the sale (before any stock or payment check), and
the loser returns the winner's sale. The same uuid with a different request is
a Conflict, told apart by `Sale.request_fingerprint`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.accounts.models import Membership
from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import Shop
from hanout.core.money import quantize
from hanout.core.permissions import Module
from hanout.core.services import full_clean_or_raise, model_update
from hanout.inventory.ledger import Leg, post_legs
from hanout.inventory.models import Location, MovementReason
from hanout.pos.models import (
    CashMovement,
    CashMovementKind,
    CashSession,
    LineKind,
    Payment,
    PaymentLink,
    PaymentLinkStatus,
    PaymentMethod,
    PrinterKind,
    RefundStatus,
    Register,
    RegisterDevice,
    Sale,
    SaleKind,
    SaleLine,
    SessionStatus,
)
from hanout.pos.pricing import (
    LineInput,
    PricedBasket,
    PricedLine,
    parse_amount,
    price_basket,
    summarize,
    tax_inside,
)
from hanout.pos.services_points import (
    points_credit_back,
    points_price,
    points_redeem,
    points_refunded,
)

__all__ = [
    "ACTION_LABELS",
    "LineInput",
    "PaymentInput",
    "device_for_token",
    "device_pair",
    "device_revoke",
    "register_create",
    "register_location",
    "register_update",
    "sale_complete",
    "sale_return",
    "session_cash_movement",
    "session_close",
    "session_open",
]

ACTION_LABELS = {
    "register.create": gettext_lazy("Added a register"),
    "register.update": gettext_lazy("Changed a register"),
    "register.device_pair": gettext_lazy("Paired a device as a register"),
    "register.device_revoke": gettext_lazy("Unpaired a register device"),
    "session.open": gettext_lazy("Opened a cash session"),
    "session.paid_in": gettext_lazy("Put cash in the drawer"),
    "session.paid_out": gettext_lazy("Took cash out of the drawer"),
    "session.close": gettext_lazy("Closed a cash session"),
    "sale.complete": gettext_lazy("Completed a sale"),
    "sale.return": gettext_lazy("Took back a sale (return)"),
}

ZERO = Decimal(0)
DEVICE_SEEN_EVERY = timedelta(minutes=5)
REFUND_METHODS = ("cash", "original")


def _bad(field: str, message: str, *, code: str | None = None) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", code=code, fields={field: [message]})


def _uuid(value, field: str = "client_uuid", *, required: bool = True) -> uuid.UUID | None:
    if value is None or value == "":
        if required:
            raise _bad(field, _("A client-made UUID is required (it makes retries safe)."))
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError) as exc:
        raise _bad(field, _("Not a valid UUID.")) from exc


def _member(*, business_id, actor, field: str = "cashier", known=None) -> Membership:
    """The actor's active membership in the business, else a refusal naming `field`.

    `known` is the membership the caller already holds (the API's request.membership):
    used as it is when it is the actor's, in this business, and active."""
    if (
        known is not None
        and known.business_id == business_id
        and known.user_id == getattr(actor, "pk", None)
        and known.is_active
    ):
        return known
    membership = (
        Membership.objects.filter(business_id=business_id, user_id=getattr(actor, "pk", None))
        .filter(is_active=True, user__is_active=True)
        .first()
    )
    if membership is None:
        raise _bad(field, _("This person does not work for this business."), code="not_a_member")
    return membership


def _own_register(business, register) -> Register:
    if register is None or register.business_id != business.pk:
        raise NotFound(_("This register was not found."), fields={"register": [_("Not found.")]})
    return register


# --- registers and devices -----------------------------------------------------------------


REGISTER_FIELDS = [
    "name",
    "shop",
    "location",
    "idle_lock_seconds",
    "printer_kind",
    "printer_target",
]


def _check_register_refs(business, shop, location) -> None:
    if shop is None or shop.business_id != business.pk:
        raise NotFound(_("This shop was not found."), fields={"shop": [_("Not found.")]})
    if location is not None:
        if location.business_id != business.pk:
            raise NotFound(
                _("This location was not found."), fields={"location": [_("Not found.")]}
            )
        if location.shop_id != shop.pk:
            raise _bad("location", _("Choose a stock location of the register's shop."))


def _check_printer(kind: str, target: str) -> None:
    if kind not in PrinterKind.values:
        raise _bad("printer_kind", _("Choose one of the printer kinds."))
    if kind != PrinterKind.NONE and not (target or "").strip():
        raise _bad("printer_target", _("Say where the printer is."))


def _name_taken(shop, name: str, exclude=None) -> bool:
    qs = Register.objects.filter(shop=shop, name__iexact=name)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


@transaction.atomic
def register_create(
    *,
    business,
    actor,
    shop: Shop,
    name: str,
    location: Location | None = None,
    idle_lock_seconds: int = 120,
    printer_kind: str = PrinterKind.NONE,
    printer_target: str = "",
) -> Register:
    """Add a till to a shop. Its name is unique in the shop."""
    _check_register_refs(business, shop, location)
    name = (name or "").strip()
    if not name:
        raise _bad("name", _("Give the register a name."))
    if _name_taken(shop, name):
        raise _bad("name", _("This shop already has a register with this name."))
    _check_printer(printer_kind, printer_target)
    register = Register(
        business=business,
        shop=shop,
        name=name,
        location=location,
        idle_lock_seconds=idle_lock_seconds,
        printer_kind=printer_kind,
        printer_target=(printer_target or "").strip(),
    )
    full_clean_or_raise(register, exclude=["business", "shop", "location"])
    register.save()
    audit.record(business=business, actor=actor, action="register.create", obj=register)
    return register


@transaction.atomic
def register_update(*, register: Register, actor, data: dict) -> Register:
    """Change a register's settings (name, shop, location, idle lock, printer, active)."""
    business = register.business
    data = {k: v for k, v in data.items() if k in [*REGISTER_FIELDS, "is_active"]}
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
        if not data["name"]:
            raise _bad("name", _("Give the register a name."))
    shop = data.get("shop", register.shop)
    location = data.get("location", register.location)
    _check_register_refs(business, shop, location)
    if "name" in data and _name_taken(shop, data["name"], exclude=register):
        raise _bad("name", _("This shop already has a register with this name."))
    if "printer_target" in data:
        data["printer_target"] = (data["printer_target"] or "").strip()
    _check_printer(
        data.get("printer_kind", register.printer_kind),
        data.get("printer_target", register.printer_target),
    )
    changes = model_update(instance=register, fields=[*REGISTER_FIELDS, "is_active"], data=data)
    if changes:
        audit.record(
            business=business,
            actor=actor,
            action="register.update",
            obj=register,
            changes=changes,
        )
    return register


def register_location(register: Register) -> Location:
    """Where the register's sales take stock from: its own location or the shop's default."""
    if register.location_id:
        return register.location
    from hanout.inventory.services import default_location

    return default_location(shop=register.shop)


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def device_pair(*, register: Register, actor, label: str = "") -> tuple[RegisterDevice, str]:
    """Make a browser (or the desktop app) act as this register.

    Returns the device and its raw token, shown once (kept in the device's
    cookie); only a SHA-256 of it is stored.
    """
    if not register.is_active:
        raise _bad("register", _("This register is switched off."))
    raw = secrets.token_urlsafe(32)
    device = RegisterDevice.objects.create(
        business_id=register.business_id,
        register=register,
        label=(label or "").strip()[:80],
        token_hash=_token_hash(raw),
        paired_by=actor,
        last_seen_at=clock.now(),
    )
    audit.record(
        business=register.business,
        actor=actor,
        action="register.device_pair",
        obj=device,
        object_repr=f"{register.name}: {device.label}" if device.label else register.name,
    )
    return device, raw


def device_for_token(*, raw: str) -> RegisterDevice | None:
    """The paired device of this raw token (with its register, shop and business); None
    when unknown or revoked. Notes when it was last seen, at most every few minutes."""
    if not raw:
        return None
    device = (
        RegisterDevice.objects.select_related("register", "register__shop", "business")
        .filter(token_hash=_token_hash(str(raw)), revoked_at__isnull=True)
        .first()
    )
    if device is None:
        return None
    now = clock.now()
    if device.last_seen_at is None or now - device.last_seen_at > DEVICE_SEEN_EVERY:
        RegisterDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
        device.last_seen_at = now
    return device


def device_in_use(*, raw: str) -> RegisterDevice | None:
    """The device of this raw token when it may act as its register now: paired, not
    revoked, its register and its business switched on; else None."""
    device = device_for_token(raw=raw)
    if device is None or not device.register.is_active or not device.business.is_active:
        return None
    return device


@transaction.atomic
def device_revoke(*, device: RegisterDevice, actor) -> RegisterDevice:
    """Unpair a device: its cookie stops working at once.

    `actor` is the person who unpairs it, or the device itself (the desktop app
    forgetting its pairing): the audit row then names the device, with no person.
    Revoking twice changes nothing and records once."""
    by_itself = isinstance(actor, RegisterDevice)
    if by_itself and actor.pk != device.pk:
        raise ValueError("a device may only revoke itself")
    if device.revoked_at is None:
        now = clock.now()
        # Conditional, so that two revokes at once (a manager and the device itself)
        # record one audit row.
        revoked = RegisterDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
            revoked_at=now, updated_at=now
        )
        if not revoked:
            device.refresh_from_db(fields=["revoked_at", "updated_at"])
            return device
        device.revoked_at = device.updated_at = now
        name = f"{device.register.name}: {device.label}" if device.label else device.register.name
        audit.record(
            business=device.business,
            actor=None if by_itself else actor,
            actor_label=name if by_itself else "",
            action="register.device_revoke",
            obj=device,
            object_repr=name,
        )
    return device


# --- cash sessions -------------------------------------------------------------------------


def session_open(*, register: Register, actor, opening_float, client_uuid=None) -> CashSession:
    """Open the register's drawer with a counted float. One open session per register;
    the same `client_uuid` again returns the session it opened."""
    business = register.business
    key = _uuid(client_uuid, required=False)
    opening = parse_amount(opening_float, field="opening_float", currency=business.currency)
    _member(business_id=business.pk, actor=actor, field="actor")
    with transaction.atomic():
        first = idempotency.claim(
            business=business,
            key=key,
            scope="pos.session_open",
            payload={"register": str(register.pk), "opening_float": str(opening)},
        )
        if first is not None:
            found = CashSession.objects.select_related("register").get(pk=first)
            found.replayed = True
            return found
        locked = Register.objects.select_for_update().get(pk=register.pk)
        if not locked.is_active:
            raise _bad("register", _("This register is switched off."))
        current = CashSession.objects.filter(register=locked, status=SessionStatus.OPEN).first()
        if current is not None:
            raise Conflict(
                _("Session #%(n)s is already open on this register; close it first.")
                % {"n": current.number},
                code="session_open",
                fields={"register": [_("A session is already open.")]},
            )
        number = locked.next_session_number
        Register.objects.filter(pk=locked.pk).update(
            next_session_number=F("next_session_number") + 1
        )
        register.next_session_number = number + 1
        session = CashSession.objects.create(
            business=business,
            register=register,
            number=number,
            opened_by=actor,
            opened_at=clock.now(),
            opening_float=opening,
        )
        idempotency.remember(business=business, key=key, result_id=session.pk)
        session.replayed = False
        audit.record(
            business=business,
            actor=actor,
            action="session.open",
            obj=session,
            changes={"opening_float": [None, opening]},
        )
        events.emit(
            "session.opened",
            business=business,
            payload={
                "id": session.pk,
                "register": register.pk,
                "number": number,
                "opening_float": opening,
                "opened_by": getattr(actor, "pk", None),
            },
        )
    return session


def session_cash_movement(
    *, session: CashSession, actor, kind: str, amount, reason: str, client_uuid=None
) -> CashMovement:
    """Record cash put in or taken out of the drawer outside a sale, with the reason.

    Paying out more than the drawer should hold is refused. The same
    `client_uuid` again returns the first movement.
    """
    business = session.business
    key = _uuid(client_uuid, required=False)
    if kind not in CashMovementKind.values:
        raise _bad("kind", _("Choose paid in or paid out."))
    value = parse_amount(amount, field="amount", currency=business.currency, allow_zero=False)
    reason = (reason or "").strip()
    if not reason:
        raise _bad("reason", _("Say why the cash goes in or out."))
    if len(reason) > 200:
        raise _bad("reason", _("Keep the reason under 200 characters."))
    if key is not None:
        first = CashMovement.objects.filter(business=business, client_uuid=key).first()
        if first is not None:
            return _same_movement(first, session=session, kind=kind, amount=value)
    _member(business_id=business.pk, actor=actor, field="actor")
    try:
        with transaction.atomic():
            locked = CashSession.objects.select_for_update().get(pk=session.pk)
            if locked.status != SessionStatus.OPEN:
                raise Conflict(
                    _("This cash session is closed."),
                    code="session_closed",
                    fields={"session": [_("Closed.")]},
                )
            if kind == CashMovementKind.PAID_OUT and value > locked.expected_cash_now():
                raise _bad(
                    "amount",
                    _("The drawer should hold only %(cash)s.")
                    % {"cash": quantize(locked.expected_cash_now(), business.currency)},
                )
            movement = CashMovement.objects.create(
                business=business,
                session=locked,
                kind=kind,
                amount=value,
                reason=reason,
                actor=actor,
                client_uuid=key,
            )
            column = "paid_in" if kind == CashMovementKind.PAID_IN else "paid_out"
            CashSession.objects.filter(pk=locked.pk).update(**{column: F(column) + value})
            setattr(session, column, getattr(locked, column) + value)
            audit.record(
                business=business,
                actor=actor,
                action=f"session.{kind}",
                obj=movement,
                object_repr=f"{session}: {value} — {reason}"[:200],
            )
    except IntegrityError:
        first = CashMovement.objects.filter(business=business, client_uuid=key).first()
        if key is None or first is None:
            raise
        return _same_movement(first, session=session, kind=kind, amount=value)
    return movement


def _same_movement(first: CashMovement, *, session, kind, amount) -> CashMovement:
    if first.session_id != session.pk or first.kind != kind or first.amount != amount:
        raise Conflict(
            _("This request key was already used for a different request."),
            code="idempotency_conflict",
            fields={"client_uuid": [_("Already used with other data.")]},
        )
    return first


def _counted_from(denominations: dict, currency: str) -> tuple[Decimal, dict]:
    total, clean = ZERO, {}
    if not isinstance(denominations, dict) or not denominations:
        raise _bad("counted_denominations", _("Count at least one coin or note."))
    for raw_value, raw_count in denominations.items():
        try:
            value = Decimal(str(raw_value).strip())
        except (InvalidOperation, ValueError, TypeError):
            value = None
        if value is None or not value.is_finite() or value <= 0 or value >= Decimal(10) ** 7:
            raise _bad(
                "counted_denominations",
                _("“%(value)s” is not a coin or a note.") % {"value": raw_value},
            )
        try:
            count = int(raw_count)
        except (ValueError, TypeError):
            count = -1
        if count < 0 or count > 10**6 or str(raw_count).strip() not in (str(count), f"{count}.0"):
            raise _bad(
                "counted_denominations",
                _("Enter how many “%(value)s” as a whole number, zero or more.")
                % {"value": raw_value},
            )
        value = quantize(value, currency)
        if count:
            clean[str(value)] = clean.get(str(value), 0) + count
        total += value * count
    return quantize(total, currency), clean


def session_close(
    *,
    session: CashSession,
    actor,
    counted_denominations: dict | None = None,
    counted_cash=None,
    note: str = "",
) -> CashSession:
    """Count the drawer and freeze the Z figures: expected, counted, difference.

    Reads the session's running totals under its row lock: a constant handful
    of queries however many sales the session holds.
    """
    business = session.business
    currency = business.currency
    if counted_denominations:
        counted, denominations = _counted_from(counted_denominations, currency)
    elif counted_cash is not None and counted_cash != "":
        counted = parse_amount(counted_cash, field="counted_cash", currency=currency)
        denominations = {}
    else:
        raise _bad("counted_cash", _("Count the cash in the drawer."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise _bad("note", _("Keep the note under 1000 characters."))
    _member(business_id=business.pk, actor=actor, field="actor")
    with transaction.atomic():
        locked = CashSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.OPEN:
            raise Conflict(
                _("This cash session is already closed."),
                code="session_closed",
                fields={"session": [_("Closed.")]},
            )
        expected = quantize(locked.expected_cash_now(), currency)
        locked.status = SessionStatus.CLOSED
        locked.closed_by = actor
        locked.closed_at = clock.now()
        locked.expected_cash = expected
        locked.counted_cash = counted
        locked.difference = counted - expected
        locked.counted_denominations = denominations
        locked.closing_note = note
        locked.save(
            update_fields=[
                "status",
                "closed_by",
                "closed_at",
                "expected_cash",
                "counted_cash",
                "difference",
                "counted_denominations",
                "closing_note",
                "updated_at",
            ]
        )
        audit.record(
            business=business,
            actor=actor,
            action="session.close",
            obj=locked,
            changes={
                "expected_cash": [None, expected],
                "counted_cash": [None, counted],
                "difference": [None, locked.difference],
            },
        )
        events.emit(
            "session.closed",
            business=business,
            payload={
                "id": locked.pk,
                "register": locked.register_id,
                "number": locked.number,
                "expected_cash": expected,
                "counted_cash": counted,
                "difference": locked.difference,
                "closed_by": getattr(actor, "pk", None),
            },
        )
    if "register" in session._state.fields_cache:
        locked.register = session.register
    return locked


# --- sales ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentInput:
    """How (part of) a sale is paid. Cash: `tendered` (or `amount`) is what the customer
    handed over; the change is worked out. Card and phone: `amount`; phone names the
    paid `payment_link` (a PaymentLink or its id)."""

    method: str
    amount: Decimal | str | None = None
    tendered: Decimal | str | None = None
    reference: str = ""
    payment_link: PaymentLink | uuid.UUID | str | None = None
    # Points: how many loyalty points the attached customer spends (whole number).
    points: int | str | None = None


@dataclass
class _Settled:
    payments: list[dict]
    cash_in: Decimal
    change: Decimal
    paid: Decimal
    links: dict  # payment index → link id


def _norm(value) -> str:
    if value is None or value == "":
        return ""
    try:
        return format(Decimal(str(value).strip()).normalize(), "f")
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


def _key(value) -> str:
    return str(getattr(value, "pk", value) or "")


def _fingerprint(*, register, session, lines, payments, customer=None) -> str:
    """What makes two submissions of a sale "the same request" (prices excluded: the
    server sets those). The customer counts only when there is one, so sales recorded
    before the register could attach customers keep their fingerprint."""
    extra = {"customer": _key(customer)} if _key(customer) else {}
    return idempotency.fingerprint(
        {
            **extra,
            "register": str(register.pk),
            "session": _key(session),
            "lines": [
                [
                    line.kind,
                    _key(line.product),
                    "".join(str(line.code or "").split()),
                    _norm(line.quantity),
                    _norm(line.discount or 0),
                    _norm(line.amount),
                ]
                for line in lines
            ],
            "payments": [
                [p.method, _norm(p.amount), _norm(p.tendered), _key(p.payment_link)]
                + ([_norm(p.points)] if p.method == PaymentMethod.POINTS else [])
                for p in payments
            ],
        }
    )


def _replay(existing: Sale, fingerprint: str) -> Sale:
    if existing.request_fingerprint and existing.request_fingerprint != fingerprint:
        raise Conflict(
            _("A different sale was already recorded with this client UUID."),
            code="idempotency_conflict",
            fields={"client_uuid": [_("Already used with other data.")]},
        )
    existing.replayed = True
    return existing


def _settle(payments: list[PaymentInput], currency: str) -> _Settled:
    """Work out amounts and change. Only cash gives change; card, phone and points cannot
    be more than the total; together they must cover it. Points get their amount from
    the loyalty programme in `services_points.points_price`."""
    if len(payments) > 20:
        raise _bad("payments", _("At most 20 payments per sale."))
    rows, links = [], {}
    for i, p in enumerate(payments):
        field = f"payments[{i}]"
        if p.method not in PaymentMethod.values:
            raise _bad(f"{field}.method", _("Choose cash, card, phone or points."))
        if p.method == PaymentMethod.POINTS:
            rows.append({"method": p.method, "points": p.points, "reference": "", "field": field})
            continue
        if p.method == PaymentMethod.CASH:
            given = p.tendered if p.tendered not in (None, "") else p.amount
            if given in (None, ""):
                raise _bad(f"{field}.tendered", _("Enter the cash the customer handed over."))
            tendered = parse_amount(given, field=f"{field}.tendered", currency=currency)
            rows.append({"method": p.method, "tendered": tendered, "reference": p.reference})
            continue
        if p.method == PaymentMethod.PHONE:
            if p.payment_link in (None, ""):
                raise _bad(f"{field}.payment_link", _("A phone payment needs its payment link."))
            links[i] = _uuid(_key(p.payment_link), f"{field}.payment_link")
        amount = None
        if p.amount not in (None, ""):
            amount = parse_amount(
                p.amount, field=f"{field}.amount", currency=currency, allow_zero=False
            )
        rows.append(
            {"method": p.method, "amount": amount, "reference": p.reference, "field": field}
        )
    open_cards = [r for r in rows if r["method"] == PaymentMethod.CARD and r["amount"] is None]
    if len(open_cards) > 1:
        raise _bad(f"{open_cards[1]['field']}.amount", _("Enter the amount paid."))
    return _Settled(payments=rows, cash_in=ZERO, change=ZERO, paid=ZERO, links=links)


def _allocate(settled: _Settled, total: Decimal, currency: str) -> None:
    """Once phone amounts are known: check the cover and split cash into amount + change.

    A card payment without an amount pays what the other payments leave."""
    for r in settled.payments:
        if r["method"] == PaymentMethod.CARD and r["amount"] is None:
            others = sum(
                (
                    r2["amount"] if r2["method"] != PaymentMethod.CASH else r2["tendered"]
                    for r2 in settled.payments
                    if r2 is not r and r2.get("amount", r2.get("tendered")) is not None
                ),
                ZERO,
            )
            if total - others <= 0:
                raise _bad(f"{r['field']}.amount", _("Nothing is left to pay by card."))
            r["amount"] = total - others
    noncash = sum(
        (r["amount"] for r in settled.payments if r["method"] != PaymentMethod.CASH), ZERO
    )
    by_points = sum(
        (r["amount"] for r in settled.payments if r["method"] == PaymentMethod.POINTS), ZERO
    )
    if by_points and noncash > total:
        raise _bad(
            "payments",
            _("The points pay %(points)s, more than is left to pay (total %(total)s).")
            % {"points": by_points, "total": total},
            code="overpaid",
        )
    if noncash > total:
        raise _bad(
            "payments",
            _(
                "Card and phone payments come to %(paid)s, more than the total %(total)s; only cash gives change."
            )
            % {"paid": noncash, "total": total},
            code="overpaid",
        )
    due = total - noncash
    cash_given = sum(
        (r["tendered"] for r in settled.payments if r["method"] == PaymentMethod.CASH), ZERO
    )
    if cash_given < due:
        raise _bad(
            "payments",
            _("%(missing)s is still to pay (total %(total)s).")
            % {"missing": quantize(due - cash_given, currency), "total": total},
            code="underpaid",
        )
    for r in settled.payments:
        if r["method"] == PaymentMethod.CASH:
            r["amount"] = min(r["tendered"], due)
            r["change"] = r["tendered"] - r["amount"]
            due -= r["amount"]
    settled.cash_in = cash_given
    settled.change = sum((r.get("change", ZERO) for r in settled.payments), ZERO)
    settled.paid = noncash + cash_given


def _check_links(*, business, register, settled: _Settled) -> None:
    """Phone payments: the link is paid, of this register, for exactly that amount, and
    no other sale used it. Locked (after the register) so two sales cannot share one."""
    if not settled.links:
        return
    found = {
        link.pk: link
        for link in PaymentLink.objects.select_for_update()
        .filter(business=business, pk__in=list(settled.links.values()))
        .order_by("pk")
    }
    used = set(
        Payment.objects.filter(payment_link_id__in=list(found)).values_list(
            "payment_link_id", flat=True
        )
    )
    for i, link_id in settled.links.items():
        field = f"payments[{i}].payment_link"
        link = found.get(link_id)
        if link is None:
            raise NotFound(_("This payment link was not found."), fields={field: [_("Not found.")]})
        if link.register_id != register.pk:
            raise _bad(field, _("This phone payment was made at another register."))
        if link.status != PaymentLinkStatus.PAID:
            raise _bad(
                field,
                _("This phone payment is not paid (%(status)s).")
                % {"status": link.get_status_display()},
                code="payment_link_not_paid",
            )
        if link.pk in used:
            raise _bad(
                field,
                _("This phone payment already settled another sale."),
                code="payment_link_used",
            )
        row = settled.payments[i]
        if row["amount"] is None:
            row["amount"] = link.amount
        elif row["amount"] != link.amount:
            raise _bad(
                f"payments[{i}].amount",
                _("The phone payment was for %(paid)s, not %(amount)s.")
                % {"paid": link.amount, "amount": row["amount"]},
            )
        row["payment_link_id"] = link.pk
        row["reference"] = row["reference"] or link.provider_reference
        used.add(link.pk)


def _resolve_session(register: Register, session) -> CashSession | None:
    if session is None:
        return None
    if not isinstance(session, CashSession):
        sid = _uuid(_key(session), "session")
        session = CashSession.objects.filter(business_id=register.business_id, pk=sid).first()
    if session is None or session.business_id != register.business_id:
        raise NotFound(_("This cash session was not found."), fields={"session": [_("Not found.")]})
    if session.register_id != register.pk:
        raise _bad("session", _("This cash session belongs to another register."))
    return session


# --- the hot path's statements ---------------------------------------------------------------
#
# A sale runs these on every request. Written as SQL (the same on SQLite and
# PostgreSQL, FOR UPDATE only where the database has it): compiling the
# equivalent querysets cost more than running them (2.4 ms for the register lock
# with its subqueries, against 0.1 ms), and the benchmark needs the sale as fast
# as a bare view.


def _db_uuid(value):
    return Register._meta.pk.get_db_prep_value(value, connection)


def _as_uuid(value):
    return None if value is None else (value if isinstance(value, uuid.UUID) else uuid.UUID(value))


@dataclass
class _LockedRegister:
    """What the sale reads under the register's row lock."""

    id: uuid.UUID
    business_id: uuid.UUID
    shop_id: uuid.UUID
    is_active: bool
    name: str
    next_ticket_number: int
    next_return_number: int
    location_id: uuid.UUID | None
    location_name: str | None
    default_location_id: uuid.UUID | None
    default_location_name: str | None
    open_session_id: uuid.UUID | None


def _lock_sql() -> str:
    q = connection.ops.quote_name
    register, location, session = (q(m._meta.db_table) for m in (Register, Location, CashSession))
    default = (
        f"FROM {location} d WHERE d.shop_id = r.shop_id AND d.is_default ORDER BY d.id LIMIT 1"
    )
    lock = " FOR UPDATE OF r" if connection.features.has_select_for_update_of else ""
    # Identifiers come from the models; values are parameters.
    return (
        "SELECT r.id, r.business_id, r.shop_id, r.is_active, r.name, r.next_ticket_number,"  # noqa: S608
        " r.next_return_number, r.location_id, l.name,"
        f" (SELECT d.id {default}), (SELECT d.name {default}),"
        f" (SELECT s.id FROM {session} s WHERE s.register_id = r.id AND s.status = %s LIMIT 1)"
        f" FROM {register} r LEFT JOIN {location} l ON l.id = r.location_id"
        f" WHERE r.id = %s{lock}"
    )


def _lock_register(register: Register) -> _LockedRegister:
    """The register row, locked (SELECT … FOR UPDATE): the gapless numbers are read and
    bumped under it. The same statement brings what the sale needs next: its stock
    location (its own, else the shop's default one) and its open session."""
    with connection.cursor() as cursor:
        cursor.execute(_lock_sql(), [SessionStatus.OPEN.value, _db_uuid(register.pk)])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(_("This register was not found."), fields={"register": [_("Not found.")]})
    locked = _LockedRegister(
        id=_as_uuid(row[0]),
        business_id=_as_uuid(row[1]),
        shop_id=_as_uuid(row[2]),
        is_active=bool(row[3]),
        name=row[4],
        next_ticket_number=row[5],
        next_return_number=row[6],
        location_id=_as_uuid(row[7]),
        location_name=row[8],
        default_location_id=_as_uuid(row[9]),
        default_location_name=row[10],
        open_session_id=_as_uuid(row[11]),
    )
    if not locked.is_active:
        raise _bad("register", _("This register is switched off."), code="register_inactive")
    return locked


def _bump_number(locked: _LockedRegister, column: str) -> int:
    """Take the next ticket (or return) number; the row is locked, so it is gapless."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(Register._meta.db_table)} SET {q(column)} = {q(column)} + 1"  # noqa: S608
            " WHERE id = %s",
            [_db_uuid(locked.id)],
        )
    return getattr(locked, column)


def _location_of(locked: _LockedRegister, register: Register) -> Location:
    location_id = locked.location_id or locked.default_location_id
    if location_id is None:
        return register_location(register)  # makes the shop's default location
    location = Location(
        id=location_id,
        name=locked.location_name if locked.location_id else locked.default_location_name,
        business_id=locked.business_id,
        shop_id=locked.shop_id,
    )
    location._state.adding = False
    location._state.db = connection.alias
    return location


def _open_session_id(locked: _LockedRegister):
    if locked.open_session_id is None:
        raise _bad(
            "session",
            _("No cash session is open on this register: open one first."),
            code="no_session",
        )
    return locked.open_session_id


def _session_under_lock(locked: _LockedRegister, register: Register, session):
    """The sale's session id: the register's open one by default; a CashSession or the
    id of one (checked here: this business, this register; a closed one is a late sale)."""
    if session is None:
        return _open_session_id(locked)
    if isinstance(session, CashSession):
        return session.pk
    if session == locked.open_session_id:
        return session
    return _resolve_session(register, session).pk


SESSION_TOTALS = {
    "cash_in",
    "cash_change",
    "cash_refunds",
    "withdrawals",
    "sales_count",
    "returns_count",
    "revenue",
}


def _session_totals_update(session_id, *, values: dict) -> bool:
    """Add to the session's running totals if it is still open; False when it is closed
    (the sale is late and the frozen Z figures stay as they are). One UPDATE, which
    also waits for a close in progress (the close locks the row)."""
    q = connection.ops.quote_name
    changes = [(name, amount) for name, amount in values.items() if amount]
    assert all(name in SESSION_TOTALS for name, _a in changes)
    sets = ", ".join(f"{q(name)} = {q(name)} + %s" for name, _a in changes) or (
        "sales_count = sales_count"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(CashSession._meta.db_table)} SET {sets}"  # noqa: S608 (columns: SESSION_TOTALS)
            " WHERE id = %s AND status = %s",
            [*(amount for _n, amount in changes), _db_uuid(session_id), SessionStatus.OPEN.value],
        )
        return cursor.rowcount == 1


def _sale_by_client_uuid(business, key) -> Sale | None:
    """The sale this client uuid already made, if any (an indexed lookup, no ORM compile)."""
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {q(Sale._meta.db_table)}"  # noqa: S608
            " WHERE business_id = %s AND client_uuid = %s",
            [_db_uuid(business.pk), _db_uuid(key)],
        )
        row = cursor.fetchone()
    return Sale.objects.get(pk=_as_uuid(row[0])) if row else None


def _sale_event(sale: Sale, business) -> None:
    events.emit(
        "sale.completed" if sale.kind == SaleKind.SALE else "sale.returned",
        business=business,
        payload={
            "id": sale.pk,
            "kind": sale.kind,
            "number": sale.number,
            "ticket": sale.ticket_number,
            "register": sale.register_id,
            "shop": sale.shop_id,
            "session": sale.session_id,
            "total": sale.total,
            "revenue": sale.revenue,
            "cashier": sale.cashier_id,
            "late": sale.late,
            "original": sale.original_id,
            "customer": sale.customer_id,
        },
    )


def _sale_customer(business, customer):
    """The customer a sale is attached to (an instance or an id): an active customer of
    this business, else a refusal on `customer` (another business's id is "not found")."""
    if customer is None or customer == "":
        return None
    from hanout.customers.selectors import customer_for_business

    found = customer_for_business(business=business, pk=_key(customer))
    if found is None:
        raise _bad("customer", _("This customer was not found."), code="customer_not_found")
    if not found.is_active:
        raise _bad(
            "customer",
            _("%(name)s is no longer an active customer.") % {"name": found.name},
            code="customer_inactive",
        )
    return found


def sale_complete(
    *,
    register: Register,
    actor,
    client_uuid,
    lines: list[LineInput],
    payments: list[PaymentInput],
    session=None,
    basket: str = "",
    sold_at=None,
    offline: bool = False,
    email: str = "",
    membership: Membership | None = None,
    customer=None,
) -> Sale:
    """Complete a paid basket: one ticket, in one transaction.

    The server prices the lines from the catalog (see pricing.py), numbers
    the ticket (gapless per register, under the register's row lock), writes
    the lines with name, price and tax rate as they are now, the payments
    (cash with tendered and change), one sale stock movement per product line
    at the register's location, adds to the cash session's running totals and
    records one audit row; `sale.completed` is sent after commit.

    The same `client_uuid` again returns the first sale (with `replayed=True`);
    with a different request it is a Conflict. `session` defaults to the
    register's open session; a closed one gets the sale recorded as late
    (its Z figures stay frozen). `customer` (an instance or an id, optional) must be
    an active customer of the register's business; the sale is theirs (loyalty points
    are earned on `sale.completed`). Nothing is written when anything is refused.
    """
    business = register.business
    currency = business.currency
    key = _uuid(client_uuid)
    fingerprint = _fingerprint(
        register=register, session=session, lines=lines, payments=payments, customer=customer
    )
    existing = _sale_by_client_uuid(business, key)
    if existing is not None:
        return _replay(existing, fingerprint)

    if not register.is_active:
        raise _bad("register", _("This register is switched off."), code="register_inactive")
    customer = _sale_customer(business, customer)
    if isinstance(session, CashSession) or session is None:
        session = _resolve_session(register, session)
    else:
        # An id: most sales name the register's open session, which the register's
        # lock reads anyway (_session_under_lock); only another one costs a query.
        session = _uuid(_key(session), "session")
    wants_discount = any(
        line.kind == LineKind.PRODUCT and _norm(line.discount or 0) not in ("", "0")
        for line in lines
    )
    membership = _member(business_id=business.pk, actor=actor, known=membership)
    allow_discount = wants_discount and membership.can_edit(Module.SALES)
    priced = price_basket(business=business, lines=lines, allow_discount=allow_discount)
    settled = _settle(payments, currency)
    points_price(settled=settled, business=business, customer=customer)
    basket = (basket or "").strip()[:20]
    email = (email or "").strip()
    if email:
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except Exception as exc:
            raise _bad("email", _("Enter a valid email address.")) from exc
    now = clock.now()
    sold_at = sold_at or now
    if sold_at > now and offline:
        # A device clock ahead of the server must not lose a sale made offline.
        sold_at = now
    if sold_at > now + timedelta(days=1):
        raise _bad("sold_at", _("This time is in the future."))

    try:
        with transaction.atomic():
            sale = _write_sale(
                business=business,
                register=register,
                actor=actor,
                key=key,
                fingerprint=fingerprint,
                priced=priced,
                settled=settled,
                session=session,
                basket=basket,
                sold_at=sold_at,
                offline=offline,
                email=email,
                customer=customer,
            )
    except IntegrityError:
        existing = _sale_by_client_uuid(business, key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return sale


def _write_sale(
    *,
    business,
    register,
    actor,
    key,
    fingerprint,
    priced,
    settled,
    session,
    basket,
    sold_at,
    offline,
    email,
    customer=None,
) -> Sale:
    currency = business.currency
    locked = _lock_register(register)
    session_id = _session_under_lock(locked, register, session)
    _allocate_after_links = bool(settled.links)
    if not _allocate_after_links:
        _allocate(settled, priced.total, currency)
    number = _bump_number(locked, "next_ticket_number")
    register.next_ticket_number = number + 1
    sale = Sale(
        business=business,
        client_uuid=key,
        kind=SaleKind.SALE,
        register=register,
        shop_id=locked.shop_id,
        session_id=session_id,
        number=number,
        cashier=actor,
        sold_at=sold_at,
        basket=basket,
        total=priced.total,
        revenue=priced.revenue,
        tax_total=priced.tax_total,
        discount_total=priced.discount_total,
        withdrawal_total=priced.withdrawal_total,
        paid_total=ZERO,
        change_given=ZERO,
        offline=bool(offline),
        late=False,
        email=email,
        customer=customer,
        request_fingerprint=fingerprint,
    )
    if not _allocate_after_links:
        sale.paid_total, sale.change_given = settled.paid, settled.change
    # The insert comes before any stock or payment check: a concurrent copy of this
    # request fails here on the unique client_uuid and answers the first sale.
    sale.save(force_insert=True)
    if _allocate_after_links:
        _check_links(business=business, register=register, settled=settled)
        _allocate(settled, priced.total, currency)
        sale.paid_total, sale.change_given = settled.paid, settled.change
        Sale.objects.filter(pk=sale.pk).update(
            paid_total=sale.paid_total, change_given=sale.change_given
        )
    on_time = _session_totals_update(
        session_id,
        values={
            "cash_in": settled.cash_in,
            "cash_change": settled.change,
            "withdrawals": priced.withdrawal_total,
            "sales_count": 1,
            "revenue": priced.revenue,
        },
    )
    if not on_time:
        sale.late = True
        Sale.objects.filter(pk=sale.pk).update(late=True)
    sale_lines = _line_rows(business, sale, priced.lines)
    SaleLine.objects.bulk_create(sale_lines)
    payment_rows = [
        Payment(
            business=business,
            sale=sale,
            method=r["method"],
            amount=r["amount"],
            tendered=r.get("tendered"),
            change=r.get("change", ZERO),
            reference=(r.get("reference") or "")[:120],
            payment_link_id=r.get("payment_link_id"),
            points=r.get("points"),
        )
        for r in settled.payments
    ]
    if payment_rows:
        Payment.objects.bulk_create(payment_rows)
    points_redeem(sale=sale, settled=settled, customer=customer, key=key, actor=actor)
    legs = [
        Leg(line.product, None, MovementReason.SALE, quantity=-line.quantity)
        for line in priced.lines
        if line.kind == LineKind.PRODUCT
    ]
    if legs:
        location = _location_of(locked, register)
        for leg in legs:
            leg.location = location
        post_legs(
            business=business,
            actor=actor,
            legs=legs,
            action="stock.sale",
            reference=sale.ticket_number,
            group=sale.pk,
            shortfall_field="lines",
        )
    audit.record(
        business=business,
        actor=actor,
        action="sale.complete",
        obj=sale,
        object_repr=f"{locked.name} {sale.ticket_number}: {sale.total} {currency}",
        changes={"customer": [None, str(customer.pk)]} if customer is not None else None,
    )
    _sale_event(sale, business)
    _cache_children(sale, sale_lines, payment_rows)
    sale.replayed = False
    return sale


def _cache_children(sale: Sale, lines: list[SaleLine], payments: list[Payment]) -> None:
    """Serve `sale.lines.all()` / `sale.payments.all()` from what was just written (as a
    prefetch would), so answering the request costs no more queries."""
    cache = {}
    for name, rows in (("lines", lines), ("payments", payments)):
        qs = getattr(sale, name).get_queryset()
        qs._result_cache = rows
        qs._prefetch_done = True
        cache[name] = qs
    sale._prefetched_objects_cache = cache


def _line_rows(business, sale: Sale, lines: list[PricedLine], originals=None) -> list[SaleLine]:
    return [
        SaleLine(
            business=business,
            sale=sale,
            position=i + 1,
            kind=line.kind,
            product=line.product,
            original_line=originals[i] if originals else None,
            name=line.name[:200],
            sku=(line.sku or "")[:64],
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
            tax_rate=line.tax_rate,
            total=line.total,
            tax_amount=line.tax_amount,
        )
        for i, line in enumerate(lines)
    ]


# --- returns -------------------------------------------------------------------------------


def _return_payload(sale, lines, refund_method, restock, session) -> str:
    return idempotency.fingerprint(
        {
            "original": str(sale.pk),
            "lines": [[_key(line), _norm(qty)] for line, qty in lines],
            "refund_method": refund_method,
            "restock": bool(restock),
            "session": _key(session),
        }
    )


def sale_return(
    *,
    sale: Sale,
    actor,
    client_uuid,
    lines: list[tuple[SaleLine, Decimal]],
    refund_method: str,
    reason: str,
    restock: bool = True,
    session=None,
    membership: Membership | None = None,
) -> Sale:
    """Take back some lines of a sale: a return ticket (numbered R000001… per register)
    with negative lines and negative payments, stock back in when `restock`.

    A line cannot be returned beyond what was sold minus what earlier returns took
    back (the original lines are locked). `refund_method` is "cash" or "original"
    (points, card and phone first, up to what each paid and was not refunded yet, the
    rest in cash; points go back as points to the customer's ledger). The return is made at `session`'s register, else at the original
    sale's register in its open session. Same `client_uuid` → the first return.
    """
    business = sale.business
    currency = business.currency
    key = _uuid(client_uuid)
    if sale.kind != SaleKind.SALE:
        raise _bad("sale", _("A return cannot itself be returned."))
    if refund_method not in REFUND_METHODS:
        raise _bad("refund_method", _("Refund in cash or by the original method."))
    reason = (reason or "").strip()
    if not reason:
        raise _bad("reason", _("Say why the customer brings it back."))
    if len(reason) > 200:
        raise _bad("reason", _("Keep the reason under 200 characters."))
    if not lines:
        raise _bad("lines", _("Choose at least one line to return."))
    fingerprint = _return_payload(sale, lines, refund_method, restock, session)
    existing = _sale_by_client_uuid(business, key)
    if existing is not None:
        if existing.original_id != sale.pk:
            fingerprint = "other"
        return _replay(existing, fingerprint)

    if session is not None and not isinstance(session, CashSession):
        session = _resolve_session(sale.register, session)
    if session is not None and session.business_id != business.pk:
        raise NotFound(_("This cash session was not found."), fields={"session": [_("Not found.")]})
    register = session.register if session is not None else sale.register
    if not register.is_active:
        raise _bad("register", _("This register is switched off."), code="register_inactive")
    _member(business_id=business.pk, actor=actor, known=membership)

    wanted: dict = {}
    for i, (line, qty) in enumerate(lines):
        field = f"lines[{i}]"
        line_id = _key(line)
        if not line_id:
            raise _bad(f"{field}.line", _("Choose a line of the ticket."))
        try:
            q = Decimal(str(qty).strip())
        except (InvalidOperation, ValueError, TypeError):
            q = None
        if q is None or not q.is_finite() or q <= 0 or q != q.quantize(Decimal("0.001")):
            raise _bad(f"{field}.quantity", _("Enter a quantity above zero (3 decimals at most)."))
        wanted[line_id] = (i, wanted.get(line_id, (i, ZERO))[1] + q)

    try:
        with transaction.atomic():
            ret = _write_return(
                business=business,
                sale=sale,
                register=register,
                session=session,
                actor=actor,
                key=key,
                fingerprint=fingerprint,
                wanted=wanted,
                refund_method=refund_method,
                reason=reason,
                restock=restock,
                currency=currency,
            )
    except IntegrityError:
        existing = _sale_by_client_uuid(business, key)
        if existing is None:
            raise
        return _replay(existing, fingerprint)
    return ret


def _write_return(
    *,
    business,
    sale,
    register,
    session,
    actor,
    key,
    fingerprint,
    wanted,
    refund_method,
    reason,
    restock,
    currency,
) -> Sale:
    locked = _lock_register(register)
    session_id = session.pk if session is not None else _open_session_id(locked)
    originals = {
        str(line.pk): line
        for line in SaleLine.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(sale=sale)
        .order_by("pk")
    }
    # What earlier returns already took back, per line (for exact last-unit totals).
    returned_totals = {
        str(row["original_line_id"]): (row["total"], row["tax"])
        for row in SaleLine.objects.filter(original_line__sale=sale)
        .values("original_line_id")
        .annotate(total=Sum("total"), tax=Sum("tax_amount"))
    }
    # Units taken back in the back office (sales.ReturnLine, positive totals) count too, or
    # the register would refund the last unit of a line at the whole line's price.
    from hanout.sales.models import ReturnLine

    for row in (
        ReturnLine.objects.filter(sale_line__sale=sale)
        .values("sale_line_id")
        .annotate(total=Sum("total"))
    ):
        key = str(row["sale_line_id"])
        done, tax = returned_totals.get(key, (ZERO, ZERO))
        returned_totals[key] = (Decimal(str(done or 0)) - Decimal(str(row["total"] or 0)), tax)
    priced, chosen = [], []
    for line_id, (i, qty) in sorted(wanted.items(), key=lambda kv: kv[1][0]):
        field = f"lines[{i}]"
        original = originals.get(line_id)
        if original is None:
            raise NotFound(
                _("This line is not on the ticket."), fields={f"{field}.line": [_("Not found.")]}
            )
        if original.kind != LineKind.PRODUCT:
            raise _bad(f"{field}.line", _("A cash withdrawal cannot be returned."))
        left = original.quantity - original.returned_quantity
        if qty > left:
            raise _bad(
                f"{field}.quantity",
                _("Only %(left)s of “%(name)s” can still be returned.")
                % {"left": format(left.normalize(), "f"), "name": original.name},
                code="return_too_much",
            )
        if qty == left:  # the last of it: whatever is left of the line's total
            done_total, _done_tax = returned_totals.get(line_id, (ZERO, ZERO))
            total = quantize(original.total + Decimal(str(done_total or 0)), currency)
        else:
            total = quantize(original.total * qty / original.quantity, currency)
        discount = quantize(original.discount * qty / original.quantity, currency)
        priced.append(
            PricedLine(
                kind=LineKind.PRODUCT,
                product=original.product,
                name=original.name,
                sku=original.sku,
                quantity=-qty,
                unit_price=original.unit_price,
                discount=-discount,
                tax_rate=original.tax_rate,
                total=-total,
                tax_amount=-tax_inside(total, original.tax_rate, currency),
            )
        )
        original.returned_quantity = original.returned_quantity + qty
        chosen.append(original)
    basket: PricedBasket = summarize(priced, currency)
    refund = -basket.total  # positive amount given back

    refunds = _refund_rows(sale, refund, refund_method)
    refunds, refund_points = _points_back(refunds)
    cash_refund = sum(
        (amount for method, amount, _of in refunds if method == PaymentMethod.CASH), ZERO
    )

    number = _bump_number(locked, "next_return_number")
    ret = Sale(
        business=business,
        client_uuid=key,
        kind=SaleKind.RETURN,
        register=register,
        shop_id=locked.shop_id,
        session_id=session_id,
        number=number,
        cashier=actor,
        sold_at=clock.now(),
        original=sale,
        # The return is the same customer's: their points come back from them.
        customer_id=sale.customer_id,
        reason=reason,
        total=basket.total,
        revenue=basket.revenue,
        tax_total=basket.tax_total,
        discount_total=basket.discount_total,
        withdrawal_total=ZERO,
        paid_total=-refund,
        change_given=ZERO,
        request_fingerprint=fingerprint,
    )
    ret.save(force_insert=True)
    on_time = _session_totals_update(
        session_id,
        values={"cash_refunds": cash_refund, "returns_count": 1, "revenue": basket.revenue},
    )
    if not on_time:
        ret.late = True
        Sale.objects.filter(pk=ret.pk).update(late=True)
    rows = _line_rows(business, ret, priced, originals=chosen)
    SaleLine.objects.bulk_create(rows)
    SaleLine.objects.bulk_update(chosen, ["returned_quantity"])
    payments = [
        Payment(
            business=business,
            sale=ret,
            method=method,
            amount=-amount,
            refund_of=original,
            # A phone payment is given back through its provider, after commit.
            provider_status=RefundStatus.PENDING
            if original is not None and original.payment_link_id
            else "",
            points=refund_points.get(i),
        )
        for i, (method, amount, original) in enumerate(refunds)
        if amount
    ]
    Payment.objects.bulk_create(payments)
    points_credit_back(ret=ret, payments=payments, key=key, actor=actor)
    refunds_to_send = [p.pk for p in payments if p.provider_status == RefundStatus.PENDING]
    if refunds_to_send:
        from hanout.pos.services_refunds import send_refunds_after_commit

        send_refunds_after_commit(refunds_to_send)
    if restock:
        location = _location_of(locked, register)
        post_legs(
            business=business,
            actor=actor,
            legs=[
                Leg(line.product, location, MovementReason.RETURN, quantity=-line.quantity)
                for line in priced
            ],
            action="stock.return",
            reference=ret.ticket_number,
            group=ret.pk,
        )
    audit.record(
        business=business,
        actor=actor,
        action="sale.return",
        obj=ret,
        object_repr=f"{locked.name} {ret.ticket_number} ← {sale.ticket_number}: {ret.total} {currency}",
    )
    _sale_event(ret, business)
    _cache_children(ret, rows, payments)
    ret.replayed = False
    return ret


def _points_back(refunds: list[tuple]) -> tuple[list[tuple], dict[int, int]]:
    """The points each points refund row gives back (by row index); a share too small
    to be worth one point goes back in cash instead."""
    rows, points, cash = [], {}, ZERO
    for method, amount, original in refunds:
        if method == PaymentMethod.POINTS:
            n = points_refunded(original=original, amount=amount)
            if n <= 0:
                cash += amount
                continue
            points[len(rows)] = n
        rows.append((method, amount, original))
    if cash:
        for i, (method, amount, original) in enumerate(rows):
            if method == PaymentMethod.CASH:
                rows[i] = (method, amount + cash, original)
                break
        else:
            rows.append((PaymentMethod.CASH, cash, None))
    return rows, points


def _refund_rows(sale: Sale, refund: Decimal, refund_method: str) -> list[tuple]:
    """How the money goes back, as (method, amount, original payment or None): all
    cash, or card then phone first, each original payment up to what it paid and was
    not given back already (by its own refunds, and within its method), the rest in cash."""
    if refund_method == "cash" or refund <= 0:
        return [(PaymentMethod.CASH, refund, None)]
    originals = list(
        Payment.objects.filter(sale=sale)
        .exclude(method=PaymentMethod.CASH)
        .order_by("created_at", "id")
    )
    given_back = {
        row["refund_of_id"]: row["total"]
        for row in Payment.objects.filter(refund_of__sale=sale)
        .values("refund_of_id")
        .annotate(total=Sum("amount"))
    }
    refunded = {
        row["method"]: row["total"]
        for row in Payment.objects.filter(sale__original=sale)
        .exclude(method=PaymentMethod.CASH)
        .values("method")
        .annotate(total=Sum("amount"))
    }
    currency = sale.business.currency
    rows, left = [], refund
    # Points come back first (as points), then card, then phone; the rest in cash.
    for method in (PaymentMethod.POINTS, PaymentMethod.CARD, PaymentMethod.PHONE):
        mine = [p for p in originals if p.method == method]
        paid = sum((p.amount for p in mine), ZERO)
        method_room = max(paid + Decimal(str(refunded.get(method) or 0)), ZERO)
        for original in mine:
            room = original.amount + Decimal(str(given_back.get(original.pk) or 0))
            take = min(max(room, ZERO), method_room, left)
            if take > 0:
                take = quantize(take, currency)
                rows.append((method, take, original))
                left -= take
                method_room -= take
    if left > 0:
        rows.append((PaymentMethod.CASH, left, None))
    return rows
