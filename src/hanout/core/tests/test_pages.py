"""Home, settings, shops and the history page, as a person uses them."""

import pytest
from django.urls import reverse

from hanout.accounts import services as accounts
from hanout.core.models import AuditEntry, Shop
from hanout.core.permissions import Level, Module, Role
from tests.fixtures import login

pytestmark = pytest.mark.django_db


def hours_post(prefix="hours", opens="07:00", closes="19:00", closed=(6,)):
    data = {
        f"{prefix}-TOTAL_FORMS": "7",
        f"{prefix}-INITIAL_FORMS": "7",
        f"{prefix}-MIN_NUM_FORMS": "7",
        f"{prefix}-MAX_NUM_FORMS": "7",
    }
    for d in range(7):
        data[f"{prefix}-{d}-weekday"] = str(d)
        data[f"{prefix}-{d}-opens_at"] = opens
        data[f"{prefix}-{d}-closes_at"] = closes
        if d in closed:
            data[f"{prefix}-{d}-is_closed"] = "on"
    return data


def shop_post(**extra):
    data = {
        "shop-name": "Second shop",
        "shop-address": "Main street 2",
        "shop-phone": "",
        "shop-time_zone": "Europe/Brussels",
    }
    data.update(hours_post())
    data.update(extra)
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client, owner):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_fresh_installation_sends_the_first_visitor_to_registration(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/register/"


def test_home_shows_the_business_shops_staff_and_recent_activity(client, owner, member_factory):
    member_factory(role=Role.CASHIER, full_name="Awa Diop")
    html = login(client, owner).get("/").content.decode()
    assert "Alpha Bakery" in html
    assert "Awa Diop" in html
    assert "Added an employee" in html  # recent activity, in words


def test_owner_adds_a_shop_with_its_opening_hours(client, owner):
    response = login(client, owner).post(reverse("shop_create"), shop_post())
    assert response.status_code == 302
    shop = Shop.objects.for_business(owner.business).get(name="Second shop")
    assert [h.is_closed for h in shop.opening_hours.all()] == [False] * 6 + [True]
    assert {h.opens_at.hour for h in shop.opening_hours.all()} == {7}


def test_bad_opening_hours_show_the_error_and_change_nothing(client, owner):
    shop = Shop.objects.for_business(owner.business).get()
    data = shop_post(**{"shop-name": shop.name})
    data.update(hours_post(opens="09:00", closes="09:00", closed=()))
    response = login(client, owner).post(reverse("shop_edit", args=[shop.pk]), data)
    assert response.status_code == 200
    assert "tick “Closed” instead" in response.content.decode()
    assert {h.opens_at.hour for h in shop.opening_hours.all()} == {8}


def test_garbage_in_the_shop_form_is_refused(client, owner):
    data = shop_post(**{"shop-time_zone": "Nowhere/Land", "hours-0-opens_at": "25:99"})
    response = login(client, owner).post(reverse("shop_create"), data)
    assert response.status_code == 200
    assert Shop.objects.for_business(owner.business).count() == 1


def test_another_business_shop_is_not_found(client, owner, other_owner):
    theirs = Shop.objects.for_business(other_owner.business).get()
    login(client, owner)
    assert client.get(reverse("shop_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("shop_edit", args=[theirs.pk]), shop_post()).status_code == 404


def test_a_manager_sees_settings_read_only(client, owner, member_factory):
    manager = member_factory(role=Role.MANAGER)
    login(client, manager)
    response = client.get(reverse("settings_business"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "read-only access to settings" in html
    assert 'name="currency"' not in html
    refused = client.post(
        reverse("settings_business"),
        {"name": "Hacked", "currency": "USD", "country": "US", "default_language": "en"},
    )
    assert refused.status_code == 403
    assert "read-only access to Settings" in refused.content.decode()
    owner.business.refresh_from_db()
    assert owner.business.name == "Alpha Bakery"


def test_a_cashier_cannot_open_settings_and_is_told_why(client, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    response = login(client, cashier).get(reverse("settings_business"))
    assert response.status_code == 403
    assert "no access to Settings" in response.content.decode()


def test_the_navigation_shows_only_allowed_modules(client, owner, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    html = login(client, cashier).get("/").content.decode()
    assert reverse("settings_business") not in html and reverse("staff_list") not in html
    accounts.module_access_set(
        actor_membership=owner, membership=cashier, levels={Module.STAFF: Level.READ}
    )
    html = client.get("/").content.decode()
    assert reverse("staff_list") in html


def test_history_is_searchable_and_filterable(client, owner, member_factory):
    member_factory(full_name="Zineb Tazi")
    login(client, owner)

    def actions(**query):
        return {e.action for e in client.get(reverse("audit_list"), query).context["page"].entries}

    assert actions(q="Zineb") == {"employee.create"}
    assert actions(action="business.register") == {"business.register"}
    assert "business.register" in actions(actor=str(owner.user.pk), date_from="2000-01-01")
    assert actions(date_to="2000-01-01") == set()


def test_history_shows_only_this_business(client, owner, other_owner):
    html = login(client, owner).get(reverse("audit_list")).content.decode()
    assert "Beta Grocer" not in html and "Alpha Bakery" in html


def test_history_partial_for_htmx_and_query_count_is_flat(
    client, owner, member_factory, django_assert_max_num_queries
):
    login(client, owner)
    for _ in range(5):
        member_factory()
    with django_assert_max_num_queries(12):
        small = client.get(reverse("audit_list"), HTTP_HX_REQUEST="true")
    for _ in range(30):
        member_factory()
    with django_assert_max_num_queries(12):
        big = client.get(reverse("audit_list"), HTTP_HX_REQUEST="true")
    assert "<html" not in small.content.decode() and "<table" in big.content.decode()


def test_history_pages_with_a_cursor(client, owner, member_factory, monkeypatch):
    monkeypatch.setattr("hanout.core.selectors.AUDIT_PAGE_SIZE", 10)
    for _ in range(12):
        member_factory()
    login(client, owner)
    total = AuditEntry.objects.for_business(owner.business).count()
    assert 10 < total <= 20
    first = client.get(reverse("audit_list"))
    cursor = first.context["page"].next_cursor
    assert cursor
    second = client.get(reverse("audit_list"), {"cursor": cursor})
    ids_first = {e.id for e in first.context["page"].entries}
    ids_second = {e.id for e in second.context["page"].entries}
    assert not ids_first & ids_second
    assert len(ids_first) + len(ids_second) == total
    assert client.get(reverse("audit_list"), {"cursor": "not-a-uuid"}).status_code == 200


def test_language_switch_is_remembered_on_the_profile(client, owner):
    login(client, owner)
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    assert response.status_code == 302
    owner.user.refresh_from_db()
    assert owner.user.language == "ar"
    html = client.get("/").content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    client.post(reverse("set_language"), {"language": "zgh", "next": "/"})
    html = client.get("/").content.decode()
    assert 'dir="ltr"' in html and 'lang="zgh"' in html


def test_business_default_language_applies_without_a_choice(client, other_owner):
    other_owner.user.language = ""
    other_owner.user.save(update_fields=["language"])
    html = login(client, other_owner).get("/").content.decode()
    assert 'dir="rtl"' in html


def test_a_change_made_on_a_page_is_audited_with_who_and_from_where(client, owner):
    login(client, owner).post(
        reverse("settings_business"),
        {"name": "Alpha Bakery Ltd", "currency": "EUR", "country": "BE", "default_language": "fr"},
        REMOTE_ADDR="203.0.113.9",
    )
    entry = AuditEntry.objects.for_business(owner.business).get(action="business.update")
    assert entry.actor == owner.user and entry.actor_label == owner.user.email
    assert entry.ip == "203.0.113.9"
    assert entry.changes == {
        "name": ["Alpha Bakery", "Alpha Bakery Ltd"],
        "default_language": ["en", "fr"],
    }


def test_someone_without_access_is_told_they_have_none_even_when_writing(client, member_factory):
    cashier = member_factory(role=Role.CASHIER)
    response = login(client, cashier).post(reverse("settings_business"), {"name": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "no access to Settings" in html and "read-only" not in html


def test_times_are_shown_in_the_business_time_zone(client, other_owner):
    """Stored in UTC; Alma7al (Beta Grocer here) lives in Africa/Casablanca."""
    from zoneinfo import ZoneInfo

    entry = AuditEntry.objects.for_business(other_owner.business).order_by("-at").first()
    local = entry.at.astimezone(ZoneInfo("Africa/Casablanca"))
    assert local.utcoffset().total_seconds() != 0  # the test means something
    html = login(client, other_owner).get(reverse("audit_list")).content.decode()
    assert f'datetime="{local.isoformat()}"' in html


def test_history_speaks_the_readers_language_with_the_code_beside(client, owner, member_factory):
    member_factory(full_name="Zineb Tazi", job_title="Boulangère")
    login(client, owner)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    html = client.get(reverse("audit_list"), {"q": "Zineb"}).content.decode()
    assert "employee.create" in html  # the code, for problem handling
    assert "Added an employee" not in html  # …and the sentence, translated
    assert "fonction:" in html.lower()  # the field's own name, translated


def test_a_form_left_open_for_another_business_saves_nothing(client, owner):
    """A person in two businesses switched business in another tab (hanout.js posts
    the business each form was shown for)."""
    from tests.factories import make_business

    second = make_business("Second Shop", owner=owner.user)
    login(client, owner)
    client.post(reverse("switch_business"), {"business": str(second.business_id)})
    data = {
        "name": "Renamed",
        "currency": "EUR",
        "country": "BE",
        "default_language": "en",
        "_business": str(owner.business_id),
    }
    response = client.post(reverse("settings_business"), data)
    assert response.status_code == 409
    assert "Nothing was saved" in response.content.decode()
    owner.business.refresh_from_db()
    second.business.refresh_from_db()
    assert (owner.business.name, second.business.name) == ("Alpha Bakery", "Second Shop")
    data["_business"] = str(second.business_id)
    assert client.post(reverse("settings_business"), data).status_code == 302
    second.business.refresh_from_db()
    assert second.business.name == "Renamed"


def test_history_names_the_changed_parts_of_a_product_including_its_barcodes(client, owner):
    from hanout.catalog import services as catalog

    catalog.product_create(
        business=owner.business,
        actor=owner.user,
        data={"name": "Café", "sale_price": "2.50", "barcodes": ["4829105637487"]},
    )
    response = login(client, owner).get(reverse("audit_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Café" in html and "barcodes" in html.lower()
