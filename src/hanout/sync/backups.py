"""Backups with a tested restore (docs/adr/0014-backups.md, docs/operator-guide.md).

A backup is two files in a destination (a folder or s3://bucket/prefix):

    hanout-20270115T030000Z.tar[.enc]       the archive (encrypted with --encrypt)
    hanout-20270115T030000Z.tar[.enc].json  its size and SHA-256, and (unencrypted only)
                                            a copy of the manifest for the listing

The archive is a tar of `manifest.json` (first), `database.sqlite3` or
`database.pgdump`, and the uploaded files under `media/` and `private/`. The manifest
holds the format version, database engine, app version, applied migrations, the row
count of every table, the ledger invariants, the time it was made and the SHA-256 of
every other member.

A restore checks everything before it changes anything: the archive's checksum, the key,
the manifest, every member's checksum, the migrations (not from a newer Hanout), then it
opens the database copy (SQLite: read-only, quick_check; PostgreSQL: restored into a
scratch database) and compares its row counts and invariants with the manifest. Only
then is the live database replaced, in one transaction, and the media folders swapped.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from hanout.sync import crypto, engines, rotation
from hanout.sync.engines import POSTGRES, SQLITE, RestoreFailed
from hanout.sync.storage import FolderStorage, StorageError, storage_for

FORMAT_VERSION = 1
NAME = re.compile(r"^hanout-(\d{8}T\d{6}Z)\.tar(\.enc)?$")
STAMP = "%Y%m%dT%H%M%SZ"
BLOCK = 1 << 20

Say = Callable[[str], None]


def _quiet(_text: str) -> None:
    pass


# --- settings ---------------------------------------------------------------------------------


def engine() -> str:
    from django.conf import settings

    return POSTGRES if "postgresql" in settings.DATABASES["default"]["ENGINE"] else SQLITE


def default_destination() -> str:
    from django.conf import settings

    return settings.HANOUT_BACKUP_DIR


def configured_key(key_file: str | None = None) -> str:
    """The owner's key: --key-file, else HANOUT_BACKUP_KEY, else HANOUT_BACKUP_KEY_FILE."""
    from django.conf import settings

    path = key_file or (None if settings.HANOUT_BACKUP_KEY else settings.HANOUT_BACKUP_KEY_FILE)
    if path:
        try:
            return Path(path).expanduser().read_text().strip()
        except OSError as exc:
            raise crypto.BackupKeyError(
                f"Cannot read the key file {path}: {exc.strerror}."
            ) from exc
    return settings.HANOUT_BACKUP_KEY


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hanout")
    except PackageNotFoundError:  # pragma: no cover - always installed
        return "unknown"


def _work_dir(prefix: str) -> Path:
    from django.conf import settings

    # Next to the data: the database copy is as private as the database itself.
    return Path(tempfile.mkdtemp(prefix=prefix, dir=settings.DATA_DIR))


def _media_roots() -> dict[str, Path]:
    from django.conf import settings

    private = settings.STORAGES.get("private", {}).get("OPTIONS", {}).get("location")
    roots = {"media": Path(settings.MEDIA_ROOT)}
    if private:
        roots["private"] = Path(private)
    return roots


# --- writing ----------------------------------------------------------------------------------


class _HashingWriter:
    def __init__(self, out):
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def write(self, data) -> int:
        self.sha.update(data)
        self.size += len(data)
        return self.out.write(data)

    def flush(self) -> None:
        self.out.flush()


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(BLOCK):
            sha.update(block)
    return sha.hexdigest()


@dataclass
class BackupResult:
    name: str
    destination: str
    size: int
    manifest: dict
    deleted: list[str] = field(default_factory=list)


def _new_name(existing: list[str], now: datetime.datetime, encrypted: bool) -> str:
    taken = {m.group(1) for n in existing if (m := NAME.match(n))}
    while now.strftime(STAMP) in taken:
        now += datetime.timedelta(seconds=1)
    return f"hanout-{now.strftime(STAMP)}.tar" + (".enc" if encrypted else "")


