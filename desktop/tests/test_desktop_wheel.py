"""The wheel people install: everything the app needs is inside, and it starts from it.

`pip wheel ./desktop` builds it as a person would (an isolated build); the test
then reads its contents and starts the app from the unpacked wheel alone — the
QML, the translations and the font must come from there, not from the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1]
SOURCES = PACKAGE / "src" / "hanout_desktop"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(PACKAGE)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = out.glob("hanout_desktop-*-py3-none-any.whl")
    return built


def test_the_wheel_holds_the_screens_the_translations_and_the_font(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    needed = [
        p.relative_to(SOURCES.parent).as_posix()
        for pattern in ("**/*.qml", "i18n/*.qm", "fonts/*", "*.py")
        for p in SOURCES.glob(pattern)
    ]
    assert needed, "nothing found in the sources"
    missing = sorted(set(needed) - names)
    assert not missing, f"not in the wheel: {missing}"
    dist = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(dist).decode()
    assert "hanout-desktop = hanout_desktop.app:main" in entry_points
    metadata = zipfile.ZipFile(wheel).read(dist.replace("entry_points.txt", "METADATA")).decode()
    assert "Requires-Dist: PySide6-Essentials" in metadata
    assert "Requires-Dist: PySide6-Addons" in metadata


def test_the_app_starts_from_the_unpacked_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import sys, hanout_desktop\n"
        f"assert hanout_desktop.__file__.startswith({str(site)!r}), hanout_desktop.__file__\n"
        "from hanout_desktop import app\n"
        "qt, engine, desktop, session, api = app.build([], language='ar')\n"
        "window = engine.rootObjects()[0]\n"
        "assert desktop.rightToLeft and window.property('title')\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "print('started', QCoreApplication.translate('Register', 'Cash'))\n"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "QT_QPA_PLATFORM": "offscreen",
        "HANOUT_DESKTOP_DATA": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "started" in result.stdout
    # Arabic came from the wheel's own .qm.
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.stdout), result.stdout

    version = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "hanout_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip()
