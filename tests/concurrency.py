"""`race()`: run a service from several threads at once, each on its own database
connection, the way several registers or browser tabs would — for the tests that prove
a write stays right under concurrency (on PostgreSQL; SQLite serialises writers)."""

from __future__ import annotations

import threading

from django.db import connections

from hanout.core.errors import DomainError


def race(n, fn, *, threads=None, expected=DomainError):
    """Call fn(i) for i in range(n) from `threads` threads (default n) released together.

    Returns (results, errors, crashes): what the calls returned, the `expected`
    exceptions they raised (a refusal the test may want), and any other exception — a
    deadlock, an IntegrityError, a lost update — which a test asserts never happens.
    """
    workers = threads or n
    barrier = threading.Barrier(workers)
    results, errors, crashes = [], [], []
    lock = threading.Lock()
    todo = list(range(n))

    def run():
        try:
            barrier.wait()
            while True:
                with lock:
                    if not todo:
                        return
                    i = todo.pop(0)
                try:
                    out = fn(i)
                    with lock:
                        results.append(out)
                except expected as exc:
                    with lock:
                        errors.append(exc)
                except Exception as exc:  # noqa: BLE001 (a crash is what the test looks for)
                    with lock:
                        crashes.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run) for _ in range(workers)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return results, errors, crashes
