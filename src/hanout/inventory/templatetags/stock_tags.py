"""Template helpers of the stock pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def fill_id(pattern: str | None, pk) -> str:
    """A URL reversed once with a placeholder (`/catalog/products/__id__/`) filled for one row."""
    return pattern.replace("__id__", str(pk)) if pattern else ""


@register.filter
def signed(value) -> str:
    """A ledger quantity with its sign always shown: +3, −2, +1.25 (no trailing zeros)."""
    if value in (None, ""):
        return ""
    value = Decimal(value)
    text = format(abs(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("+" if value > 0 else "−" if value < 0 else "") + text
