"""`{% colon %}` after a label: the language's way, and used everywhere a label ends so."""

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent / "src" / "hanout"


def _render(language: str) -> str:
    with translation.override(language):
        return Template('{% load i18n %}{% translate "Seller" %}{% colon %}').render(Context())


def test_french_puts_a_no_break_space_before_the_colon_and_the_others_do_not():
    assert _render("fr") == "Vendeur\u00a0:"
    assert _render("en") == "Seller:"
    assert _render("ar").endswith(":") and "\u00a0" not in _render("ar")
    assert _render("zgh").endswith(":") and "\u00a0" not in _render("zgh")


def test_no_template_glues_a_colon_after_a_translated_label():
    glued = re.compile(r'\{% translate "[^"]*"( context "[^"]*")? %\}:')
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in ROOT.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if glued.search(line)
    ]
    assert found == []
