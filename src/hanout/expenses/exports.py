"""CSV and XLSX files of the expense list (with the list's filters), written like the
customer exports (decimals with a dot, text kept as text, no formulas), and the
response that serves an attached document from private storage."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _

from hanout.core.money import quantize
from hanout.customers.exports import file_response  # noqa: F401  (the shared writer)


def expense_export_rows(expenses):
    """(header, rows) of an expense list, one row per expense."""
    header = [
        _("Date"),
        _("Category"),
        _("Amount"),
        _("Currency"),
        _("Comment"),
        _("Description"),
        _("Supplier"),
        _("Recorded by"),
        _("Documents"),
        _("Recurring"),
    ]

    def rows():
        for e in expenses.iterator(chunk_size=2000):
            yield [
                e.spent_on.isoformat(),
                e.category.label,
                quantize(e.amount, e.currency),
                e.currency,
                e.comment,
                e.description,
                e.supplier.name if e.supplier_id else "",
                (e.recorded_by.full_name or e.recorded_by.email) if e.recorded_by_id else "",
                e.attachment_count,
                e.recurring_id is not None,
            ]

    return header, rows()


def attachment_response(
    attachment,
    *,
    thumbnail: bool = False,
    download: bool = False,
    field=None,
    content_type: str | None = None,
):
    """The stored document (or its thumbnail, or another of its files), never run by the browser."""
    if field is None:
        field = attachment.thumbnail if thumbnail else attachment.file
    handle = field.open("rb")
    if content_type is None:
        content_type = "image/webp" if thumbnail else attachment.content_type
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=download,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response
