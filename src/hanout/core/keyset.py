"""Keyset ("seek") pagination for list pages that must stay fast at a million rows.

`Paginator` counts the whole table and pages with OFFSET: both grow with the
table (a COUNT(*) over a million rows, then reading and discarding every row
before page 5,000). A keyset page instead remembers the sort key of the last
row shown and asks for the rows after it:

    ORDER BY name, id  …  WHERE (name > 'Croissant') OR (name = 'Croissant' AND id > '…')
    LIMIT 25

which an index on (business, name, id) answers by reading 25 entries, whatever
the page. There is no total and no "page 7 of 40": a page has "next" and
"previous" links carrying an opaque cursor (`?after=…` / `?before=…`).

The ordering must end with a unique column (the primary key) so that no two
rows share a key and nothing is skipped or shown twice. Only columns of the
model itself can be sort keys (their values are read from the row and put in
the cursor). Usage:

    page = keyset_page(queryset, order=("name", "id"), size=25,
                       after=request.GET.get("after"), before=request.GET.get("before"))
    page.items, page.next_cursor, page.previous_cursor

A cursor that cannot be read (edited by hand, or for another ordering) gives
the first page rather than an error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet


@dataclass
class KeysetPage:
    items: list = field(default_factory=list)
    next_cursor: str | None = None
    previous_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _columns(order: Sequence[str]) -> list[tuple[str, bool]]:
    """("name", "-id") → [("name", False), ("id", True)]: the column and whether descending."""
    return [(o.lstrip("-"), o.startswith("-")) for o in order]


def encode_cursor(obj, order: Sequence[str]) -> str:
    values = [getattr(obj, name) for name, _ in _columns(order)]
    raw = json.dumps([None if v is None else str(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, model, order: Sequence[str]) -> list | None:
    """The typed key values of a cursor, or None when it cannot be read."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    columns = _columns(order)
    if not isinstance(values, list) or len(values) != len(columns):
        return None
    typed = []
    for (name, _), value in zip(columns, values, strict=True):
        if value is not None and not isinstance(value, str):
            return None
        try:
            typed.append(model._meta.get_field(name).to_python(value))
        except (ValidationError, LookupError):
            return None
    return typed


def _seek(order: Sequence[str], values: list, *, forward: bool) -> Q:
    """Rows strictly after (forward) or before the key `values` in `order`.

    (a, b, c) after (x, y, z) = a > x OR (a = x AND b > y) OR (a = x AND b = y AND c > z),
    with < for descending columns; backwards flips every comparison. The first
    column's non-strict bound (a >= x) is added in front: it is implied, but it lets
    the database start its index range scan at the cursor instead of filtering
    every row from the beginning of the index.
    """
    columns = _columns(order)
    condition = Q()
    for i, (name, descending) in enumerate(columns):
        op = "gt" if forward != descending else "lt"
        term = Q(**{f"{name}__{op}": values[i]})
        for j in range(i):
            term &= Q(**{columns[j][0]: values[j]})
        condition |= term
    first, descending = columns[0]
    bound = "gte" if forward != descending else "lte"
    return Q(**{f"{first}__{bound}": values[0]}) & condition


def keyset_page(
    queryset: QuerySet,
    *,
    order: Sequence[str],
    size: int,
    after: str | None = None,
    before: str | None = None,
) -> KeysetPage:
    """One page of `queryset` in `order` (ending with a unique column), after or before a cursor.

    Reads `size + 1` rows to know whether another page follows; never counts.
    """
    model = queryset.model
    key_after = decode_cursor(after, model, order) if after else None
    key_before = decode_cursor(before, model, order) if before and not key_after else None

    if key_before is not None:
        reverse = [o[1:] if o.startswith("-") else f"-{o}" for o in order]
        rows = list(
            queryset.filter(_seek(order, key_before, forward=False)).order_by(*reverse)[: size + 1]
        )
        more = len(rows) > size
        items = list(reversed(rows[:size]))
        return KeysetPage(
            items=items,
            next_cursor=encode_cursor(items[-1], order) if items else None,
            previous_cursor=encode_cursor(items[0], order) if items and more else None,
        )

    qs = queryset.order_by(*order)
    if key_after is not None:
        qs = qs.filter(_seek(order, key_after, forward=True))
    rows = list(qs[: size + 1])
    items = rows[:size]
    return KeysetPage(
        items=items,
        next_cursor=encode_cursor(items[-1], order) if len(rows) > size else None,
        previous_cursor=encode_cursor(items[0], order) if key_after is not None and items else None,
    )
