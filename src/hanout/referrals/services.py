"""Every write of sponsorship: codes, sponsorships, invitations and the reward ledger.

Each function runs in one transaction and records an audit row on the sponsor's
business. Reward entries are only ever added: `referral_reward_reverse` corrects a
mistake with a new entry of the opposite amount. Every entry has a unique
idempotency key, so the daily job and a fee source may call twice safely.

The hook for fee sources: `referral_fee_share_record(sponsee=…, fee_amount=…,
reference=…)`. The marketplace (or any other part of the platform that charges a
business a fee) calls it once per fee it collects; the sponsor, if any, is credited
`fee_percent` of it while the sponsorship is younger than `fee_months` months.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit, clock, events
from hanout.core.errors import DomainError, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import quantize
from hanout.referrals import selectors
from hanout.referrals.models import (
    ReferralCode,
    ReferralInvitation,
    RewardEntry,
    RewardKind,
    RewardProgramme,
    Sponsorship,
)

ACTION_LABELS = {
    "referral_code.create": gettext_lazy("Created the referral code"),
    "sponsorship.create": gettext_lazy("Gained a sponsee"),
    "sponsorship.join": gettext_lazy("Registered with a referral code"),
    "referral.invite": gettext_lazy("Sent a sponsorship invitation"),
    "referral_reward.create": gettext_lazy("Earned a sponsorship reward"),
    "referral_reward.reverse": gettext_lazy("Reversed a sponsorship reward"),
}

CODE_LENGTH = 8
MESSAGE_MAX = 1000


class TooManyInvitations(DomainError):
    code = "rate_limited"
    status = 429


def invites_per_day() -> int:
    return int(getattr(settings, "HANOUT_REFERRAL_INVITES_PER_DAY", 20))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus `months` calendar months (31 January + 1 month = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(d, day.day))
        except ValueError:
            continue
    raise ValueError(day)


# --- codes and sponsorships --------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(selectors.CODE_ALPHABET) for _ in range(CODE_LENGTH))


def referral_code_ensure(*, business: Business) -> ReferralCode:
    """The business's referral code, made the first time it is asked for.

    Eight letters and digits without look-alikes (0/O, 1/I); a clash with another
    business's code (one chance in 10^12) just draws again.
    """
    found = selectors.referral_code_get(business=business)
    if found is not None:
        return found
    for _attempt in range(5):
        try:
            with transaction.atomic():
                code = ReferralCode.objects.create(business=business, code=_new_code())
                audit.record(
                    business=business,
                    actor=None,
                    action="referral_code.create",
                    obj=code,
                    changes={"code": [None, code.code]},
                )
                return code
        except IntegrityError:
            found = selectors.referral_code_get(business=business)
            if found is not None:  # made at the same moment by another request
                return found
    raise RuntimeError("could not draw a free referral code")


def check_referral_code(raw) -> ReferralCode:
    """The code's row, or a ValidationFailed naming `referral_code`."""
    found = selectors.referral_code_find(raw)
    if found is None or not found.business.is_active:
        message = _("This referral code is unknown. Check it, or leave the field empty.")
        raise ValidationFailed(message, fields={"referral_code": [message]})
    return found


@transaction.atomic
def sponsorship_create(*, sponsee: Business, referral_code, actor) -> Sponsorship:
    """Make `sponsee` (a business being registered) the sponsee of the code's owner.

    Called by `accounts.services.business_register` in its transaction. The
    sponsee is the business just created, so it cannot own the code it typed.
    """
    code = check_referral_code(referral_code)
    if code.business_id == sponsee.pk:  # cannot happen through registration; kept for callers
        message = _("A business cannot sponsor itself.")
        raise ValidationFailed(message, fields={"referral_code": [message]})
    if Sponsorship.objects.filter(sponsee=sponsee).exists():
        message = _("This business already has a sponsor.")
        raise ValidationFailed(message, fields={"referral_code": [message]})
    sponsorship = Sponsorship.objects.create(
        business=code.business, sponsee=sponsee, since=clock.now().date(), code=code.code
    )
    audit.record(
        business=code.business,
        actor=actor,
        action="sponsorship.create",
        obj=sponsorship,
        object_repr=sponsee.name,
        changes={"sponsee": [None, sponsee.name], "code": [None, code.code]},
    )
    # The sponsee's trail names its own business, never the sponsor's row (tenants apart).
    audit.record(
        business=sponsee,
        actor=actor,
        action="sponsorship.join",
        obj=sponsee,
        changes={"referral_code": [None, code.code]},
    )
    events.emit(
        "sponsorship.created",
        business=code.business,
        payload={"id": str(sponsorship.pk), "sponsee": sponsee.name, "since": sponsorship.since},
    )
    return sponsorship


