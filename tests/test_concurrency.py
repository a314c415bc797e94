"""Races between real connections (PostgreSQL): exactly one winner, exact final state."""

import pytest
from django.db import connection

from hanout.accounts import services as accounts
from hanout.accounts.models import ModuleAccess, PermissionRequest
from hanout.core.models import AuditEntry
from hanout.core.permissions import Level, Module, Role
from tests.concurrency import race
from tests.factories import make_business, make_member

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]


def test_two_managers_deciding_one_request_at_once_give_one_decision():
    owner = make_business("Race Shop")
    managers = [make_member(owner, role=Role.MANAGER) for _ in range(2)]
    cashier = make_member(owner, role=Role.CASHIER)
    req = accounts.permission_request_create(
        membership=cashier, module=Module.STOCK, level=Level.READ
    )

    results, errors, crashes = race(
        2,
        lambda i: accounts.permission_request_decide(
            actor_membership=managers[i], request=req, accept=i == 0
        ),
    )
    assert crashes == []

    assert len(results) == 1 and len(errors) == 1
    assert errors[0].code == "conflict"
    req.refresh_from_db()
    assert req.status == results[0].status
    decisions = AuditEntry.objects.filter(
        object_id=str(req.pk), action__startswith="permission_request."
    ).exclude(action="permission_request.create")
    assert decisions.count() == 1
    granted = ModuleAccess.objects.filter(membership=cashier, module=Module.STOCK).exists()
    assert granted == (req.status == "accepted")


def test_the_same_request_sent_eight_times_at_once_is_stored_once():
    owner = make_business("Race Shop 2")
    cashier = make_member(owner, role=Role.CASHIER)
    results, errors, crashes = race(
        8,
        lambda i: accounts.permission_request_create(
            membership=cashier, module=Module.REPORTS, level=Level.READ
        ),
    )
    assert crashes == []
    assert len(results) == 1 and len(errors) == 7
    assert {e.code for e in errors} == {"conflict"}
    assert PermissionRequest.objects.filter(membership=cashier, module=Module.REPORTS).count() == 1


def test_demoting_the_last_two_owners_at_once_keeps_one_owner():
    owner = make_business("Race Shop 3")
    second = make_member(owner, role=Role.OWNER)
    results, errors, crashes = race(
        2,
        lambda i: accounts.employee_update(
            actor_membership=[second, owner][i],
            membership=[owner, second][i],
            data={"role": Role.MANAGER},
        ),
    )
    assert crashes == []
    from hanout.accounts.models import Membership

    owners = Membership.objects.filter(
        business=owner.business, role=Role.OWNER, is_active=True
    ).count()
    assert owners == 1
    assert len(results) == 1 and len(errors) == 1
