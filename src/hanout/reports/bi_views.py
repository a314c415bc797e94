"""The BI views (docs/bi.md), kept out of the way of schema changes.

Migration 0004 created them. A view pins the tables it reads: PostgreSQL refuses to
alter a column a view uses, and SQLite's way of altering a table (copy, drop, rename)
fails while a view names it. So that no later migration has to know about them, every
`migrate` drops the views before it runs (`pre_migrate`) and creates them again, from
the definitions below, once it is done (`post_migrate`) — unless migration 0004 has been
unapplied. A change to a view is a change here (and a note in docs/bi.md).
"""

from __future__ import annotations

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

MIGRATION = ("reports", "0004_bi_views")

VIEWS = {
    "bi_daily_sales": """
SELECT d.business_id, b.currency, d.shop_id, s.name AS shop_name, d.day, d.channel,
       d.tickets, d.returns, d.revenue, d.tax, ROUND(d.revenue - d.tax, 3) AS net, d.cost,
       ROUND(d.revenue - d.tax - d.cost, 3) AS margin, d.discount, d.withdrawals,
       d.cash, d.card, d.phone, d.points, d.items
FROM reports_dailysales d
JOIN core_shop s ON s.id = d.shop_id
JOIN core_business b ON b.id = d.business_id
""",
    "bi_product_sales": """
SELECT d.business_id, b.currency, d.shop_id, s.name AS shop_name, d.day, d.product_id,
       p.sku, p.name AS product_name, p.category_id, c.name AS category_name,
       d.quantity, d.revenue, d.tax, ROUND(d.revenue - d.tax, 3) AS net, d.cost,
       ROUND(d.revenue - d.tax - d.cost, 3) AS margin
FROM reports_dailyproductsales d
JOIN core_shop s ON s.id = d.shop_id
JOIN core_business b ON b.id = d.business_id
JOIN catalog_product p ON p.id = d.product_id
LEFT JOIN catalog_category c ON c.id = p.category_id
""",
    "bi_expenses": """
SELECT e.business_id, e.currency, e.id AS expense_id, e.spent_on AS day, e.category_id,
       c.name AS category_name, e.amount, e.comment, e.supplier_id,
       sp.name AS supplier_name
FROM expenses_expense e
JOIN expenses_expensecategory c ON c.id = e.category_id
LEFT JOIN suppliers_supplier sp ON sp.id = e.supplier_id
""",
    "bi_stock": """
SELECT l.business_id, b.currency, l.product_id, p.sku, p.name AS product_name,
       p.category_id, c.name AS category_name, l.location_id, loc.name AS location_name,
       loc.shop_id, s.name AS shop_name, l.quantity, l.reserved, p.cost AS average_cost,
       ROUND(l.quantity * p.cost, 3) AS value
FROM inventory_stocklevel l
JOIN catalog_product p ON p.id = l.product_id
JOIN inventory_location loc ON loc.id = l.location_id
JOIN core_business b ON b.id = l.business_id
LEFT JOIN core_shop s ON s.id = loc.shop_id
LEFT JOIN catalog_category c ON c.id = p.category_id
""",
}


def drop_views(*, using: str = "default") -> None:
    with connections[using].cursor() as cursor:
        for name in VIEWS:
            cursor.execute(f"DROP VIEW IF EXISTS {name}")


def create_views(*, using: str = "default") -> None:
    """(Re)create every view from its current definition."""
    drop_views(using=using)
    with connections[using].cursor() as cursor:
        for name, body in VIEWS.items():
            cursor.execute(f"CREATE VIEW {name} AS {body.strip()}")


def _wanted(using: str) -> bool:
    recorder = MigrationRecorder(connections[using])
    return recorder.has_table() and MIGRATION in recorder.applied_migrations()


def before_migrate(sender, using="default", **kwargs) -> None:
    """pre_migrate: out of the way of whatever the migrations change."""
    if _wanted(using):
        drop_views(using=using)


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate (also sent after a test flush): back, as currently defined."""
    if _wanted(using):
        create_views(using=using)
