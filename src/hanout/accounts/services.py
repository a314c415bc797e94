"""Every write about people: registering a store, employees, access, tokens.

Each function is one business action with keyword-only arguments; it runs in
one transaction, records an audit row and raises a DomainError a person can
read. Views, the API, the CLI and the demo data all call these.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hanout.accounts.models import (
    ApiToken,
    IdentityDocument,
    Membership,
    ModuleAccess,
    PermissionRequest,
    PermissionRequestStatus,
    User,
    WorkHistoryEntry,
    WorkHistoryKind,
)
from hanout.core import audit, clock, events
from hanout.core.errors import Conflict, PermissionDenied, ValidationFailed
from hanout.core.models import Business
from hanout.core.permissions import LEVEL_RANK, Level, Module, Role
from hanout.core.services import check_choices, full_clean_or_raise, model_update, shop_create
from hanout.core.validation import (
    normalize_phone,
    sniff_document_type,
    validate_country,
    validate_currency,
    validate_time_zone,
)

PIN_LENGTHS = range(4, 7)


def phone_or_fail(value: str, country: str | None) -> str:
    """The phone number in E.164 form, or a ValidationFailed naming the `phone` field."""
    try:
        return normalize_phone(value, country)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], fields={"phone": exc.messages}) from exc


@dataclass(frozen=True)
class StoreDetails:
    """Step one of registration: the store, before anyone signs up for it."""

    name: str
    currency: str
    country: str
    time_zone: str
    shop_name: str
    address: str = ""
    language: str = "en"

    def validate(self) -> None:
        check_choices(
            currency=(self.currency, validate_currency),
            country=(self.country, validate_country),
            time_zone=(self.time_zone, validate_time_zone),
        )
        if not self.name.strip():
            raise ValidationFailed(
                _("Give the business a name."), fields={"name": [_("This field is required.")]}
            )


# --- registration ----------------------------------------------------------------------


@transaction.atomic
def business_register(
    *, store: StoreDetails, owner: User, referral_code: str | None = None
) -> Membership:
    """Create the business, its first shop and the owner's membership.

    Called while the manager signs up (step two), inside the same transaction
    as the new user, so a failure leaves neither behind. With a `referral_code`
    the new business becomes the sponsee of the code's owner (an unknown code is
    a ValidationFailed naming `referral_code`, and nothing is created).
    """
    store.validate()
    business = Business(
        name=store.name.strip(),
        currency=store.currency,
        country=store.country,
        default_language=store.language,
    )
    full_clean_or_raise(business)
    business.save()
    shop_create(
        business=business,
        actor=owner,
        name=store.shop_name.strip() or store.name.strip(),
        time_zone=store.time_zone,
        address=store.address,
    )
    membership = Membership.objects.create(
        business=business,
        user=owner,
        role=Role.OWNER,
        job_title=_("Owner"),
        employee_code="1",
        hired_on=clock.now().date(),
    )
    WorkHistoryEntry.objects.create(
        business=business,
        membership=membership,
        happened_on=membership.hired_on,
        kind=WorkHistoryKind.HIRED,
        title=_("Registered the business"),
        recorded_by=owner,
    )
    audit.record(
        business=business,
        actor=owner,
        action="business.register",
        obj=business,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(
                business, ["name", "currency", "country", "default_language"]
            ).items()
        },
    )
    if referral_code:
        from hanout.referrals.services import sponsorship_create

        sponsorship_create(sponsee=business, referral_code=referral_code, actor=owner)
    return membership


def check_identity_document(upload: UploadedFile, *, max_bytes: int) -> str:
    """Return the sniffed content type, or raise naming the problem."""
    if upload.size > max_bytes:
        raise ValidationFailed(
            _("The identity document is larger than %(mb)d MB.")
            % {"mb": max_bytes // (1024 * 1024)},
            fields={"id_document": [_("At most %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}]},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff_document_type(head)
    if kind is None:
        raise ValidationFailed(
            _("The identity document must be a PDF, JPEG or PNG file."),
            fields={"id_document": [_("Upload a PDF, JPEG or PNG file.")]},
        )
    return kind


@transaction.atomic
def identity_document_attach(
    *, business: Business, user: User, upload: UploadedFile, max_bytes: int
) -> IdentityDocument:
    """Keep the manager's identity document in private storage (owners only)."""
    content_type = check_identity_document(upload, max_bytes=max_bytes)
    doc = IdentityDocument(
        business=business,
        user=user,
        original_name=(upload.name or "document")[-200:],
        content_type=content_type,
        size=upload.size,
    )
    doc.file.save(f"{doc.id}{_extension(content_type)}", upload, save=False)
    doc.save()
    audit.record(
        business=business,
        actor=user,
        action="identity_document.upload",
        obj=doc,
        changes={
            "file": [None, doc.original_name],
            "content_type": [None, content_type],
            "size": [None, doc.size],
        },
    )
    return doc


