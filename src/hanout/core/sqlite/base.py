"""SQLite with writers queued in order instead of sleeping in SQLite's busy handler.

SQLite lets one writer at a time. With `transaction_mode = IMMEDIATE` every
`atomic()` starts with `BEGIN IMMEDIATE`, and a writer that finds the lock
taken waits in SQLite's busy handler: it sleeps (1, 2, 5 … 100 ms), wakes,
retries — so under load the waiters wake too late, the lock sits idle between
them, some wait the whole `timeout` and fail with "database is locked", and a
lucky newcomer can overtake a writer that has been waiting for seconds. On the
register's sale benchmark that was most of the latency and every 500.

Here each write transaction (and each write statement run outside one) first
takes a lock in the process, handed over in arrival order the moment the
holder commits or rolls back, then — so that several processes on the same
file (`hanout serve --workers`, the job worker, a management command) queue
too — an advisory `flock` on `<database>-writelock`. Only then does it run
`BEGIN IMMEDIATE`, which now finds SQLite's lock free. Readers are not
involved (WAL: they never wait for the writer).

If the lock cannot be had within the database's `timeout`, the transaction
goes ahead without it and SQLite's own busy handler decides, as before: the
lock can make writers wait in a better order, never fail more often.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections import deque

from django.db.backends.sqlite3 import base as sqlite_base

try:  # POSIX; on Windows writers of other processes fall back to SQLite's busy handler
    import fcntl
except ImportError:  # pragma: no cover - not on the machines the suite runs on
    fcntl = None

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class FifoLock:
    """A lock handed to its waiters in the order they asked (threading.Lock is not fair)."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._waiters: deque[threading.Lock] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._mutex:
            if not self._held and not self._waiters:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._mutex:
            try:
                self._waiters.remove(turn)
            except ValueError:  # handed to us just as we gave up: it is ours
                return True
            return False

    def release(self) -> None:
        with self._mutex:
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by the next in line
            else:
                self._held = False

    @property
    def waiting(self) -> int:
        return len(self._waiters)


class WriteLock:
    """The in-process FIFO lock plus an advisory file lock shared with other processes."""

    def __init__(self, path: str | None):
        self.local = FifoLock()
        self.path = path
        self._fd: int | None = None
        self._pid: int | None = None

    def _file(self) -> int | None:
        if self.path is None or fcntl is None:
            return None
        if self._pid != os.getpid():  # after a fork, the child opens its own
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def acquire(self, timeout: float) -> tuple[bool, bool]:
        """(in-process lock held, file lock held)."""
        deadline = time.monotonic() + timeout
        if not self.local.acquire(timeout):
            return False, False
        fd = self._file()
        if fd is None:
            return True, False
        pause = 0.0002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True, True
            except BlockingIOError:
                # Another process writes. Only this process's first writer polls;
                # the others queue on the in-process lock.
                if time.monotonic() >= deadline:
                    return True, False
                time.sleep(pause)
                pause = min(pause * 2, 0.002)

    def release(self, local: bool, file: bool) -> None:
        if file and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        if local:
            self.local.release()


_locks: dict[str, WriteLock] = {}
_locks_guard = threading.Lock()


def write_lock_for(name: str, in_memory: bool) -> WriteLock:
    key = str(name)
    with _locks_guard:
        lock = _locks.get(key)
        if lock is None:
            path = None if in_memory else f"{os.path.abspath(key)}-writelock"
            lock = _locks[key] = WriteLock(path)
        return lock


class LockingCursor(sqlite_base.SQLiteCursorWrapper):
    """Outside a transaction, a write statement takes the write lock for its duration."""

    wrapper: DatabaseWrapper

    def execute(self, query, params=None):
        if self.wrapper.autocommit and _is_write(query):
            with self.wrapper.write_locked():
                return super().execute(query, params)
        return super().execute(query, params)

    def executemany(self, query, param_list):
        if self.wrapper.autocommit and _is_write(query):
            with self.wrapper.write_locked():
                return super().executemany(query, param_list)
        return super().executemany(query, param_list)


def _is_write(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(WRITE_VERBS)


class _Held:
    def __init__(self, wrapper):
        self.wrapper = wrapper

    def __enter__(self):
        self.wrapper._take_write_lock()

    def __exit__(self, *exc):
        self.wrapper._drop_write_lock()


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    _held = (False, False)

    @property
    def write_lock(self) -> WriteLock:
        lock = self.__dict__.get("_write_lock")
        if lock is None:
            name = self.settings_dict["NAME"]
            lock = self._write_lock = write_lock_for(name, self.is_in_memory_db())
        return lock

    def _lock_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))

    def _take_write_lock(self) -> None:
        if self._held == (False, False):
            self._held = self.write_lock.acquire(self._lock_timeout())

    def _drop_write_lock(self) -> None:
        held, self._held = self._held, (False, False)
        if held != (False, False):
            self.write_lock.release(*held)

    def write_locked(self) -> _Held:
        return _Held(self)

    def create_cursor(self, name=None):
        def factory(conn):
            cursor = LockingCursor(conn)
            cursor.wrapper = self
            return cursor

        return self.connection.cursor(factory=factory)

    def _start_transaction_under_autocommit(self):
        if self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE"):
            self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._drop_write_lock()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._drop_write_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._drop_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._drop_write_lock()


__all__ = ["DatabaseWrapper", "FifoLock", "WriteLock", "sqlite3"]
