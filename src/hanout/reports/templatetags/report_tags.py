"""`{% report_cell cell business %}`: a cell of a `reports.tables.Table`, written by its
column's kind in the reader's language ("—" where there is nothing to show)."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format, localize

from hanout.catalog.templatetags.catalog_tags import money, quantity

register = template.Library()
NOTHING = "—"


@register.simple_tag
def report_cell(cell, business) -> str:
    value = cell.value
    if getattr(cell, "blank", False) or (value is None and cell.kind == "text"):
        return ""
    if value is None or value == "":
        return NOTHING
    if cell.kind == "money":
        return money(value, business)
    if cell.kind == "qty":
        return quantity(value)
    if cell.kind == "percent":
        return f"{localize(value)} %"
    if cell.kind == "date":
        return date_format(value, "SHORT_DATE_FORMAT")
    if cell.kind == "int":
        return localize(value)
    return str(value)