# --- invitations -------------------------------------------------------------------------------


def referral_invite(
    *, business: Business, actor, email: str, message: str = ""
) -> ReferralInvitation:
    """Email an invitation to register with the business's code.

    At most `HANOUT_REFERRAL_INVITES_PER_DAY` (default 20) invitations per
    business in 24 hours; the message is queued and leaves after commit.
    """
    email = (email or "").strip()
    message = (message or "").strip()
    fields: dict[str, list[str]] = {}
    try:
        validate_email(email)
    except DjangoValidationError:
        fields["email"] = [_("Enter a valid email address.")]
    if len(message) > MESSAGE_MAX:
        fields["message"] = [
            _("At most %(n)d characters (it has %(m)d).") % {"n": MESSAGE_MAX, "m": len(message)}
        ]
    if fields:
        first = next(iter(fields))
        raise ValidationFailed(fields[first][0], fields=fields)
    code = referral_code_ensure(business=business)
    with transaction.atomic():
        # One invitation at a time per business, so the daily count cannot be overrun.
        Business.objects.select_for_update().filter(pk=business.pk).first()
        since = clock.now() - datetime.timedelta(days=1)
        limit = invites_per_day()
        if selectors.invitations_since(business=business, since=since) >= limit:
            refusal = _("You sent %(n)d invitations in the last 24 hours; try again tomorrow.") % {
                "n": limit
            }
            raise TooManyInvitations(refusal, fields={"email": [refusal]})
        invitation = ReferralInvitation.objects.create(
            business=business, email=email, message=message, sent_by=_user(actor)
        )
        audit.record(
            business=business,
            actor=actor,
            action="referral.invite",
            obj=invitation,
            changes={"email": [None, email]},
        )
        sender = getattr(actor, "full_name", "") or getattr(actor, "email", "")
        context = {
            "business": business,
            "sender": sender,
            "message": message,
            "code": code.code,
            "link": selectors.referral_link(code.code),
        }
        subject = _("%(business)s invites you to run your shop on Hanout") % {
            "business": business.name
        }
        mail = EmailMessage(
            subject=f"{getattr(settings, 'ACCOUNT_EMAIL_SUBJECT_PREFIX', '')}{subject}",
            body=render_to_string("referrals/invitation_email.txt", context),
            to=[email],
            reply_to=[actor.email] if getattr(actor, "email", "") else None,
        )
        mail.send()  # queued; delivered after commit
    return invitation


# --- the reward ledger -------------------------------------------------------------------------


def _add_entry(*, sponsorship: Sponsorship, actor=None, **values) -> RewardEntry | None:
    """Insert one entry and its audit row; None when its idempotency key exists."""
    try:
        with transaction.atomic():
            entry = RewardEntry.objects.create(
                business_id=sponsorship.business_id,
                sponsorship=sponsorship,
                created_by=_user(actor),
                **values,
            )
            audit.record(
                business=sponsorship.business,
                actor=actor,
                action=(
                    "referral_reward.reverse"
                    if entry.kind == RewardKind.REVERSAL
                    else "referral_reward.create"
                ),
                obj=entry,
                object_repr=sponsorship.sponsee.name,
                changes={
                    "kind": [None, entry.kind],
                    "amount": [None, entry.amount],
                    "currency": [None, entry.currency],
                    "reference": [None, entry.reference],
                },
            )
    except IntegrityError:
        return None
    events.emit(
        "referral.reward_recorded",
        business=sponsorship.business,
        payload={
            "id": str(entry.pk),
            "kind": entry.kind,
            "amount": str(entry.amount),
            "currency": entry.currency,
        },
    )
    return entry


