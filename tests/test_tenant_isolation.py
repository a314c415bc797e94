"""Tenant isolation for every API route, derived from the OpenAPI schema.

Two demo businesses: A ("Boulangerie Kaching") and B ("Alma7al"). With A's
owner token, every list route is read and A's ids collected; every list route
must return at least one object (so new routes need demo data). Then, with
B's owner token:

- no A id appears in anything B can read;
- every operation on a path naming an object (GET, PUT, PATCH, DELETE and each
  POST action), given A's ids, is a 404 in the error shape (never a 403), even
  with an empty body: the tenant check comes before validation;
- afterwards, everything A can read is exactly as before.

Nothing here names a route: a new endpoint is covered as soon as it is in the
schema and the demo data has an object for it. The one exception is the register
sign-in, whose credential is a paired device (a header), not a business's token:
the last tests prove another business's device never signs in one of A's people,
never signs them out, and never unpairs A's device.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from hanout.accounts.models import Membership
from hanout.core.models import Business
from hanout.core.permissions import Role
from hanout.demo import DEMO_PIN, load_demo
from hanout.pos.models import Register
from hanout.pos.services import device_pair
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/schema/?format=json"
# GET routes that answer one object, not a list (so "no demo data" does not apply).
SINGLETONS = {
    "/api/v1/business/",
    "/api/v1/me/",
    # Stock reports: one object each (their rows carry no object ids of their own).
    "/api/v1/stock/valuation/",
    "/api/v1/stock/restock-suggestions/",
    "/api/v1/customers/loyalty-rule/",
    "/api/v1/customers/growth/",
    "/api/v1/referrals/",
    "/api/v1/reports/dashboard/",
    "/api/v1/reports/sales/",
    "/api/v1/reports/top-products/",
    "/api/v1/reports/profit/",
    "/api/v1/reports/customers/",
    "/api/v1/reports/expenses/",
    "/api/v1/chat/settings/",
    "/api/v1/market/wallet/",
    "/api/v1/market/profile/",
    "/api/v1/market/profile/picture/",  # the business's own profile picture (a file)
    "/api/v1/market/analytics/",
}
# The marketplace's shop window: every business's published listings are public by design
# (src/hanout/marketplace/tests/test_api.py proves drafts and everything else stay private).
# Registering a store (step one) comes before there is any business or token.
PUBLIC = ("/api/v1/market/listings/", "/api/v1/signup/")
# The platform administrators' queues (is_staff, not a business's member): tested there too.
PLATFORM = ("/api/v1/market/admin/",)
# GETs that look up one object by one of several optional query parameters (400 without).
LOOKUPS = {"/api/v1/customers/lookup/"}
# Fields that may change by merely using the API (a token's last use; "now" in a report).
VOLATILE = {"last_used_at", "valued_at"}
# Parent objects tried per path parameter: enough to catch mistakes, fast with big demo data.
MAX_PARENTS = 3
MAX_PAGES = 20
PARAM = re.compile(r"\{([^}]+)\}")
METHODS = ("get", "put", "patch", "delete", "post")


def _owner_client(name: str):
    business = Business.objects.get(name=name)
    owner = Membership.objects.filter(business=business, role=Role.OWNER, is_active=True).first()
    return api_client_for(owner)


def _resolve(schema: dict, node: dict | None) -> dict:
    while node and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
    return node or {}


def _is_list(schema: dict, operation: dict) -> bool:
    ok = operation["responses"].get("200", {})
    body = _resolve(schema, ok.get("content", {}).get("application/json", {}).get("schema"))
    return body.get("type") == "array" or "results" in body.get("properties", {})


def _items(body) -> list:
    return body if isinstance(body, list) else body["results"]


def _ids(value) -> set[str]:
    """Every value under an "id" key, however deep."""
    out: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and isinstance(item, str | int):
                out.add(str(item))
            else:
                out |= _ids(item)
    elif isinstance(value, list):
        for item in value:
            out |= _ids(item)
    return out


def _stable(value):
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


class Walker:
    """Reads the API as one business, following the schema."""

    def __init__(self, schema: dict, client):
        self.schema = schema
        self.client = client
        self.lists: dict[str, dict[str, list]] = {}  # template → {concrete path: items}
        self.items: dict[str, list] = {}  # concrete list path → its items
        self.bodies: dict[str, object] = {}  # concrete path → the body of its GET

    def get(self, path: str):
        response = self.client.get(path)
        assert response.status_code == 200, (
            f"GET {path}: {response.status_code} {response.content[:300]!r}"
        )
        if not response["Content-Type"].startswith("application/json"):
            # A file (a picture): compared by size; its ids are in the URL, not the body.
            content = (
                b"".join(response.streaming_content) if response.streaming else response.content
            )
            return {"file": response["Content-Type"], "bytes": len(content)}
        return response.json()

    def enum(self, template: str, name: str) -> list[str] | None:
        """The values a path parameter may take when the schema lists them (`thumb|full`)."""
        for operation in self.schema["paths"].get(template, {}).values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") == "path" and parameter.get("name") == name:
                    return parameter.get("schema", {}).get("enum")
        return None

    def read_list(self, path: str) -> list:
        body = self.get(path)
        items, pages = list(_items(body)), [body]
        url = body.get("next") if isinstance(body, dict) else None
        while url and len(pages) < MAX_PAGES:
            page = self.get(url)
            pages.append(page)
            items += _items(page)
            url = page.get("next")
        self.bodies[path] = pages
        self.items[path] = items
        return items

    def concrete(self, template: str, schema_path: str | None = None) -> Iterator[str]:
        """The template with its parameters filled from this business's parent lists."""
        schema_path = schema_path or template
        match = PARAM.search(template)
        if not match:
            yield template
            return
        values = self.enum(schema_path, match.group(1))
        if values:
            for value in values:
                yield from self.concrete(
                    template[: match.start()] + value + template[match.end() :], schema_path
                )
            return
        parent = template[: match.start()]  # earlier parameters are filled already
        assert parent in self.items, (
            f"cannot fill {{{match.group(1)}}} in {template}: {parent} is not a list route"
        )
        for item in self.items[parent][:MAX_PARENTS]:
            yield from self.concrete(
                parent + str(item["id"]) + template[match.end() :], schema_path
            )

    def walk(self, list_templates: list[str], singletons: list[str]) -> None:
        for template in sorted(list_templates, key=lambda t: (t.count("{"), t)):
            self.lists[template] = {path: self.read_list(path) for path in self.concrete(template)}
        for path in singletons:
            self.bodies[path] = self.get(path)

    def all_ids(self) -> set[str]:
        return _ids(list(self.bodies.values()))