def backup_create(
    *,
    destination: str | None = None,
    encrypt: bool = False,
    key: str | None = None,
    media: bool | None = None,
    rotate: bool = True,
    now: datetime.datetime | None = None,
    say: Say = _quiet,
) -> BackupResult:
    """Make a backup of the database (and media) into `destination`, then rotate."""
    from django.conf import settings
    from django.db import connections

    destination = str(destination or default_destination())
    store = storage_for(destination)
    media = settings.HANOUT_BACKUP_MEDIA if media is None else media
    if encrypt:
        key = key if key is not None else configured_key()
        if not key:
            raise crypto.BackupKeyError(
                "--encrypt needs a key: set HANOUT_BACKUP_KEY or HANOUT_BACKUP_KEY_FILE "
                "(hanout backup --make-key FILE writes a new one). Keep a copy of it away "
                "from this computer: without it the backup cannot be read."
            )
    now = (now or datetime.datetime.now(datetime.UTC)).replace(microsecond=0)
    work = _work_dir(".backup-")
    try:
        vendor = engine()
        db = settings.DATABASES["default"]
        if vendor == SQLITE:
            member = "database.sqlite3"
            say("Copying the SQLite database (online backup API)…")
            name = str(db["NAME"])
            live = name
            if name == ":memory:" or name.startswith("file:"):  # the test database
                connections["default"].ensure_connection()
                live = connections["default"].connection
            found = engines.sqlite_copy(live, work / member)
        else:
            member = "database.pgdump"
            say("Dumping the PostgreSQL database (pg_dump)…")
            found = engines.pg_copy(db, work / member)
        members = {
            member: {"size": (work / member).stat().st_size, "sha256": _sha256(work / member)}
        }
        files: list[tuple[str, Path]] = []
        if media:
            for prefix, root in _media_roots().items():
                if not root.is_dir():
                    continue
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        arcname = f"{prefix}/{path.relative_to(root).as_posix()}"
                        members[arcname] = {"size": path.stat().st_size, "sha256": _sha256(path)}
                        files.append((arcname, path))
        manifest = {
            "format_version": FORMAT_VERSION,
            "engine": vendor,
            "app_version": app_version(),
            "created_at": now.isoformat().replace("+00:00", "Z"),
            "media_included": bool(media),
            **found,
            "members": members,
        }
        broken = engines.broken_invariants(found["invariants"])
        if broken:
            say("WARNING: the live ledger is already inconsistent: " + "; ".join(broken))
        archive_name = _new_name(store.list(), now, encrypt)
        archive = work / archive_name
        say(f"Writing {archive_name}…")
        with open(archive, "wb") as raw:
            hashing = _HashingWriter(raw)
            sink = crypto.EncryptingWriter(hashing, key) if encrypt else hashing
            with tarfile.open(fileobj=sink, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mtime = len(data), int(now.timestamp())
                tar.addfile(info, io.BytesIO(data))
                tar.add(work / member, arcname=member, recursive=False)
                for arcname, path in files:
                    tar.add(path, arcname=arcname, recursive=False)
            if encrypt:
                sink.close()
            raw.flush()
            os.fsync(raw.fileno())
        (work / member).unlink()
        sidecar = {
            "format_version": FORMAT_VERSION,
            "file": archive_name,
            "size": hashing.size,
            "sha256": hashing.sha.hexdigest(),
            "encrypted": encrypt,
            "engine": vendor,
            "app_version": manifest["app_version"],
            "created_at": manifest["created_at"],
            # Row counts stay inside an encrypted backup.
            "manifest": None if encrypt else manifest,
        }
        (work / f"{archive_name}.json").write_text(json.dumps(sidecar, indent=1, sort_keys=True))
        say(f"Storing it in {store.label}…")
        store.put(archive, archive_name)
        store.put(work / f"{archive_name}.json", f"{archive_name}.json")  # last: complete
        result = BackupResult(archive_name, store.label, hashing.size, manifest)
        if rotate:
            result.deleted = apply_rotation(store, protect=archive_name)
            for gone in result.deleted:
                say(f"Rotation removed {gone}")
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def backup_time(name: str) -> datetime.datetime | None:
    m = NAME.match(name)
    if not m:
        return None
    return datetime.datetime.strptime(m.group(1), STAMP).replace(tzinfo=datetime.UTC)


def apply_rotation(
    store, *, protect: str | None = None, policy: rotation.Policy | None = None
) -> list[str]:
    """Delete the backups the grandfather-father-son policy does not keep (and their .json)."""
    names = store.list()
    by_time = {backup_time(n): n for n in names if backup_time(n)}
    keep = rotation.to_keep(by_time, policy or rotation.Policy())
    deleted = []
    for when, name in sorted(by_time.items()):
        if when in keep or name == protect:
            continue
        store.delete(f"{name}.json")  # first: a backup without its .json is not listed
        store.delete(name)
        deleted.append(name)
    return deleted


# --- listing ----------------------------------------------------------------------------------


@dataclass
class BackupEntry:
    name: str
    created_at: datetime.datetime
    size: int | None
    encrypted: bool
    engine: str
    app_version: str
    manifest: dict | None
    complete: bool

    @property
    def total_rows(self) -> int | None:
        if not self.manifest:
            return None
        return sum(self.manifest.get("row_counts", {}).values())


def backups_list(destination: str | None = None) -> list[BackupEntry]:
    """The backups in a destination, newest first, from their .json files."""
    store = storage_for(destination or default_destination())
    names = store.list()
    present = set(names)
    found = []
    for name in names:
        when = backup_time(name)
        if when is None:
            continue
        sidecar = None
        if f"{name}.json" in present:
            try:
                sidecar = json.loads(store.read(f"{name}.json") or b"null")
            except ValueError:
                sidecar = None
        found.append(
            BackupEntry(
                name=name,
                created_at=when,
                size=(sidecar or {}).get("size"),
                encrypted=name.endswith(".enc"),
                engine=(sidecar or {}).get("engine", ""),
                app_version=(sidecar or {}).get("app_version", ""),
                manifest=(sidecar or {}).get("manifest"),
                complete=sidecar is not None,
            )
        )
    return sorted(found, key=lambda e: e.created_at, reverse=True)


# --- checking and restoring -------------------------------------------------------------------


@dataclass
class Checked:
    """A backup that passed every check, unpacked in `work` (delete it when done)."""

    work: Path
    manifest: dict
    database: Path
    media: dict[str, Path]
    found: dict
    warnings: list[str] = field(default_factory=list)


def _fetch(source: str, work: Path, destination: str | None) -> tuple[Path, Path | None]:
    """The archive and its .json as local files."""
    local = Path(source).expanduser()
    if local.is_file():
        sidecar = local.with_name(local.name + ".json")
        return local, sidecar if sidecar.is_file() else None
    if source.startswith("s3://"):
        where, _, name = source.rstrip("/").rpartition("/")
        store = storage_for(where)
    else:
        name = source
        store = storage_for(destination or default_destination())
        if "/" in name:
            raise RestoreFailed(f"No backup file at {source}.")
    if not NAME.match(name):
        raise RestoreFailed(
            f"{name} is not a Hanout backup name (hanout-YYYYMMDDTHHMMSSZ.tar[.enc])."
        )
    try:
        store.get(name, work / name)
        data = store.read(f"{name}.json")
    except StorageError as exc:
        raise RestoreFailed(str(exc)) from exc
    sidecar = None
    if data is not None:
        sidecar = work / f"{name}.json"
        sidecar.write_bytes(data)
    return work / name, sidecar


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise RestoreFailed(f"The backup holds a file with an unsafe name: {name!r}.")
    return path


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def backup_check(
    source: str,
    *,
    key: str | None = None,
    destination: str | None = None,
    allow_ledger_mismatch: bool = False,
    say: Say = _quiet,
) -> Checked:
    """Every check a restore makes, changing nothing. Raises RestoreFailed / BackupKeyError."""
    from django.conf import settings

    work = _work_dir(".restore-")
    try:
        return _check(source, work, key, destination, allow_ledger_mismatch, say, settings)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _check(source, work, key, destination, allow_ledger_mismatch, say, settings) -> Checked:
    archive, sidecar_path = _fetch(source, work, destination)
    if sidecar_path is None:
        raise RestoreFailed(
            f"The checksum file {archive.name}.json is missing next to the backup: copy both "
            "files of a backup together."
        )
    try:
        sidecar = json.loads(sidecar_path.read_text())
        expected_sha, expected_size = sidecar["sha256"], sidecar["size"]
    except (ValueError, KeyError, TypeError) as exc:
        raise RestoreFailed(f"The checksum file {sidecar_path.name} is unreadable.") from exc
    say("Checking the archive's checksum…")
    size = archive.stat().st_size
    if size != expected_size or _sha256(archive) != expected_sha:
        raise RestoreFailed(
            f"The backup {archive.name} does not match its checksum "
            f"({size} bytes, {expected_size} expected): it was changed or damaged after it "
            "was made. Nothing was restored."
        )
    with open(archive, "rb") as raw:
        encrypted = crypto.is_encrypted(raw.read(len(crypto.MAGIC)))
        raw.seek(0)
        if encrypted:
            key = key if key is not None else configured_key()
            if not key:
                raise crypto.BackupKeyError(
                    "This backup is encrypted: give its key (HANOUT_BACKUP_KEY, "
                    "HANOUT_BACKUP_KEY_FILE or --key-file)."
                )
            stream = crypto.DecryptingReader(raw, key)
        else:
            stream = raw
        try:
            checked = _unpack(stream, work, say)
        except crypto.BackupDamaged as exc:
            raise RestoreFailed(str(exc)) from exc
        except tarfile.TarError as exc:
            raise RestoreFailed(f"The backup archive is damaged: {exc}") from exc
    if archive.parent == work:
        archive.unlink()  # downloaded: its space is needed for the unpacked copy
    manifest = checked.manifest
    if manifest["engine"] != engine():
        raise RestoreFailed(
            f"This is a {manifest['engine']} backup and this server uses {engine()}: "
            "restore it on a server with the same database engine."
        )
    known = _known_migrations()
    from django.apps import apps

    installed = {app.label for app in apps.get_app_configs()}
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if app in installed and (app, name) not in known
    ]
    if unknown:
        raise RestoreFailed(
            f"The backup was made by a newer Hanout ({manifest['app_version']}): this one does "
            f"not know its migrations {', '.join(unknown[:5])}. Upgrade Hanout, then restore."
        )
    say("Opening the database copy and counting its rows…")
    if manifest["engine"] == SQLITE:
        found = engines.sqlite_check_copy(checked.database)
    else:
        found = engines.pg_check_copy(settings.DATABASES["default"], checked.database)
    checked.found = found
    differ = [
        f"{t}: {found['row_counts'].get(t)} rows, {n} expected"
        for t, n in manifest["row_counts"].items()
        if found["row_counts"].get(t) != n
    ]
    if differ:
        raise RestoreFailed(
            "The database copy does not match its manifest: " + "; ".join(differ[:10])
        )
    if found["invariants"] != manifest["invariants"]:
        raise RestoreFailed(
            "The ledger totals of the database copy differ from its manifest: "
            f"{found['invariants']} instead of {manifest['invariants']}."
        )
    broken = engines.broken_invariants(found["invariants"])
    if broken:
        message = "The ledger in this backup is inconsistent: " + "; ".join(broken)
        if not allow_ledger_mismatch:
            raise RestoreFailed(
                message + ". It was already so when the backup was made; restore it anyway "
                "with --allow-ledger-mismatch."
            )
        checked.warnings.append(message)
    applied = {(app, n) for app, names in manifest["migrations"].items() for n in names}
    pending = sorted(f"{a}.{n}" for a, n in known if a in installed and (a, n) not in applied)
    if pending:
        checked.warnings.append(
            f"The backup is from an older Hanout ({len(pending)} migrations behind this one): "
            "`hanout manage migrate` (or `hanout serve`, which migrates) brings it up to date."
        )
    return checked


