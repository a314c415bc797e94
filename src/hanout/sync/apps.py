from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def _drop_triggers(sender, using="default", plan=None, **kwargs):
    from hanout.sync.outbox import drop_triggers

    if plan:  # only when something is migrated
        drop_triggers(using)


def _make_triggers(sender, using="default", **kwargs):
    from hanout.sync.outbox import ensure_triggers

    ensure_triggers(using)


class SyncConfig(AppConfig):
    """Store ↔ hub sync (docs/adr/0015-store-hub-sync.md), backups and restore
    (docs/adr/0014-backups.md)."""

    name = "hanout.sync"
    label = "sync"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After every migrate: SQLite rebuilds a table to alter it, dropping its triggers.
        pre_migrate.connect(_drop_triggers, sender=self, dispatch_uid="hanout_sync_untrigger")
        post_migrate.connect(_make_triggers, sender=self, dispatch_uid="hanout_sync_triggers")
