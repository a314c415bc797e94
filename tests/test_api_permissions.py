"""The module-level matrix: none / read / full × reading / writing, set through
per-employee overrides (module_access_set), for every module-guarded endpoint."""

from __future__ import annotations

import itertools

import pytest

from hanout.accounts.models import Membership
from hanout.accounts.services import module_access_set, permission_request_create
from hanout.core.models import AuditEntry, Business, Shop
from hanout.core.permissions import Level, Module, Role
from tests.fixtures import api_client_for
from tests.test_api_common import assert_error

pytestmark = pytest.mark.django_db

_n = itertools.count()

# (module, read path, write method, write path, body maker, success status of the write)
ENDPOINTS = {
    "shops": (
        Module.SETTINGS,
        "/api/v1/shops/",
        "post",
        "/api/v1/shops/",
        lambda: {"name": f"Shop {next(_n)}", "time_zone": "Europe/Brussels"},
        201,
    ),
    "business": (
        Module.SETTINGS,
        "/api/v1/business/",
        "patch",
        "/api/v1/business/",
        lambda: {"name": f"Renamed {next(_n)}"},
        200,
    ),
    "members": (
        Module.STAFF,
        "/api/v1/members/",
        "post",
        "/api/v1/members/",
        lambda: {
            "email": f"new{next(_n)}@example.test",
            "full_name": "New",
            "role": "cashier",
            "send_invitation": False,
        },
        201,
    ),
    "audit": (Module.SETTINGS, "/api/v1/audit/", None, None, None, None),
}


def _state():
    return (
        Shop.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
        list(Business.objects.values_list("name", flat=True)),
    )


@pytest.fixture
def staff_with(owner, member_factory):
    def make(module: str, level: str):
        member = member_factory(role=Role.STAFF)
        module_access_set(actor_membership=owner, membership=member, levels={module: level})
        return member

    return make


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("level", [Level.NONE, Level.READ, Level.FULL])
def test_module_level_matrix(staff_with, endpoint, level):
    module, read_path, method, write_path, body, created = ENDPOINTS[endpoint]
    api = api_client_for(staff_with(module, level))

    response = api.get(read_path)
    if level == Level.NONE:
        error = assert_error(response, 403, "permission_denied")
        assert str(Module(module).label) in error["message"]
    else:
        assert response.status_code == 200, response.content

    if method is None:  # read-only endpoint: writing is never allowed
        assert_error(api.post(read_path, {}, format="json"), 405 if level == Level.FULL else 403)
        return
    before = _state()
    response = getattr(api, method)(write_path, body(), format="json")
    if level == Level.FULL:
        assert response.status_code == created, response.content
    else:
        error = assert_error(response, 403, "permission_denied")
        assert str(Module(module).label) in error["message"]
        assert _state() == before


@pytest.mark.parametrize("level", [Level.NONE, Level.READ, Level.FULL])
def test_object_routes_follow_the_same_levels(owner, staff_with, member_factory, level):
    shop = Shop.objects.for_business(owner.business).get()
    target = member_factory(role=Role.CASHIER)
    settings_api = api_client_for(staff_with(Module.SETTINGS, level))
    staff_api = api_client_for(staff_with(Module.STAFF, level))
    reads = [
        (settings_api, f"/api/v1/shops/{shop.pk}/"),
        (settings_api, f"/api/v1/shops/{shop.pk}/opening-hours/"),
        (staff_api, f"/api/v1/members/{target.pk}/"),
    ]
    for api, path in reads:
        assert api.get(path).status_code == (403 if level == Level.NONE else 200), path
    writes = [
        (settings_api, "patch", f"/api/v1/shops/{shop.pk}/", {"phone": "123"}),
        (staff_api, "patch", f"/api/v1/members/{target.pk}/", {"job_title": "Lead"}),
        (staff_api, "post", f"/api/v1/members/{target.pk}/set-pin/", {"pin": "5555"}),
        (staff_api, "put", f"/api/v1/members/{target.pk}/access/", {"stock": "read"}),
        (staff_api, "post", f"/api/v1/members/{target.pk}/deactivate/", {}),
    ]
    for api, method, path, body in writes:
        before = _state()
        response = getattr(api, method)(path, body, format="json")
        if level == Level.FULL:
            assert response.status_code == 200, (path, response.content)
        else:
            assert_error(response, 403, "permission_denied")
            assert _state() == before


@pytest.mark.parametrize(
    "level, sees_all, may_decide",
    [
        (Level.NONE, False, False),
        (Level.READ, True, False),
        (Level.FULL, True, True),
    ],
)
def test_permission_requests_follow_staff_levels(
    owner, staff_with, member_factory, level, sees_all, may_decide
):
    cashier = member_factory(role=Role.CASHIER)
    req = permission_request_create(membership=cashier, module=Module.STOCK, level=Level.READ)
    api = api_client_for(staff_with(Module.STAFF, level))

    listed = api.get("/api/v1/permission-requests/")
    assert listed.status_code == 200  # everyone may list: without Staff read, only their own
    assert (str(req.pk) in {r["id"] for r in listed.json()["results"]}) is sees_all
    assert api.get(f"/api/v1/permission-requests/{req.pk}/").status_code == (
        200 if sees_all else 404
    )

    response = api.post(f"/api/v1/permission-requests/{req.pk}/accept/", {}, format="json")
    if may_decide:
        assert response.status_code == 200 and response.json()["status"] == "accepted"
    else:
        assert_error(response, 403, "permission_denied")
        req.refresh_from_db()
        assert req.status == "pending"


def test_owner_levels_cannot_be_lowered(owner, member_factory):
    assert api_client_for(owner).get("/api/v1/me/").json()["levels"] == dict.fromkeys(
        Module.values, "full"
    )


def test_a_write_without_any_access_says_no_access_not_read_only(owner, member_factory):
    from tests.fixtures import api_client_for

    cashier = member_factory(role="cashier")
    response = api_client_for(cashier).post("/api/v1/shops/", {"name": "x"}, format="json")
    assert response.status_code == 403
    message = response.json()["error"]["message"]
    assert "no access to Settings" in message and "read-only" not in message