def _extension(content_type: str) -> str:
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[content_type]


# --- employees ----------------------------------------------------------------------------

MEMBER_FIELDS = ["role", "job_title", "employee_code", "hired_on"]


def _require_manage_staff(actor_membership: Membership) -> None:
    if not actor_membership.can_edit(Module.STAFF):
        raise PermissionDenied(_("You need full access to Staff to do this."))


def _guard_owner_changes(
    *, actor_membership: Membership, target: Membership, new_role: str | None
) -> None:
    touches_owner = target.role == Role.OWNER or new_role == Role.OWNER
    if touches_owner and actor_membership.role != Role.OWNER:
        raise PermissionDenied(_("Only an owner can make someone an owner or change an owner."))


ROLE_RANK = {Role.CASHIER: 0, Role.STAFF: 1, Role.MANAGER: 2, Role.OWNER: 3}


def _guard_escalation(
    *,
    actor_membership: Membership,
    target: Membership,
    new_role: str | None = None,
    levels: dict[str, str | None] | None = None,
) -> None:
    """Nobody but an owner raises their own access, gives a role above their own,
    or grants a module level they do not have themself."""
    if actor_membership.role == Role.OWNER:
        return
    if target.pk is not None and target.pk == actor_membership.pk:
        raise PermissionDenied(_("You cannot change your own role or access; ask an owner."))
    if new_role is not None and ROLE_RANK[Role(new_role)] > ROLE_RANK[Role(actor_membership.role)]:
        raise PermissionDenied(_("You cannot give a role above your own."))
    for module, level in (levels or {}).items():
        if level is not None and not actor_membership.allows(module, level):
            raise PermissionDenied(
                _("You cannot grant more access to %(module)s than you have yourself.")
                % {"module": Module(module).label}
            )


def _ensure_another_owner(target: Membership) -> None:
    """Refuse to remove the last active owner.

    The business row is the lock for owner changes: two owners demoting each
    other at once are serialised here, and the second sees the first's change.
    """
    Business.objects.select_for_update().filter(pk=target.business_id).first()
    others = Membership.objects.filter(
        business_id=target.business_id, role=Role.OWNER, is_active=True
    ).exclude(pk=target.pk)
    if not others.exists():
        raise Conflict(_("A business needs at least one active owner."))


def validate_pin(pin: str) -> None:
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        raise ValidationFailed(
            _("The PIN must be 4 to 6 digits."), fields={"pin": [_("4 to 6 digits.")]}
        )


def _validate_code(business: Business, code: str, exclude_pk=None) -> None:
    if code and (not code.isdigit() or len(code) > 8):
        raise ValidationFailed(
            _("The employee code must be 1 to 8 digits."),
            fields={"employee_code": [_("1 to 8 digits.")]},
        )
    if (
        code
        and Membership.objects.filter(business=business, employee_code=code)
        .exclude(pk=exclude_pk)
        .exists()
    ):
        raise ValidationFailed(
            _("Employee code %(code)s is already used by someone else.") % {"code": code},
            fields={"employee_code": [_("Already used.")]},
        )


