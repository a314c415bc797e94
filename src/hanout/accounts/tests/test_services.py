"""The rules about people, tested at the service layer that every entry point calls."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import identify_hasher

from hanout.accounts import services
from hanout.accounts.models import (
    ApiToken,
    Membership,
    ModuleAccess,
    PermissionRequest,
    PermissionRequestStatus,
    WorkHistoryKind,
)
from hanout.core.errors import Conflict, PermissionDenied, ValidationFailed
from hanout.core.models import AuditEntry
from hanout.core.permissions import Level, Module, Role
from hanout.notifications.models import Notification
from tests.factories import make_member

pytestmark = pytest.mark.django_db

F, R, N = Level.FULL, Level.READ, Level.NONE

# Written out by hand (not read from ROLE_DEFAULTS) so a change to the table is a
# deliberate change to this test too.
# fmt: off
EXPECTED = {
    #               owner manager staff cashier
    Module.CATALOG:     (F, F, F, R),
    Module.STOCK:       (F, F, F, N),
    Module.SUPPLIERS:   (F, F, R, N),
    Module.PURCHASING:  (F, F, R, N),
    Module.SALES:       (F, F, F, R),
    Module.REGISTER:    (F, F, F, F),
    Module.CUSTOMERS:   (F, F, F, R),
    Module.EXPENSES:    (F, F, N, N),
    Module.SPONSORSHIP: (F, F, N, N),
    Module.MARKETPLACE: (F, F, R, N),
    Module.CHAT:        (F, F, F, F),
    Module.REPORTS:     (F, F, N, N),
    Module.STAFF:       (F, F, N, N),
    Module.SETTINGS:    (F, R, N, N),
}
# fmt: on
ROLES = [Role.OWNER, Role.MANAGER, Role.STAFF, Role.CASHIER]


def fresh(membership) -> Membership:
    return (
        Membership.objects.select_related("user", "business")
        .prefetch_related("module_access")
        .get(pk=membership.pk)
    )


def last_audit(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).latest("at", "id")


# --- who may do what -----------------------------------------------------------------------------


def test_every_module_is_in_the_expected_table():
    assert set(EXPECTED) == set(Module.values)


@pytest.mark.parametrize("role", ROLES)
def test_role_defaults_for_every_module(owner, role):
    member = owner if role == Role.OWNER else make_member(owner, role=role)
    column = ROLES.index(role)
    for module, levels in EXPECTED.items():
        expected = levels[column]
        assert member.levels[module] == expected, (role, module)
        assert member.level(module) == expected
        assert member.can_read(module) == (expected != N), (role, module)
        assert member.can_edit(module) == (expected == F), (role, module)
        assert member.allows(module, Level.NONE)


def test_an_inactive_member_is_allowed_nothing(owner):
    member = make_member(owner, role=Role.MANAGER)
    services.employee_set_active(actor_membership=owner, membership=member, active=False)
    member = fresh(member)
    assert not any(member.allows(m, Level.READ) for m in Module.values)


def test_override_beats_the_role_default(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    services.module_access_set(
        actor_membership=owner,
        membership=cashier,
        levels={Module.STOCK: F, Module.REGISTER: N, Module.REPORTS: R},
    )
    cashier = fresh(cashier)
    assert cashier.level(Module.STOCK) == F and cashier.can_edit(Module.STOCK)
    assert cashier.level(Module.REGISTER) == N and not cashier.can_read(Module.REGISTER)
    assert cashier.level(Module.REPORTS) == R and not cashier.can_edit(Module.REPORTS)
    assert cashier.level(Module.CATALOG) == R  # untouched: still the default

    services.module_access_set(
        actor_membership=owner, membership=cashier, levels={Module.STOCK: None}
    )
    cashier = fresh(cashier)
    assert cashier.level(Module.STOCK) == N
    assert not ModuleAccess.objects.filter(membership=cashier, module=Module.STOCK).exists()


def test_owner_overrides_are_ignored(owner):
    second = make_member(owner, role=Role.OWNER)
    services.module_access_set(
        actor_membership=owner, membership=second, levels={Module.SETTINGS: N, Module.STAFF: R}
    )
    second = fresh(second)
    assert ModuleAccess.objects.filter(membership=second).count() == 2  # stored, but…
    assert all(second.level(m) == F for m in Module.values)  # …owners keep full access


def test_module_access_set_refuses_unknown_modules_and_levels(owner):
    member = make_member(owner)
    with pytest.raises(ValidationFailed) as exc:
        services.module_access_set(
            actor_membership=owner, membership=member, levels={"nukes": F, Module.STOCK: "god"}
        )
    assert set(exc.value.fields) == {"nukes", Module.STOCK}
    assert not ModuleAccess.objects.filter(membership=member).exists()


def test_staff_without_full_access_cannot_manage_staff(owner):
    staff = make_member(owner, role=Role.STAFF)
    reader = make_member(owner, role=Role.STAFF)
    services.module_access_set(actor_membership=owner, membership=reader, levels={Module.STAFF: R})
    for actor in (staff, fresh(reader)):
        with pytest.raises(PermissionDenied):
            services.employee_create(
                actor_membership=actor, email="x@example.test", full_name="X", role=Role.CASHIER
            )
        with pytest.raises(PermissionDenied):
            services.employee_update(
                actor_membership=actor, membership=owner, data={"job_title": "x"}
            )
        with pytest.raises(PermissionDenied):
            services.module_access_set(
                actor_membership=actor, membership=actor, levels={Module.STAFF: F}
            )


# --- owners --------------------------------------------------------------------------------------


def test_the_last_owner_cannot_be_demoted(owner):
    with pytest.raises(Conflict, match="at least one active owner"):
        services.employee_update(
            actor_membership=owner, membership=owner, data={"role": Role.MANAGER}
        )
    assert fresh(owner).role == Role.OWNER


def test_an_owner_can_be_demoted_while_another_remains(owner):
    second = make_member(owner, role=Role.OWNER)
    services.employee_update(actor_membership=owner, membership=second, data={"role": Role.MANAGER})
    assert fresh(second).role == Role.MANAGER


def test_the_last_owner_cannot_be_deactivated(owner):
    # The only one who could is the owner themself (a manager may not touch an owner).
    with pytest.raises(Conflict):
        services.employee_set_active(actor_membership=owner, membership=owner, active=False)
    manager = make_member(owner, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.employee_set_active(actor_membership=manager, membership=owner, active=False)
    assert fresh(owner).is_active


def test_cannot_deactivate_yourself(owner):
    manager = make_member(owner, role=Role.MANAGER)
    with pytest.raises(Conflict, match="yourself"):
        services.employee_set_active(actor_membership=manager, membership=manager, active=False)
    assert fresh(manager).is_active


def test_manager_cannot_create_an_owner(owner):
    manager = make_member(owner, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.employee_create(
            actor_membership=manager, email="boss@example.test", full_name="Boss", role=Role.OWNER
        )
    assert not Membership.objects.filter(user__email="boss@example.test").exists()


def test_manager_cannot_change_an_owner_or_promote_to_owner(owner):
    manager = make_member(owner, role=Role.MANAGER)
    cashier = make_member(owner, role=Role.CASHIER)
    with pytest.raises(PermissionDenied):
        services.employee_update(
            actor_membership=manager, membership=owner, data={"job_title": "Figurehead"}
        )
    with pytest.raises(PermissionDenied):
        services.employee_update(
            actor_membership=manager, membership=cashier, data={"role": Role.OWNER}
        )
    with pytest.raises(PermissionDenied):
        services.employee_update(
            actor_membership=manager, membership=manager, data={"role": Role.OWNER}
        )
    with pytest.raises(PermissionDenied):
        services.module_access_set(
            actor_membership=manager, membership=owner, levels={Module.STAFF: N}
        )
    assert fresh(owner).job_title == "Owner" and fresh(cashier).role == Role.CASHIER


def test_manager_can_manage_non_owners(owner):
    manager = make_member(owner, role=Role.MANAGER)
    cashier = services.employee_create(
        actor_membership=manager,
        email="till@example.test",
        full_name="Till",
        role=Role.CASHIER,
        send_invitation=False,
    )
    services.employee_update(
        actor_membership=manager, membership=cashier, data={"role": Role.STAFF}
    )
    assert fresh(cashier).role == Role.STAFF


# --- employees: create, update, deactivate, PIN --------------------------------------------------


def test_create_validates_name_email_code_and_pin(owner):
    cases = [
        ({"full_name": ""}, "full_name"),
        ({"full_name": "x" * 300}, "full_name"),
        ({"email": "not-an-email"}, "email"),
        ({"employee_code": "1"}, "employee_code"),  # the owner's code
        ({"employee_code": "12a"}, "employee_code"),
        ({"pin": "123"}, "pin"),
        ({"pin": "1234567"}, "pin"),
        ({"role": "emperor"}, "role"),
    ]
    for overrides, field in cases:
        args = {"email": "new@example.test", "full_name": "New", "role": Role.CASHIER} | overrides
        with pytest.raises(ValidationFailed) as exc:
            services.employee_create(actor_membership=owner, send_invitation=False, **args)
        assert field in exc.value.fields, overrides
    assert Membership.objects.filter(business=owner.business).count() == 1


def test_the_same_person_cannot_be_hired_twice(owner):
    member = make_member(owner)
    with pytest.raises(Conflict):
        services.employee_create(
            actor_membership=owner,
            email=member.user.email.upper(),
            full_name="Again",
            role=Role.CASHIER,
        )


def test_an_existing_user_can_work_for_two_businesses(owner, other_owner):
    member = make_member(owner)
    theirs = services.employee_create(
        actor_membership=other_owner, email=member.user.email, full_name="Same", role=Role.CASHIER
    )
    assert theirs.user_id == member.user_id and theirs.business_id != member.business_id


def test_employee_codes_are_unique_per_business_only(owner, other_owner):
    make_member(owner, code="14")
    assert make_member(other_owner, code="14").employee_code == "14"
    with pytest.raises(ValidationFailed):
        make_member(owner, code="14")


def test_work_history_on_hire_role_change_title_change_deactivate_and_reactivate(owner):
    member = services.employee_create(
        actor_membership=owner,
        email="w@example.test",
        full_name="Wafa",
        role=Role.CASHIER,
        job_title="Till",
        hired_on=datetime.date(2024, 9, 1),
    )
    hired = member.work_history.get()
    assert hired.kind == WorkHistoryKind.HIRED and hired.happened_on == datetime.date(2024, 9, 1)
    assert "Cashier" in hired.title and hired.recorded_by == owner.user

    services.employee_update(
        actor_membership=owner, membership=member, data={"role": Role.STAFF, "job_title": "Stock"}
    )
    services.employee_set_active(
        actor_membership=owner, membership=member, active=False, note="Moved away"
    )
    services.employee_set_active(actor_membership=owner, membership=member, active=True)

    kinds = list(member.work_history.order_by("created_at").values_list("kind", flat=True))
    assert kinds == [
        WorkHistoryKind.HIRED,
        WorkHistoryKind.ROLE_CHANGED,
        WorkHistoryKind.TITLE_CHANGED,
        WorkHistoryKind.DEACTIVATED,
        WorkHistoryKind.REACTIVATED,
    ]
    assert member.work_history.get(kind=WorkHistoryKind.DEACTIVATED).note == "Moved away"
    role_entry = member.work_history.get(kind=WorkHistoryKind.ROLE_CHANGED)
    assert role_entry.title == "Role changed from Cashier to Staff"


def test_an_update_that_changes_nothing_writes_nothing(owner):
    member = make_member(owner, role=Role.CASHIER)
    audits, history = AuditEntry.objects.count(), member.work_history.count()
    services.employee_update(actor_membership=owner, membership=member, data={"role": Role.CASHIER})
    assert AuditEntry.objects.count() == audits and member.work_history.count() == history


def test_deactivation_revokes_the_persons_tokens_only(owner):
    member = make_member(owner)
    other = make_member(owner)
    services.api_token_create(membership=member, name="a")
    services.api_token_create(membership=member, name="b")
    services.api_token_create(membership=other, name="c")

    services.employee_set_active(actor_membership=owner, membership=member, active=False)

    assert not ApiToken.objects.filter(membership=member, revoked_at__isnull=True).exists()
    assert ApiToken.objects.get(membership=other).revoked_at is None
    member = fresh(member)
    assert member.deactivated_at is not None and not member.is_active
    services.employee_set_active(actor_membership=owner, membership=member, active=True)
    member = fresh(member)
    assert member.is_active and member.deactivated_at is None


def test_pin_is_hashed_and_can_be_checked(owner):
    member = make_member(owner, pin="4821")
    assert member.pin_hash and "4821" not in member.pin_hash
    identify_hasher(member.pin_hash)  # a real Django password hash
    assert services.employee_check_pin(membership=member, pin="4821")
    assert not services.employee_check_pin(membership=member, pin="4822")

    services.employee_set_pin(actor_membership=owner, membership=member, pin="909090")
    member = fresh(member)
    assert services.employee_check_pin(membership=member, pin="909090")
    assert not services.employee_check_pin(membership=member, pin="4821")
    assert not services.employee_check_pin(membership=make_member(owner), pin="")


def test_pin_rules(owner):
    member = make_member(owner, role=Role.CASHIER)
    for bad in ("123", "1234567", "12a4", "", "١٢٣٤x"):
        with pytest.raises(ValidationFailed):
            services.employee_set_pin(actor_membership=owner, membership=member, pin=bad)
    # People set their own PIN; a cashier may not set someone else's.
    services.employee_set_pin(actor_membership=member, membership=member, pin="2468")
    with pytest.raises(PermissionDenied):
        services.employee_set_pin(actor_membership=member, membership=owner, pin="1357")


# --- permission requests -------------------------------------------------------------------------


def test_permission_request_tells_the_managers(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    manager = make_member(owner, role=Role.MANAGER)
    staff = make_member(owner, role=Role.STAFF)

    req = services.permission_request_create(
        membership=cashier, module=Module.STOCK, level=R, reason="Counting"
    )

    assert req.status == PermissionRequestStatus.PENDING
    told = set(
        Notification.objects.filter(kind="permission_request.created").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {owner.user_id, manager.user_id}
    assert staff.user_id not in told


def test_one_pending_request_per_module(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    services.permission_request_create(membership=cashier, module=Module.STOCK, level=R)
    with pytest.raises(Conflict):
        services.permission_request_create(membership=cashier, module=Module.STOCK, level=F)
    services.permission_request_create(
        membership=cashier, module=Module.REPORTS, level=R
    )  # another module is fine
    assert PermissionRequest.objects.filter(membership=cashier).count() == 2


def test_cannot_ask_for_what_you_already_have(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    with pytest.raises(ValidationFailed):
        services.permission_request_create(membership=cashier, module=Module.REGISTER, level=F)
    with pytest.raises(ValidationFailed):
        services.permission_request_create(membership=cashier, module=Module.CATALOG, level=R)
    with pytest.raises(ValidationFailed):
        services.permission_request_create(membership=cashier, module=Module.STOCK, level=N)
    with pytest.raises(ValidationFailed):
        services.permission_request_create(membership=cashier, module="nukes", level=R)


def test_accepting_grants_the_level_and_tells_the_employee(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    req = services.permission_request_create(membership=cashier, module=Module.STOCK, level=F)

    services.permission_request_decide(
        actor_membership=owner, request=req, accept=True, note="Go ahead"
    )

    req.refresh_from_db()
    assert (
        req.status == PermissionRequestStatus.ACCEPTED
        and req.decided_by == owner.user
        and req.decided_at
    )
    assert fresh(cashier).level(Module.STOCK) == F
    note = Notification.objects.get(recipient=cashier.user, kind="permission_request.decided")
    assert "accepted" in note.title and note.body == "Go ahead"


def test_rejecting_keeps_the_level(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    req = services.permission_request_create(membership=cashier, module=Module.STOCK, level=F)
    services.permission_request_decide(actor_membership=owner, request=req, accept=False)
    assert fresh(cashier).level(Module.STOCK) == N
    assert PermissionRequest.objects.get(pk=req.pk).status == PermissionRequestStatus.REJECTED
    # Once decided, a new request for the module may be made.
    services.permission_request_create(membership=fresh(cashier), module=Module.STOCK, level=R)


def test_cannot_decide_your_own_request(owner):
    manager = make_member(owner, role=Role.MANAGER)
    req = services.permission_request_create(membership=manager, module=Module.SETTINGS, level=F)
    with pytest.raises(PermissionDenied):
        services.permission_request_decide(actor_membership=manager, request=req, accept=True)
    assert PermissionRequest.objects.get(pk=req.pk).status == PermissionRequestStatus.PENDING
    assert fresh(manager).level(Module.SETTINGS) == R


def test_deciding_twice_is_a_conflict(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    req = services.permission_request_create(membership=cashier, module=Module.STOCK, level=R)
    services.permission_request_decide(actor_membership=owner, request=req, accept=True)
    with pytest.raises(Conflict):
        services.permission_request_decide(actor_membership=owner, request=req, accept=False)
    assert PermissionRequest.objects.get(pk=req.pk).status == PermissionRequestStatus.ACCEPTED


def test_only_staff_managers_decide(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    staff = make_member(owner, role=Role.STAFF)
    req = services.permission_request_create(membership=cashier, module=Module.STOCK, level=R)
    with pytest.raises(PermissionDenied):
        services.permission_request_decide(actor_membership=staff, request=req, accept=True)


# --- tokens --------------------------------------------------------------------------------------


def test_token_keeps_only_a_hash(owner):
    token, raw = services.api_token_create(membership=owner, name="script")
    assert raw.startswith(f"hnt_{token.prefix}_")
    assert token.key_hash == services.hash_token(raw) and raw not in token.key_hash
    with pytest.raises(ValidationFailed):
        services.api_token_create(membership=owner, name=" ")
    with pytest.raises(ValidationFailed):
        services.api_token_create(membership=owner, name="x" * 81)


def test_revoking_someone_elses_token_needs_staff_full(owner):
    cashier = make_member(owner, role=Role.CASHIER)
    other = make_member(owner, role=Role.CASHIER)
    token, _ = services.api_token_create(membership=other, name="theirs")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(membership=cashier, token=token)
    services.api_token_revoke(membership=owner, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- audit ---------------------------------------------------------------------------------------


def test_every_staff_service_writes_an_audit_row_with_before_and_after(owner):
    member = services.employee_create(
        actor_membership=owner,
        email="a@example.test",
        full_name="Aya",
        role=Role.CASHIER,
        job_title="Till",
        employee_code="7",
        send_invitation=False,
    )
    created = last_audit("employee.create")
    assert created.actor == owner.user and created.object_id == str(member.pk)
    assert created.changes["role"] == [None, Role.CASHIER] and created.changes["email"] == [
        None,
        "a@example.test",
    ]
    assert created.changes["employee_code"] == [None, "7"]

    services.employee_update(
        actor_membership=owner,
        membership=member,
        data={"role": Role.STAFF, "job_title": "Stock", "full_name": "Aya B"},
    )
    assert last_audit("employee.update").changes == {
        "role": [Role.CASHIER, Role.STAFF],
        "job_title": ["Till", "Stock"],
        "full_name": ["Aya", "Aya B"],
    }

    services.module_access_set(
        actor_membership=owner, membership=member, levels={Module.REPORTS: R}
    )
    assert last_audit("employee.access_update").changes == {Module.REPORTS: [N, R]}

    services.employee_set_pin(actor_membership=owner, membership=member, pin="1234")
    pin_audit = last_audit("employee.pin_set")
    assert "1234" not in str(pin_audit.changes) and "pin" in pin_audit.changes

    services.work_history_add(
        actor_membership=owner,
        membership=member,
        happened_on=datetime.date(2025, 1, 2),
        title="Training",
    )
    assert last_audit("employee.history_add").changes == {"history": [None, "Training"]}

    services.employee_set_active(actor_membership=owner, membership=member, active=False)
    assert last_audit("employee.deactivate").changes == {"is_active": [True, False]}
    services.employee_set_active(actor_membership=owner, membership=member, active=True)
    assert last_audit("employee.reactivate").changes == {"is_active": [False, True]}

    member = fresh(member)
    req = services.permission_request_create(membership=member, module=Module.REPORTS, level=F)
    assert last_audit("permission_request.create").changes == {
        "module": [None, Module.REPORTS],
        "level": [None, F],
    }
    services.permission_request_decide(actor_membership=owner, request=req, accept=True)
    assert last_audit("permission_request.accept").changes == {"status": ["pending", "accepted"]}

    token, _ = services.api_token_create(membership=member, name="t")
    assert last_audit("api_token.create").object_id == str(token.pk)
    services.api_token_revoke(membership=member, token=token)
    assert last_audit("api_token.revoke").object_id == str(token.pk)

    assert set(
        AuditEntry.objects.filter(business=owner.business).values_list("business_id", flat=True)
    ) == {owner.business_id}


def test_work_history_note_is_validated(owner):
    member = make_member(owner)
    with pytest.raises(ValidationFailed):
        services.work_history_add(
            actor_membership=owner,
            membership=member,
            happened_on=datetime.date(2025, 1, 1),
            title="",
        )
    with pytest.raises(ValidationFailed):
        services.work_history_add(
            actor_membership=owner,
            membership=member,
            happened_on=datetime.date(2025, 1, 1),
            title="x" * 201,
        )
    assert not member.work_history.filter(kind=WorkHistoryKind.NOTE).exists()


def test_a_new_employee_is_invited_by_email_to_choose_a_password(
    owner, client, mailoutbox, django_capture_on_commit_callbacks
):
    """Works outside a web request (CLI, jobs): the link is built from HANOUT_PUBLIC_URL."""
    import re

    from hanout.accounts import services as svc

    with django_capture_on_commit_callbacks(execute=True):
        membership = svc.employee_create(
            actor_membership=owner,
            email="new.baker@example.test",
            full_name="New Baker",
            role="staff",
        )
    assert not membership.user.has_usable_password()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.baker@example.test"] and "Alpha Bakery" in mail.subject
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.body).group(1)
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    done = client.post(form_url, {"password1": "fresh-Bread-2026", "password2": "fresh-Bread-2026"})
    assert done.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.check_password("fresh-Bread-2026")


# --- nobody raises their own access ------------------------------------------------------------


def test_a_manager_cannot_raise_their_own_access(owner, member_factory):
    from hanout.accounts import services as svc
    from hanout.core.errors import PermissionDenied
    from hanout.core.permissions import Level, Module, Role

    manager = member_factory(role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        svc.module_access_set(
            actor_membership=manager, membership=manager, levels={Module.SETTINGS: Level.FULL}
        )
    assert manager.level(Module.SETTINGS) == Level.READ


def test_a_manager_cannot_grant_more_than_they_have(owner, member_factory):
    from hanout.accounts import services as svc
    from hanout.core.errors import PermissionDenied
    from hanout.core.permissions import Level, Module, Role

    manager = member_factory(role=Role.MANAGER)
    staff = member_factory(role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        svc.module_access_set(
            actor_membership=manager, membership=staff, levels={Module.SETTINGS: Level.FULL}
        )
    svc.module_access_set(
        actor_membership=manager, membership=staff, levels={Module.SETTINGS: Level.READ}
    )
    req = svc.permission_request_create(membership=staff, module=Module.SETTINGS, level=Level.FULL)
    with pytest.raises(PermissionDenied):
        svc.permission_request_decide(actor_membership=manager, request=req, accept=True)
    req.refresh_from_db()
    assert req.status == "pending"
    svc.permission_request_decide(
        actor_membership=manager, request=req, accept=False
    )  # rejecting is fine


def test_staff_with_full_staff_access_cannot_promote_themself_or_create_a_manager(
    owner, member_factory
):
    from hanout.accounts import services as svc
    from hanout.core.errors import PermissionDenied
    from hanout.core.permissions import Level, Module, Role

    staff = member_factory(role=Role.STAFF)
    svc.module_access_set(
        actor_membership=owner, membership=staff, levels={Module.STAFF: Level.FULL}
    )
    staff = (
        type(staff)
        .objects.prefetch_related("module_access")
        .select_related("business", "user")
        .get(pk=staff.pk)
    )
    with pytest.raises(PermissionDenied):
        svc.employee_update(actor_membership=staff, membership=staff, data={"role": Role.MANAGER})
    with pytest.raises(PermissionDenied):
        svc.employee_create(
            actor_membership=staff, email="boss@example.test", full_name="Boss", role=Role.MANAGER
        )
    cashier = svc.employee_create(
        actor_membership=staff,
        email="c@example.test",
        full_name="C",
        role=Role.CASHIER,
        send_invitation=False,
    )
    assert cashier.role == Role.CASHIER


def test_an_accepted_request_records_the_access_change_on_the_employee(owner, member_factory):
    from hanout.accounts import services as svc
    from hanout.core.models import AuditEntry
    from hanout.core.permissions import Level, Module, Role

    cashier = member_factory(role=Role.CASHIER)
    req = svc.permission_request_create(membership=cashier, module=Module.STOCK, level=Level.READ)
    svc.permission_request_decide(actor_membership=owner, request=req, accept=True)
    entry = AuditEntry.objects.get(action="employee.access_update", object_id=str(cashier.pk))
    assert entry.changes == {"stock": ["none", "read"]}
