"""What every API endpoint shares: authentication, the error shape, pagination, bad input."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hanout.accounts.models import ApiToken
from hanout.accounts.services import api_token_create, api_token_revoke
from hanout.core.models import AuditEntry, Shop
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str | None = None, field: str | None = None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code, error
    if field is not None:
        assert field in error["fields"], error
        assert field in error["message"] or error["message"], error
    return error


# --- authentication ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/me/", "/api/v1/shops/", "/api/v1/members/", "/api/v1/business/"]
)
def test_no_credentials_is_401_in_the_error_shape(path):
    response = APIClient().get(path)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_bad_tokens_are_401(owner):
    for header in [
        "Token nope",
        "Token hnt_abcdef_nothing",
        "Token",
        "Token a b",
        "Bearer hnt_x_y",
    ]:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=header)
        assert_error(api.get("/api/v1/me/"), 401, "authentication_failed")


def test_bearer_keyword_works_too(owner):
    _, raw = api_token_create(membership=owner, name="bearer")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").status_code == 200


def test_revoked_token_is_401_and_revoking_again_changes_nothing(owner):
    token, raw = api_token_create(membership=owner, name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/me/").status_code == 200
    api_token_revoke(membership=owner, token=token)
    revoked_at = ApiToken.objects.get(pk=token.pk).revoked_at
    assert_error(api.get("/api/v1/me/"), 401, "authentication_failed")
    api_token_revoke(membership=owner, token=ApiToken.objects.get(pk=token.pk))
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked_at


def test_session_authentication_works_for_the_api(client, owner):
    client.force_login(owner.user)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["business"]["id"] == str(owner.business_id)


def test_session_writes_need_csrf(owner):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(owner.user)
    response = api.patch("/api/v1/business/", {"name": "X"}, format="json")
    assert_error(response, 403)


def test_a_user_without_membership_is_403(db):
    from tests.factories import UserFactory

    client = APIClient()
    client.force_login(UserFactory())
    assert_error(client.get("/api/v1/me/"), 403)


def test_deactivated_member_token_is_401(owner, member_factory):
    member = member_factory()
    api = api_client_for(member)
    assert api.get("/api/v1/me/").status_code == 200
    from hanout.accounts.services import employee_set_active

    employee_set_active(actor_membership=owner, membership=member, active=False)
    assert_error(api.get("/api/v1/me/"), 401)


# --- the error shape -----------------------------------------------------------------------


def test_error_shape_400_names_the_field(owner_api):
    error = assert_error(
        owner_api.post("/api/v1/shops/", {"time_zone": "Europe/Brussels"}, format="json"),
        400,
        "invalid",
        "name",
    )
    assert error["message"].startswith("name:")


def test_error_shape_403(owner, member_factory):
    from hanout.core.permissions import Role

    cashier = member_factory(role=Role.CASHIER)
    error = assert_error(api_client_for(cashier).get("/api/v1/shops/"), 403, "permission_denied")
    assert "Settings" in error["message"]


def test_error_shape_404_and_405(owner_api, owner):
    assert_error(
        owner_api.get("/api/v1/shops/01a2ffff-0000-7000-8000-000000000000/"), 404, "not_found"
    )
    shop = Shop.objects.for_business(owner.business).get()
    assert_error(owner_api.delete(f"/api/v1/shops/{shop.pk}/"), 405, "method_not_allowed")
    assert Shop.objects.filter(pk=shop.pk).exists()


def test_error_shape_409(owner_api, owner):
    error = assert_error(
        owner_api.post(f"/api/v1/members/{owner.pk}/deactivate/", {}, format="json"),
        409,
        "conflict",
    )
    assert "yourself" in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/shops/not-a-uuid/",
        "/api/v1/shops/123/",
        "/api/v1/members/zzz/",
        "/api/v1/audit/01a2/",
        "/api/v1/permission-requests/%20/",
        "/api/v1/shops/x/opening-hours/",
        "/api/v1/no-such-thing/",
        "/api/v1/shops/a.b/",
    ],
)
def test_malformed_ids_and_unknown_paths_are_404_in_the_error_shape(owner_api, path):
    assert_error(owner_api.get(path), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/members/zzz/deactivate/",
        "/api/v1/members/01a2/set-pin/",
        "/api/v1/permission-requests/nope/accept/",
    ],
)
def test_malformed_ids_in_actions_are_404(owner_api, path):
    audits = AuditEntry.objects.count()
    assert_error(owner_api.post(path, {}, format="json"), 404, "not_found")
    assert_error(owner_api.delete("/api/v1/tokens/' OR 1=1 --/"), 404, "not_found")
    assert AuditEntry.objects.count() == audits


def test_unslashed_path_redirects_to_the_slashed_one(owner_api):
    response = owner_api.get("/api/v1/shops")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/shops/")


# --- bodies that are not what the endpoint expects --------------------------------------------


@pytest.mark.parametrize(
    "body", ["[]", "[1, 2]", '"text"', "42", "null", "true", "{", '{"name": }', "\x00"]
)
def test_json_that_is_not_an_object_is_400_and_writes_nothing(owner_api, body):
    shops, audits = Shop.objects.count(), AuditEntry.objects.count()
    response = owner_api.post("/api/v1/shops/", body, content_type="application/json")
    assert_error(response, 400)
    response = owner_api.patch("/api/v1/business/", body, content_type="application/json")
    assert_error(response, 400)
    assert (Shop.objects.count(), AuditEntry.objects.count()) == (shops, audits)


def test_unsupported_media_type_is_415_in_the_error_shape(owner_api):
    response = owner_api.post("/api/v1/shops/", "name=x", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_form_encoded_bodies_work_too(owner_api, owner):
    response = owner_api.post("/api/v1/shops/", {"name": "Annex", "time_zone": "Europe/Brussels"})
    assert response.status_code == 201, response.content


def test_wrong_types_are_400(owner_api):
    shops = Shop.objects.count()
    for body in [
        {"name": ["a"], "time_zone": "Europe/Brussels"},
        {"name": {"x": 1}, "time_zone": 5},
        {
            "name": "Ok",
            "time_zone": "Europe/Brussels",
            "phone": 12345678901234567890123456789012345,
        },
        {"name": "Ok", "time_zone": None},
    ]:
        assert_error(owner_api.post("/api/v1/shops/", body, format="json"), 400)
    assert Shop.objects.count() == shops


# --- cursor pagination ---------------------------------------------------------------------


def _fill_audit(business, n):
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                business=business,
                action="test.filler",
                object_type="test",
                object_id=str(i),
                at=now,
            )
            for i in range(n)
        ]
    )


def test_page_size_is_capped_at_200_and_next_links_walk_everything(owner_api, owner):
    _fill_audit(owner.business, 230)
    total = AuditEntry.objects.for_business(owner.business).count()
    response = owner_api.get("/api/v1/audit/", {"page_size": 100000})
    assert response.status_code == 200
    page = response.json()
    assert len(page["results"]) == 200
    assert page["next"] and page["previous"] is None
    seen = [e["id"] for e in page["results"]]
    while page["next"]:
        page = owner_api.get(page["next"]).json()
        seen += [e["id"] for e in page["results"]]
    assert len(seen) == len(set(seen)) == total


def test_default_page_size_and_bad_page_sizes_fall_back(owner_api, owner):
    _fill_audit(owner.business, 60)
    for size in [None, "abc", "0", "-5", "1e9", ""]:
        params = {} if size is None else {"page_size": size}
        response = owner_api.get("/api/v1/audit/", params)
        assert response.status_code == 200
        assert len(response.json()["results"]) == 50
    assert len(owner_api.get("/api/v1/audit/", {"page_size": 7}).json()["results"]) == 7


@pytest.mark.parametrize("cursor", ["nonsense", "cD0x", "cD1ub3QtYS11dWlk", "cj0xJnA9eA=="])
def test_a_cursor_the_server_did_not_make_is_400(owner_api, cursor):
    assert_error(owner_api.get("/api/v1/members/", {"cursor": cursor}), 400, "invalid", "cursor")


def test_schema_documents_the_error_shape(client):
    schema = json.loads(client.get("/api/schema/?format=json").content)
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses and "403" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in responses, (method, path)
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_every_response_says_how_long_the_server_took(client, db):
    response = client.get("/healthz")
    name, dur = response["Server-Timing"].split(";")
    assert name == "app"
    assert float(dur.removeprefix("dur=")) >= 0