def _unpack(stream, work: Path, say: Say) -> Checked:
    staging = work / "unpacked"
    staging.mkdir()
    manifest = None
    seen: set[str] = set()
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for info in tar:
            if manifest is None:
                if info.name != "manifest.json" or not info.isfile():
                    raise RestoreFailed("This is not a Hanout backup (no manifest first).")
                try:
                    manifest = json.loads(tar.extractfile(info).read())
                except ValueError as exc:
                    raise RestoreFailed("The backup's manifest is unreadable.") from exc
                if manifest.get("format_version") != FORMAT_VERSION:
                    raise RestoreFailed(
                        f"Backup format {manifest.get('format_version')} is not one this "
                        f"Hanout reads ({FORMAT_VERSION})."
                    )
                say(
                    f"Backup of {manifest['created_at']} ({manifest['engine']}, "
                    f"Hanout {manifest['app_version']})."
                )
                continue
            if not info.isfile():
                raise RestoreFailed(f"The backup holds an unexpected entry {info.name!r}.")
            rel = _safe_member(info.name)
            expected = manifest["members"].get(info.name)
            if expected is None or info.name in seen:
                raise RestoreFailed(
                    f"The backup holds a file its manifest does not list: {info.name}."
                )
            seen.add(info.name)
            target = staging.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            sha = hashlib.sha256()
            src = tar.extractfile(info)
            with open(target, "wb") as out:
                while block := src.read(BLOCK):
                    sha.update(block)
                    out.write(block)
            if sha.hexdigest() != expected["sha256"]:
                raise RestoreFailed(f"{info.name} in the backup does not match its checksum.")
    if manifest is None:
        raise RestoreFailed("The backup is empty.")
    missing = set(manifest["members"]) - seen
    if missing:
        raise RestoreFailed(f"The backup is incomplete: {', '.join(sorted(missing)[:5])} missing.")
    database = staging / ("database.sqlite3" if manifest["engine"] == SQLITE else "database.pgdump")
    media = {p: staging / p for p in ("media", "private")} if manifest.get("media_included") else {}
    return Checked(work=work, manifest=manifest, database=database, media=media, found={})


