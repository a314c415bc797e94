"""Time the report reads on the data of generate_sales.py, against hand-written SQL.

    HANOUT_DATA_DIR=/tmp/bench-sales-sqlite python bench/bench_reports.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hanout_bench_sales \\
        HANOUT_DATA_DIR=/tmp/bench-sales-postgres python bench/bench_reports.py

In-process (Django set up once, warm caches), on the business "Bench Sales", with
"today" the last day of its data:

- **sales by day, a year**: `reports.selectors_sales.sales_report(by="day")` over 365
  days (its rows, the expenses of each day, the total and the chart);
- **top products, a quarter**: `sales_report(by="product")` over 91 days;
- **dashboard**: `reports.selectors.dashboard(today=…)` (today and this month against
  before, day by day, twelve months, payment methods, top 10 products of the month,
  expenses, cash in the drawers, low stock);

and for each a hand-written SQL query — the raw cursor SQL one would write for the
same figures over the same daily tables, rows fetched, nothing more. The hand SQL
makes the same round trips as the selector (the dashboard: the twelve months of the
daily table in one query, bucketed by day and month, as the selector does; its top 10
grouped on the product first, in one query where the selector makes two), so the ratio
is what the ORM and the selector's Python cost on top of the database's work. The
dashboard is also timed against the hand SQL of one query per aggregate (twelve
queries, each figure straight from SQL: the selector's old shape). Every figure is
checked equal between the two (amounts to the cent) before timing.

Runs alternate ORM / SQL so a busy neighbour slows both alike; the table gives the
median and p95 of `--runs` runs after `--warmup` ones, and two verdicts: the selector's p95
under 300 ms, and its median within 1.5× of the hand SQL's median. A third column
runs the SQL the selector's ORM queries compile to (captured, parameters inlined) raw,
like the hand SQL: its ratio says whether the ORM's SQL is as good as hand-written,
and the selector's time minus it is Python (query building, Decimal and UUID
conversion, the rows' labels, totals and chart). `--http` also times the
pages through Django's test client (middleware, refresh check, template), `--json
FILE` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

BUSINESS_NAME = "Bench Sales"
LIMIT_MS = 300.0
LIMIT_RATIO = 1.5
CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """A sum as the database returns it (Decimal, or float on SQLite) to the cent."""
    if value is None:
        return Decimal(0).quantize(CENT)
    exact = Decimal(str(round(value, 6) if isinstance(value, float) else value))
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)  # as core.money.quantize


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


class Hand:
    """Raw SQL over the daily tables, written for this database."""

    def __init__(self, connection, business):
        self.connection = connection
        self.pg = connection.vendor == "postgresql"
        self.b = business.pk if self.pg else business.pk.hex

    def d(self, day: date):
        return day if self.pg else day.isoformat()

    def rows(self, sql: str, params: list) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # (a) the sales report by day
    def by_day(self, start: date, end: date) -> dict:
        days = self.rows(
            "SELECT day, SUM(tickets), SUM(items), SUM(revenue), SUM(tax), SUM(cost) "
            "FROM reports_dailysales WHERE business_id = %s AND day >= %s AND day <= %s "
            "GROUP BY day",
            [self.b, self.d(start), self.d(end)],
        )
        spent = self.rows(
            "SELECT spent_on, SUM(amount) FROM expenses_expense "
            "WHERE business_id = %s AND spent_on >= %s AND spent_on <= %s GROUP BY spent_on",
            [self.b, self.d(start), self.d(end)],
        )
        return {"days": days, "expenses": spent}

    # (b) the sales report by product
    def by_product(self, start: date, end: date) -> list[tuple]:
        return self.rows(
            "SELECT d.product_id, p.name, p.sku, SUM(d.quantity), SUM(d.revenue), SUM(d.tax), "
            "SUM(d.cost) FROM reports_dailyproductsales d "
            "JOIN catalog_product p ON p.id = d.product_id "
            "WHERE d.business_id = %s AND d.day >= %s AND d.day <= %s "
            "GROUP BY d.product_id, p.name, p.sku ORDER BY SUM(d.revenue) DESC, p.name",
            [self.b, self.d(start), self.d(end)],
        )

    # (c) the dashboard: the same aggregates, one query each
    def figures(self, start: date, end: date) -> tuple:
        return self.rows(
            "SELECT SUM(revenue), SUM(tax), SUM(cost), SUM(tickets) FROM reports_dailysales "
            "WHERE business_id = %s AND day >= %s AND day <= %s",
            [self.b, self.d(start), self.d(end)],
        )[0]

    def revenue_by_day(self, start: date, end: date) -> list[tuple]:
        return self.rows(
            "SELECT day, SUM(revenue) FROM reports_dailysales "
            "WHERE business_id = %s AND day >= %s AND day <= %s GROUP BY day",
            [self.b, self.d(start), self.d(end)],
        )

    def dashboard(self, today: date) -> dict:
        """The same round trips as the selector: the twelve months of the daily table in
        one query (this month and last month by day, the ten months before by month,
        bucketed by a CASE of date comparisons), the month's top 10 grouped on the
        product first and joined to the catalog after (one query where the selector
        makes two), the month's expenses, the open sessions, the low stock."""
        from hanout.reports.selectors import month_start

        first, prev_first = month_start(today), month_start(today, 1)
        whens = " ".join(["WHEN day >= %s THEN day"] + ["WHEN day >= %s THEN %s"] * 9)
        params = [self.d(prev_first)]
        for back in range(2, 11):
            params += [self.d(month_start(today, back))] * 2
        cast = "::date" if self.pg else ""
        return {
            "buckets": self.rows(
                f"SELECT CASE {whens} ELSE %s{cast} END AS b, SUM(revenue), SUM(tax), "  # noqa: S608
                "SUM(cost), SUM(tickets), SUM(cash), SUM(card), SUM(phone), SUM(points) "
                "FROM reports_dailysales WHERE business_id = %s AND day >= %s AND day <= %s "
                "GROUP BY b",
                [
                    *params,
                    self.d(month_start(today, 11)),
                    self.b,
                    self.d(month_start(today, 11)),
                    self.d(today),
                ],
            ),
            "top": self.rows(
                "SELECT a.product_id, p.name, p.sku, a.q, a.r, a.c FROM (SELECT product_id, "
                "SUM(quantity) AS q, SUM(revenue) AS r, SUM(cost) AS c "
                "FROM reports_dailyproductsales WHERE business_id = %s AND day >= %s "
                "AND day <= %s GROUP BY product_id ORDER BY r DESC, product_id LIMIT 10) a "
                "JOIN catalog_product p ON p.id = a.product_id ORDER BY a.r DESC, p.name",
                [self.b, self.d(first), self.d(today)],
            ),
            **self._others(first, today),
        }

    def _others(self, first: date, today: date) -> dict:
        return {
            "expenses": self.rows(
                "SELECT SUM(amount) FROM expenses_expense "
                "WHERE business_id = %s AND spent_on >= %s AND spent_on <= %s",
                [self.b, self.d(first), self.d(today)],
            )[0][0],
            "sessions": self.rows(
                "SELECT COUNT(*), SUM(opening_float + cash_in - cash_change - withdrawals "
                "- cash_refunds + paid_in - paid_out) FROM pos_cashsession "
                "WHERE business_id = %s AND status = 'open'",
                [self.b],
            )[0],
            "low": self.rows(
                "SELECT COUNT(*) FROM inventory_stocklevel WHERE business_id = %s AND is_low",
                [self.b],
            )[0][0],
        }

    def dashboard_by_aggregate(self, today: date) -> dict:
        """The dashboard's figures one query per aggregate (the selector's shape before it
        read the daily table once): twelve queries, each figure straight from SQL."""
        from hanout.reports.selectors import _same_day_last_month, month_start

        week_ago = today - timedelta(days=7)
        first, prev_first = month_start(today), month_start(today, 1)
        month = "to_char(day, 'YYYY-MM')" if self.pg else "substr(day, 1, 7)"
        out = {
            "today": self.figures(today, today),
            "week_ago": self.figures(week_ago, week_ago),
            "month": self.figures(first, today),
            "prev_month": self.figures(prev_first, _same_day_last_month(today)),
            "this_days": self.revenue_by_day(first, today),
            "last_days": self.revenue_by_day(prev_first, first - timedelta(days=1)),
            "months": self.rows(
                f"SELECT {month}, SUM(revenue), SUM(tax), SUM(cost) FROM reports_dailysales "  # noqa: S608
                f"WHERE business_id = %s AND day >= %s AND day <= %s GROUP BY {month}",
                [self.b, self.d(month_start(today, 11)), self.d(today)],
            ),
            "methods": self.rows(
                "SELECT SUM(cash), SUM(card), SUM(phone), SUM(points) FROM reports_dailysales "
                "WHERE business_id = %s AND day >= %s AND day <= %s",
                [self.b, self.d(first), self.d(today)],
            )[0],
            "top": self.rows(
                "SELECT d.product_id, p.name, p.sku, SUM(d.quantity), SUM(d.revenue), "
                "SUM(d.cost) FROM reports_dailyproductsales d "
                "JOIN catalog_product p ON p.id = d.product_id "
                "WHERE d.business_id = %s AND d.day >= %s AND d.day <= %s "
                "GROUP BY d.product_id, p.name, p.sku ORDER BY SUM(d.revenue) DESC, p.name "
                "LIMIT 10",
                [self.b, self.d(first), self.d(today)],
            ),
            **self._others(first, today),
        }
        return out


