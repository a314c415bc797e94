"""The database itself refuses to change an audit row.

DELETE is refused by the application (queryset, instance, admin) but not by a
trigger, so that a test database can still be flushed.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    BEGIN SELECT RAISE(ABORT, 'audit entries are immutable'); END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS core_auditentry_no_update;"]

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_refuse_update() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit entries are immutable'; END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_refuse_update();
    """,
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update ON core_auditentry;",
    "DROP FUNCTION IF EXISTS core_auditentry_refuse_update();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
