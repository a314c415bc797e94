"""A purchase order on paper: an A4 PDF (WeasyPrint) and the email that carries it.

The PDF is written in the business's language (right to left for Arabic), with
the Noto fonts named in STACK.md, money and dates formatted by Babel through the
register tickets' `Formatter`, so a PO reads like the shop's other documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from hanout.pos.tickets import Formatter
from hanout.purchasing.models import PurchaseOrder


@dataclass
class POLineView:
    position: int
    name: str
    sku: str
    supplier_sku: str
    quantity: str
    unit_cost: str
    total: str


@dataclass
class PODocument:
    reference: str
    language: str
    rtl: bool
    business_name: str
    legal_name: str
    legal_lines: list[str]
    tax_id: str
    email: str
    phone: str
    supplier_name: str
    supplier_lines: list[str]
    deliver_to: list[str]
    ordered_on: str
    expected_on: str
    note: str
    total: str
    lines: list[POLineView] = field(default_factory=list)


def _day(fmt: Formatter, day) -> str:
    """A date (not a datetime: `Formatter.date` takes one) in the business's language."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMdd", day, locale=fmt.locale) if day else ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def document(order: PurchaseOrder, *, language: str | None = None) -> PODocument:
    """Everything the PDF prints, already formatted in the business's language."""
    business = order.business
    fmt = Formatter(business, language)
    shop = order.location.shop
    supplier = order.supplier
    with translation.override(fmt.language):
        rtl = get_language_bidi()
    lines = [
        POLineView(
            position=i,
            name=line.product.name,
            sku=line.product.sku,
            supplier_sku=line.supplier_sku,
            quantity=fmt.quantity(line.quantity),
            unit_cost=fmt.money(line.unit_cost),
            total=fmt.money(line.total),
        )
        for i, line in enumerate(order.lines.select_related("product").order_by("position"), 1)
    ]
    return PODocument(
        reference=order.reference,
        language=fmt.language,
        rtl=rtl,
        business_name=business.name,
        legal_name=business.legal_name,
        legal_lines=_lines(business.legal_address),
        tax_id=business.tax_id,
        email=business.invoice_email,
        phone=business.invoice_phone or shop.phone,
        supplier_name=supplier.name,
        supplier_lines=[
            *([supplier.contact_name] if supplier.contact_name else []),
            *_lines(supplier.address),
            *([supplier.email] if supplier.email else []),
            *([supplier.phone] if supplier.phone else []),
        ],
        deliver_to=[shop.name, order.location.name, *_lines(shop.address)],
        ordered_on=_day(fmt, order.ordered_on),
        expected_on=_day(fmt, order.expected_on),
        note=order.note,
        total=fmt.money(order.total),
        lines=lines,
    )


def purchase_order_pdf(order: PurchaseOrder, *, doc: PODocument | None = None) -> bytes:
    """The PO as an A4 PDF."""
    from weasyprint import HTML

    doc = doc or document(order)
    with translation.override(doc.language):
        html = render_to_string("purchasing/po_pdf.html", {"doc": doc})
    return HTML(string=html).write_pdf()


def pdf_filename(order: PurchaseOrder) -> str:
    return f"{order.reference}.pdf"


def purchase_order_email(*, order: PurchaseOrder, email: str) -> EmailMessage:
    """The message to the supplier with the PDF attached (sent by the caller)."""
    doc = document(order)
    pdf = purchase_order_pdf(order, doc=doc)
    with translation.override(doc.language):
        subject = _("Purchase order %(reference)s from %(business)s") % {
            "reference": doc.reference,
            "business": doc.legal_name or doc.business_name,
        }
        body = render_to_string("purchasing/po_email.txt", {"doc": doc})
    reply_to = [order.business.invoice_email] if order.business.invoice_email else None
    message = EmailMessage(
        subject=f"{getattr(settings, 'ACCOUNT_EMAIL_SUBJECT_PREFIX', '')}{subject}",
        body=body,
        to=[email],
        reply_to=reply_to,
    )
    message.attach(pdf_filename(order), pdf, "application/pdf")
    return message