@transaction.atomic
def employee_create(
    *,
    actor_membership: Membership,
    email: str,
    full_name: str,
    role: str,
    job_title: str = "",
    employee_code: str = "",
    pin: str = "",
    phone: str = "",
    password: str | None = None,
    hired_on: datetime.date | None = None,
    send_invitation: bool = True,
) -> Membership:
    """Add a person to the business. A new person gets an email to choose a password."""
    business = actor_membership.business
    _require_manage_staff(actor_membership)
    if role not in Role.values:
        raise ValidationFailed(_("Choose a role."), fields={"role": [_("Not a valid role.")]})
    email = (email or "").strip().lower()
    fields_check = User(email=email, full_name=full_name.strip())
    try:
        fields_check.clean_fields(exclude=["password", "id"])
    except ValidationError as exc:
        from hanout.core.services import validation_failed

        raise validation_failed(exc) from exc
    if not full_name.strip():
        raise ValidationFailed(
            _("Give the employee's name."), fields={"full_name": [_("This field is required.")]}
        )
    _guard_owner_changes(
        actor_membership=actor_membership, target=Membership(role=role), new_role=role
    )
    _guard_escalation(actor_membership=actor_membership, target=Membership(), new_role=role)
    _validate_code(business, employee_code)
    if pin:
        validate_pin(pin)
    phone = phone_or_fail(phone, business.country)

    user = User.objects.filter(email__iexact=email).first()
    is_new = user is None
    if is_new:
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name.strip(), phone=phone
        )
        if not password:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    elif Membership.objects.filter(business=business, user=user).exists():
        raise Conflict(
            _("%(email)s already works here; edit their profile instead.") % {"email": email},
            fields={"email": [_("Already an employee of this business.")]},
        )
    membership = Membership(
        business=business,
        user=user,
        role=role,
        job_title=job_title.strip(),
        employee_code=employee_code,
        hired_on=hired_on or clock.now().date(),
        pin_hash=make_password(pin) if pin else "",
    )
    full_clean_or_raise(membership, exclude=["user", "business"])
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a concurrent request took the same code or person
        raise Conflict(
            _("Someone else was just added with this email or employee code; check the staff list.")
        ) from exc
    WorkHistoryEntry.objects.create(
        business=business,
        membership=membership,
        happened_on=membership.hired_on,
        kind=WorkHistoryKind.HIRED,
        title=_("Hired as %(role)s") % {"role": membership.get_role_display()}
        + (f" — {membership.job_title}" if membership.job_title else ""),
        recorded_by=actor_membership.user,
    )
    audit.record(
        business=business,
        actor=actor_membership.user,
        action="employee.create",
        obj=membership,
        object_repr=str(user),
        changes={
            "email": [None, email],
            **{k: [None, v] for k, v in audit.snapshot(membership, MEMBER_FIELDS).items()},
        },
    )
    if is_new and not password and send_invitation:
        transaction.on_commit(lambda: _send_invitation(user, business))
    return membership


def _send_invitation(user: User, business: Business) -> None:
    """Email a new employee a link to choose their password.

    The link is allauth's password-reset link (same token, same page), built
    here so it works outside a web request too (CLI, jobs, demo data).
    """
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    link = settings.HANOUT_PUBLIC_URL.rstrip("/") + path
    with translation.override(user.language or business.default_language):
        subject = _("You have been added to %(business)s") % {"business": business.name}
        body = _(
            "Hello %(name)s,\n\n%(business)s added you to its team on Hanout. "
            "Choose your password with this link:\n\n%(link)s\n\n"
            "Then sign in with your email address, %(email)s."
        ) % {
            "name": user.get_short_name(),
            "business": business.name,
            "link": link,
            "email": user.email,
        }
        send_mail(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, None, [user.email])


