"""The sponsor page and registering through a sponsor's link, page by page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from hanout.accounts.models import Membership, User
from hanout.accounts.services import module_access_set
from hanout.core import clock
from hanout.core.models import Business
from hanout.core.permissions import Level, Module, Role
from hanout.referrals import services
from hanout.referrals.models import ReferralInvitation, Sponsorship
from hanout.referrals.tests.helpers import programme, signed_in_now, sponsee_of
from tests.factories import make_business, make_member

pytestmark = pytest.mark.django_db

STORE = {
    "name": "Épicerie du Parrain",
    "currency": "EUR",
    "country": "BE",
    "time_zone": "Europe/Brussels",
    "shop_name": "",
    "address": "",
    "language": "fr",
}
MANAGER = {
    "full_name": "Nadia Amrani",
    "email": "nadia@parrain.example",
    "phone": "",
    "password1": "a-long-Secret-42",
    "password2": "a-long-Secret-42",
}


@pytest.fixture
def sponsor():
    return make_business("Sponsor bakery")


def _code(membership) -> str:
    return services.referral_code_ensure(business=membership.business).code


# --- registration ------------------------------------------------------------------------------


def test_a_shop_registers_through_the_sponsors_link_in_two_steps(client, sponsor):
    code = _code(sponsor)
    page = client.get(f"/register/?ref={code.lower()}")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="register-sponsor"' in html and "Sponsor bakery" in html
    assert f'value="{code.lower()}"' in html  # filled in; normalised when checked
    response = client.post("/register/", {**STORE, "referral_code": code.lower()})
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/"
    step_two = client.get("/accounts/signup/").content.decode()
    assert "Sponsor bakery" in step_two
    response = client.post("/accounts/signup/", MANAGER)
    assert response.status_code == 302, response.content.decode()[:2000]
    business = Business.objects.get(name="Épicerie du Parrain")
    s = Sponsorship.objects.get(sponsee=business)
    assert s.business == sponsor.business and s.code == code
    assert Membership.objects.get(business=business).user.email == "nadia@parrain.example"
    assert "hanout_register_referral" not in client.session


def test_registering_without_a_code_makes_no_sponsorship(client, sponsor):
    assert client.post("/register/", STORE).status_code == 302
    assert client.post("/accounts/signup/", MANAGER).status_code == 302
    assert Business.objects.filter(name=STORE["name"]).exists()
    assert not Sponsorship.objects.exists()


def test_an_unknown_code_is_a_form_error_not_a_crash(client, sponsor):
    page = client.get("/register/?ref=NOSUCHCODE")
    assert page.status_code == 200 and 'id="register-unknown-ref"' in page.content.decode()
    response = client.post("/register/", {**STORE, "referral_code": "NOSUCHCODE"})
    html = response.content.decode()
    assert response.status_code == 200 and "This referral code is unknown" in html
    assert "hanout_register_store" not in client.session
    # The code disappears between the two steps (the sponsor was closed): step two says so.
    code = _code(sponsor)
    assert client.post("/register/", {**STORE, "referral_code": code}).status_code == 302
    Business.objects.filter(pk=sponsor.business.pk).update(is_active=False)
    response = client.post("/accounts/signup/", MANAGER)
    assert (
        response.status_code == 200 and "This referral code is unknown" in response.content.decode()
    )
    assert not Business.objects.filter(name=STORE["name"]).exists()
    assert not User.objects.filter(email=MANAGER["email"]).exists()


# --- the sponsor page --------------------------------------------------------------------------


def _fill(sponsor, n=3):
    programme()
    rows = []
    for i in range(n):
        s = sponsee_of(sponsor.business, name=f"Sponsee shop {i}", days_ago=40)
        signed_in_now(s)
        services.referral_fee_share_record(sponsee=s.sponsee, fee_amount="20", reference=f"F{i}")
        rows.append(s)
    services.referral_rewards_accrue(today=clock.now().date())
    return rows


def test_the_sponsor_sees_code_link_sponsees_rewards_totals_and_chart(client, sponsor, settings):
    rows = _fill(sponsor, 2)
    quiet = sponsee_of(sponsor.business, name="Quiet shop")  # never signed in
    client.force_login(sponsor.user)
    response = client.get(reverse("referral_home"))
    html = response.content.decode()
    assert response.status_code == 200
    code = _code(sponsor)
    assert f'id="referral-code">{code}<' in html
    assert f'value="{settings.HANOUT_PUBLIC_URL.rstrip("/")}/register/?ref={code}"' in html
    assert 'data-copy-target="referral-link"' in html and "referrals/copy.js" in html
    assert "<script>" not in html.replace("<script id=", "")  # no inline script
    for s in [*rows, quiet]:
        assert s.sponsee.name in html
    assert html.count("text-bg-success") == 2 and "Inactive" in html
    assert html.count("Sponsee active for 30 days") == 2  # the one-time rewards, translated
    # 2 × 50 one-time + 2 × 2 fee share = 104
    assert "104,00\xa0€" in html or "104,00 €" in html  # English words, Belgian number format
    (chart,) = [c["spec"] for c in response.context["charts"]]
    assert 'id="rewards-chart-eur"' in html and 'data-chart="rewards-chart-eur"' in html
    assert chart["currency"] == "EUR" and len(chart["labels"]) == 12
    assert Decimal(chart["datasets"][0]["data"][-1]) == Decimal("104.00")
    assert 'id="invite-form"' in html


def test_the_page_query_count_does_not_grow_with_rows(
    client, sponsor, django_assert_max_num_queries
):
    client.force_login(sponsor.user)
    _fill(sponsor, 1)
    client.get(reverse("referral_home"))  # warm the code
    with django_assert_max_num_queries(12):
        assert client.get(reverse("referral_home")).status_code == 200
    _fill_more = [sponsee_of(sponsor.business, days_ago=3) for _ in range(6)]
    for s in _fill_more:
        services.referral_fee_share_record(sponsee=s.sponsee, fee_amount="9", reference="G")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("referral_home")).status_code == 200


def test_another_business_sees_only_its_own_sponsees(client, sponsor):
    _fill(sponsor, 1)
    other = make_business("Other grocer")
    client.force_login(other.user)
    html = client.get(reverse("referral_home")).content.decode()
    assert "Sponsee shop 0" not in html and "No sponsee yet" in html
    assert _code(sponsor) not in html


def test_a_read_only_member_sees_the_page_without_the_invite_form(client, sponsor, mailoutbox):
    _fill(sponsor, 1)
    manager = make_member(sponsor, role=Role.MANAGER)
    module_access_set(
        actor_membership=sponsor, membership=manager, levels={Module.SPONSORSHIP: Level.READ}
    )
    client.force_login(manager.user)
    html = client.get(reverse("referral_home")).content.decode()
    assert "Sponsee shop 0" in html and 'id="invite-form"' not in html
    response = client.post(reverse("referral_invite"), {"email": "x@y.example"})
    assert response.status_code == 403 and not ReferralInvitation.objects.exists()


def test_staff_without_access_do_not_see_sponsorship(client, sponsor):
    staff = make_member(sponsor, role=Role.STAFF)
    client.force_login(staff.user)
    assert client.get(reverse("referral_home")).status_code == 403
    assert reverse("referral_home") not in client.get("/").content.decode()
    client.force_login(sponsor.user)
    assert reverse("referral_home") in client.get(reverse("referral_home")).content.decode()


def test_inviting_from_the_page_sends_the_email_and_shows_errors_beside_the_field(
    client, sponsor, smtp_server, django_capture_on_commit_callbacks, settings
):
    client.force_login(sponsor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("referral_invite"), {"email": "friend@shop.example", "message": "Salut !"}
        )
    assert response.status_code == 302 and response["Location"] == reverse("referral_home")
    assert smtp_server.event.wait(10)
    assert smtp_server.messages[0]["To"] == "friend@shop.example"
    bad = client.post(reverse("referral_invite"), {"email": "nope"})
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode()
    settings.HANOUT_REFERRAL_INVITES_PER_DAY = 1
    limited = client.post(reverse("referral_invite"), {"email": "second@shop.example"})
    assert limited.status_code == 429 and "try again tomorrow" in limited.content.decode()
    assert ReferralInvitation.objects.count() == 1


def test_the_page_reads_right_to_left_in_arabic(client, sponsor):
    _fill(sponsor, 1)
    client.force_login(sponsor.user)
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("referral_home"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in html and 'id="referral-link"' in html and 'dir="ltr"' in html
