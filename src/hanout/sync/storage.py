"""Where backups go: a folder (built in) or S3-compatible storage (s3://bucket/prefix).

A destination holds flat files by name: `put` a local file (which may be moved away), `get` one back to a local
path, `list`, `read` a small one (the .json beside each backup) and `delete`. A file is
only visible under its name once it is complete (a folder writes `.part` then renames;
S3 makes an object visible when its upload ends).

S3: endpoint from HANOUT_BACKUP_S3_ENDPOINT (or AWS_ENDPOINT_URL), credentials and
region from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION) or boto3's other sources.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse


class StorageError(Exception):
    pass


class FolderStorage:
    def __init__(self, path: str | os.PathLike):
        self.root = Path(path).expanduser()
        self.label = str(self.root)

    def _path(self, name: str) -> Path:
        if "/" in name or "\\" in name or name.startswith("."):
            raise StorageError(f"Not a backup file name: {name!r}")
        return self.root / name

    def list(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_file())

    def put(self, local: Path, name: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        target = self._path(name)
        part = target.with_name(target.name + ".part")
        shutil.move(local, part)  # a rename on the same file system: the caller's copy is spent
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, target)

    def get(self, name: str, local: Path) -> None:
        path = self._path(name)
        if not path.is_file():
            raise StorageError(f"No backup named {name} in {self.label}.")
        shutil.copyfile(path, local)

    def read(self, name: str) -> bytes | None:
        path = self._path(name)
        return path.read_bytes() if path.is_file() else None

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)


class S3Storage:
    def __init__(self, url: str):
        parsed = urlparse(url)
        if not parsed.netloc:
            raise StorageError(f"An S3 destination looks like s3://bucket/prefix, not {url!r}.")
        self.bucket = parsed.netloc
        prefix = parsed.path.strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.label = url
        try:
            import boto3
        except ImportError as exc:  # pragma: no cover - boto3 is a dependency
            raise StorageError("S3 destinations need boto3 (pip install boto3).") from exc
        endpoint = os.environ.get("HANOUT_BACKUP_S3_ENDPOINT") or None
        self.client = boto3.client("s3", endpoint_url=endpoint)

    def _call(self, what: str, fn, *args, **kwargs):
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(*args, **kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise StorageError(f"S3 {what} failed on {self.label}: {exc}") from exc

    def list(self) -> list[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        names = []
        pages = self._call(
            "listing", lambda: list(paginator.paginate(Bucket=self.bucket, Prefix=self.prefix))
        )
        for page in pages:
            for obj in page.get("Contents", []):
                rest = obj["Key"][len(self.prefix) :]
                if rest and "/" not in rest:
                    names.append(rest)
        return sorted(names)

    def put(self, local: Path, name: str) -> None:
        self._call("upload", self.client.upload_file, str(local), self.bucket, self.prefix + name)

    def get(self, name: str, local: Path) -> None:
        if name not in self.list():
            raise StorageError(f"No backup named {name} in {self.label}.")
        self._call(
            "download", self.client.download_file, self.bucket, self.prefix + name, str(local)
        )

    def read(self, name: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageError(f"S3 read failed on {self.label}: {exc}") from exc
        return obj["Body"].read()

    def delete(self, name: str) -> None:
        self._call("delete", self.client.delete_object, Bucket=self.bucket, Key=self.prefix + name)


def storage_for(destination: str | os.PathLike):
    text = str(destination)
    if text.startswith("s3://"):
        return S3Storage(text)
    if "://" in text:
        raise StorageError(f"Unknown destination {text!r}: give a folder or s3://bucket/prefix.")
    return FolderStorage(text)