@transaction.atomic
def referral_rewards_accrue(*, today: datetime.date) -> int:
    """Grant the one-time reward of every sponsorship that earned it by `today`.

    Due when the programme in force on the sponsorship's date has a one-time
    amount, the sponsorship is at least `active_days_required` days old and the
    sponsee is active today (selectors' module doc). Once per sponsorship (a
    unique constraint; running twice adds nothing). Returns the entries made.
    """
    waiting = list(
        Sponsorship.objects.filter(since__lte=today)
        .exclude(rewards__kind=RewardKind.ONE_TIME)
        .select_related("business", "sponsee")
        .order_by("since", "id")
    )
    programmes: dict[datetime.date, RewardProgramme | None] = {}
    due = []
    for s in waiting:
        if s.since not in programmes:
            programmes[s.since] = selectors.programme_for(s.since)
        programme = programmes[s.since]
        if programme is None or programme.one_time_amount <= 0:
            continue
        if today < s.since + datetime.timedelta(days=programme.active_days_required):
            continue
        due.append((s, programme))
    active = selectors.active_business_ids([s.sponsee_id for s, _ in due], day=today)
    made = 0
    for s, programme in due:
        if s.sponsee_id not in active:
            continue
        entry = _add_entry(
            sponsorship=s,
            kind=RewardKind.ONE_TIME,
            amount=quantize(programme.one_time_amount, programme.currency),
            currency=programme.currency,
            earned_on=today,
            programme=programme,
            # No stored sentence: pages say "Sponsee active for N days" in the reader's language.
            reference="",
            idempotency_key=f"one_time:{s.pk}",
        )
        made += entry is not None
    return made


@transaction.atomic
def referral_fee_share_record(
    *,
    sponsee: Business,
    fee_amount,
    reference: str,
    currency: str | None = None,
    day: datetime.date | None = None,
) -> RewardEntry | None:
    """Credit the sponsor of `sponsee` its share of one platform fee (the hook).

    `fee_amount` is what the platform charged the sponsee (in `currency`, by default
    the sponsee's), `reference` identifies that fee uniquely (e.g. the marketplace
    order's number): calling twice with the same reference credits once. Returns
    the entry, or None when nothing is due (no sponsor, no fee sharing in the
    programme, past the `fee_months` window, or a share that rounds to zero).
    """
    reference = str(reference or "").strip()
    if not reference:
        raise ValidationFailed(
            _("A fee needs a reference."), fields={"reference": [_("This field is required.")]}
        )
    try:
        fee = Decimal(str(fee_amount))
        if not fee.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed(
            _("Enter an amount, such as 125.40."), fields={"fee_amount": [_("Not a number.")]}
        ) from None
    if fee <= 0:
        raise ValidationFailed(
            _("Enter an amount above zero."), fields={"fee_amount": [_("Must be above zero.")]}
        )
    sponsorship = (
        Sponsorship.objects.select_related("business", "sponsee").filter(sponsee=sponsee).first()
    )
    if sponsorship is None:
        return None
    key = f"fee_share:{sponsorship.pk}:{reference}"[:200]
    existing = RewardEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    programme = selectors.programme_for(sponsorship.since)
    if programme is None or programme.fee_percent <= 0:
        return None
    day = day or clock.now().date()
    if not sponsorship.since <= day < add_months(sponsorship.since, programme.fee_months):
        return None
    currency = currency or sponsee.currency
    share = quantize(fee * programme.fee_percent / Decimal(100), currency)
    if share <= 0:
        return None
    entry = _add_entry(
        sponsorship=sponsorship,
        kind=RewardKind.FEE_SHARE,
        amount=share,
        currency=currency,
        earned_on=day,
        programme=programme,
        reference=reference[:200],
        idempotency_key=key,
    )
    return entry or RewardEntry.objects.get(idempotency_key=key)


@transaction.atomic
def referral_reward_reverse(*, entry: RewardEntry, reason: str, actor) -> RewardEntry:
    """Cancel `entry` with a new entry of the opposite amount (the ledger is never edited).

    A reversal cannot itself be reversed, and an entry is reversed at most once.
    """
    reason = str(reason or "").strip()
    if not reason:
        message = _("Say why the reward is reversed.")
        raise ValidationFailed(message, fields={"reason": [message]})
    if entry.kind == RewardKind.REVERSAL:
        message = _("A reversal cannot be reversed.")
        raise ValidationFailed(message, fields={"entry": [message]})
    if RewardEntry.objects.filter(reverses=entry).exists():
        message = _("This reward was already reversed.")
        raise ValidationFailed(message, fields={"entry": [message]})
    sponsorship = Sponsorship.objects.select_related("business", "sponsee").get(
        pk=entry.sponsorship_id
    )
    made = _add_entry(
        sponsorship=sponsorship,
        actor=actor,
        kind=RewardKind.REVERSAL,
        amount=-entry.amount,
        currency=entry.currency,
        earned_on=clock.now().date(),
        programme=entry.programme,
        reverses=entry,
        reference=reason[:200],
        idempotency_key=f"reversal:{entry.pk}",
    )
    if made is None:
        message = _("This reward was already reversed.")
        raise ValidationFailed(message, fields={"entry": [message]})
    return made
