"""A read replica for the reports: the router's decisions, the settings, and (on
PostgreSQL, with a real second connection mirroring the test database) the report
queries going through the `replica` alias while the writes stay on the primary."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from hanout.catalog.models import Product
from hanout.inventory.models import StockLevel
from hanout.reports.db import ReportsRouter, read_alias
from hanout.reports.models import DailyProductSales, DailySales, RefreshMark

ON_POSTGRES = connection.vendor == "postgresql"


def test_without_a_replica_the_router_has_no_opinion(settings):
    settings.REPORTS_DATABASE = "default"
    router = ReportsRouter()
    assert read_alias() == "default"
    for model in (DailySales, DailyProductSales, Product, RefreshMark):
        assert router.db_for_read(model) is None
        assert router.db_for_write(model) is None


def test_with_a_replica_only_the_report_tables_are_read_there(settings):
    settings.REPORTS_DATABASE = "replica"
    router = ReportsRouter()
    assert read_alias() == "replica"
    assert router.db_for_read(DailySales) == "replica"
    assert router.db_for_read(DailyProductSales) == "replica"
    # A service reads what it just wrote: everything else stays on the primary.
    for model in (Product, StockLevel, RefreshMark):
        assert router.db_for_read(model) == "default"
    for model in (DailySales, DailyProductSales, Product):
        assert router.db_for_write(model) == "default"
    assert router.allow_migrate("replica", "reports") is False
    assert router.allow_migrate("default", "reports") is None


def _settings_with(env: dict) -> subprocess.CompletedProcess:
    code = (
        "import json, hanout.settings as s; "
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'reports': s.REPORTS_DATABASE, "
        "'replica': s.DATABASES.get('replica', {})}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_replica_url_adds_a_replica_that_mirrors_the_primary_in_tests(tmp_path):
    import json

    done = _settings_with(
        {
            "HANOUT_DATA_DIR": str(tmp_path),
            "HANOUT_TESTING": "",
            "DATABASE_URL": "postgres://app@primary:5432/hanout",
            "DATABASE_REPLICA_URL": "postgres://reader@replica:5432/hanout",
        }
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["aliases"] == ["default", "replica"] and out["reports"] == "replica"
    assert out["replica"]["HOST"] == "replica" and out["replica"]["USER"] == "reader"
    assert out["replica"]["TEST"] == {"MIRROR": "default"}
    assert out["replica"]["OPTIONS"]["pool"] == {"min_size": 4, "max_size": 16}

    plain = _settings_with(
        {
            "HANOUT_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://app@primary:5432/hanout",
            "DATABASE_REPLICA_URL": "",
        }
    )
    assert json.loads(plain.stdout)["aliases"] == ["default"]


def test_a_replica_url_with_sqlite_is_refused_at_start_up(tmp_path):
    done = _settings_with(
        {
            "HANOUT_DATA_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "DATABASE_REPLICA_URL": "postgres://reader@replica:5432/hanout",
        }
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in done.stderr


@pytest.fixture
def replica_closed():
    """The replica connection closed after the test: left open, it keeps the test database
    from being dropped at the end of the run."""
    yield
    connections["replica"].close()


@pytest.mark.skipif(not ON_POSTGRES, reason="a replica is a PostgreSQL setup")
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reports_read_through_the_replica_and_write_to_the_primary(settings, replica_closed):
    from hanout.pos.tests.factories import make_till, open_session, sell
    from tests.fixtures import api_client_for

    till = make_till(quantity="20")
    open_session(till)
    sell(till, ("croissant", 3))
    api = api_client_for(till.owner)
    settings.REPORTS_DATABASE = "replica"

    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primary,
    ):
        dashboard = api.get("/api/v1/reports/dashboard/")
        report = api.get("/api/v1/reports/sales/")
        export = api.get("/api/v1/reports/export/daily-sales/")
    assert dashboard.status_code == report.status_code == export.status_code == 200
    assert export.json()["count"] == 1 and export.json()["results"][0]["revenue"] == "3.00"

    read = [q["sql"] for q in replica.captured_queries]
    written = [q["sql"] for q in primary.captured_queries]
    assert any('FROM "reports_dailysales"' in sql for sql in read)
    assert any('FROM "reports_dailyproductsales"' in sql for sql in read)
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in read)
    # The refresh writes the daily tables on the primary; nothing reads them there.
    assert any(sql.startswith('INSERT INTO "reports_dailysales"') for sql in written)
    assert not any(
        sql.startswith("SELECT") and 'FROM "reports_dailysales"' in sql for sql in written
    )
