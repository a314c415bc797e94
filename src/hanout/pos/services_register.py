"""Signing in at the register: the employee code and PIN typed on a paired device.

Rules (MISSION §1, KACHING):
- the code belongs to an active member of the device's business, the PIN is
  right, and the member has Register: full;
- cashiers and staff only while the shop is open (read in the shop's own time
  zone); owners and managers always get in. A refusal says when the shop opens;
- a wrong code and a wrong PIN get the same message, and after
  FAILURE_LIMIT wrong tries the device waits LOCK_SECONDS (counted in the
  cache, per device: the PIN is short, so guessing must be slow).

The page logs the person in (Django `login`) after `register_sign_in` returns;
the desktop app (api_devices.py) gets a personal API token instead
(`register_token_sign_in`), which `register_token_sign_out` revokes. This module
never reads the request.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hanout.accounts.models import ApiToken, Membership
from hanout.accounts.services import api_token_create, api_token_revoke, employee_check_pin
from hanout.core import audit, clock
from hanout.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from hanout.core.models import Business, Shop, Weekday
from hanout.core.permissions import Module, Role, denial_message
from hanout.pos.models import Register, RegisterDevice

FAILURE_LIMIT = 5
LOCK_SECONDS = 60
FAILURE_WINDOW_SECONDS = 15 * 60  # wrong tries further apart than this start again from 0

# Roles that open the register whatever the time (MISSION §1: administrators always can).
ALWAYS_ALLOWED = {Role.OWNER, Role.MANAGER}

ACTION_LABELS = {
    "register.sign_in": gettext_lazy("Signed in at a register"),
    "register.sign_out": gettext_lazy("Signed out of a register"),
    "register.sign_in_locked": gettext_lazy("Register sign-in paused after wrong PINs"),
}
audit.ACTION_LABELS.update(ACTION_LABELS)

_DUMMY_HASH: list[str] = []


class SignInLocked(DomainError):
    code = "sign_in_locked"
    status = 429


class DeviceNotPaired(DomainError):
    """The device token is missing, unknown or revoked, or its register or business is off."""

    code = "device_not_paired"
    status = 401


def device_not_paired() -> DeviceNotPaired:
    return DeviceNotPaired(
        _(
            "This computer is not paired as a register (or was unpaired). Ask a manager to pair it again."
        )
    )


# --- who manages registers -----------------------------------------------------------------


def can_manage_registers(membership) -> bool:
    """Creating registers and pairing devices: Settings: full, or an owner or manager
    with Register: full (a cashier's Register: full is for selling, not for pairing)."""
    if membership is None:
        return False
    return membership.can_edit(Module.SETTINGS) or (
        membership.role in ALWAYS_ALLOWED and membership.can_edit(Module.REGISTER)
    )


def manage_denied_message() -> str:
    return _(
        "Only an owner or a manager (or someone with full access to Settings) manages registers and pairs devices."
    )


# --- reads ---------------------------------------------------------------------------------


def device_list(*, business: Business) -> QuerySet[RegisterDevice]:
    """The business's paired (not revoked) devices, register by register."""
    return (
        RegisterDevice.objects.for_business(business)
        .filter(revoked_at__isnull=True)
        .select_related("register__shop", "paired_by")
        .order_by("register__name", "created_at", "id")
    )


def member_by_code(*, business: Business, code: str) -> Membership | None:
    """The active member of `business` whose register code is `code`, or None."""
    if not code.isdigit() or len(code) > 8:
        return None
    return (
        Membership.objects.for_business(business)
        .filter(employee_code=code, is_active=True, user__is_active=True)
        .select_related("user", "business")
        .prefetch_related("module_access")
        .first()
    )


# --- opening hours -------------------------------------------------------------------------


def _weekday_in_sentence(moment: datetime) -> str:
    """The day's name in the language in force, as written inside a sentence ("lundi" in
    French; the opening-hours table's labels are capitalised, "Lundi")."""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        return format_date(moment, "EEEE", locale=translation.to_locale(translation.get_language()))
    except (UnknownLocaleError, ValueError):
        return str(Weekday(moment.weekday()).label)


def shop_closed_message(*, shop: Shop, moment: datetime, language: str | None = None) -> str:
    """The refusal "The shop is closed. It opens at 06:00 (Monday)." in `language`."""
    opens = shop.next_opening(moment)
    with translation.override(language or translation.get_language()):
        if opens is None:
            return _("The shop is closed and has no opening hours set. Ask a manager.")
        return _("The shop is closed. It opens at %(time)s (%(day)s).") % {
            "time": opens.strftime("%H:%M"),
            # The day's name as written inside a sentence ("lundi" in French, not the
            # opening-hours table's "Lundi").
            "day": _weekday_in_sentence(opens),
        }


def register_hours_check(
    *, membership: Membership, shop: Shop, moment: datetime | None = None
) -> None:
    """Cashiers and staff only while the shop is open; owners and managers always.

    Raises PermissionDenied (code `shop_closed`) with the next opening time, in the
    member's own language when they chose one.
    """
    if membership.role in ALWAYS_ALLOWED:
        return
    moment = moment or clock.now()
    hours = list(shop.opening_hours.all())
    if shop.is_open_at(moment, hours):
        return
    language = membership.user.language
    if language not in dict(settings.LANGUAGES):
        language = None
    error = PermissionDenied(
        shop_closed_message(shop=shop, moment=moment, language=language), code="shop_closed"
    )
    error.opens_at = shop.next_opening(moment, hours)  # for an API that shows it its own way
    raise error


# --- wrong tries ---------------------------------------------------------------------------


def _key(device: RegisterDevice) -> str:
    return f"hanout:pos:sign-in:{device.pk}"


def sign_in_wait_seconds(*, device: RegisterDevice) -> int:
    """Seconds this device must still wait before the next try (0: it may try now)."""
    state = cache.get(_key(device)) or {}
    until = state.get("locked_until")
    if not until:
        return 0
    left = until - clock.now().timestamp()
    return max(0, int(left + 0.999))


def _count_failure(device: RegisterDevice) -> tuple[int, bool]:
    """One more wrong try: (tries left before the pause, whether the pause starts now)."""
    now = clock.now().timestamp()
    state = cache.get(_key(device)) or {}
    failures = state.get("failures", 0) + 1
    if failures >= FAILURE_LIMIT:
        cache.set(
            _key(device), {"failures": 0, "locked_until": now + LOCK_SECONDS}, LOCK_SECONDS + 60
        )
        return 0, True
    cache.set(_key(device), {"failures": failures, "locked_until": None}, FAILURE_WINDOW_SECONDS)
    return FAILURE_LIMIT - failures, False


def locked_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong tries on this register. Wait %(seconds)s second, then try again.",
        "Too many wrong tries on this register. Wait %(seconds)s seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}


def _pin_matches_nobody(pin: str) -> None:
    """Spend the time a real PIN check takes, so a wrong code answers as slowly as a wrong PIN."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password("hanout-no-such-member"))
    check_password(pin, _DUMMY_HASH[0])


# --- the service ---------------------------------------------------------------------------


def register_sign_in(*, device: RegisterDevice, code: str, pin: str) -> Membership:
    """Check a code and PIN typed on `device`; returns the member to sign in.

    Raises SignInLocked (429) while the device waits after too many wrong tries,
    ValidationFailed for a wrong code or PIN (one message for both),
    PermissionDenied without Register: full or outside the opening hours for
    cashiers and staff. Records `register.sign_in` on success.
    """
    register: Register = device.register
    business = device.business
    wait = sign_in_wait_seconds(device=device)
    if wait:
        raise SignInLocked(locked_message(wait))

    membership = member_by_code(business=business, code=code)
    if membership is None:
        _pin_matches_nobody(pin)
        right = False
    else:
        right = employee_check_pin(membership=membership, pin=pin)
    if not right:
        left, locked = _count_failure(device)
        if locked:
            with transaction.atomic():
                audit.record(
                    business=business,
                    actor=None,
                    action="register.sign_in_locked",
                    obj=register,
                    changes={"device": [None, str(device)]},
                )
            raise SignInLocked(locked_message(LOCK_SECONDS))
        message = ngettext(
            "This employee code and PIN do not match. %(left)s try left before a pause.",
            "This employee code and PIN do not match. %(left)s tries left before a pause.",
            left,
        ) % {"left": left}
        raise ValidationFailed(message, code="wrong_pin", fields={"pin": [message]})
    cache.delete(_key(device))

    if not membership.can_edit(Module.REGISTER):
        raise PermissionDenied(denial_message(Module.REGISTER, membership.level(Module.REGISTER)))
    register_hours_check(membership=membership, shop=register.shop)

    with transaction.atomic():
        audit.record(
            business=business,
            actor=membership.user,
            action="register.sign_in",
            obj=register,
            changes={"device": [None, str(device)]},
        )
    return membership


def register_sign_out(*, register: Register, actor, reason: str = "sign_out") -> None:
    """Record that `actor` left the register (`sign_out`, `lock` or `idle`)."""
    with transaction.atomic():
        audit.record(
            business=register.business,
            actor=actor,
            action="register.sign_out",
            obj=register,
            changes={"reason": [None, reason]},
        )


def register_token_sign_in(
    *, device: RegisterDevice, code: str, pin: str
) -> tuple[Membership, ApiToken, str]:
    """`register_sign_in`, then a personal API token for the member (the desktop app's
    sign-in): returns (membership, token, raw token shown once).

    Not one transaction on purpose: a refused try records its own audit row (the
    pause after wrong PINs) and must keep it.
    """
    membership = register_sign_in(device=device, code=code, pin=pin)
    name = _("Register · %(register)s") % {"register": device.register.name}
    token, raw = api_token_create(membership=membership, name=name[:80])
    return membership, token, raw


@transaction.atomic
def register_token_sign_out(
    *, device: RegisterDevice, membership: Membership, token: ApiToken
) -> None:
    """The desktop app leaves the register: `token` stops working and the sign-out is
    recorded. A device of another business is not found (it changes nothing)."""
    if device.business_id != membership.business_id:
        message = _("This computer is not paired as a register of this business.")
        raise NotFound(message)
    api_token_revoke(membership=membership, token=token)
    register_sign_out(register=device.register, actor=membership.user, reason="sign_out")