# --- the figures must agree ------------------------------------------------------------------


def check_by_day(report, hand: dict) -> str:
    days = {str(r[0])[:10]: r for r in hand["days"]}
    spent = {str(r[0])[:10]: r[1] for r in hand["expenses"]}
    assert len(report.rows) == (report.end - report.start).days + 1
    for row in report.rows:
        h = days.get(row.key)
        want = (0, cents(0), cents(0), cents(0)) if h is None else (h[1], *map(cents, h[3:6]))
        got = (row.tickets, cents(row.revenue), cents(row.tax), cents(row.cost))
        assert got == want, f"{row.key}: ORM {got} ≠ SQL {want}"
        assert cents(row.expenses) == cents(spent.get(row.key)), row.key
    t = report.total
    total = (
        sum(r[1] for r in hand["days"]),
        sum((cents(r[3]) for r in hand["days"]), Decimal(0)),
        sum((cents(r[5]) for r in hand["days"]), Decimal(0)),
    )
    assert (t.tickets, t.revenue, t.cost) == total, f"total {t} ≠ {total}"
    return f"{t.tickets:,} tickets, revenue {t.revenue:,}, cost {t.cost:,} over {len(days)} days"


def check_by_product(report, hand: list[tuple]) -> str:
    assert len(report.rows) == len(hand), (len(report.rows), len(hand))
    for row, h in zip(report.rows, hand, strict=True):
        assert uuid.UUID(row.key) == uuid.UUID(str(h[0])), (row.key, h[0])
        got = (cents(row.revenue), cents(row.tax), cents(row.cost))
        assert got == (cents(h[4]), cents(h[5]), cents(h[6])), (row.key, got, h)
        assert abs(row.quantity - Decimal(str(h[3]))) < Decimal("0.0005"), (row.quantity, h[3])
    total = sum((cents(h[4]) for h in hand), Decimal(0))
    assert report.total.revenue == total, (report.total.revenue, total)
    first = report.rows[0].label if report.rows else None
    return f"{len(hand)} products, revenue {total:,}; first {first!r}"