@dataclass
class RestoreResult:
    manifest: dict
    found: dict
    kept: list[str]
    warnings: list[str]


def backup_restore(
    source: str,
    *,
    key: str | None = None,
    destination: str | None = None,
    allow_ledger_mismatch: bool = False,
    say: Say = _quiet,
) -> RestoreResult:
    """Check the backup; only if every check passes, replace the database and media."""
    from django.conf import settings

    checked = backup_check(
        source,
        key=key,
        destination=destination,
        allow_ledger_mismatch=allow_ledger_mismatch,
        say=say,
    )
    stamp = datetime.datetime.now(datetime.UTC).strftime(STAMP)
    kept: list[str] = []
    try:
        say("Every check passed. Restoring the database…")
        db = settings.DATABASES["default"]
        if checked.manifest["engine"] == SQLITE:
            live = Path(db["NAME"])
            previous = (
                live.with_name(f"{live.name}.before-restore-{stamp}") if live.exists() else None
            )
            found = engines.sqlite_restore_live(checked.database, live, previous)
            if previous:
                kept.append(str(previous))
        else:
            # What is about to be replaced, dumped first (a failure here changes nothing);
            # `pg_restore` of that file undoes the restore.
            previous = Path(settings.DATA_DIR) / f"database.before-restore-{stamp}.pgdump"
            say("Keeping a copy of the current database…")
            engines.pg_copy(db, previous)
            kept.append(str(previous))
            found = engines.pg_restore_live(db, checked.database)
        roots = _media_roots()
        for prefix, staged in checked.media.items():
            root = roots.get(prefix)
            if root is None:
                continue
            staged.mkdir(exist_ok=True)
            # Same file system as the live folder, so the swap is two renames.
            landing = root.with_name(f".{root.name}.restoring-{stamp}")
            shutil.move(str(staged), landing)
            if root.exists():
                old = root.with_name(f"{root.name}.before-restore-{stamp}")
                os.replace(root, old)
                kept.append(str(old))
            os.replace(landing, root)
        differ = [
            t for t, n in checked.manifest["row_counts"].items() if found["row_counts"].get(t) != n
        ]
        if differ or found["invariants"] != checked.manifest["invariants"]:
            checked.warnings.append(
                "After the restore the live database differs from the backup in "
                f"{', '.join(differ[:10]) or 'its ledger totals'}: something wrote to it "
                "meanwhile (stop the server while restoring)."
            )
        return RestoreResult(checked.manifest, found, kept, checked.warnings)
    finally:
        shutil.rmtree(checked.work, ignore_errors=True)


def destination_label(destination: str | None = None) -> str:
    store = storage_for(destination or default_destination())
    return store.label if not isinstance(store, FolderStorage) else str(store.root)
