"""Search indexes, one kind per database (see hanout/catalog/search.py).

PostgreSQL: pg_trgm and a GIN trigram index on the search text (substring
LIKE), and a pattern-ops index on (business, name_key) for short prefixes.
SQLite: an FTS5 trigram table over the search rows (external content) kept in
sync by three triggers, and a (business, name_key) index.
"""

from django.db import migrations, models

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS product_search_text_trgm ON catalog_productsearch "
    "USING gin (text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS product_search_name_key ON catalog_productsearch "
    "(business_id, name_key varchar_pattern_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS product_search_name_key",
    "DROP INDEX IF EXISTS product_search_text_trgm",
]

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_productsearch_fts USING fts5("
    "text, content='catalog_productsearch', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS catalog_productsearch_fts_ai AFTER INSERT ON catalog_productsearch "
    "BEGIN INSERT INTO catalog_productsearch_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_productsearch_fts_ad AFTER DELETE ON catalog_productsearch "
    "BEGIN INSERT INTO catalog_productsearch_fts(catalog_productsearch_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS catalog_productsearch_fts_au AFTER UPDATE ON catalog_productsearch "
    "BEGIN INSERT INTO catalog_productsearch_fts(catalog_productsearch_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO catalog_productsearch_fts(rowid, text) VALUES (new.id, new.text); END",
    # Rows written before this migration (none in practice) get indexed too.
    "INSERT INTO catalog_productsearch_fts(catalog_productsearch_fts) VALUES ('rebuild')",
    "CREATE INDEX IF NOT EXISTS product_search_name_key ON catalog_productsearch "
    "(business_id, name_key)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS product_search_name_key",
    "DROP TRIGGER IF EXISTS catalog_productsearch_fts_au",
    "DROP TRIGGER IF EXISTS catalog_productsearch_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_productsearch_fts_ai",
    "DROP TABLE IF EXISTS catalog_productsearch_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("core", "0003_business_allow_negative_stock_idempotencykey"),
    ]

    operations = [
        migrations.AddField(
            model_name="category",
            name="product_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="products"),
        ),
        migrations.AddField(
            model_name="productsearch",
            name="name_key",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                fields=["business", "sale_price", "id"], name="product_business_price"
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        ),
    ]
