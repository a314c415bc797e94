"""The sponsorship API: summary, sponsees, rewards, invite; 401/403/404/400/429."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hanout.accounts.services import module_access_set
from hanout.core import clock
from hanout.core.permissions import Level, Module, Role
from hanout.referrals import services
from hanout.referrals.models import ReferralInvitation, RewardEntry
from hanout.referrals.tests.helpers import programme, signed_in_now, sponsee_of
from tests.factories import make_business, make_member
from tests.fixtures import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sponsor():
    return make_business("API sponsor")


@pytest.fixture
def filled(sponsor):
    programme()
    active = sponsee_of(sponsor.business, name="Active shop", days_ago=31)
    signed_in_now(active)
    sponsee_of(sponsor.business, name="Quiet shop", days_ago=2)
    services.referral_rewards_accrue(today=clock.now().date())
    services.referral_fee_share_record(sponsee=active.sponsee, fee_amount="15", reference="M-1")
    return active


def test_summary_gives_code_link_totals_and_programme(sponsor, filled, settings):
    body = api_client_for(sponsor).get("/api/v1/referrals/").json()
    code = services.referral_code_ensure(business=sponsor.business).code
    assert body["code"] == code
    assert body["link"] == f"{settings.HANOUT_PUBLIC_URL.rstrip('/')}/register/?ref={code}"
    assert body["totals"] == [{"currency": "EUR", "total": "51.50"}]
    assert (body["sponsees"], body["active_sponsees"]) == (2, 1)
    assert body["programme"]["fee_percent"] == "10.00"


def test_sponsees_and_rewards_lists(sponsor, filled):
    api = api_client_for(sponsor)
    sponsees = api.get("/api/v1/referrals/sponsees/").json()["results"]
    assert {(s["name"], s["is_active"]) for s in sponsees} == {
        ("Active shop", True),
        ("Quiet shop", False),
    }
    rewards = api.get("/api/v1/referrals/rewards/?page_size=1").json()
    assert len(rewards["results"]) == 1 and rewards["next"]
    second = api.get(rewards["next"]).json()["results"]
    kinds = {rewards["results"][0]["kind"], second[0]["kind"]}
    assert kinds == {"one_time", "fee_share"}
    entry = RewardEntry.objects.get(kind="fee_share")
    one = api.get(f"/api/v1/referrals/rewards/{entry.pk}/").json()
    assert (one["amount"], one["currency"], one["sponsee"]) == ("1.50", "EUR", "Active shop")


def test_another_business_sees_nothing_of_it(sponsor, filled):
    other = api_client_for(make_business("Other API"))
    entry = RewardEntry.objects.first()
    assert other.get(f"/api/v1/referrals/rewards/{entry.pk}/").status_code == 404
    assert (
        other.get("/api/v1/referrals/rewards/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )
    assert other.get("/api/v1/referrals/sponsees/").json()["results"] == []
    assert other.get("/api/v1/referrals/rewards/").json()["results"] == []
    assert other.get("/api/v1/referrals/").json()["totals"] == []


def test_invite_sends_and_refuses_bad_input_and_the_daily_limit(sponsor, settings, mailoutbox):
    api = api_client_for(sponsor)
    response = api.post(
        "/api/v1/referrals/invite/", {"email": "x@shop.example", "message": "Hi"}, format="json"
    )
    assert response.status_code == 201 and response.json()["email"] == "x@shop.example"
    bad = api.post("/api/v1/referrals/invite/", {"email": "nope"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()["error"]["fields"]
    long = api.post(
        "/api/v1/referrals/invite/",
        {"email": "y@shop.example", "message": "x" * 1001},
        format="json",
    )
    assert long.status_code == 400 and "message" in long.json()["error"]["fields"]
    settings.HANOUT_REFERRAL_INVITES_PER_DAY = 1
    limited = api.post("/api/v1/referrals/invite/", {"email": "z@shop.example"}, format="json")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert ReferralInvitation.objects.count() == 1


def test_unauthenticated_is_401_and_no_access_is_403_and_read_only_cannot_invite(sponsor):
    assert APIClient().get("/api/v1/referrals/").status_code == 401
    staff = make_member(sponsor, role=Role.STAFF)  # no access to sponsorship by default
    assert api_client_for(staff).get("/api/v1/referrals/").status_code == 403
    manager = make_member(sponsor, role=Role.MANAGER)
    module_access_set(
        actor_membership=sponsor, membership=manager, levels={Module.SPONSORSHIP: Level.READ}
    )
    api = api_client_for(manager)
    assert api.get("/api/v1/referrals/").status_code == 200
    response = api.post("/api/v1/referrals/invite/", {"email": "x@shop.example"}, format="json")
    assert response.status_code == 403 and not ReferralInvitation.objects.exists()


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/referrals/",
        "/api/v1/referrals/sponsees/",
        "/api/v1/referrals/rewards/",
        "/api/v1/referrals/rewards/{entry_id}/",
        "/api/v1/referrals/invite/",
    ):
        assert path in paths, path
    summary = paths["/api/v1/referrals/"]["get"]["responses"]["200"]["content"]
    assert summary["application/json"]["schema"] == {"$ref": "#/components/schemas/ReferralSummary"}
    invite = paths["/api/v1/referrals/invite/"]["post"]["responses"]
    assert {"201", "400", "403", "429"} <= set(invite)
