"""The desktop app's speed: start-up to the sign-in screen, and the catalog explorer
scrolled through 10,000 products (frame times).

    make bench-desktop                      # or: .venv/bin/python bench/bench_desktop.py
    .venv/bin/python bench/bench_desktop.py --products 10000 --runs 5

What it does:

1. **Start-up**: starts the app `--runs` times as a new process and times from
   just before the process starts until the sign-in window has drawn its first
   frame. Reference: 2 s, what a desktop program's first window is expected
   within.
2. **Scrolling**: makes a catalog of `--products` products (bench/generate_catalog.py,
   once, in `--data-dir`), starts `hanout serve --no-demo` on it, starts the
   app signed in with a token of the catalog's owner, opens the catalog
   explorer and scrolls its product grid from top to bottom at a steady
   `--speed` pixels per frame, as a fast flick would; pages of products are
   fetched from the server as the grid nears its end. Each frame's time is the
   interval between two frames the window drew. Reference: 16.7 ms (60 frames
   a second); a *stutter* is a frame over 33.4 ms (two refreshes missed).

The app runs on Qt's offscreen platform unless DISPLAY is set (then on that
screen, e.g. Xvfb). Rendering is on the CPU either way here: figures are for
this machine's software rasteriser, a floor for a machine with a GPU.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
STARTUP_REFERENCE_S = 2.0
FRAME_REFERENCE_MS = 1000 / 60
OWNER_EMAIL = "bench@example.test"

PROBE = r"""
import json, sys, time
t0 = float(sys.argv[2])
mode = sys.argv[1]
import PySide6.QtQuick  # noqa
from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtTest import QTest
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[3])
from hanout_desktop import app as desktop_app

if mode == "startup":
    app, engine, desktop, session, api = desktop_app.build([sys.argv[0]], language="en")
    window = engine.rootObjects()[0]
    def first_frame():
        print(json.dumps({"startup_s": time.time() - t0}), flush=True)
        app.quit()
    window.frameSwapped.connect(first_frame)
    sys.exit(app.exec())

server, token, speed = sys.argv[4], sys.argv[5], float(sys.argv[6])
app, engine, desktop, session, api = desktop_app.build([sys.argv[0]], server=server, language="en")
window = engine.rootObjects()[0]
api.token = token
session.reloadMe()
def wait(condition, ms=60_000):
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > ms / 1000:
            raise SystemExit("timed out: " + condition.__doc__)
        QTest.qWait(20)
def signed_in():
    "sign-in with the token"
    return session.state == "signedIn"
wait(signed_in)
shell = window.findChild(QObject, "shell")
shell.setProperty("current", "catalog")
def grid_item():
    stack = [window.contentItem()]
    while stack:
        item = stack.pop()
        if item.objectName() == "catalogGrid":
            return item
        stack.extend(item.childItems())
grid = None
def grid_filled():
    "the catalog grid's first page"
    global grid
    grid = grid_item()
    return grid is not None and grid.property("count") > 0
wait(grid_filled)
QTest.qWait(500)
model = grid.property("model")
frames, stamps = [], []
state = {"stalls": 0, "done": False, "fetches": 0}
def on_frame():
    now = time.perf_counter()
    if stamps:
        frames.append((now - stamps[-1]) * 1000)
    stamps.append(now)
def step():
    if state["done"]:
        return
    y = grid.property("contentY")
    end = grid.property("contentHeight") - grid.property("height") + grid.property("originY")
    if y < end - 1:
        grid.setProperty("contentY", min(y + speed, end))
    elif model.property("hasMore"):
        state["stalls"] += 1  # at the end of what is loaded: the next page is on its way
    else:
        state["done"] = True
        app.quit()
window.frameSwapped.connect(on_frame)
window.frameSwapped.connect(step)
window.update()
# A frame must keep coming while the grid waits for a page: ask for one each time.
ticker = QTimer()
ticker.setInterval(16)
ticker.timeout.connect(window.update)
ticker.start()
started = time.perf_counter()
app.exec()
frames.sort()
def pct(p):
    return frames[min(len(frames) - 1, int(len(frames) * p))]
print(json.dumps({
    "products": grid.property("count"),
    "frames": len(frames),
    "seconds": time.perf_counter() - started,
    "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99), "max_ms": frames[-1],
    "stutters": sum(1 for f in frames if f > 2 * 1000 / 60),
    "waiting_frames": state["stalls"],
}), flush=True)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def qt_env() -> dict[str, str]:
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    return env


def run_probe(args: list[str], settings_dir: Path, timeout: float = 900) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE, args[0], repr(time.time()), str(settings_dir), *args[1:]],
        env=qt_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"probe failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(lines[-1])


def measure_startup(runs: int, settings_dir: Path) -> list[float]:
    run_probe(["startup"], settings_dir)  # warm the disk cache once, not counted
    return [run_probe(["startup"], settings_dir)["startup_s"] for _ in range(runs)]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["HANOUT_DATA_DIR"] = str(data_dir)
    return env


def ensure_catalog(data_dir: Path, products: int) -> None:
    marker = data_dir / f".bench-desktop-{products}"
    if marker.exists():
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"Generating {products:,} products in {data_dir} …", flush=True)
    subprocess.run(  # noqa: S603
        [sys.executable, str(HERE / "generate_catalog.py"), "--products", str(products)],
        env=server_env(data_dir),
        check=True,
    )
    marker.touch()


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [str(BIN / "hanout"), "serve", "--no-demo", "--no-worker", "--port", str(port)],
        env=server_env(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("hanout serve did not start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--speed", type=float, default=120, help="pixels scrolled per frame")
    parser.add_argument(
        "--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "bench-desktop"
    )
    args = parser.parse_args(argv)
    settings_dir = args.data_dir / "desktop-settings"
    settings_dir.mkdir(parents=True, exist_ok=True)

    print(
        f"Platform: {'xcb on ' + os.environ['DISPLAY'] if os.environ.get('DISPLAY') else 'offscreen'}"
    )
    startup = measure_startup(args.runs, settings_dir)
    median = statistics.median(startup)
    print(
        f"Start-up to the sign-in window's first frame, {args.runs} runs: median {median:.2f} s "
        f"(min {min(startup):.2f}, max {max(startup):.2f}); reference {STARTUP_REFERENCE_S:.1f} s, "
        f"ratio {median / STARTUP_REFERENCE_S:.2f}×"
    )

    ensure_catalog(args.data_dir, args.products)
    port = free_port()
    server = start_server(args.data_dir, port)
    try:
        token = subprocess.run(  # noqa: S603
            [str(BIN / "hanout"), "token", "create", OWNER_EMAIL, "--name", "bench desktop"],
            env=server_env(args.data_dir),
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-1]
        result = run_probe(
            ["scroll", f"http://127.0.0.1:{port}", token, str(args.speed)], settings_dir
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(
        f"Catalog explorer scrolled through {result['products']:,} products at {args.speed:.0f} px "
        f"a frame: {result['frames']:,} frames in {result['seconds']:.1f} s; frame time p50 "
        f"{result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"max {result['max_ms']:.1f} ms; {result['stutters']} frames over 33.4 ms; "
        f"{result['waiting_frames']} frames at the end of a page waiting for the next"
    )
    print(
        f"Reference {FRAME_REFERENCE_MS:.1f} ms a frame (60 fps): p95 ratio "
        f"{result['p95_ms'] / FRAME_REFERENCE_MS:.2f}×"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