@pytest.fixture
def schema(client) -> dict:
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    return json.loads(response.content)


def _needs_query(operation: dict) -> bool:
    """A GET that cannot answer without a required query parameter (a lookup, not a list)."""
    return any(
        p.get("in") == "query" and p.get("required") for p in operation.get("parameters", [])
    )


def _routes(schema: dict):
    lists, singletons, object_ops = [], [], []
    for path, operations in schema["paths"].items():
        if path.startswith(PUBLIC + PLATFORM):
            continue
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            has_params = bool(PARAM.search(path))
            if method == "get" and not has_params and (_needs_query(operation) or path in LOOKUPS):
                continue  # e.g. products/lookup/?code=: nothing to walk without a value
            if method == "get" and _is_list(schema, operation):
                lists.append(path)
            elif method == "get" and not has_params:
                assert path in SINGLETONS, (
                    f"GET {path} answers neither a list nor an allow-listed singleton: "
                    "add it to SINGLETONS in tests/test_tenant_isolation.py if it is one object"
                )
                singletons.append(path)
            if has_params:
                object_ops.append((method, path))
    return lists, singletons, object_ops


def test_every_route_keeps_tenants_apart(schema):
    load_demo()
    a_client, b_client = _owner_client("Boulangerie Kaching"), _owner_client("Alma7al")
    lists, singletons, object_ops = _routes(schema)
    assert lists and object_ops

    # A reads everything; every list has demo data.
    a = Walker(schema, a_client)
    a.walk(lists, singletons)
    for template, pages in a.lists.items():
        assert any(pages.values()), f"add demo data for {template} (the demo business A has none)"
    # Every object route answers A for A's own objects.
    for method, template in object_ops:
        if method == "get" and template not in lists:
            for path in a.concrete(template):
                a.bodies[path] = a.get(path)
    a_ids = a.all_ids()
    assert a_ids
    before = _stable(a.bodies)

    # B never sees an A id in anything B can read.
    b = Walker(schema, b_client)
    b.walk(lists, singletons)
    for path, body in b.bodies.items():
        text = json.dumps(body)
        leaked = [i for i in a_ids if i in text]
        assert not leaked, f"GET {path} as B shows A's ids {leaked[:3]}"

    # B reaching for A's objects by id: 404 for every method, before any validation.
    tried = 0
    for method, template in object_ops:
        for path in a.concrete(template):
            call = getattr(b_client, method)
            response = (
                call(path, {}, format="json") if method in ("put", "patch", "post") else call(path)
            )
            assert response.status_code == 404, (
                f"{method.upper()} {path} with A's id as B: {response.status_code}, not 404 "
                f"{response.content[:300]!r}"
            )
            error = response.json()["error"]
            assert error["code"] and error["message"] and "fields" in error
            tried += 1
    assert tried >= len(object_ops)

    # Nothing of A's changed.
    after = Walker(schema, a_client)
    after.walk(lists, singletons)
    for method, template in object_ops:
        if method == "get" and template not in lists:
            for path in after.concrete(template):
                after.bodies[path] = after.get(path)
    assert _stable(after.bodies) == before


