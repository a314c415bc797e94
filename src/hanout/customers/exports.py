"""CSV and XLSX files of the customer list (with the list's filters).

Written with the project's export helper (`hanout.core.exports`): decimals with a
dot, text kept as text (a phone "+212…" or a tax id "0012" keeps its form),
nothing a spreadsheet would run as a formula; the CSV streamed, the XLSX written
in write-only mode. `file_response` and `XLSX_TYPE` are still importable from here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from hanout.core.exports import XLSX_TYPE, file_response
from hanout.customers.models import TrustLevel
from hanout.customers.selectors_crm import SEGMENTS

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
        _("Segment"),
        _("Trust level"),
        _("Loyalty points"),
        _("Loyalty card"),
        _("Spent"),
        _("Last purchase"),
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
                str(SEGMENTS.get(c.segment, c.segment)),
                str(TrustLevel(c.trust_level).label),
                c.loyalty_points,
                c.card_code,
                c.spent,
                timezone.localtime(c.last_purchase_at).date().isoformat()
                if c.last_purchase_at
                else "",
                c.is_active,
                c.notes,
            ]

    return header, rows()