@transaction.atomic
def employee_update(
    *, actor_membership: Membership, membership: Membership, data: dict[str, Any]
) -> Membership:
    """Change role, job title, code, hire date, name or phone; record work history."""
    _require_manage_staff(actor_membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    new_role = data.get("role", membership.role)
    if new_role not in Role.values:
        raise ValidationFailed(_("Choose a role."), fields={"role": [_("Not a valid role.")]})
    if new_role != membership.role or membership.role == Role.OWNER:
        _guard_owner_changes(
            actor_membership=actor_membership, target=membership, new_role=new_role
        )
    if new_role != membership.role:
        _guard_escalation(actor_membership=actor_membership, target=membership, new_role=new_role)
    if membership.role == Role.OWNER and new_role != Role.OWNER:
        _ensure_another_owner(membership)
    if "employee_code" in data:
        _validate_code(membership.business, data["employee_code"], exclude_pk=membership.pk)
    old_role, old_title = membership.get_role_display(), membership.job_title
    changes = model_update(instance=membership, fields=MEMBER_FIELDS, data=data)
    user = membership.user
    user_data = {}
    if "full_name" in data:
        if not str(data["full_name"]).strip():
            raise ValidationFailed(
                _("Give the employee's name."), fields={"full_name": [_("This field is required.")]}
            )
        user_data["full_name"] = str(data["full_name"]).strip()
    if "phone" in data:
        user_data["phone"] = phone_or_fail(data["phone"], membership.business.country)
    changes |= model_update(instance=user, fields=["full_name", "phone"], data=user_data)
    today = clock.now().date()
    if "role" in changes:
        WorkHistoryEntry.objects.create(
            business=membership.business,
            membership=membership,
            happened_on=today,
            kind=WorkHistoryKind.ROLE_CHANGED,
            title=_("Role changed from %(old)s to %(new)s")
            % {"old": old_role, "new": membership.get_role_display()},
            recorded_by=actor_membership.user,
        )
    if "job_title" in changes:
        WorkHistoryEntry.objects.create(
            business=membership.business,
            membership=membership,
            happened_on=today,
            kind=WorkHistoryKind.TITLE_CHANGED,
            title=_("Job title changed from “%(old)s” to “%(new)s”")
            % {"old": old_title or "—", "new": membership.job_title or "—"},
            recorded_by=actor_membership.user,
        )
    if changes:
        audit.record(
            business=membership.business,
            actor=actor_membership.user,
            action="employee.update",
            obj=membership,
            object_repr=str(user),
            changes=changes,
        )
    return membership


@transaction.atomic
def employee_set_active(
    *, actor_membership: Membership, membership: Membership, active: bool, note: str = ""
) -> Membership:
    """Deactivate (end access, keep history) or reactivate an employee."""
    _require_manage_staff(actor_membership)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active == active:
        return membership
    if not active and membership.pk == actor_membership.pk:
        raise Conflict(_("You cannot deactivate yourself."))
    _guard_owner_changes(actor_membership=actor_membership, target=membership, new_role=None)
    if not active and membership.role == Role.OWNER:
        _ensure_another_owner(membership)
    membership.is_active = active
    membership.deactivated_at = None if active else clock.now()
    membership.save(update_fields=["is_active", "deactivated_at", "updated_at"])
    revoked = 0
    if not active:
        revoked = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
    WorkHistoryEntry.objects.create(
        business=membership.business,
        membership=membership,
        happened_on=clock.now().date(),
        kind=WorkHistoryKind.REACTIVATED if active else WorkHistoryKind.DEACTIVATED,
        title=_("Reactivated") if active else _("Deactivated"),
        note=note,
        recorded_by=actor_membership.user,
    )
    audit.record(
        business=membership.business,
        actor=actor_membership.user,
        action="employee.reactivate" if active else "employee.deactivate",
        obj=membership,
        object_repr=str(membership.user),
        changes={"is_active": [not active, active]}
        | ({"api_tokens_revoked": [0, revoked]} if revoked else {}),
    )
    return membership


@transaction.atomic
def employee_set_pin(
    *, actor_membership: Membership, membership: Membership, pin: str
) -> Membership:
    """Set the register PIN (stored hashed). Managers set anyone's; people their own."""
    if membership.pk != actor_membership.pk:
        _require_manage_staff(actor_membership)
        _guard_owner_changes(actor_membership=actor_membership, target=membership, new_role=None)
    validate_pin(pin)
    membership.pin_hash = make_password(pin)
    membership.save(update_fields=["pin_hash", "updated_at"])
    audit.record(
        business=membership.business,
        actor=actor_membership.user,
        action="employee.pin_set",
        obj=membership,
        object_repr=str(membership.user),
        changes={"pin": ["***", "***"]},
    )
    return membership


def employee_check_pin(*, membership: Membership, pin: str) -> bool:
    return bool(membership.pin_hash) and check_password(pin, membership.pin_hash)


@transaction.atomic
def work_history_add(
    *,
    actor_membership: Membership,
    membership: Membership,
    happened_on: datetime.date,
    title: str,
    note: str = "",
) -> WorkHistoryEntry:
    _require_manage_staff(actor_membership)
    _guard_owner_changes(actor_membership=actor_membership, target=membership, new_role=None)
    entry = WorkHistoryEntry(
        business=membership.business,
        membership=membership,
        happened_on=happened_on,
        kind=WorkHistoryKind.NOTE,
        title=title.strip(),
        note=note.strip(),
        recorded_by=actor_membership.user,
    )
    full_clean_or_raise(entry, exclude=["membership", "business", "recorded_by"])
    entry.save()
    audit.record(
        business=membership.business,
        actor=actor_membership.user,
        action="employee.history_add",
        obj=membership,
        object_repr=str(membership.user),
        changes={"history": [None, entry.title]},
    )
    return entry


@transaction.atomic
def module_access_set(
    *, actor_membership: Membership, membership: Membership, levels: dict[str, str | None]
) -> Membership:
    """Override the role's default level per module; None returns to the default."""
    _require_manage_staff(actor_membership)
    _guard_owner_changes(actor_membership=actor_membership, target=membership, new_role=None)
    bad = {m: [_("Unknown module.")] for m in levels if m not in Module.values}
    bad |= {
        m: [_("Choose none, read or full.")]
        for m, lv in levels.items()
        if lv is not None and lv not in Level.values
    }
    if bad:
        raise ValidationFailed(_("Some module levels are not valid."), fields=bad)
    _guard_escalation(actor_membership=actor_membership, target=membership, levels=levels)
    return _write_levels(actor_membership=actor_membership, membership=membership, levels=levels)


def _write_levels(
    *, actor_membership: Membership, membership: Membership, levels: dict[str, str | None]
) -> Membership:
    """Store the overrides (None = back to the role's default) and audit the
    change of effective levels on the employee. Callers check permissions."""
    before = dict(Membership.objects.prefetch_related("module_access").get(pk=membership.pk).levels)
    for module, level in levels.items():
        if level is None:
            ModuleAccess.objects.filter(membership=membership, module=module).delete()
        else:
            ModuleAccess.objects.update_or_create(
                membership=membership,
                module=module,
                defaults={"level": level, "business": membership.business},
            )
    fresh = Membership.objects.prefetch_related("module_access").get(pk=membership.pk)
    changes = audit.diff(before, fresh.levels)
    if changes:
        audit.record(
            business=membership.business,
            actor=actor_membership.user,
            action="employee.access_update",
            obj=fresh,
            object_repr=str(fresh.user),
            changes=changes,
        )
    return fresh


# --- permission requests -------------------------------------------------------------------


@transaction.atomic
def permission_request_create(
    *, membership: Membership, module: str, level: str, reason: str = ""
) -> PermissionRequest:
    """An employee asks for more access to one module; managers are told."""
    if module not in Module.values:
        raise ValidationFailed(_("Choose a module."), fields={"module": [_("Unknown module.")]})
    if level not in (Level.READ, Level.FULL):
        raise ValidationFailed(
            _("Ask for read or full access."), fields={"level": [_("Choose read or full.")]}
        )
    if LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(membership.level(module))]:
        raise ValidationFailed(
            _("You already have this access to %(module)s.") % {"module": Module(module).label},
            fields={"level": [_("Not higher than what you have.")]},
        )
    if PermissionRequest.objects.filter(
        membership=membership, module=module, status=PermissionRequestStatus.PENDING
    ).exists():
        raise Conflict(
            _("You already have a pending request for %(module)s.")
            % {"module": Module(module).label}
        )
    try:
        with transaction.atomic():
            req = PermissionRequest.objects.create(
                business=membership.business,
                membership=membership,
                module=module,
                level=level,
                reason=reason.strip()[:1000],
            )
    except IntegrityError as exc:  # a concurrent duplicate
        raise Conflict(
            _("You already have a pending request for %(module)s.")
            % {"module": Module(module).label}
        ) from exc
    audit.record(
        business=membership.business,
        actor=membership.user,
        action="permission_request.create",
        obj=req,
        changes={"module": [None, module], "level": [None, level]},
    )
    _notify_deciders(req)
    return req


