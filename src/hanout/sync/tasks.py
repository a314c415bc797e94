"""Background job of backups: the scheduled backup (docs/operator-guide.md, Backups)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

log = logging.getLogger(__name__)


def _run(reason: str) -> str:
    from hanout.sync import backups

    key = backups.configured_key()
    result = backups.backup_create(encrypt=bool(key), key=key or None)
    log.info("%s backup %s (%d bytes) in %s", reason, result.name, result.size, result.destination)
    return result.name


@db_periodic_task(crontab(minute="*/10"))
@lock_task("backup")
def scheduled_backup() -> str | None:
    """Make the day's backup when HANOUT_BACKUP_TIME has passed since the newest one."""
    import datetime

    from django.conf import settings

    from hanout.sync import backups, schedule

    try:
        at = schedule.parse_time(settings.HANOUT_BACKUP_TIME)
    except ValueError as exc:
        log.error("%s", exc)
        return None
    if at is None:
        return None
    entries = [e for e in backups.backups_list() if e.complete]
    newest = entries[0].created_at if entries else None
    now = datetime.datetime.now().astimezone()
    if not schedule.backup_due(now, newest, at):
        return None
    return _run("scheduled")


@db_task()
def backup_now(language: str = "") -> dict:
    """The "back up now" button of the backups page: {"name"} of the backup made, or
    {"problem"} in the reader's language, which the page shows."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from huey.contrib.djhuey import HUEY
    from huey.exceptions import TaskLockedException

    with translation.override(language or None):
        try:
            with HUEY.lock_task("backup"):  # the scheduled backup's lock
                return {"name": _run("requested")}
        except TaskLockedException:
            return {"problem": _("Another backup is being made: try again when it is done.")}
        except Exception as exc:
            log.exception("requested backup failed")
            return {"problem": str(exc)}


@db_task()
def check_backup(name: str, language: str = "") -> dict:
    """The backups page's "Check": every check a restore makes, off the web request (a big
    backup takes minutes). The outcome is the task's result, which the page reads."""
    import shutil

    from django.utils import translation

    from hanout.sync import backups
    from hanout.sync.crypto import BackupKeyError
    from hanout.sync.engines import RestoreFailed

    with translation.override(language or None):
        try:
            checked = backups.backup_check(name)
        except (RestoreFailed, BackupKeyError) as exc:
            return {"name": name, "ok": False, "problem": str(exc)}
    shutil.rmtree(checked.work, ignore_errors=True)
    return {
        "name": name,
        "ok": True,
        "manifest": checked.manifest,
        "warnings": [str(w) for w in checked.warnings],
    }


# --- store ↔ hub sync (docs/adr/0015-store-hub-sync.md) -------------------------------------


@db_periodic_task(crontab(minute="*/5"))
def scheduled_sync() -> int:
    """Every linked business of this store server sends what waits; then the day-long
    silences are told (a store to its owner, a hub about its stores)."""
    from django.utils import translation

    from hanout.sync import services

    sent = 0
    for business in services.linked_businesses():
        try:
            with translation.override(business.default_language):  # its page's last problem
                sent += services.push(business=business)["sent"]
        except services.HubUnreachable as exc:
            log.warning("sync of %s: %s", business.pk, exc)
        except Exception:  # one business's trouble never stops the others' sync
            log.exception("sync of %s failed", business.pk)
    services.silence_alerts()
    return sent


@db_task()
def sync_now(business_id: str, language: str = "") -> dict:
    """The "Sync now" button: {"sent": n} or {"problem"} in the reader's language."""
    from django.utils import translation

    from hanout.core.models import Business
    from hanout.sync import services

    with translation.override(language or None):
        try:
            return services.push(business=Business.objects.get(pk=business_id))
        except services.HubUnreachable as exc:
            return {"problem": str(exc)}
        except Exception as exc:
            log.exception("sync now failed")
            return {"problem": str(exc)}
