"""CSV and XLSX files of the customer list (with the list's filters).

Written with the project's export helper (`hanout.core.exports`): decimals with a
dot, text kept as text (a phone "+212…" or a tax id "0012" keeps its form),
nothing a spreadsheet would run as a formula; the CSV streamed, the XLSX written
in write-only mode. `file_response` and `XLSX_TYPE` are still importable from here.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hanout.core.exports import XLSX_TYPE, file_response

__all__ = ["XLSX_TYPE", "customer_export_rows", "file_response"]


def customer_export_rows(customers):
    """(header, rows) of a customer list, one row per customer."""
    header = [
        _("Name"),
        _("Company"),
        _("Phone"),
        _("Email"),
        _("Address"),
        _("Tax / VAT number"),
        _("Orders"),
        _("Active"),
        _("Notes"),
    ]

    def rows():
        for c in customers.iterator(chunk_size=2000):
            yield [
                c.name,
                c.is_company,
                c.phone,
                c.email,
                c.address,
                c.tax_id,
                c.order_count,
                c.is_active,
                c.notes,
            ]

    return header, rows()
