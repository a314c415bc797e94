"""The `hanout` command.

hanout serve [--host H] [--port P] [--workers N] [--no-demo] [--no-worker]
                              (--workers > 1 needs REDIS_URL: see cmd_serve)
hanout worker                 run background jobs (email, reports …)
hanout demo                   load the demo businesses (idempotent)
hanout token create EMAIL     print a new personal API token
hanout backup [--to DEST] [--encrypt] [--list] [--make-key FILE]
                              back up the database and media (docs/operator-guide.md)
hanout restore BACKUP [--yes] [--check-only]
                              check a backup, then put it back in place of the database
hanout manage ARGS…           any Django management command
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
    import django

    django.setup()


def _manage(args: list[str]) -> None:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hanout manage", *args])


def _die_with_parent() -> None:
    """In the worker child, before exec: on Linux, ask the kernel for SIGTERM when
    the server process dies, however it dies (uvicorn re-raises SIGTERM after its
    shutdown, so the server's own clean-up may never run)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _workers_problem(workers: int, redis_url: str) -> str:
    """Why `workers` app processes cannot serve this setup ("" when they can).

    Without Redis the channel layer lives in each process's memory: a phone payment
    confirmed in one process would never reach a register whose WebSocket is open in
    another (docs/adr/0007-serving-the-register-under-load.md)."""
    if workers > 1 and not redis_url:
        return (
            f"--workers {workers} needs REDIS_URL: without Redis each process has its own "
            "in-memory channel layer, and a register connected to one process would not "
            "hear a phone payment confirmed in another. Set REDIS_URL, or serve with one "
            "worker (it already serves HANOUT_HTTP_THREADS requests at once)."
        )
    return ""


STATIC_STAMP = ".hanout-collected"


def _static_stamp() -> str:
    """A fingerprint of every static file the app ships (name, size, time) and of how
    they are stored: what `collectstatic` would redo when it changes."""
    import hashlib

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    found = sorted(
        (path, storage.path(path))
        for finder in get_finders()
        for path, storage in finder.list(["CVS", ".*", "*~"])
    )
    digest = hashlib.sha256(repr(settings.STORAGES["staticfiles"]).encode())
    for path, full in found:
        stat = os.stat(full)
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> bool:
    """Gather and compress the pages' files when they changed since the last start (an
    install or an upgrade): doing it on every start cost the shop most of a minute.
    Returns whether it ran."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = _static_stamp()
    done = root / STATIC_STAMP
    manifest_kept = (root / "staticfiles.json").exists() or "Manifest" not in repr(
        settings.STORAGES["staticfiles"]
    )
    if manifest_kept and done.exists() and done.read_text() == stamp:
        return False
    print("Preparing the pages' files (after an install or an upgrade; up to a minute)...")
    sys.stdout.flush()
    call_command("collectstatic", interactive=False, verbosity=0)
    done.write_text(stamp)
    return True


def _pending_migrations() -> int:
    """How many migrations `migrate` is about to apply."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _standby_problem() -> str:
    """Words when DATABASE_URL names a PostgreSQL standby (read-only: after a failover,
    the old address); empty otherwise."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        standby = cursor.fetchone()[0]
    connection.close()  # the server and the workers open their own
    if not standby:
        return ""
    return (
        "The database in DATABASE_URL is a read-only standby: nothing could be sold or "
        "saved. Point DATABASE_URL at the primary (after a failover, the promoted server; "
        "see the operator guide, Streaming replication and failover)."
    )


def cmd_serve(opts) -> int:
    problem = _workers_problem(opts.workers, os.environ.get("REDIS_URL", ""))
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _django()
    from django.conf import settings
    from django.core.management import call_command

    problem = _standby_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2

    pending = _pending_migrations()
    if pending:
        # The first start creates every table: a minute or two with nothing else to show.
        print(f"Preparing the database ({pending} steps; a minute or two the first time)...")
        sys.stdout.flush()
    call_command("migrate", interactive=False, verbosity=0)
    if not (settings.DEBUG or settings.TESTING):
        collect_static()
    from hanout import demo
    from hanout.core.models import Business

    if not opts.no_demo and not Business.objects.exists():
        demo.load_demo(stdout=sys.stdout)
    worker = None
    if not opts.no_worker:
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "hanout.cli", "worker"], preexec_fn=_die_with_parent
        )
    url = f"http://{opts.host}:{opts.port}/"
    print(f"\nHanout is running on {url}  (data in {settings.DATA_DIR})")
    if demo.demo_loaded():
        print(f"Demo logins (password “{demo.DEMO_PASSWORD}”, register PIN {demo.DEMO_PIN}):")
        logins = demo.demo_logins()
        width = max(len(email) for _business, email, _role in logins)
        for business, email, role in logins:
            print(f"  {business:<22} {email:<{width}} {role}")
    elif not Business.objects.exists():
        print(f"No business yet: open {url} to register your store.")
    print("Press Ctrl+C to stop.\n", flush=True)
    import uvicorn

    try:
        uvicorn.run(
            "hanout.asgi:application",
            host=opts.host,
            port=opts.port,
            workers=opts.workers,
            log_level="info",
            proxy_headers=bool(os.environ.get("HANOUT_BEHIND_PROXY")),
            # WebSocket frames are small JSON; compressing each one for each socket cost
            # more server time than the whole fan-out of a chat message (bench/bench_chat.py)
            ws_per_message_deflate=False,
        )
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGINT)
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
    return 0


def cmd_worker(opts) -> int:
    _django()
    problem = _standby_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _manage(["run_huey", "--quiet"] if opts.quiet else ["run_huey"])
    return 0


def cmd_demo(opts) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from hanout import demo

    demo.load_demo(stdout=sys.stdout)
    print(f"Every demo password is “{demo.DEMO_PASSWORD}”, every register PIN {demo.DEMO_PIN}.")
    return 0


def cmd_token(opts) -> int:
    _django()
    from hanout.accounts.models import Membership
    from hanout.accounts.services import api_token_create

    memberships = Membership.objects.select_related("business", "user").filter(
        user__email__iexact=opts.email, is_active=True
    )
    if opts.business:
        memberships = memberships.filter(business__name=opts.business)
    found = list(memberships[:2])
    if not found:
        print(
            f"No active employee with email {opts.email}"
            + (f" in {opts.business}" if opts.business else ""),
            file=sys.stderr,
        )
        return 2
    if len(found) > 1:
        print(
            "This person works for several businesses; choose one with --business NAME.",
            file=sys.stderr,
        )
        return 2
    _, raw = api_token_create(membership=found[0], name=opts.name)
    print(raw)
    return 0


def _say(text: str) -> None:
    print(text, flush=True)


def cmd_backup(opts) -> int:
    if opts.make_key:
        from hanout.sync.crypto import new_key

        path = os.path.expanduser(opts.make_key)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            print(f"{path} already exists: not overwriting a key.", file=sys.stderr)
            return 2
        with os.fdopen(fd, "w") as fh:
            fh.write(new_key() + "\n")
        print(
            f"Wrote a new backup key to {path}. Set HANOUT_BACKUP_KEY_FILE={path} and keep a "
            "copy somewhere else (a password manager, paper): a backup encrypted with it "
            "cannot be read without it."
        )
        return 0
    _django()
    from hanout.sync import backups
    from hanout.sync.crypto import BackupKeyError
    from hanout.sync.engines import RestoreFailed
    from hanout.sync.storage import StorageError

    try:
        if opts.list:
            entries = backups.backups_list(opts.to)
            for e in entries:
                rows = f"{e.total_rows:>10} rows" if e.total_rows is not None else " " * 15
                size = f"{(e.size or 0) / 1e6:9.1f} MB"
                flag = "encrypted" if e.encrypted else ("" if e.complete else "INCOMPLETE")
                print(f"{e.name:<38} {size} {rows}  {e.engine:<10} {flag}")
            if not entries:
                print(f"No backup in {backups.destination_label(opts.to)}.")
            return 0
        key = None
        if opts.key_file:
            key = backups.configured_key(opts.key_file)
        result = backups.backup_create(
            destination=opts.to,
            encrypt=opts.encrypt,
            key=key,
            media=False if opts.no_media else None,
            say=_say,
        )
    except (BackupKeyError, RestoreFailed, StorageError) as exc:
        print(f"Backup failed: {exc}", file=sys.stderr)
        return 1
    rows = sum(result.manifest["row_counts"].values())
    print(f"Backup {result.name} ({result.size / 1e6:.1f} MB, {rows} rows) in {result.destination}")
    return 0


def cmd_sync(opts) -> int:
    """Send what waits to the hub now (`push`), or say how each linked business stands."""
    _django()
    from django.utils import translation

    from hanout.sync import selectors, services

    businesses = list(services.linked_businesses().order_by("name"))
    if opts.business:
        businesses = [b for b in businesses if b.name == opts.business]
    if not businesses:
        print(
            "No business here is linked to a hub"
            + (f" under the name {opts.business}" if opts.business else "")
            + " (Settings › Hub sync).",
            file=sys.stderr,
        )
        return 2
    failed = False
    for business in businesses:
        link = selectors.hub_link_for(business=business)
        if opts.action == "push":
            try:
                with translation.override(business.default_language):
                    done = services.push(business=business)
                print(
                    f"{business.name}: sent {done['sent']} changes to {link.hub_url}, "
                    f"received {done['received']}."
                )
            except services.HubUnreachable as exc:
                print(f"{business.name}: {exc}", file=sys.stderr)
                failed = True
            continue
        link.refresh_from_db()
        waiting = selectors.waiting_count(business=business, link=link)
        last = (
            link.last_success_at.isoformat(timespec="seconds") if link.last_success_at else "never"
        )
        print(f"{business.name} → {link.hub_url}")
        print(f"  last success: {last}; waiting: {waiting} changes; sent: {link.sent_count}")
        if link.last_error:
            print(f"  last problem: {link.last_error}")
    return 1 if failed else 0


def cmd_restore(opts) -> int:
    _django()
    from hanout.sync import backups
    from hanout.sync.crypto import BackupKeyError
    from hanout.sync.engines import RestoreFailed

    try:
        key = backups.configured_key(opts.key_file) if opts.key_file else None
        if opts.check_only or not opts.yes:
            checked = backups.backup_check(
                opts.backup,
                key=key,
                destination=opts.source,
                allow_ledger_mismatch=opts.allow_ledger_mismatch,
                say=_say,
            )
            import shutil

            shutil.rmtree(checked.work, ignore_errors=True)
            for warning in checked.warnings:
                print(f"Note: {warning}")
            rows = sum(checked.manifest["row_counts"].values())
            print(
                f"The backup is sound: {rows} rows in {len(checked.manifest['row_counts'])} tables, ledger checked."
            )
            if opts.check_only:
                return 0
            if not sys.stdin.isatty():
                print("Not restoring: add --yes to replace the database.", file=sys.stderr)
                return 2
            answer = input("Replace the current database (and media) with this backup? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing was changed.")
                return 2
        result = backups.backup_restore(
            opts.backup,
            key=key,
            destination=opts.source,
            allow_ledger_mismatch=opts.allow_ledger_mismatch,
            say=_say,
        )
    except (BackupKeyError, RestoreFailed) as exc:
        print(f"Restore refused: {exc}", file=sys.stderr)
        print("Nothing was changed.", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"Note: {warning}")
    for path in result.kept:
        print(f"The previous data is kept at {path} (delete it when you no longer need it).")
    rows = sum(result.found["row_counts"].values())
    print(
        f"Restored the backup of {result.manifest['created_at']}: {rows} rows. Restart the server."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        _manage(argv[1:])
        return 0
    parser = argparse.ArgumentParser(prog="hanout", description="Hanout retail operations.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate, load demo data on first start, and serve")
    serve.add_argument("--host", default=os.environ.get("HANOUT_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("HANOUT_PORT", "8000")))
    serve.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("HANOUT_WORKERS", "1")),
        help="app processes (more than 1 needs REDIS_URL); default HANOUT_WORKERS or 1",
    )
    serve.add_argument(
        "--no-demo", action="store_true", help="start empty: the first visit registers a store"
    )
    serve.add_argument(
        "--no-worker", action="store_true", help="do not start the background-job worker"
    )
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="run background jobs")
    worker.add_argument("--quiet", action="store_true")
    worker.set_defaults(func=cmd_worker)
    demo = sub.add_parser("demo", help="load the demo businesses (idempotent)")
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("manage", help="run a Django management command: hanout manage migrate …")
    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="print a new personal API token for EMAIL")
    create.add_argument("email")
    create.add_argument("--name", default="command line")
    create.add_argument("--business", default="")
    create.set_defaults(func=cmd_token)
    backup = sub.add_parser("backup", help="back up the database and media files")
    backup.add_argument(
        "--to", default=None, help="a folder or s3://bucket/prefix (default HANOUT_BACKUP_DIR)"
    )
    backup.add_argument(
        "--encrypt", action="store_true", help="encrypt with HANOUT_BACKUP_KEY(_FILE) or --key-file"
    )
    backup.add_argument("--key-file", default=None)
    backup.add_argument("--no-media", action="store_true", help="the database only")
    backup.add_argument("--list", action="store_true", help="list the backups instead")
    backup.add_argument("--make-key", metavar="FILE", help="write a new random key to FILE")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="check a backup, then replace the database with it")
    restore.add_argument("backup", help="a backup file, a backup name in --from, or an s3:// URL")
    restore.add_argument("--from", dest="source", default=None, help="where to find it by name")
    restore.add_argument("--yes", action="store_true", help="do not ask before replacing")
    restore.add_argument("--check-only", action="store_true", help="check it, change nothing")
    restore.add_argument("--key-file", default=None)
    restore.add_argument("--allow-ledger-mismatch", action="store_true")
    restore.set_defaults(func=cmd_restore)
    sync = sub.add_parser("sync", help="store → hub sync: send what waits now, or its status")
    sync.add_argument("action", choices=["push", "status"])
    sync.add_argument("--business", default="", help="only this business (by name)")
    sync.set_defaults(func=cmd_sync)
    opts = parser.parse_args(argv)
    return opts.func(opts)


if __name__ == "__main__":
    sys.exit(main())