def check_dashboard(data, hand: dict) -> str:
    def fig(f, row):
        return (cents(f.revenue), cents(f.tax), cents(f.cost), f.tickets) == (
            cents(row[0]),
            cents(row[1]),
            cents(row[2]),
            row[3] or 0,
        )

    assert fig(data.day.current, hand["today"]), (data.day.current, hand["today"])
    assert fig(data.day.previous, hand["week_ago"])
    assert fig(data.month.current, hand["month"])
    assert fig(data.month.previous, hand["prev_month"])
    series = data.daily["datasets"]
    for values, rows in ((series[0]["data"], "this_days"), (series[1]["data"], "last_days")):
        orm = sum((Decimal(v) for v in values if v is not None), Decimal(0))
        assert orm == sum((cents(r[1]) for r in hand[rows]), Decimal(0)), rows
    monthly = [Decimal(v) for v in data.monthly["datasets"][0]["data"]]
    assert sorted(m for m in monthly if m) == sorted(cents(r[1]) for r in hand["months"])
    methods = [Decimal(v) for v in data.methods["datasets"][0]["data"]]
    assert methods == [cents(v) for v in hand["methods"][: len(methods)]], methods
    top = [(uuid.UUID(str(t["id"])), cents(t["revenue"])) for t in data.top_products]
    assert top == [(uuid.UUID(str(r[0])), cents(r[4])) for r in hand["top"]], top
    assert data.expenses_month == cents(hand["expenses"])
    assert (data.open_sessions, data.cash_in_drawers) == (
        hand["sessions"][0],
        cents(hand["sessions"][1]),
    )
    assert data.low_stock == hand["low"]
    return (
        f"today {data.day.current.revenue:,} ({data.day.current.tickets} tickets), "
        f"month {data.month.current.revenue:,}, top product "
        f"{data.top_products[0]['name'] if data.top_products else None!r}, "
        f"{data.low_stock} low, {data.open_sessions} open session"
    )


