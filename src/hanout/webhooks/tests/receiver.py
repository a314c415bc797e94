"""A real HTTP receiver for the webhook tests: http.server in a thread on 127.0.0.1.

It checks each request's signature with the endpoint's secret (set by the test)
exactly as docs/webhooks.md tells an integrator to, and answers from a script
of (status, delay) pairs, the last one repeating.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from hanout.webhooks import signing


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str = ""
    secret: str = ""
    script: list[tuple[int, float]] = field(default_factory=lambda: [(200, 0.0)])
    requests: list[Received] = field(default_factory=list)

    def answer(self) -> tuple[int, float]:
        index = min(len(self.requests) - 1, len(self.script) - 1)
        return self.script[index]

    @property
    def accepted(self) -> list[Received]:
        """Requests with a good signature that were answered 2xx."""
        return [
            r
            for i, r in enumerate(self.requests)
            if r.signature_ok and 200 <= self.script[min(i, len(self.script) - 1)][0] < 300
        ]


def start(receiver: Receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            ok = signing.verify(
                receiver.secret,
                self.headers.get("Hanout-Signature", ""),
                body,
                now=int(time.time()),
                tolerance=10**10,  # the tests move the clock; freshness is tested on its own
            )
            receiver.requests.append(Received(self.path, dict(self.headers), body, ok))
            status, delay = receiver.answer()
            if delay:
                time.sleep(delay)
            payload = b'{"ok": true}' if 200 <= status < 300 else b"nope " * 1000
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the sender gave up (timeout)
                pass

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hanout"
    return server
