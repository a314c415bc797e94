"""Serving Django's HTTP side under uvicorn the way a WSGI server does: one thread per request.

Django's own `ASGIHandler` runs a sync project (our middleware and views are
sync) by hopping between the event loop and worker threads several times per
request: the `request_started` signal, the middleware chain, an `async_to_sync`
back to the loop at the innermost sync middleware, the view, `response.close`
— and each request starts (and joins) a fresh thread for its
`ThreadSensitiveContext`. Measured on the register's sale (bench/bench_sales.py),
that machinery cost about as much CPU as the sale itself.

`ThreadPoolHTTPHandler` keeps the async parts async (reading the body, sending
the answer) and runs everything else — signals, the sync middleware chain, the
view, closing the response — in one call on a fixed pool of threads, exactly
like a threaded WSGI server: each thread keeps its own database connection
(returned to the pool / closed at `request_finished`, as under WSGI), and
each request runs in a fresh copy of the context, so nothing a request
activates leaks into the next. A streaming response (CSV exports, files) is
iterated in the same thread that made it, which sends each chunk to the loop.

WebSockets are untouched: Channels consumers run on the event loop as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
from concurrent.futures import ThreadPoolExecutor

from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, ASGIRequest, get_script_prefix
from django.http import FileResponse
from django.urls import set_script_prefix

from hanout.core import events

DEFAULT_THREADS = 8


def http_threads() -> int:
    """How many requests one process serves at once (HANOUT_HTTP_THREADS, default 8).

    On PostgreSQL each busy thread holds one pooled connection: keep it at or
    below the pool's `max_size`."""
    try:
        return max(1, int(os.environ.get("HANOUT_HTTP_THREADS", DEFAULT_THREADS)))
    except ValueError:
        return DEFAULT_THREADS


class ThreadPoolHTTPHandler(ASGIHandler):
    """Django's ASGI handler with the sync request path in one hop on a thread pool."""

    request_class = ASGIRequest

    def __init__(self, threads: int | None = None):
        base.BaseHandler.__init__(self)
        self.load_middleware(is_async=False)
        self.executor = ThreadPoolExecutor(
            max_workers=threads or http_threads(), thread_name_prefix="hanout-http"
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        loop = asyncio.get_running_loop()
        # Domain events are pushed to the channel layer on this loop (see core.events).
        events.bind_loop(loop)
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            context = contextvars.copy_context()
            response = await loop.run_in_executor(
                self.executor, context.run, self._respond, scope, body_file, send, loop
            )
            if response is not None:
                with contextlib.suppress(asyncio.CancelledError):  # the client went away
                    await self.send_response(response, send)
        finally:
            body_file.close()

    def _respond(self, scope, body_file, send, loop):
        """In a pool thread: the whole sync request, as a WSGI server would run it.

        Returns a closed, fully rendered response for the loop to send, or None
        when a streaming response was sent from here."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
        if not response.streaming:
            response.close()  # request_finished: this thread's connection goes back
            return response
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        try:
            self._send_streaming(response, send, loop)
        finally:
            response.close()
        return None

    def _send_streaming(self, response, send, loop) -> None:
        def out(message):
            asyncio.run_coroutine_threadsafe(send(message), loop).result()

        headers = [
            (
                header.encode("ascii") if isinstance(header, str) else header,
                value.encode("latin1") if isinstance(value, str) else value,
            )
            for header, value in response.items()
        ]
        headers += [
            (b"Set-Cookie", c.output(header="").encode("ascii").strip())
            for c in response.cookies.values()
        ]
        out({"type": "http.response.start", "status": response.status_code, "headers": headers})
        for part in response:  # a sync iterator, in the thread that holds its connection
            for chunk, _last in self.chunk_bytes(part):
                out({"type": "http.response.body", "body": chunk, "more_body": True})
        out({"type": "http.response.body"})


def get_http_application() -> ThreadPoolHTTPHandler:
    import django

    django.setup(set_prefix=False)
    return ThreadPoolHTTPHandler()
