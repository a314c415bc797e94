from django.apps import AppConfig


class SyncConfig(AppConfig):
    """Store ↔ hub sync (to come), backups and restore (docs/adr/0014-backups.md)."""

    name = "hanout.sync"
    label = "sync"
    default_auto_field = "django.db.models.BigAutoField"
