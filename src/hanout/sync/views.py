"""The backups page: list, back up now, check a backup and show how to restore it.

Who: the server's operator (`is_staff` or `is_superuser`), or — on a one-shop install,
where the shop owner *is* the operator — the owner of the only business. In an install
with several businesses an owner gets a 404: a backup holds every tenant's data.

The page never restores: it checks a backup and shows the exact `hanout restore`
command to run with the server stopped (docs/adr/0014-backups.md).
"""

from __future__ import annotations

import shlex
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from hanout.sync import backups, schedule
from hanout.sync.selectors import may_manage_backups
from hanout.sync.storage import StorageError


def operator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_manage_backups(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _restore_command(name: str) -> str:
    return shlex.join(["hanout", "restore", name, "--from", settings.HANOUT_BACKUP_DIR])


CHECK_KEY = "backup_check"  # the session's last "Check": {name, task, outcome}


def _check_state(request) -> dict | None:
    """The last check asked for on this session: running, or its outcome once the job ran."""
    from huey.contrib.djhuey import HUEY
    from huey.exceptions import TaskException

    asked = request.session.get(CHECK_KEY)
    if not asked:
        return None
    if asked.get("outcome") is None:
        try:
            outcome = HUEY.result(asked["task"])
        except TaskException as exc:
            outcome = {"name": asked["name"], "ok": False, "problem": str(exc)}
        if outcome is None:
            return {"name": asked["name"], "running": True}
        asked["outcome"] = outcome
        request.session[CHECK_KEY] = asked
    outcome = asked["outcome"]
    return {
        **outcome,
        "restore_command": _restore_command(outcome["name"]) if outcome["ok"] else "",
    }


RUN_KEY = "backup_run"  # the session's last "Back up now": {task}


def _run_state(request) -> dict | None:
    """The last "Back up now" of this session: running, then its outcome, said once (the
    new backup is in the list from then on)."""
    from huey.contrib.djhuey import HUEY
    from huey.exceptions import TaskException

    asked = request.session.get(RUN_KEY)
    if not asked:
        return None
    try:
        outcome = HUEY.result(asked["task"])
    except TaskException as exc:  # the job itself broke (the worker was killed…)
        outcome = {"problem": str(exc)}
    if outcome is None:
        return {"running": True}
    del request.session[RUN_KEY]
    if outcome.get("problem"):
        return {"failed": True, "problem": outcome["problem"]}
    return {"name": outcome["name"]}


def _page(request):
    try:
        entries = backups.backups_list()
        listing_error = None
    except StorageError as exc:
        entries, listing_error = [], str(exc)
    try:
        at = schedule.parse_time(settings.HANOUT_BACKUP_TIME)
    except ValueError:
        at = None
    context = {
        "entries": entries,
        "listing_error": listing_error,
        "destination": settings.HANOUT_BACKUP_DIR,
        "schedule_at": at,
        "encrypting": bool(settings.HANOUT_BACKUP_KEY or settings.HANOUT_BACKUP_KEY_FILE),
        "media_included": settings.HANOUT_BACKUP_MEDIA,
        "engine": backups.engine(),
        "check": _check_state(request),
        "run": _run_state(request),
    }
    return render(request, "sync/backups.html", context)


@operator_required
def backup_list(request):
    return _page(request)


@require_POST
@operator_required
def backup_run(request):
    from hanout.sync.tasks import backup_now

    # The page follows the job (every 2 s) and says when the backup is made, or why not.
    task = backup_now(translation.get_language() or "")
    request.session[RUN_KEY] = {"task": task.id}
    return redirect("backup_list")


@require_POST
@operator_required
def backup_check(request, name):
    """Start checking a backup in the job worker; the page shows the outcome when it is in."""
    from hanout.sync.tasks import check_backup

    if not backups.NAME.match(name):
        raise Http404
    task = check_backup(name, translation.get_language() or "")
    request.session[CHECK_KEY] = {"name": name, "task": task.id, "outcome": None}
    return redirect("backup_list")
