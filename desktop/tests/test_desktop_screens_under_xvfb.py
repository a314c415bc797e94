"""Every screen, in English and Arabic, in a real window on a virtual screen (Xvfb).

The pictures are saved under artifacts/desktop/xvfb/ for people to look at;
the test checks that each screen drew something (not a blank window) and that
the Arabic window is not the English one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from conftest import ARTIFACTS, DEMO_PASSWORD, OWNER

TOUR = Path(__file__).with_name("screens_tour.py")


@pytest.fixture
def xvfb_display():
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (Debian: apt-get install xvfb)")
    display = f":{90 + os.getpid() % 100}"
    process = subprocess.Popen(  # noqa: S603
        ["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],  # noqa: S607
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1)
    assert process.poll() is None, "Xvfb did not start"
    yield display
    process.terminate()
    process.wait(timeout=10)


def colours(path: Path) -> int:
    image = QImage(str(path))
    assert not image.isNull(), path
    seen = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_every_screen_in_english_and_arabic(hanout_server, xvfb_display):
    out = ARTIFACTS / "xvfb"
    shutil.rmtree(out, ignore_errors=True)
    env = {**os.environ, "DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(TOUR), hanout_server.url, OWNER, DEMO_PASSWORD, str(out), "en", "ar"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    saved = result.stdout.split()
    assert saved, result.stderr[-3000:]
    for name in saved:
        assert colours(out / name) > 8, f"{name} looks blank"
    for name in [n for n in saved if n.endswith("-en.png")]:
        arabic = out / name.replace("-en.png", "-ar.png")
        assert arabic.exists()
        assert QImage(str(arabic)) != QImage(str(out / name)), f"{arabic.name} is not mirrored"
    assert (out / "sign-in-en.png").exists() and (out / "sign-in-ar.png").exists()
    for step in ("sign-up", "sign-up-manager"):
        assert colours(out / f"{step}-ar.png") > 8, f"{step}-ar.png looks blank"