def exact(value) -> Decimal:
    """A value as the database returns it (Decimal, or float on SQLite), not rounded."""
    if value is None:
        return Decimal(0)
    return Decimal(str(round(value, 6) if isinstance(value, float) else value))


def check_dashboard_one(today: date, hand_by_aggregate: dict):
    """The check of the one-query hand SQL: its buckets summed per span must give the
    figures of the hand SQL that asks one query per aggregate (to the cent), and then the
    selector must agree with both."""
    from hanout.reports.selectors import _same_day_last_month, month_start

    first, prev_first = month_start(today), month_start(today, 1)
    prev_last = first - timedelta(days=1)

    def check(data, hand: dict) -> str:
        buckets = {str(r[0])[:10]: r[1:] for r in hand["buckets"]}

        def span(start: date, end: date) -> tuple:
            rows = [v for k, v in buckets.items() if start.isoformat() <= k <= end.isoformat()]
            return tuple(cents(sum((exact(r[i]) for r in rows), Decimal(0))) for i in range(8))

        def fig(start: date, end: date) -> tuple:
            sums = span(start, end)
            return (*sums[:3], int(sums[3]))

        def fig_of(row) -> tuple:
            return (cents(row[0]), cents(row[1]), cents(row[2]), row[3] or 0)

        want = hand_by_aggregate
        week_ago = today - timedelta(days=7)
        for key, (start, end) in {
            "today": (today, today),
            "week_ago": (week_ago, week_ago),
            "month": (first, today),
            "prev_month": (prev_first, _same_day_last_month(today)),
        }.items():
            assert fig(start, end) == fig_of(want[key]), (key, fig(start, end), want[key])
        for key, start, end in (("this_days", first, today), ("last_days", prev_first, prev_last)):
            assert span(start, end)[0] == sum((cents(r[1]) for r in want[key]), cents(0)), key
        assert span(month_start(today, 11), today)[0] == sum(
            (cents(r[1]) for r in want["months"]), cents(0)
        )
        assert span(first, today)[4:8] == tuple(cents(v) for v in want["methods"])
        assert [(uuid.UUID(str(r[0])), cents(r[4])) for r in hand["top"]] == [
            (uuid.UUID(str(r[0])), cents(r[4])) for r in want["top"]
        ]
        return check_dashboard(data, want)

    return check


