"""Gapless document numbers: invoices, credit notes, purchase orders, customer orders.

`next_number` must run inside the transaction that writes the document. It
creates the (business, key, year) row if missing without racing
(`ignore_conflicts`), then increments it under a row lock: on PostgreSQL a
concurrent issuer waits for the commit or rollback of the first; on SQLite
the whole write transaction is serialised by BEGIN IMMEDIATE. A document
that fails after taking a number rolls the counter back with it, so the
numbers that exist are always 1, 2, 3 … with no hole.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from hanout.core.models import Business, DocumentSequence


def next_number(*, business: Business, key: str, year: int = 0) -> int:
    """Take the next number of `key` for `business` (and `year`); call inside atomic()."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the document's transaction")
    DocumentSequence.objects.bulk_create(
        [DocumentSequence(business=business, key=key, year=year)], ignore_conflicts=True
    )
    rows = DocumentSequence.objects.filter(business=business, key=key, year=year)
    rows.update(last_value=F("last_value") + 1)  # the UPDATE takes the row lock
    return rows.values_list("last_value", flat=True).get()


def peek_number(*, business: Business, key: str, year: int = 0) -> int:
    """The number the next document would get (for previews; never reserved)."""
    last = (
        DocumentSequence.objects.filter(business=business, key=key, year=year)
        .values_list("last_value", flat=True)
        .first()
    )
    return (last or 0) + 1
