"""The business, its shops and opening hours, and the audit log through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hanout.core.models import AuditEntry, Business, OpeningHours, Shop
from tests.fixtures import api_client_for
from tests.test_api_common import assert_error

pytestmark = pytest.mark.django_db

WEEK = [
    {"weekday": d, "opens_at": "07:30", "closes_at": "19:00", "is_closed": d == 6} for d in range(7)
]


def counts():
    return (
        Business.objects.count(),
        Shop.objects.count(),
        OpeningHours.objects.count(),
        AuditEntry.objects.count(),
    )


# --- business ----------------------------------------------------------------------------


def test_get_and_patch_the_current_business(owner_api, owner):
    body = owner_api.get("/api/v1/business/").json()
    assert body["id"] == str(owner.business_id)
    assert body["name"] == "Alpha Bakery" and body["currency"] == "EUR"
    # The zone its days and times are read in (the desktop app shows times in it).
    assert body["time_zone"] == "Europe/Brussels"
    assert owner_api.get("/api/v1/me/").json()["business"]["time_zone"] == "Europe/Brussels"

    response = owner_api.patch(
        "/api/v1/business/", {"name": "Alpha & Sons", "default_language": "fr"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Alpha & Sons"
    owner.business.refresh_from_db()
    assert owner.business.default_language == "fr"
    entry = AuditEntry.objects.for_business(owner.business).filter(action="business.update").get()
    assert entry.changes["name"] == ["Alpha Bakery", "Alpha & Sons"]


def test_business_put_and_delete_are_405(owner_api):
    assert_error(owner_api.put("/api/v1/business/", {}, format="json"), 405)
    assert_error(owner_api.delete("/api/v1/business/"), 405)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"currency": "EURO"}, "currency"),
        ({"currency": "ZZZ"}, "currency"),
        ({"currency": "eu"}, "currency"),
        ({"country": "XY"}, "country"),
        ({"country": 32}, "country"),
        ({"default_language": "tlh"}, "default_language"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": None}, "name"),
        ({"name": "nul\x00byte"}, "name"),
    ],
)
def test_business_bad_input_is_400_and_changes_nothing(owner_api, owner, body, field):
    before = counts()
    error = assert_error(
        owner_api.patch("/api/v1/business/", body, format="json"), 400, "invalid", field
    )
    assert field in error["message"]
    assert counts() == before
    owner.business.refresh_from_db()
    assert (owner.business.name, owner.business.currency, owner.business.country) == (
        "Alpha Bakery",
        "EUR",
        "BE",
    )


def test_unknown_fields_are_ignored(owner_api, owner):
    response = owner_api.patch("/api/v1/business/", {"is_active": False, "id": "x"}, format="json")
    assert response.status_code == 200
    owner.business.refresh_from_db()
    assert owner.business.is_active


# --- shops -------------------------------------------------------------------------------------


def test_shop_create_list_retrieve_update(owner_api, owner):
    response = owner_api.post(
        "/api/v1/shops/",
        {
            "name": "Annex",
            "time_zone": "Europe/Paris",
            "address": "Rue 1",
            "phone": "+32 2 123 45 67",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    shop = response.json()
    assert shop["name"] == "Annex" and shop["is_active"] is True
    assert OpeningHours.objects.filter(shop_id=shop["id"]).count() == 7

    listed = owner_api.get("/api/v1/shops/").json()["results"]
    assert {s["name"] for s in listed} == {"Alpha Bakery 1 main", "Annex"} or len(listed) == 2

    assert owner_api.get(f"/api/v1/shops/{shop['id']}/").json()["address"] == "Rue 1"

    response = owner_api.patch(f"/api/v1/shops/{shop['id']}/", {"is_active": False}, format="json")
    assert response.status_code == 200 and response.json()["is_active"] is False

    response = owner_api.put(
        f"/api/v1/shops/{shop['id']}/",
        {"name": "Annex 2", "time_zone": "Europe/Brussels"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Annex 2"
    actions = set(AuditEntry.objects.filter(object_id=shop["id"]).values_list("action", flat=True))
    assert actions == {"shop.create", "shop.update"}


def test_put_needs_the_whole_shop(owner_api, owner):
    shop = Shop.objects.for_business(owner.business).get()
    assert_error(
        owner_api.put(f"/api/v1/shops/{shop.pk}/", {"name": "Only a name"}, format="json"),
        400,
        "invalid",
        "time_zone",
    )


@pytest.mark.parametrize(
    "body, field",
    [
        ({"time_zone": "Europe/Brussels"}, "name"),
        ({"name": "N"}, "time_zone"),
        ({"name": "N", "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"name": "N", "time_zone": "../../etc/passwd"}, "time_zone"),
        ({"name": "N" * 121, "time_zone": "Europe/Brussels"}, "name"),
        ({"name": "N", "time_zone": "Europe/Brussels", "address": "a" * 501}, "address"),
        ({"name": "N", "time_zone": "Europe/Brussels", "phone": "1" * 33}, "phone"),
        ({"name": "N", "time_zone": ["Europe/Brussels"]}, "time_zone"),
    ],
)
def test_shop_bad_input_is_400_and_writes_nothing(owner_api, body, field):
    before = counts()
    assert_error(owner_api.post("/api/v1/shops/", body, format="json"), 400, "invalid", field)
    assert counts() == before


def test_duplicate_shop_name_is_400(owner_api, owner):
    name = Shop.objects.for_business(owner.business).get().name
    before = counts()
    error = assert_error(
        owner_api.post(
            "/api/v1/shops/", {"name": name, "time_zone": "Europe/Brussels"}, format="json"
        ),
        400,
    )
    assert "already exists" in error["message"]
    assert counts() == before


def test_opening_hours_get_and_put(owner_api, owner):
    shop = Shop.objects.for_business(owner.business).get()
    hours = owner_api.get(f"/api/v1/shops/{shop.pk}/opening-hours/").json()
    assert [h["weekday"] for h in hours] == list(range(7))
    assert hours[6]["is_closed"] is True

    week = [dict(h) for h in WEEK]
    week[4] = {
        "weekday": 4,
        "opens_at": "18:00",
        "closes_at": "02:00",
        "is_closed": False,
    }  # past midnight
    response = owner_api.put(f"/api/v1/shops/{shop.pk}/opening-hours/", week, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body[0]["opens_at"] == "07:30:00" and body[4]["closes_at"] == "02:00:00"
    assert OpeningHours.objects.filter(shop=shop).count() == 7
    assert AuditEntry.objects.filter(action="shop.hours_update", object_id=str(shop.pk)).exists()


@pytest.mark.parametrize(
    "mutate",
    [
        lambda w: w[:6],  # six days
        lambda w: [*w, w[0]],  # eight rows
        lambda w: [*w[:6], {**w[0]}],  # Monday twice, no Sunday
        lambda w: [{**w[0], "weekday": 7}, *w[1:]],
        lambda w: [{**w[0], "opens_at": "25:00"}, *w[1:]],
        lambda w: [{**w[0], "opens_at": "09:00", "closes_at": "09:00"}, *w[1:]],  # empty day
        lambda w: [{**w[0], "weekday": "monday"}, *w[1:]],
        lambda w: [{k: v for k, v in w[0].items() if k != "opens_at"}, *w[1:]],
        lambda w: {"hours": w},  # an object, not the list
        lambda w: [None] * 7,
        lambda w: "monday",
    ],
)
def test_opening_hours_bad_input_is_400_and_changes_nothing(owner_api, owner, mutate):
    shop = Shop.objects.for_business(owner.business).get()
    before = list(
        OpeningHours.objects.filter(shop=shop).values_list(
            "weekday", "opens_at", "closes_at", "is_closed"
        )
    )
    audits = AuditEntry.objects.count()
    response = owner_api.put(
        f"/api/v1/shops/{shop.pk}/opening-hours/", mutate([dict(h) for h in WEEK]), format="json"
    )
    assert_error(response, 400, "invalid")
    after = list(
        OpeningHours.objects.filter(shop=shop).values_list(
            "weekday", "opens_at", "closes_at", "is_closed"
        )
    )
    assert after == before and AuditEntry.objects.count() == audits


def test_another_business_shop_is_404_for_reads_and_writes(owner_api, other_owner):
    shop = Shop.objects.for_business(other_owner.business).get()
    before = (shop.name, shop.updated_at)
    assert_error(owner_api.get(f"/api/v1/shops/{shop.pk}/"), 404)
    assert_error(owner_api.patch(f"/api/v1/shops/{shop.pk}/", {"name": "Mine"}, format="json"), 404)
    assert_error(owner_api.put(f"/api/v1/shops/{shop.pk}/opening-hours/", WEEK, format="json"), 404)
    shop.refresh_from_db()
    assert (shop.name, shop.updated_at) == before


# --- audit ---------------------------------------------------------------------------------


def test_audit_list_filters_and_retrieve(owner_api, owner, member_factory):
    member = member_factory()
    owner_api.post(
        "/api/v1/shops/", {"name": "Annex", "time_zone": "Europe/Brussels"}, format="json"
    )
    entries = owner_api.get("/api/v1/audit/").json()["results"]
    assert {"shop.create", "employee.create", "business.register"} <= {e["action"] for e in entries}

    shops = owner_api.get("/api/v1/audit/", {"action": "shop."}).json()["results"]
    assert shops and all(e["action"].startswith("shop.") for e in shops)

    by_type = owner_api.get("/api/v1/audit/", {"object_type": "accounts.membership"}).json()[
        "results"
    ]
    assert by_type and all(e["object_type"] == "accounts.membership" for e in by_type)

    by_object = owner_api.get("/api/v1/audit/", {"object_id": str(member.pk)}).json()["results"]
    assert [e["action"] for e in by_object] == ["employee.create"]

    by_actor = owner_api.get("/api/v1/audit/", {"actor": str(owner.user_id)}).json()["results"]
    assert by_actor and all(e["actor"] == str(owner.user_id) for e in by_actor)

    found = owner_api.get("/api/v1/audit/", {"search": "Annex"}).json()["results"]
    assert [e["action"] for e in found] == ["shop.create"]

    future = (timezone.now() + timedelta(days=1)).isoformat()
    assert owner_api.get("/api/v1/audit/", {"since": future}).json()["results"] == []
    assert owner_api.get("/api/v1/audit/", {"until": future}).json()["results"]
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert owner_api.get("/api/v1/audit/", {"until": past}).json()["results"] == []

    one = owner_api.get(f"/api/v1/audit/{entries[0]['id']}/").json()
    assert one == entries[0]


def test_another_business_actor_filter_finds_nothing(owner_api, other_owner):
    assert (
        owner_api.get("/api/v1/audit/", {"actor": str(other_owner.user_id)}).json()["results"] == []
    )


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-13-45"}, "until"),
        ({"actor": "not-a-uuid"}, "actor"),
        ({"action": "a" * 65}, "action"),
        ({"search": "s" * 201}, "search"),
    ],
)
def test_audit_bad_filters_are_400(owner_api, params, field):
    assert_error(owner_api.get("/api/v1/audit/", params), 400, "invalid", field)


def test_audit_is_read_only(owner_api, owner):
    entry = AuditEntry.objects.for_business(owner.business).first()
    assert_error(owner_api.post("/api/v1/audit/", {}, format="json"), 405)
    assert_error(owner_api.delete(f"/api/v1/audit/{entry.pk}/"), 405)
    assert_error(owner_api.patch(f"/api/v1/audit/{entry.pk}/", {}, format="json"), 405)


def test_another_business_audit_entry_is_404(owner_api, other_owner):
    entry = AuditEntry.objects.for_business(other_owner.business).first()
    assert_error(owner_api.get(f"/api/v1/audit/{entry.pk}/"), 404)
    ids = {e["id"] for e in owner_api.get("/api/v1/audit/", {"page_size": 200}).json()["results"]}
    assert str(entry.pk) not in ids


def test_a_manager_reads_settings_but_cannot_change_them(owner, member_factory):
    from hanout.core.permissions import Role

    api = api_client_for(member_factory(role=Role.MANAGER))
    assert api.get("/api/v1/business/").status_code == 200
    assert api.get("/api/v1/audit/").status_code == 200
    error = assert_error(api.patch("/api/v1/business/", {"name": "Mine"}, format="json"), 403)
    assert "read-only" in error["message"]


def test_times_are_in_the_business_time_zone_with_a_token_as_with_a_session(owner):
    from rest_framework.test import APIClient

    from tests.fixtures import api_client_for

    by_token = api_client_for(owner).get("/api/v1/business/").json()["created_at"]
    session = APIClient()
    session.force_login(owner.user)
    by_session = session.get("/api/v1/business/").json()["created_at"]
    assert by_token == by_session
    from datetime import datetime
    from zoneinfo import ZoneInfo

    offset = datetime.fromisoformat(by_token).utcoffset()
    assert (
        offset
        == datetime.fromisoformat(by_token).astimezone(ZoneInfo("Europe/Brussels")).utcoffset()
    )
