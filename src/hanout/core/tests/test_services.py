"""Business settings, shops, opening hours and the audit log's immutability."""

from datetime import UTC, datetime, time

import pytest
from django.db import DatabaseError, connection, transaction

from hanout.core import services
from hanout.core.errors import ValidationFailed
from hanout.core.models import AuditEntry, ImmutableRecord, OpeningHours, Shop

pytestmark = pytest.mark.django_db


def week(opens=time(8), closes=time(18), closed=()):
    return [
        {"weekday": d, "opens_at": opens, "closes_at": closes, "is_closed": d in closed}
        for d in range(7)
    ]


def test_registering_creates_a_shop_with_default_hours_and_an_audit_row(owner):
    shop = Shop.objects.for_business(owner.business).get()
    hours = list(shop.opening_hours.all())
    assert len(hours) == 7
    assert [h.is_closed for h in hours] == [False] * 6 + [True]
    entry = AuditEntry.objects.for_business(owner.business).get(action="business.register")
    assert entry.actor == owner.user
    assert entry.changes["currency"] == [None, "EUR"]


def test_business_update_records_before_and_after(owner):
    business = owner.business
    services.business_update(
        business=business, actor=owner.user, data={"name": "Alpha Bakery & Café", "currency": "EUR"}
    )
    entry = AuditEntry.objects.for_business(business).filter(action="business.update").get()
    assert entry.changes == {"name": ["Alpha Bakery", "Alpha Bakery & Café"]}


@pytest.mark.parametrize(
    "data,field",
    [
        ({"currency": "EURO"}, "currency"),
        ({"country": "XX"}, "country"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
    ],
)
def test_business_update_refuses_bad_values_and_changes_nothing(owner, data, field):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.business_update(business=owner.business, actor=owner.user, data=data)
    assert field in err.value.fields
    owner.business.refresh_from_db()
    assert owner.business.name == "Alpha Bakery" and owner.business.currency == "EUR"
    assert AuditEntry.objects.count() == before


def test_shop_with_an_unknown_time_zone_is_refused(owner):
    with pytest.raises(ValidationFailed) as err:
        services.shop_create(
            business=owner.business, actor=owner.user, name="Second", time_zone="Mars/Olympus"
        )
    assert "time_zone" in err.value.fields
    assert Shop.objects.for_business(owner.business).count() == 1


def test_opening_hours_replace_the_week_and_are_audited(owner):
    shop = Shop.objects.for_business(owner.business).get()
    services.opening_hours_set(shop=shop, actor=owner.user, hours=week(time(6), time(18)))
    assert {(h.opens_at, h.closes_at, h.is_closed) for h in shop.opening_hours.all()} == {
        (time(6), time(18), False)
    }
    entry = AuditEntry.objects.for_business(owner.business).get(action="shop.hours_update")
    assert entry.changes["monday.opens_at"] == ["08:00:00", "06:00:00"]
    assert entry.changes["sunday.is_closed"] == [True, False]


@pytest.mark.parametrize(
    "hours",
    [
        week()[:6],
        week() + [week()[0]],
        [dict(h, opens_at=time(9), closes_at=time(9)) for h in week()],
    ],
    ids=["six days", "a day twice", "opens when it closes"],
)
def test_bad_opening_hours_change_nothing(owner, hours):
    shop = Shop.objects.for_business(owner.business).get()
    before = list(
        OpeningHours.objects.filter(shop=shop).values_list(
            "weekday", "opens_at", "closes_at", "is_closed"
        )
    )
    with pytest.raises(ValidationFailed):
        services.opening_hours_set(shop=shop, actor=owner.user, hours=hours)
    after = list(
        OpeningHours.objects.filter(shop=shop).values_list(
            "weekday", "opens_at", "closes_at", "is_closed"
        )
    )
    assert before == after


def test_is_open_reads_the_shops_own_time_zone(owner):
    shop = Shop.objects.for_business(owner.business).get()  # Europe/Brussels
    services.opening_hours_set(
        shop=shop, actor=owner.user, hours=week(time(6), time(18), closed=(6,))
    )
    # Wednesday 2026-11-25 05:30 UTC is 06:30 in Brussels (UTC+1): open.
    assert shop.is_open_at(datetime(2026, 11, 25, 5, 30, tzinfo=UTC))
    # 17:30 UTC is 18:30 in Brussels: closed.
    assert not shop.is_open_at(datetime(2026, 11, 25, 17, 30, tzinfo=UTC))
    # Sunday is closed all day.
    assert not shop.is_open_at(datetime(2026, 11, 29, 11, 0, tzinfo=UTC))


def test_hours_past_midnight_belong_to_the_day_they_start(owner):
    shop = Shop.objects.for_business(owner.business).get()
    hours = week(time(18), time(2), closed=(0,))  # night shop, closed on Monday nights
    services.opening_hours_set(shop=shop, actor=owner.user, hours=hours)
    # Saturday 2026-11-28 01:00 Brussels = 00:00 UTC: Friday night's opening.
    assert shop.is_open_at(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))
    # Tuesday 01:00 Brussels: Monday night is closed.
    assert not shop.is_open_at(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    assert not shop.is_open_at(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))


def test_audit_entries_cannot_be_changed_or_deleted_through_the_application(owner):
    entry = AuditEntry.objects.for_business(owner.business).first()
    with pytest.raises(ImmutableRecord):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(ImmutableRecord):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.action = "tampered"
    with pytest.raises(ImmutableRecord):
        entry.save()
    with pytest.raises(ImmutableRecord):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "business.register"


def test_the_database_refuses_to_update_an_audit_row(owner):
    entry = AuditEntry.objects.for_business(owner.business).first()
    table = AuditEntry._meta.db_table
    pk = entry.pk.hex if connection.vendor == "sqlite" else str(entry.pk)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", ["tampered", pk])  # noqa: S608
    assert AuditEntry.objects.get(pk=entry.pk).action == "business.register"


def test_uuid7_keys_sort_by_creation_time(owner):
    from hanout.core.ids import uuid7

    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids)
    assert all(u.version == 7 for u in ids)
    assert len(set(ids)) == len(ids)


def test_the_operator_admin_shows_audit_entries_read_only(admin_client, owner):
    entry = AuditEntry.objects.for_business(owner.business).first()
    assert admin_client.get("/django-admin/core/auditentry/").status_code == 200
    page = admin_client.get(f"/django-admin/core/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        admin_client.post(
            f"/django-admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
