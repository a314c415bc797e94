"""Every visible string is translated in French, Arabic and Tamazight, and the
committed .mo files are the compiled .po files (nothing needs gettext at run time)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import hanout

LOCALE = Path(hanout.__file__).parent / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))
# Tamazight for allauth's pages (allauth ships none): only the strings people meet.
VENDOR = sorted((Path(hanout.__file__).parent / "locale_vendor").glob("*/LC_MESSAGES/django.po"))

needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed"
)


def test_every_language_has_a_catalog():
    assert {p.parts[-3] for p in CATALOGS} == {"fr", "ar", "zgh"}


@needs_msgfmt
@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_is_complete_and_valid(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@needs_msgfmt
@pytest.mark.parametrize("po", CATALOGS + VENDOR, ids=lambda p: f"{p.parts[-4]}-{p.parts[-3]}")
def test_committed_mo_matches_the_po(po, tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    assert fresh.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"run `hanout manage compilemessages` and commit {po.with_suffix('.mo')}"
    )


@pytest.mark.parametrize(
    "language,expected",
    [("fr", "Personnel"), ("ar", "الموظفون"), ("zgh", "ⵉⵎⵙⵡⵓⵔⵉⵢⵏ")],
)
def test_the_navigation_reads_in_each_language(language, expected):
    from hanout.core.permissions import Module

    with translation.override(language):
        assert str(Module.STAFF.label) == expected


def test_allauth_pages_read_in_tamazight():
    with translation.override("zgh"):
        assert translation.gettext("Forgot your password?") != "Forgot your password?"


@needs_msgfmt
def test_no_string_in_the_code_is_missing_from_the_catalogs(tmp_path):
    """makemessages on a copy of the source finds nothing new to translate."""
    import os
    import sys

    source = Path(hanout.__file__).parent
    copy = tmp_path / "hanout"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hanout.settings_test"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "-l",
            "ar",
            "-l",
            "zgh",
            "--ignore",
            "tests/*",
            "--ignore",
            "*/tests/*",
            "--ignore",
            "settings_test.py",
            "--no-obsolete",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    for po in sorted((copy / "locale").glob("*/LC_MESSAGES/django.po")):
        result = subprocess.run(
            ["msgfmt", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
            f"{po.parts[-3]}: {result.stderr.strip()} — run makemessages and translate the new strings"
        )
