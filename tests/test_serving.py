"""Serving under load: SQLite's write queue, the thread-pool HTTP handler, events pushed
from the server's loop (see docs/adr/0007-serving-the-register-under-load.md)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.db.utils import ConnectionHandler

from hanout.core import events
from hanout.core.asgi import ThreadPoolHTTPHandler
from hanout.core.sqlite.base import FifoLock


def test_the_write_lock_is_handed_over_in_arrival_order():
    lock = FifoLock()
    assert lock.acquire(timeout=1)
    order, threads = [], []
    for i in range(8):

        def wait(i=i):
            assert lock.acquire(timeout=5)
            order.append(i)
            lock.release()

        threads.append(threading.Thread(target=wait))
        threads[-1].start()
        while lock.waiting <= i:  # each one queued before the next starts
            time.sleep(0.001)
    lock.release()
    for t in threads:
        t.join(5)
    assert order == list(range(8))


def test_a_waiter_that_gives_up_leaves_the_queue():
    lock = FifoLock()
    assert lock.acquire(timeout=1)
    assert not lock.acquire(timeout=0.05)
    assert lock.waiting == 0
    lock.release()
    assert lock.acquire(timeout=0.05)


def test_concurrent_sqlite_writers_all_succeed_without_database_is_locked(
    tmp_path, django_db_blocker
):
    """24 threads, each with its own connection, write 5 times each while holding the
    transaction 5 ms, with a 1-second timeout: in SQLite's busy handler some waited past
    it and failed ("database is locked"); queued, every write goes through."""
    settings = {
        "ENGINE": "hanout.core.sqlite",
        "NAME": str(tmp_path / "writers.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 1,
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        },
    }
    handler = ConnectionHandler({"default": settings})
    django_db_blocker.unblock()  # a database of its own, not the test database
    setup = handler["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE tally (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
    setup.close()
    errors, writers, per_writer = [], 24, 5

    def write(w: int):
        conn = handler["default"]  # this thread's own connection
        try:
            for n in range(per_writer):
                if n % 2:  # a write outside a transaction queues too
                    with conn.cursor() as cursor:
                        cursor.execute("INSERT INTO tally (writer, n) VALUES (%s, %s)", [w, n])
                    continue
                # What atomic() does, on this handler's connection.
                conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
                try:
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT COUNT(*) FROM tally")
                        time.sleep(0.005)
                        cursor.execute("INSERT INTO tally (writer, n) VALUES (%s, %s)", [w, n])
                    conn.commit()
                finally:
                    conn.set_autocommit(True)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    check = handler["default"]
    with check.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tally")
        assert cursor.fetchone()[0] == writers * per_writer
    check.close()
    django_db_blocker.restore()


@pytest.mark.django_db
def test_the_http_handler_answers_from_its_thread_pool():
    app = ThreadPoolHTTPHandler(threads=2)

    async def get(path: str) -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"localhost")],
            "client": ("127.0.0.1", 1234),
            "server": ("127.0.0.1", 80),
        }
        comm = ApplicationCommunicator(app, scope)
        await comm.send_input({"type": "http.request", "body": b""})
        start = await comm.receive_output(10)
        body = b""
        while True:
            message = await comm.receive_output(10)
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await comm.wait(10)
        return start["status"], body

    async def both():
        return await asyncio.gather(get("/healthz"), get("/no-such-page/"))

    try:
        (ok, _body), (missing, _) = asyncio.run(both())
    finally:
        app.executor.shutdown(wait=True)
        events.bind_loop(None)
    assert ok == 200
    assert missing == 404


@pytest.mark.django_db(transaction=True)
def test_events_after_commit_are_pushed_through_the_servers_loop():
    """Under the server, the request thread hands the push to the event loop (where the
    in-memory layer lives) instead of waiting for it; the message still arrives."""
    layer = get_channel_layer()
    loop = asyncio.new_event_loop()
    runner = threading.Thread(target=loop.run_forever, daemon=True)
    runner.start()

    async def listen():
        channel = await layer.new_channel()
        await layer.group_add("business-push-test", channel)
        return channel

    def on_loop(coro):
        return asyncio.run_coroutine_threadsafe(coro, loop).result(10)

    try:
        channel = on_loop(listen())
        events.bind_loop(loop)
        with transaction.atomic():
            connection.on_commit(
                lambda: events.push("business-push-test", {"type": "domain.event", "n": 1})
            )
            connection.on_commit(
                lambda: events.push("business-push-test", {"type": "domain.event", "n": 2})
            )
        first = on_loop(layer.receive(channel))
        second = on_loop(layer.receive(channel))
        assert (first["n"], second["n"]) == (1, 2)  # in order
        on_loop(events.drained())
    finally:
        events.bind_loop(None)
        loop.call_soon_threadsafe(loop.stop)
        runner.join(5)
        loop.close()


def test_serve_refuses_several_processes_without_redis(capsys, monkeypatch):
    """Without Redis each process has its own in-memory channel layer: a register
    connected to one would not hear a phone payment confirmed in another."""
    from hanout import cli

    monkeypatch.delenv("REDIS_URL", raising=False)
    assert cli.main(["serve", "--workers", "2", "--no-demo", "--no-worker"]) == 2
    assert "needs REDIS_URL" in capsys.readouterr().err
    assert cli._workers_problem(2, "redis://127.0.0.1:6379/0") == ""
    assert cli._workers_problem(1, "") == ""