def _notify_deciders(req: PermissionRequest) -> None:
    from hanout.notifications.services import in_language, notify

    deciders = (
        Membership.objects.filter(business=req.business, is_active=True)
        .exclude(pk=req.membership_id)
        .select_related("user")
        .prefetch_related("module_access")
    )
    for m in deciders:
        if m.can_edit(Module.STAFF):
            with in_language(m.user.language or req.business.default_language):
                notify(
                    business=req.business,
                    recipient=m.user,
                    kind="permission_request.created",
                    title=_("%(name)s asks for %(level)s access to %(module)s")
                    % {
                        "name": req.membership.user,
                        "level": Level(req.level).label,
                        "module": Module(req.module).label,
                    },
                    body=req.reason,
                    link="/staff/requests/",
                    email=False,
                )


@transaction.atomic
def permission_request_decide(
    *, actor_membership: Membership, request: PermissionRequest, accept: bool, note: str = ""
) -> PermissionRequest:
    """A manager accepts (the level is granted) or rejects; the employee is told."""
    _require_manage_staff(actor_membership)
    req = (
        PermissionRequest.objects.select_for_update()
        .select_related("membership__user", "business")
        .get(pk=request.pk)
    )
    if req.status != PermissionRequestStatus.PENDING:
        raise Conflict(
            _("This request was already %(status)s.") % {"status": req.get_status_display().lower()}
        )
    if req.membership_id == actor_membership.pk:
        raise PermissionDenied(_("You cannot decide your own request."))
    _guard_owner_changes(actor_membership=actor_membership, target=req.membership, new_role=None)
    if accept:
        _guard_escalation(
            actor_membership=actor_membership, target=req.membership, levels={req.module: req.level}
        )
    req.status = PermissionRequestStatus.ACCEPTED if accept else PermissionRequestStatus.REJECTED
    req.decided_by = actor_membership.user
    req.decided_at = clock.now()
    req.decision_note = note.strip()[:1000]
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    if accept:
        _write_levels(
            actor_membership=actor_membership,
            membership=req.membership,
            levels={req.module: req.level},
        )
    audit.record(
        business=req.business,
        actor=actor_membership.user,
        action="permission_request.accept" if accept else "permission_request.reject",
        obj=req,
        changes={"status": [PermissionRequestStatus.PENDING, req.status]},
    )
    from hanout.notifications.services import in_language, notify

    user = req.membership.user
    with in_language(user.language or req.business.default_language):
        labels = {"module": Module(req.module).label, "level": Level(req.level).label}
        title = (
            _("Your request for %(level)s access to %(module)s was accepted")
            if accept
            else _("Your request for %(level)s access to %(module)s was rejected")
        ) % labels
        notify(
            business=req.business,
            recipient=user,
            kind="permission_request.decided",
            title=title,
            body=req.decision_note,
            link="/profile/",
        )
    events.emit(
        "permission_request.decided",
        business=req.business,
        payload={"id": req.pk, "status": req.status, "membership": req.membership_id},
    )
    return req


# --- API tokens ------------------------------------------------------------------------------

TOKEN_PREFIX = "hnt_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the secret is returned once and only its hash is kept."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ValidationFailed(
            _("Name the token (at most 80 characters), e.g. “stock script”."),
            fields={"name": [_("1 to 80 characters.")]},
        )
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        membership=membership, name=name, prefix=prefix, key_hash=hash_token(raw)
    )
    audit.record(
        business=membership.business,
        actor=membership.user,
        action="api_token.create",
        obj=token,
        changes={"name": [None, token.name], "prefix": [None, prefix]},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, membership: Membership, token: ApiToken) -> ApiToken:
    if token.membership_id != membership.pk and not membership.can_edit(Module.STAFF):
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            business=membership.business,
            actor=membership.user,
            action="api_token.revoke",
            obj=token,
            changes={"revoked_at": [None, token.revoked_at]},
        )
    return token


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            _("Unknown language."), fields={"language": [_("Unknown language.")]}
        )
    if user.language != language:
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        for membership in user.memberships.filter(is_active=True).select_related("business"):
            audit.record(
                business=membership.business,
                actor=user,
                action="user.language_update",
                obj=user,
                changes={"language": [before, language]},
            )
    return user