# --- timing -------------------------------------------------------------------------------------


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def orm_sql(fn) -> list[str]:
    """The SQL the selector's queries compile to, parameters inlined (as Django logs them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def run_raw(statements: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            cursor.fetchall()


def compare(name: str, orm, hand, runs: int, warmup: int) -> dict:
    statements = orm_sql(orm)
    raw = lambda: run_raw(statements)  # noqa: E731
    for _ in range(warmup):
        orm()
        raw()
        hand()
    a, b, c = [], [], []
    for _ in range(runs):
        a.append(timed(orm))
        c.append(timed(raw))
        b.append(timed(hand))
    orm_med, hand_med = statistics.median(a), statistics.median(b)
    ratio = orm_med / hand_med if hand_med else float("inf")
    return {
        "name": name,
        "queries": len(statements),
        "orm_median": orm_med,
        "orm_p95": p95(a),
        "orm_sql_median": statistics.median(c),
        "sql_median": hand_med,
        "sql_p95": p95(b),
        "ratio": ratio,
        "sql_ratio": statistics.median(c) / hand_med if hand_med else float("inf"),
        "pass_time": p95(a) < LIMIT_MS,
        "pass_ratio": ratio <= LIMIT_RATIO,
        "pass_sql_ratio": statistics.median(c) / hand_med <= LIMIT_RATIO if hand_med else False,
        "pass": p95(a) < LIMIT_MS and ratio <= LIMIT_RATIO,
    }


def http_pages(user, pages: list[tuple[str, str]], runs: int, warmup: int) -> list[dict]:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    # Plain static URLs: `hanout serve` collects the files first, this does not.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    out = []
    with override_settings(STORAGES=storages):
        for name, url in pages:
            out.append(_page(client, name, url, runs, warmup))
    return out


def _page(client, name: str, url: str, runs: int, warmup: int) -> dict:
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = [timed(lambda: client.get(url)) for _ in range(runs)]
    return {"name": name, "url": url, "median": statistics.median(times), "p95": p95(times)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--http", action="store_true", help="also time the pages (test client)")
    parser.add_argument("--json", help="write the figures to this file")
    opts = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count, Max
    from django.utils import translation

    from hanout.core.models import Business
    from hanout.reports.models import DailyProductSales, DailySales
    from hanout.reports.selectors import dashboard
    from hanout.reports.selectors_sales import sales_report

    business = Business.objects.filter(name=BUSINESS_NAME).first()
    if business is None:
        raise SystemExit(f"No {BUSINESS_NAME} here: run bench/generate_sales.py first.")
    translation.activate(business.default_language)
    stats = DailySales.objects.filter(business=business).aggregate(last=Max("day"), n=Count("id"))
    today = stats["last"]
    n_products = DailyProductSales.objects.filter(business=business).count()
    from hanout.pos.models import Sale, SaleLine

    n_sales = Sale.objects.filter(business=business).count()
    n_lines = SaleLine.objects.filter(business=business).count()
    db = settings.DATABASES["default"]
    where = db["NAME"] if connection.vendor == "sqlite" else f"{db['HOST']}/{db['NAME']}"
    print(
        f"{connection.vendor} ({where}): {n_sales:,} tickets, {n_lines:,} lines; daily tables "
        f"{stats['n']:,} + {n_products:,} rows; today = {today}; load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )

    hand = Hand(connection, business)
    year = (today - timedelta(days=364), today)
    quarter = (today - timedelta(days=90), today)
    cases = [
        (
            "sales by day, 365 days",
            lambda: sales_report(business=business, start=year[0], end=year[1], by="day"),
            lambda: hand.by_day(*year),
            check_by_day,
        ),
        (
            "top products, 91 days",
            lambda: sales_report(business=business, start=quarter[0], end=quarter[1], by="product"),
            lambda: hand.by_product(*quarter),
            check_by_product,
        ),
        (
            "dashboard, today",
            lambda: dashboard(business=business, today=today),
            lambda: hand.dashboard(today),
            check_dashboard_one(today, hand.dashboard_by_aggregate(today)),
        ),
        (
            "dashboard, today (hand SQL: one query per aggregate)",
            lambda: dashboard(business=business, today=today),
            lambda: hand.dashboard_by_aggregate(today),
            check_dashboard,
        ),
    ]
    results = []
    for name, orm, sql, check in cases:
        print(f"  check {name}: {check(orm(), sql())}", flush=True)
        results.append(compare(name, orm, sql, opts.runs, opts.warmup))

    print(
        f"\n{opts.runs} runs each after {opts.warmup} warm-up, ms. Verdicts: the selector's "
        f"p95 < {LIMIT_MS:.0f} ms; its median ≤ {LIMIT_RATIO}× the hand SQL's (in brackets: "
        "the selector's own SQL, run raw, against the hand SQL)\n"
    )
    print(
        "| measure | queries | selector (ORM) median | p95 | its SQL run raw, median | "
        "hand SQL median | p95 | selector ÷ hand | its SQL ÷ hand | < 300 ms | ≤ 1.5× |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    for r in results:
        print(
            f"| {r['name']} | {r['queries']} | {r['orm_median']:.1f} | {r['orm_p95']:.1f} "
            f"| {r['orm_sql_median']:.1f} | {r['sql_median']:.1f} | {r['sql_p95']:.1f} "
            f"| {r['ratio']:.2f} | {r['sql_ratio']:.2f} | {verdict(r['pass_time'])} "
            f"| {verdict(r['pass_ratio'])} (its SQL: {verdict(r['pass_sql_ratio'])}) |"
        )

    pages = []
    if opts.http:
        from hanout.accounts.models import Membership

        owner = Membership.objects.filter(business=business).order_by("created_at").first().user
        pages = http_pages(
            owner,
            [
                ("page: dashboard", "/dashboard/"),
                (
                    "page: sales by day, 365 days",
                    f"/reports/sales/?by=day&start={year[0]}&end={year[1]}",
                ),
                (
                    "page: top products, 91 days",
                    f"/reports/sales/?by=product&start={quarter[0]}&end={quarter[1]}",
                ),
            ],
            opts.runs,
            opts.warmup,
        )
        print("\n| page (test client, refresh check + selector + template) | median | p95 |")
        print("|---|---:|---:|")
        for p in pages:
            print(f"| {p['name']} `{p['url']}` | {p['median']:.1f} | {p['p95']:.1f} |")
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump({"vendor": connection.vendor, "results": results, "pages": pages}, fh)
    return 0 if all(r["pass"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
