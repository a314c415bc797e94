"""Read-only SQL views for BI tools (docs/bi.md): bi_daily_sales, bi_product_sales,
bi_expenses and bi_stock.

They are created by `post_migrate` once every migration of a `migrate` has run, and
dropped by `pre_migrate` before the next one (hanout.reports.bi_views): a view pins the
tables it reads, and would make later migrations of those tables fail (PostgreSQL
refuses to alter a column a view uses; SQLite cannot rebuild a table a view names).
This migration marks from when the views exist; unapplying it drops them.
"""

from django.db import migrations

VIEWS = ("bi_daily_sales", "bi_product_sales", "bi_expenses", "bi_stock")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_dailysales_points"),
        ("core", "0004_legal_details_document_sequence"),
        ("catalog", "0003_productimage_name_length"),
        ("expenses", "0001_initial"),
        ("inventory", "0003_count_number"),
        ("suppliers", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            sql=migrations.RunSQL.noop,
            reverse_sql=[f"DROP VIEW IF EXISTS {name}" for name in VIEWS],
        )
    ]
