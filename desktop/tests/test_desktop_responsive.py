"""The UI thread never waits for the network: a slow answer leaves the window live."""

from __future__ import annotations

import http.server
import threading
import time

from PySide6.QtCore import QTimer

from conftest import OWNER, click, find


class SlowHandler(http.server.BaseHTTPRequestHandler):
    delay = 3.0

    def do_POST(self):  # noqa: N802 (the standard library's name)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(self.delay)
        body = b'{"errors": [{"message": "Slow server says no.", "param": "password"}]}'
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_the_window_stays_live_while_a_slow_sign_in_is_in_flight(qtbot, desktop):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        find(desktop.window, "serverField").setProperty(
            "text", f"http://127.0.0.1:{server.server_address[1]}"
        )
        find(desktop.window, "emailField").setProperty("text", OWNER)
        find(desktop.window, "passwordField").setProperty("text", "anything")
        ticks = []
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append(desktop.api.busy))
        timer.start()
        click(desktop.window, find(desktop.window, "signInButton"))
        # The click returned at once; the loading indicators show while the answer is awaited.
        assert desktop.session.busy
        assert find(desktop.window, "busyBar").property("visible")
        assert find(desktop.window, "signInBusy").property("running")
        qtbot.waitUntil(lambda: desktop.session.error != "", timeout=15_000)
        timer.stop()
        # The event loop kept turning during the 3 s wait: the timer fired again and again
        # while the call was in flight (a blocked UI thread would give one late tick).
        assert sum(ticks) >= 20, f"{sum(ticks)} ticks while busy"
        assert desktop.session.error == "Slow server says no."
        assert desktop.session.fieldErrors == {"password": "Slow server says no."}
        assert not desktop.api.busy
        assert not find(desktop.window, "busyBar").property("visible")
    finally:
        server.shutdown()
