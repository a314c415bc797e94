"""Where report reads go: the primary, or a read replica when one is configured.

With `DATABASE_REPLICA_URL` set (PostgreSQL only), settings add a `replica` database
alias and set `REPORTS_DATABASE = "replica"`. Then:

- reads of the daily tables (`DailySales`, `DailyProductSales`) — what the dashboard,
  the sales report and the BI export read — go to the replica;
- every other read goes to the primary, so a service that writes then reads sees its
  own write (routing *all* reads to a replica would break that);
- every write goes to the primary, even for an object that was read from the replica;
- nothing is ever migrated on the replica (it copies the primary by itself).

Without a replica `REPORTS_DATABASE` is "default" and the router has no opinion:
Django behaves exactly as if it were not installed. See docs/adr/0010-read-replica.md
for what a lagging replica means for the reports.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT = "default"
REPLICA = "replica"
# Models whose reads may be served by the replica: derived, report-only tables.
REPORT_MODELS = frozenset({"reports.dailysales", "reports.dailyproductsales"})


def read_alias() -> str:
    """The database alias the reports read from ("default" without a replica)."""
    return getattr(settings, "REPORTS_DATABASE", DEFAULT) or DEFAULT


class ReportsRouter:
    """Sends the report tables' reads to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        alias = read_alias()
        if alias == DEFAULT:
            return None
        return alias if model._meta.label_lower in REPORT_MODELS else DEFAULT

    def db_for_write(self, model, **hints):
        return None if read_alias() == DEFAULT else DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary: relating them is fine.
        dbs = {DEFAULT, read_alias()}
        if obj1._state.db in dbs and obj2._state.db in dbs:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
