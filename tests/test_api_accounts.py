"""Members, permission requests, `me/` and API tokens through the API."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from rest_framework.test import APIClient

from hanout.accounts.models import (
    ApiToken,
    Membership,
    ModuleAccess,
    PermissionRequest,
    User,
    WorkHistoryEntry,
)
from hanout.accounts.services import module_access_set, permission_request_create
from hanout.core.models import AuditEntry
from hanout.core.permissions import Level, Module, Role
from tests.fixtures import api_client_for
from tests.test_api_common import assert_error

pytestmark = pytest.mark.django_db


def counts():
    return (
        User.objects.count(),
        Membership.objects.count(),
        ModuleAccess.objects.count(),
        PermissionRequest.objects.count(),
        ApiToken.objects.count(),
        WorkHistoryEntry.objects.count(),
        AuditEntry.objects.count(),
    )


def never_shows_pins(response):
    text = response.content.decode()
    assert "pin_hash" not in text and '"pin"' not in text
    assert "md5$" not in text and "argon2" not in text


NEW = {
    "email": "lina@example.test",
    "full_name": "Lina Haddad",
    "role": "cashier",
    "job_title": "Cashier",
    "employee_code": "42",
    "pin": "4321",
    "phone": "+32 470 12 34 56",
}


# --- members ---------------------------------------------------------------------------------


def test_member_create_retrieve_and_list(owner_api, owner):
    response = owner_api.post("/api/v1/members/", {**NEW, "send_invitation": False}, format="json")
    assert response.status_code == 201, response.content
    never_shows_pins(response)
    member = response.json()
    assert member["email"] == "lina@example.test" and member["role"] == "cashier"
    assert member["has_pin"] is True and member["phone"] == "+32470123456"
    assert member["levels"]["register"] == "full" and member["levels"]["settings"] == "none"
    assert member["overrides"] == {}

    detail = owner_api.get(f"/api/v1/members/{member['id']}/")
    never_shows_pins(detail)
    assert detail.json()["levels"] == member["levels"]
    assert set(detail.json()["levels"]) == set(Module.values)

    listed = owner_api.get("/api/v1/members/")
    never_shows_pins(listed)
    assert {m["email"] for m in listed.json()["results"]} == {owner.user.email, "lina@example.test"}


@pytest.mark.django_db(transaction=True)
def test_a_new_member_gets_an_invitation_after_commit():
    from tests.factories import make_business

    api = api_client_for(make_business("Invites"))
    response = api.post("/api/v1/members/", NEW, format="json")
    assert response.status_code == 201, response.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lina@example.test"]


def test_member_list_filters(owner_api, owner, member_factory):
    cashier = member_factory(role=Role.CASHIER, full_name="Zineb Cashier", code="77")
    staff = member_factory(role=Role.STAFF, full_name="Omar Staff")
    owner_api.post(f"/api/v1/members/{staff.pk}/deactivate/", {}, format="json")

    def emails(**params):
        return {m["id"] for m in owner_api.get("/api/v1/members/", params).json()["results"]}

    assert emails(role="cashier") == {str(cashier.pk)}
    assert emails(search="zineb") == {str(cashier.pk)}
    assert emails(search="77") == {str(cashier.pk)}
    assert emails(active="false") == {str(staff.pk)}
    assert emails(active="true") == {str(owner.pk), str(cashier.pk)}
    assert len(emails()) == 3


@pytest.mark.parametrize(
    "params, field",
    [
        ({"role": "king"}, "role"),
        ({"active": "maybe"}, "active"),
        ({"search": "x" * 101}, "search"),
    ],
)
def test_member_list_bad_filters_are_400(owner_api, params, field):
    assert_error(owner_api.get("/api/v1/members/", params), 400, "invalid", field)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"email": None}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "a" * 250 + "@x.be"}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "n" * 151}, "full_name"),
        ({"role": "emperor"}, "role"),
        ({"role": ["cashier"]}, "role"),
        ({"employee_code": "12a"}, "employee_code"),
        ({"employee_code": "123456789"}, "employee_code"),
        ({"pin": "12"}, "pin"),
        ({"pin": "12ab"}, "pin"),
        ({"pin": 1234567}, "pin"),
        ({"phone": "not a phone"}, "phone"),
        ({"hired_on": "last week"}, "hired_on"),
        ({"send_invitation": "perhaps"}, "send_invitation"),
    ],
)
def test_member_create_bad_input_is_400_and_writes_nothing(owner_api, change, field):
    before = counts()
    body = {**NEW, **change}
    error = assert_error(
        owner_api.post("/api/v1/members/", body, format="json"), 400, "invalid", field
    )
    assert field in error["message"]
    assert counts() == before
    assert mail.outbox == []


def test_member_create_missing_fields_names_each(owner_api):
    before = counts()
    error = assert_error(owner_api.post("/api/v1/members/", {}, format="json"), 400)
    assert {"email", "full_name", "role"} <= set(error["fields"])
    assert counts() == before


def test_member_already_employed_is_409_and_code_taken_is_400(owner_api, owner, member_factory):
    member = member_factory(code="55")
    before = counts()
    assert_error(
        owner_api.post(
            "/api/v1/members/",
            {**NEW, "email": member.user.email, "employee_code": ""},
            format="json",
        ),
        409,
        "conflict",
        "email",
    )
    assert_error(
        owner_api.post("/api/v1/members/", {**NEW, "employee_code": "55"}, format="json"),
        400,
        "invalid",
        "employee_code",
    )
    assert counts() == before


def test_member_partial_update(owner_api, member_factory):
    member = member_factory(role=Role.CASHIER)
    response = owner_api.patch(
        f"/api/v1/members/{member.pk}/",
        {"job_title": "Head cashier", "role": "staff", "full_name": "New Name"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["job_title"], body["role"], body["full_name"]) == (
        "Head cashier",
        "staff",
        "New Name",
    )
    assert body["levels"]["stock"] == "full"
    kinds = set(WorkHistoryEntry.objects.filter(membership=member).values_list("kind", flat=True))
    assert {"role_changed", "title_changed"} <= kinds


def test_member_put_is_405(owner_api, member_factory):
    member = member_factory()
    assert_error(owner_api.put(f"/api/v1/members/{member.pk}/", {}, format="json"), 405)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"role": "emperor"}, "role"),
        ({"full_name": ""}, "full_name"),
        ({"employee_code": "x"}, "employee_code"),
        ({"hired_on": "soon"}, "hired_on"),
        ({"phone": "12"}, "phone"),
        ({"job_title": "t" * 121}, "job_title"),
    ],
)
def test_member_update_bad_input_is_400(owner_api, member_factory, body, field):
    member = member_factory()
    before = counts()
    assert_error(
        owner_api.patch(f"/api/v1/members/{member.pk}/", body, format="json"), 400, "invalid", field
    )
    assert counts() == before


def test_only_an_owner_makes_owners(owner, member_factory):
    manager = member_factory(role=Role.MANAGER)
    cashier = member_factory(role=Role.CASHIER)
    api = api_client_for(manager)
    before = counts()
    error = assert_error(
        api.patch(f"/api/v1/members/{cashier.pk}/", {"role": "owner"}, format="json"), 403
    )
    assert "owner" in error["message"]
    assert_error(api.post(f"/api/v1/members/{owner.pk}/deactivate/", {}, format="json"), 403)
    assert counts() == before


def test_deactivate_and_reactivate(owner_api, member_factory):
    member = member_factory()
    member_api = api_client_for(member)
    response = owner_api.post(
        f"/api/v1/members/{member.pk}/deactivate/", {"note": "Left"}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert response.json()["deactivated_at"]
    assert_error(member_api.get("/api/v1/me/"), 401)  # their tokens were revoked

    response = owner_api.post(f"/api/v1/members/{member.pk}/reactivate/", {}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is True
    # Doing it twice changes nothing.
    audits = AuditEntry.objects.count()
    assert owner_api.post(f"/api/v1/members/{member.pk}/reactivate/").status_code == 200
    assert AuditEntry.objects.count() == audits


def test_set_pin(owner_api, member_factory):
    member = member_factory()
    response = owner_api.post(
        f"/api/v1/members/{member.pk}/set-pin/", {"pin": "987654"}, format="json"
    )
    assert response.status_code == 200
    never_shows_pins(response)
    assert response.json()["has_pin"] is True
    from hanout.accounts.services import employee_check_pin

    member.refresh_from_db()
    assert employee_check_pin(membership=member, pin="987654")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"pin": ""},
        {"pin": "123"},
        {"pin": "1234567"},
        {"pin": "12a4"},
        {"pin": None},
        {"pin": ["1234"]},
    ],
)
def test_set_pin_bad_input_is_400(owner_api, member_factory, body):
    member = member_factory()
    before = counts()
    assert_error(
        owner_api.post(f"/api/v1/members/{member.pk}/set-pin/", body, format="json"),
        400,
        "invalid",
        "pin",
    )
    assert counts() == before


def test_access_overrides_and_reset(owner_api, member_factory):
    member = member_factory(role=Role.CASHIER)
    response = owner_api.put(
        f"/api/v1/members/{member.pk}/access/", {"stock": "read", "reports": "full"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["overrides"] == {"stock": "read", "reports": "full"}
    assert body["levels"]["stock"] == "read" and body["levels"]["reports"] == "full"

    response = owner_api.put(f"/api/v1/members/{member.pk}/access/", {"stock": None}, format="json")
    assert response.json()["overrides"] == {"reports": "full"}
    assert response.json()["levels"]["stock"] == "none"
    assert (
        AuditEntry.objects.filter(action="employee.access_update", object_id=str(member.pk)).count()
        == 2
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"stock": "root"}, "stock"),
        ({"nonsense": "read"}, "nonsense"),
        ({"stock": 1}, "stock"),
    ],
)
def test_access_bad_input_is_400_and_changes_nothing(owner_api, member_factory, body, field):
    member = member_factory()
    before = counts()
    assert_error(
        owner_api.put(f"/api/v1/members/{member.pk}/access/", body, format="json"),
        400,
        "invalid",
        field,
    )
    assert counts() == before


def test_access_body_must_be_an_object(owner_api, member_factory):
    member = member_factory()
    assert_error(
        owner_api.put(f"/api/v1/members/{member.pk}/access/", ["stock"], format="json"), 400
    )


def test_another_business_member_is_404_everywhere(owner_api, other_owner):
    target = other_owner
    before = counts()
    for method, path, body in [
        ("get", f"/api/v1/members/{target.pk}/", None),
        ("patch", f"/api/v1/members/{target.pk}/", {"job_title": "x"}),
        ("post", f"/api/v1/members/{target.pk}/deactivate/", {}),
        ("post", f"/api/v1/members/{target.pk}/reactivate/", {}),
        ("post", f"/api/v1/members/{target.pk}/set-pin/", {"pin": "1111"}),
        ("put", f"/api/v1/members/{target.pk}/access/", {"stock": "full"}),
    ]:
        call = getattr(owner_api, method)
        response = call(path, body, format="json") if body is not None else call(path)
        assert_error(response, 404, "not_found")
    assert counts() == before
    ids = {m["id"] for m in owner_api.get("/api/v1/members/").json()["results"]}
    assert str(target.pk) not in ids


# --- permission requests -------------------------------------------------------------------------


def test_any_member_asks_and_sees_only_their_own(owner, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    other = member_factory(role=Role.CASHIER)
    theirs = permission_request_create(membership=other, module=Module.STOCK, level=Level.READ)
    api = api_client_for(cashier)

    response = api.post(
        "/api/v1/permission-requests/",
        {"module": "stock", "level": "full", "reason": "Inventory day"},
        format="json",
    )
    assert response.status_code == 201, response.content
    mine = response.json()
    assert (mine["status"], mine["membership"], mine["module"]) == (
        "pending",
        str(cashier.pk),
        "stock",
    )

    listed = api.get("/api/v1/permission-requests/").json()["results"]
    assert [r["id"] for r in listed] == [mine["id"]]
    assert api.get(f"/api/v1/permission-requests/{mine['id']}/").status_code == 200
    assert_error(api.get(f"/api/v1/permission-requests/{theirs.pk}/"), 404)

    everything = api_client_for(owner).get("/api/v1/permission-requests/").json()["results"]
    assert {r["id"] for r in everything} == {mine["id"], str(theirs.pk)}


def test_accept_through_the_api_grants_the_level(owner_api, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    req = permission_request_create(
        membership=cashier, module=Module.STOCK, level=Level.FULL, reason="count"
    )
    response = owner_api.post(
        f"/api/v1/permission-requests/{req.pk}/accept/", {"note": "ok for today"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "accepted" and body["decision_note"] == "ok for today"
    assert body["decided_by"] is not None
    member = owner_api.get(f"/api/v1/members/{cashier.pk}/").json()
    assert member["levels"]["stock"] == "full" and member["overrides"] == {"stock": "full"}
    # Deciding twice is a conflict and changes nothing.
    audits = AuditEntry.objects.count()
    assert_error(
        owner_api.post(f"/api/v1/permission-requests/{req.pk}/reject/", {}, format="json"),
        409,
        "conflict",
    )
    assert AuditEntry.objects.count() == audits


def test_reject_through_the_api(owner_api, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    req = permission_request_create(membership=cashier, module=Module.REPORTS, level=Level.READ)
    response = owner_api.post(f"/api/v1/permission-requests/{req.pk}/reject/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not ModuleAccess.objects.filter(membership=cashier).exists()
    filtered = owner_api.get("/api/v1/permission-requests/", {"status": "rejected"}).json()[
        "results"
    ]
    assert [r["id"] for r in filtered] == [str(req.pk)]
    assert (
        owner_api.get("/api/v1/permission-requests/", {"status": "pending"}).json()["results"] == []
    )
    assert_error(
        owner_api.get("/api/v1/permission-requests/", {"status": "maybe"}), 400, "invalid", "status"
    )


def test_deciding_needs_full_staff_access(owner, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    staff = member_factory(role=Role.STAFF)
    req = permission_request_create(membership=cashier, module=Module.STOCK, level=Level.READ)
    module_access_set(actor_membership=owner, membership=staff, levels={Module.STAFF: Level.READ})
    reader = api_client_for(staff)
    assert (
        reader.get(f"/api/v1/permission-requests/{req.pk}/").status_code == 200
    )  # staff read sees all
    error = assert_error(
        reader.post(f"/api/v1/permission-requests/{req.pk}/accept/", {}, format="json"), 403
    )
    assert "Staff" in error["message"]
    assert_error(
        api_client_for(cashier).post(
            f"/api/v1/permission-requests/{req.pk}/accept/", {}, format="json"
        ),
        403,
    )
    req.refresh_from_db()
    assert req.status == "pending"


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"module": "spaceship", "level": "read"}, 400, "module"),
        ({"module": "stock", "level": "none"}, 400, "level"),
        ({"module": "stock", "level": "admin"}, 400, "level"),
        ({"module": "register", "level": "full"}, 400, "level"),  # a cashier has it already
        ({"module": "stock", "level": "read", "reason": "r" * 1001}, 400, "reason"),
        ({"level": "read"}, 400, "module"),
    ],
)
def test_permission_request_bad_input(owner, member_factory, body, status, field):
    api = api_client_for(member_factory(role=Role.CASHIER))
    before = counts()
    assert_error(
        api.post("/api/v1/permission-requests/", body, format="json"), status, "invalid", field
    )
    assert counts() == before


def test_a_second_pending_request_is_409(owner, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    api = api_client_for(cashier)
    body = {"module": "stock", "level": "read"}
    assert api.post("/api/v1/permission-requests/", body, format="json").status_code == 201
    before = counts()
    assert_error(api.post("/api/v1/permission-requests/", body, format="json"), 409, "conflict")
    assert counts() == before


# --- me -------------------------------------------------------------------------------------------


def test_me(owner, member_factory):
    cashier = member_factory(role=Role.CASHIER, pin="1234")
    module_access_set(actor_membership=owner, membership=cashier, levels={Module.STOCK: Level.READ})
    response = api_client_for(cashier).get("/api/v1/me/")
    assert response.status_code == 200
    never_shows_pins(response)
    body = response.json()
    assert body["user"]["email"] == cashier.user.email
    assert body["membership"] == {
        **body["membership"],
        "id": str(cashier.pk),
        "role": "cashier",
        "has_pin": True,
    }
    assert body["business"]["id"] == str(owner.business_id)
    assert body["levels"]["stock"] == "read" and body["levels"]["register"] == "full"
    assert set(body["levels"]) == set(Module.values)


# --- tokens ------------------------------------------------------------------------------------


def session_api(membership):
    """An API client signed in with a session (as the profile page is)."""
    client = APIClient()
    client.force_login(membership.user)
    return client


def test_a_token_cannot_create_tokens(owner_api):
    before = ApiToken.objects.count()
    assert_error(owner_api.post("/api/v1/tokens/", {"name": "successor"}, format="json"), 403)
    assert ApiToken.objects.count() == before


def test_tokens_list_create_revoke(owner, member_factory):
    member = member_factory()
    api = api_client_for(member)
    api_client_for(owner)  # someone else's token: never listed

    response = session_api(member).post("/api/v1/tokens/", {"name": "stock script"}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    raw = created["token"]
    assert raw.startswith("hnt_") and created["prefix"] in raw and created["is_active"] is True

    listed = api.get("/api/v1/tokens/")
    assert raw not in listed.content.decode() and '"token"' not in listed.content.decode()
    assert "key_hash" not in listed.content.decode()
    names = {t["name"] for t in listed.json()["results"]}
    assert names == {"tests", "stock script"}

    script = api.__class__()
    script.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert script.get("/api/v1/me/").json()["user"]["id"] == str(member.user_id)

    assert api.delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    assert_error(script.get("/api/v1/me/"), 401)
    # Revoking again: still 204, nothing changes.
    audits = AuditEntry.objects.count()
    assert api.delete(f"/api/v1/tokens/{created['id']}/").status_code == 204
    assert AuditEntry.objects.count() == audits
    revoked = [t for t in api.get("/api/v1/tokens/").json()["results"] if t["id"] == created["id"]]
    assert revoked[0]["is_active"] is False and revoked[0]["revoked_at"]


def test_someone_elses_token_is_404(owner, member_factory):
    member = member_factory()
    other_token = ApiToken.objects.create(
        membership=owner, name="owner's", prefix="x", key_hash="0" * 64
    )
    api = api_client_for(member)
    assert_error(api.delete(f"/api/v1/tokens/{other_token.pk}/"), 404)
    # Even an owner cannot revoke someone else's token here: tokens/ is about your own.
    api_client_for(owner)
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


def test_revoking_the_token_in_use_ends_it(owner):
    api = api_client_for(owner)
    own = api.get("/api/v1/tokens/").json()["results"][0]
    assert api.delete(f"/api/v1/tokens/{own['id']}/").status_code == 204
    assert_error(api.get("/api/v1/tokens/"), 401)


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "   "}, {"name": "n" * 81}, {"name": None}, {"name": ["x"]}]
)
def test_token_bad_input_is_400_and_makes_nothing(owner, body):
    before = counts()
    response = session_api(owner).post("/api/v1/tokens/", body, format="json")
    assert_error(response, 400, "invalid", "name")
    assert counts() == before


def test_schema_marks_pin_write_only_and_hides_hashes(client):
    schema = json.loads(client.get("/api/schema/?format=json").content)
    member = schema["components"]["schemas"]["Member"]["properties"]
    assert "pin" not in member and "pin_hash" not in member
    text = json.dumps(schema)
    assert "pin_hash" not in text and "key_hash" not in text
