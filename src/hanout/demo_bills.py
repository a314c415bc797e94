"""Demo data for supplier invoices and payments (called by hanout.demo.load_demo; idempotent).

For each demo business, through the real services, dated relative to today:

- the first supplier: an invoice paid in full by transfer (with its scan), a newer
  one half paid in cash and not yet due;
- the second supplier: an overdue invoice nobody paid, a payment on account, and a
  cheque recorded then reversed (it bounced);
- when the purchasing demo left received purchase orders, each supplier's latest
  one is billed for the value received.

So the recap has a pie with two slices, the performance page has spend for both
suppliers, the accounts show something owed and overdue, and every list of the
API has rows for both businesses.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext as _

from hanout.accounts.models import Membership
from hanout.core.permissions import Role
from hanout.core.tax import tax_inside
from hanout.purchasing import services_bills
from hanout.purchasing.models import (
    POStatus,
    PurchaseOrder,
    PurchaseReceiptLine,
    SupplierInvoice,
)
from hanout.purchasing.selectors_bills import local_today
from hanout.suppliers import services as supplier_services
from hanout.suppliers.models import Supplier

# The scan of a paper invoice: a one-page PDF, as a scanner would make it.
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXTRA = {
    "name": "Papeterie & Emballages",
    "contact_name": "Karim Idrissi",
    "phone": "+32 2 555 01 02",
    "email": "ventes@emballages.example",
    "notes": "Sacs, boîtes et rouleaux de caisse.",
}
EXTRA_SUPPLIER = {
    "MA": {
        "name": "الشركة المغربية للتغليف",
        "contact_name": "كريم الإدريسي",
        "phone": "+212 522-334455",
        "email": "ventes@emballage-maroc.example",
        "address": "شارع محمد الخامس 118، الدار البيضاء",
        "notes": "أكياس، علب ولفائف الصندوق.",
    }
}
# Amounts of the demo in each currency (a Moroccan grocer's bills are in dirhams).
SCALE = {"EUR": Decimal(1), "MAD": Decimal(10)}
TAX_RATE = {"BE": Decimal(6), "MA": Decimal(20)}


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    if SupplierInvoice.objects.filter(business=business).exists():
        return
    owner = (
        Membership.objects.filter(business=business, role=Role.OWNER)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    if owner is None:
        return
    actor = owner.user
    suppliers = list(Supplier.objects.for_business(business).order_by("name", "id")[:2])
    if not suppliers:
        return
    if len(suppliers) < 2:
        # A second supplier, so the recap's pie has more than one slice.
        suppliers.append(
            supplier_services.supplier_create(
                business=business, actor=actor, data=EXTRA_SUPPLIER.get(business.country, EXTRA)
            )
        )
    today = local_today(business)
    scale = SCALE.get(business.currency, Decimal(1))
    rate = TAX_RATE.get(business.country, Decimal(0))
    prefix = "".join(w[0] for w in business.name.split() if w[:1].isalnum()).upper()[:3] or "SUP"

    def day(n: int) -> datetime.date:
        return today - datetime.timedelta(days=n)

    def bill(supplier, number, total, issued, due, **kw):
        total = (Decimal(total) * scale).quantize(Decimal("0.01"))
        return services_bills.supplier_invoice_record(
            business=business,
            actor=actor,
            supplier=supplier,
            number=number,
            issued_on=issued,
            due_on=due,
            total=total,
            tax_total=tax_inside(total, rate, business.currency),
            **kw,
        )

    def pay(supplier, amount, method, paid_on, invoice=None, **kw):
        return services_bills.supplier_payment_record(
            business=business,
            actor=actor,
            supplier=supplier,
            invoice=invoice,
            amount=amount if invoice is not None and amount == invoice.total else Decimal(amount),
            method=method,
            paid_on=paid_on,
            client_uuid=uuid.uuid4(),
            **kw,
        )

    first, second = suppliers
    paid = bill(
        first, f"{prefix}-2026-0117", "186.40", day(40), day(10),
        attachment=SimpleUploadedFile("scan.pdf", SCAN, content_type="application/pdf"),
    )  # fmt: skip
    pay(first, paid.total, "bank", day(12), paid, reference="VIR 4471")
    # Dated today, so this month's recap and its pie are never empty in the demo.
    open_ = bill(first, f"{prefix}-2026-0158", "94.80", day(0), day(-30))
    pay(first, (open_.total / 2).quantize(Decimal("0.01")), "cash", day(0), open_)

    bill(second, f"F{day(25):%y%m}-031", "212.35", day(25), day(5), note=_("Monthly order"))
    pay(second, Decimal(50) * scale, "bank", day(3), reference=_("Advance"))
    bounced = pay(second, Decimal(30) * scale, "cheque", day(20), reference="CHQ 0042")
    services_bills.supplier_payment_reverse(
        payment=bounced, actor=actor, reason=_("The cheque bounced."), paid_on=day(15)
    )

    for supplier in suppliers:
        _bill_latest_received_order(business, actor, supplier, rate, today)


def _bill_latest_received_order(business, actor, supplier, rate, today) -> None:
    """Bill the supplier's latest received PO (if the purchasing demo made one) at the
    value received, dated the day of its last delivery."""
    order = (
        PurchaseOrder.objects.filter(
            business=business,
            supplier=supplier,
            status__in=[POStatus.PARTIAL, POStatus.RECEIVED, POStatus.CLOSED],
        )
        .order_by("-ordered_on", "-number")
        .first()
    )
    if order is None:
        return
    lines = PurchaseReceiptLine.objects.filter(business=business, receipt__order=order)
    value = lines.aggregate(
        v=Sum(
            ExpressionWrapper(
                F("quantity") * F("unit_cost"),
                output_field=DecimalField(max_digits=20, decimal_places=6),
            )
        )
    )["v"]
    last = lines.order_by("-receipt__received_at").values_list("receipt__received_at", flat=True)
    if not value or not last:
        return
    issued = min(last[0].date(), today)
    total = Decimal(value).quantize(Decimal("0.01"))
    services_bills.supplier_invoice_record(
        business=business,
        actor=actor,
        supplier=supplier,
        order=order,
        number=f"{order.reference}-F",
        issued_on=issued,
        due_on=issued + datetime.timedelta(days=30),
        total=total,
        tax_total=tax_inside(total, rate, business.currency),
    )
