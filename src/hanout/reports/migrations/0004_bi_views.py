"""Read-only SQL views for BI tools (docs/bi.md): the same figures as the export API.

Portable SQL (SQLite and PostgreSQL). Every view carries `business_id`, so an operator
can hand a BI tool one business's rows. Computed amounts are rounded to the columns'
three decimals (SQLite computes in floating point). The SQL is frozen here on purpose:
a later migration that changes a column these views read (PostgreSQL refuses to alter
a column a view uses) drops the views first and creates its own versions after.
"""

from django.db import migrations

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
            sql=f"CREATE VIEW {name} AS {body.strip()}",
            reverse_sql=f"DROP VIEW IF EXISTS {name}",
        )
        for name, body in VIEWS.items()
    ]
