"""Two workers sending the same due schedule at once (PostgreSQL, real threads on their
own connections): one email, one audit row, the schedule moved on once."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from hanout.core.models import AuditEntry, Shop
from hanout.reports.models import ReportSchedule
from hanout.reports.services_schedules import schedule_create, schedule_send
from tests.factories import make_business

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="races need PostgreSQL's row locks"
    ),
]
TZ = ZoneInfo("Europe/Brussels")


def test_two_workers_send_a_due_schedule_once(mailoutbox):
    owner = make_business("Race Reports")
    Shop.objects.filter(business=owner.business).update(time_zone="Europe/Brussels")
    schedule = schedule_create(
        business=owner.business,
        actor=owner.user,
        data={
            "name": "Daily",
            "by": "day",
            "frequency": "daily",
            "hour": 7,
            "file_format": "csv",
            "recipients": [owner.user.email],
        },
    )
    now = datetime(2030, 1, 2, 9, tzinfo=TZ)
    ReportSchedule.objects.filter(pk=schedule.pk).update(
        next_run_at=datetime(2030, 1, 2, 7, tzinfo=TZ)
    )
    barrier = threading.Barrier(2)
    results = []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            sent = schedule_send(pk=schedule.pk, now=now)
            with lock:
                results.append(sent)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert AuditEntry.objects.filter(action="report_schedule.sent").count() == 1
    schedule.refresh_from_db()
    assert schedule.next_run_at == datetime(2030, 1, 3, 7, tzinfo=TZ)