DEVICE_SIGN_IN = "/api/v1/register-devices/sign-in/"
DEVICE_SIGN_OUT = "/api/v1/register-devices/sign-out/"
DEVICE_FORGET = "/api/v1/register-devices/forget/"


def _device_of(business: Business) -> str:
    """The raw token of a computer newly paired as the business's first register."""
    owner = Membership.objects.get(business=business, role=Role.OWNER, is_active=True)
    register = Register.objects.for_business(business).order_by("created_at").first()
    _, raw = device_pair(register=register, actor=owner.user, label="tenant matrix")
    return raw


def _device_sign_in(raw: str, code: str):
    from rest_framework.test import APIClient

    return APIClient().post(
        DEVICE_SIGN_IN, {"code": code, "pin": DEMO_PIN}, format="json", HTTP_X_REGISTER_DEVICE=raw
    )


def test_another_business_device_never_signs_in_our_people():
    from django.core.cache import cache

    from hanout.accounts.models import ApiToken

    load_demo()
    a, b = Business.objects.get(name="Boulangerie Kaching"), Business.objects.get(name="Alma7al")
    b_device = _device_of(b)
    b_members = {
        str(pk) for pk in Membership.objects.filter(business=b).values_list("pk", flat=True)
    }
    a_people = Membership.objects.filter(business=a, is_active=True).exclude(employee_code="")
    assert a_people.count() >= 3
    tokens_of_a = ApiToken.objects.filter(membership__business=a).count()
    for member in a_people:
        cache.clear()  # no pause after wrong tries: every code gets its own answer
        response = _device_sign_in(b_device, member.employee_code)
        # B's own person with the same code may sign in (the demo reuses codes), never A's.
        assert response.status_code in (200, 400, 403), response.content
        if response.status_code == 200:
            assert response.json()["member"]["id"] in b_members, response.content
    assert ApiToken.objects.filter(membership__business=a).count() == tokens_of_a


def test_another_business_device_does_not_sign_out_our_token():
    from rest_framework.test import APIClient

    load_demo()
    a, b = Business.objects.get(name="Boulangerie Kaching"), Business.objects.get(name="Alma7al")
    a_device, b_device = _device_of(a), _device_of(b)
    owner_code = Membership.objects.get(business=a, role=Role.OWNER).employee_code
    signed_in = _device_sign_in(a_device, owner_code)  # owners get in at any hour
    assert signed_in.status_code == 200, signed_in.content
    till = APIClient()
    till.credentials(HTTP_AUTHORIZATION=f"Token {signed_in.json()['token']}")

    response = till.post(DEVICE_SIGN_OUT, HTTP_X_REGISTER_DEVICE=b_device)

    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert till.get("/api/v1/sales/").status_code == 200


def test_neither_another_business_nor_its_device_unpairs_our_device():
    from rest_framework.test import APIClient

    from hanout.pos.models import RegisterDevice

    load_demo()
    a, b = Business.objects.get(name="Boulangerie Kaching"), Business.objects.get(name="Alma7al")
    a_device, b_device = _device_of(a), _device_of(b)

    # B's owner token is no device credential; B's device forgets itself, and only itself.
    refused = _owner_client("Alma7al").post(DEVICE_FORGET)
    assert refused.status_code == 401, refused.content
    assert APIClient().post(DEVICE_FORGET, HTTP_X_REGISTER_DEVICE=b_device).status_code == 204

    assert not RegisterDevice.objects.filter(business=a, revoked_at__isnull=False).exists()
    assert RegisterDevice.objects.filter(business=b, revoked_at__isnull=False).count() == 1
    owner_code = Membership.objects.get(business=a, role=Role.OWNER).employee_code
    assert _device_sign_in(a_device, owner_code).status_code == 200
