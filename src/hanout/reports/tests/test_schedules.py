"""Scheduled report emails: when they run (the shop's hour, across clock changes), which
period they cover, the email with the report attached through a real SMTP server, once
per period, and the page that manages them."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from hanout.core import clock
from hanout.core.errors import ValidationFailed
from hanout.core.models import AuditEntry, Shop
from hanout.core.permissions import Role
from hanout.inventory import services as inventory
from hanout.pos.tests.factories import make_till, open_session, sell
from hanout.reports.models import ReportSchedule
from hanout.reports.services_schedules import (
    next_run,
    period_for,
    schedule_create,
    schedules_send_due,
)
from tests.factories import make_member
from tests.fixtures import login

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Europe/Brussels")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(
    "frequency, after, expected",
    [
        ("daily", local(2026, 3, 17, 6, 59), local(2026, 3, 17, 7)),
        ("daily", local(2026, 3, 17, 7, 0), local(2026, 3, 18, 7)),
        # The night the clocks go forward: still 07:00 on the shop's clock.
        ("daily", local(2026, 3, 28, 20), local(2026, 3, 29, 7)),
        ("weekly", local(2026, 3, 17, 8), local(2026, 3, 23, 7)),  # the next Monday
        ("monthly", local(2026, 3, 17, 8), local(2026, 4, 1, 7)),
        ("monthly", local(2026, 12, 31, 23), local(2027, 1, 1, 7)),
    ],
)
def test_the_next_run_is_at_the_shops_hour(frequency, after, expected):
    got = next_run(frequency=frequency, hour=7, tz=TZ, after=after)
    assert got == expected and got.tzinfo == UTC
    if expected.date() == date(2026, 3, 29):
        assert got.hour == 5  # 07:00 summer time is 05:00 UTC


@pytest.mark.parametrize(
    "frequency, run_day, period",
    [
        ("daily", date(2026, 3, 17), (date(2026, 3, 16), date(2026, 3, 16))),
        ("weekly", date(2026, 3, 23), (date(2026, 3, 16), date(2026, 3, 22))),
        ("monthly", date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
        ("monthly", date(2027, 1, 1), (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_the_period_is_the_last_full_one(frequency, run_day, period):
    assert period_for(frequency=frequency, run_day=run_day) == period


@pytest.fixture
def till(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: local(2026, 3, 16, 9))
    till = make_till(quantity=None)
    Shop.objects.filter(pk=till.shop.pk).update(time_zone="Europe/Brussels")
    till.shop.refresh_from_db()
    inventory.stock_receive(
        business=till.business,
        actor=None,
        product=till["cafe"],
        location=till.location,
        quantity=Decimal(50),
        unit_cost=Decimal("1.00"),
    )
    open_session(till)
    sell(till, ("cafe", 3))  # Monday 16 March: 7.50
    return till


def weekly(till, **extra):
    data = {
        "name": "Weekly sales",
        "by": "product",
        "frequency": "weekly",
        "hour": 7,
        "file_format": "pdf",
        "recipients": ["Boss@Example.test", "accountant@example.test", "boss@example.test"],
        **extra,
    }
    return schedule_create(business=till.business, actor=till.owner.user, data=data)


def test_a_weekly_report_is_emailed_once_with_the_pdf_attached(
    till, monkeypatch, smtp_server, django_capture_on_commit_callbacks
):
    schedule = weekly(till)
    assert schedule.recipients == ["boss@example.test", "accountant@example.test"]
    assert schedule.next_run_at == local(2026, 3, 23, 7)
    monkeypatch.setattr(clock, "now", lambda: local(2026, 3, 23, 6, 55))
    assert schedules_send_due() == 0  # not yet
    monkeypatch.setattr(clock, "now", lambda: local(2026, 3, 23, 7, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_send_due() == 1
    assert smtp_server.event.wait(10)
    (message,) = smtp_server.messages
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "[Hanout] Weekly sales · 2026-03-16 – 2026-03-22 · " + till.business.name
    assert sorted(a.strip() for a in message["To"].split(",")) == [
        "accountant@example.test",
        "boss@example.test",
    ]
    assert "The full report is attached." in smtp_server.bodies()[0]
    (pdf,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.get_payload(decode=True), capture_output=True, check=True
    ).stdout.decode()
    assert "Sales report · by product" in text and "Café" in text and "7,50 €" in text
    schedule.refresh_from_db()
    assert schedule.last_period_end == date(2026, 3, 22)
    assert schedule.next_run_at == local(2026, 3, 30, 7)
    # Running again in the same minute sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_send_due() == 0
    assert len(smtp_server.messages) == 1
    assert AuditEntry.objects.filter(action="report_schedule.sent", object_id=str(schedule.pk))


def test_top_products_by_quantity_arrives_as_an_xlsx_with_the_figures(
    till, monkeypatch, smtp_server, django_capture_on_commit_callbacks
):
    import io

    from openpyxl import load_workbook

    sell(till, ("cafe", 2))  # 5 cafés in all on Monday: 12.50
    weekly(till, report="top-products", by="quantity", file_format="xlsx")
    monkeypatch.setattr(clock, "now", lambda: local(2026, 3, 23, 7, 5))
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_send_due() == 1
    assert smtp_server.event.wait(10)
    (message,) = smtp_server.messages
    body = smtp_server.bodies()[0]
    assert "Top products by quantity sold" in body and "12,50" in body
    (xlsx,) = [p for p in message.walk() if p.get_filename()]
    assert xlsx.get_filename() == "top-products-20260316-20260322.xlsx"
    sheet = load_workbook(io.BytesIO(xlsx.get_payload(decode=True))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:5] == ["#", "Product", "Article number", "Category", "Quantity"]
    assert rows[1][0] == 1 and rows[1][1] == "Café" and rows[1][4] == 5 and rows[1][5] == 12.5


def test_profit_and_expenses_are_for_the_whole_business(till, mailoutbox):
    with pytest.raises(ValidationFailed) as refused:
        weekly(till, report="profit", by="month", shop=till.shop)
    assert "shop" in refused.value.fields
    schedule = weekly(till, report="expenses", by="category", file_format="csv")
    assert schedule.report == "expenses" and schedule.shop is None


def test_a_worker_back_after_days_sends_the_missed_period_once(till, monkeypatch, mailoutbox):
    schedule = weekly(till, frequency="daily", file_format="csv", by="day")
    monkeypatch.setattr(clock, "now", lambda: local(2026, 3, 20, 12))
    assert schedules_send_due() == 1
    schedule.refresh_from_db()
    # Due on the 17th (for the 16th); the next run is after now, not three more emails.
    assert schedule.last_period_end == date(2026, 3, 16)
    assert schedule.next_run_at == local(2026, 3, 21, 7)
    assert schedules_send_due() == 0


def test_a_paused_schedule_sends_nothing(till, monkeypatch, mailoutbox):
    from hanout.reports.services_schedules import schedule_update

    schedule = weekly(till)
    schedule_update(schedule=schedule, actor=None, data={"is_active": False})
    monkeypatch.setattr(clock, "now", lambda: local(2026, 3, 23, 8))
    assert schedules_send_due() == 0


@pytest.mark.parametrize(
    "data, field",
    [
        ({"name": " "}, "name"),
        ({"recipients": []}, "recipients"),
        ({"recipients": ["not-an-email"]}, "recipients"),
        ({"recipients": [f"p{i}@example.test" for i in range(21)]}, "recipients"),
        ({"hour": 24}, "hour"),
        ({"by": "weather"}, "by"),
        ({"report": "horoscope", "by": ""}, "by"),
        ({"report": "profit", "by": "product"}, "by"),
        ({"frequency": "hourly"}, "frequency"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_saved(till, data, field):
    with pytest.raises(ValidationFailed) as refused:
        weekly(till, **data)
    assert field in refused.value.fields
    assert not ReportSchedule.objects.exists()


def test_another_business_shop_is_refused(till):
    other = make_till(quantity=None)
    with pytest.raises(ValidationFailed) as refused:
        weekly(till, shop=other.shop)
    assert "shop" in refused.value.fields


def test_the_page_adds_pauses_edits_and_deletes(till, client):
    login(client, till.owner)
    url = reverse("report_schedules")
    page = client.get(url)
    assert page.status_code == 200 and till.owner.user.email in page.content.decode()
    bad = client.post(
        url,
        {
            "name": "Daily",
            "kind": "sales:day",
            "frequency": "daily",
            "hour": "7",
            "file_format": "pdf",
            "language": "en",
        },
    )
    assert bad.status_code == 400 and "Choose at least one person" in bad.content.decode()
    assert not ReportSchedule.objects.exists()
    made = client.post(
        url,
        {
            "name": "Daily",
            "kind": "sales:day",
            "frequency": "daily",
            "hour": "6",
            "file_format": "xlsx",
            "language": "fr",
            "members": [till.owner.user.email],
            "recipients": "compta@example.test, ",
        },
    )
    assert made.status_code == 302
    schedule = ReportSchedule.objects.get()
    assert schedule.recipients == [till.owner.user.email, "compta@example.test"]
    assert schedule.language == "fr" and schedule.hour == 6
    assert "compta@example.test" in client.get(url).content.decode()

    edit = reverse("report_schedule_edit", args=[schedule.pk])
    form = client.get(edit).content.decode()
    assert "compta@example.test" in form  # the other address is in its box again
    client.post(
        edit,
        {
            "name": "Daily, by product",
            "kind": "sales:product",
            "frequency": "daily",
            "hour": "6",
            "file_format": "pdf",
            "language": "fr",
            "recipients": "compta@example.test",
        },
    )
    schedule.refresh_from_db()
    assert schedule.by == "product" and schedule.recipients == ["compta@example.test"]

    client.post(reverse("report_schedule_toggle", args=[schedule.pk]))
    schedule.refresh_from_db()
    assert not schedule.is_active
    client.post(reverse("report_schedule_delete", args=[schedule.pk]))
    assert not ReportSchedule.objects.exists()
    actions = set(
        AuditEntry.objects.filter(object_id=str(schedule.pk)).values_list("action", flat=True)
    )
    assert actions == {
        "report_schedule.create",
        "report_schedule.update",
        "report_schedule.delete",
    }


def test_others_cannot_see_or_change_a_schedule(till, client):
    schedule = weekly(till)
    cashier = make_member(till.owner, role=Role.CASHIER)
    login(client, cashier)
    assert client.get(reverse("report_schedules")).status_code == 403
    other = make_till(quantity=None)
    login(client, other.owner)
    assert "Weekly sales" not in client.get(reverse("report_schedules")).content.decode()
    for name in ("report_schedule_edit", "report_schedule_toggle", "report_schedule_delete"):
        assert client.post(reverse(name, args=[schedule.pk])).status_code == 404
    assert ReportSchedule.objects.get().is_active


def test_a_monthly_excel_report_opens_with_the_right_figures(
    till, monkeypatch, smtp_server, django_capture_on_commit_callbacks
):
    import io

    from openpyxl import load_workbook

    weekly(till, frequency="monthly", file_format="xlsx", by="day", name="March")
    monkeypatch.setattr(clock, "now", lambda: local(2026, 4, 1, 7, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert schedules_send_due() == 1
    assert smtp_server.event.wait(10)
    (message,) = smtp_server.messages
    (attachment,) = [p for p in message.walk() if p.get_filename()]
    assert attachment.get_filename() == "sales-day-20260301-20260331.xlsx"
    sheet = load_workbook(io.BytesIO(attachment.get_payload(decode=True))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Day", "Tickets", "Quantity", "Sales"]
    assert len(rows) == 1 + 31 + 1  # the header, every day of March, the total
    monday = next(r for r in rows if r[0] == "2026-03-16")
    assert monday[1] == 1 and float(monday[3]) == 7.5
    assert rows[-1][0] == "Total" and float(rows[-1][3]) == 7.5


# --- API -----------------------------------------------------------------------------------------


def test_the_api_creates_lists_changes_and_deletes_schedules(till):
    from tests.fixtures import api_client_for

    api = api_client_for(till.owner)
    url = "/api/v1/reports/schedules/"
    made = api.post(
        url,
        {
            "name": "Monthly profit",
            "report": "profit",
            "frequency": "monthly",
            "hour": 8,
            "file_format": "xlsx",
            "recipients": ["compta@example.test"],
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["report"] == "profit" and body["by"] == "month"  # its first variant
    assert body["next_run_at"].startswith("2026-04-01T08:00:00+02:00")
    assert [s["id"] for s in api.get(url).json()["results"]] == [body["id"]]

    one = f"{url}{body['id']}/"
    changed = api.patch(one, {"report": "top-products", "is_active": False}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["by"] == "revenue" and changed.json()["is_active"] is False
    bad = api.patch(one, {"by": "weather", "hour": 30}, format="json")
    assert bad.status_code == 400 and "hour" in bad.json()["error"]["fields"]
    assert ReportSchedule.objects.get().hour == 8  # nothing changed

    other = make_till(quantity=None)
    foreign = api.patch(one, {"shop": str(other.shop.pk)}, format="json")
    assert foreign.status_code == 400 and "shop" in foreign.json()["error"]["fields"]
    assert api_client_for(other.owner).get(one).status_code == 404
    assert api.delete(one).status_code == 204
    assert not ReportSchedule.objects.exists()


def test_the_api_refuses_bad_schedules_and_cashiers_see_none(till):
    from tests.fixtures import api_client_for

    api = api_client_for(till.owner)
    url = "/api/v1/reports/schedules/"
    bad = api.post(url, {"name": "X", "report": "profit", "by": "product"}, format="json")
    assert bad.status_code == 400 and "recipients" in bad.json()["error"]["fields"]
    wrong = api.post(
        url,
        {"name": "X", "report": "profit", "by": "product", "recipients": ["a@example.test"]},
        format="json",
    )
    assert wrong.status_code == 400 and "by" in wrong.json()["error"]["fields"]
    assert not ReportSchedule.objects.exists()
    cashier = make_member(till.owner, role=Role.CASHIER)
    assert api_client_for(cashier).get(url).status_code == 403
