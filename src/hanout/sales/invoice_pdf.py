"""An invoice or credit note as an A4 PDF (WeasyPrint), in the document's language,
and sent by email with that PDF attached.

`invoice_document(invoice)` gathers what the document shows once, as plain
values already formatted in its language (money with the currency, the issue
date in the shop's time zone, rates), so the page, the PDF and the email say
the same thing. Arabic documents are laid out right to left; the fonts are
Noto Sans (+ Arabic, + Tifinagh), which WeasyPrint embeds.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from hanout.core import audit, clock
from hanout.core.errors import ValidationFailed
from hanout.pos.tickets import RTL_LANGUAGES, Formatter
from hanout.sales.models import Invoice, InvoiceKind


@dataclass
class DocLine:
    name: str
    sku: str
    quantity: str
    unit_price: str
    discount: str
    tax_rate: str
    total: str


@dataclass
class DocTax:
    rate: str
    base: str
    tax: str
    total: str


@dataclass
class InvoiceDocument:
    invoice_id: str
    title: str
    number: str
    is_credit_note: bool
    language: str
    rtl: bool
    date: str
    seller: dict
    seller_address: list[str]
    buyer: dict
    buyer_address: list[str]
    delivery_address: list[str]
    references: list[tuple[str, str]]  # (label, value): order, ticket, credited invoice
    reason: str
    lines: list[DocLine] = field(default_factory=list)
    taxes: list[DocTax] = field(default_factory=list)
    net_total: str = ""
    tax_total: str = ""
    total: str = ""
    footer: list[str] = field(default_factory=list)
    colon: str = ":"  # French puts a narrow no-break space before it


def _lines(text: str) -> list[str]:
    return [row.strip() for row in (text or "").splitlines() if row.strip()]


def _formatter(invoice: Invoice, language: str) -> Formatter:
    frozen = SimpleNamespace(
        currency=invoice.currency,
        default_language=invoice.language,
        country=invoice.seller.get("country", ""),
    )
    return Formatter(frozen, language)


def local_issued_at(invoice: Invoice):
    """The issue moment in the shop's time zone, as frozen on the document."""
    try:
        tz = zoneinfo.ZoneInfo(invoice.seller.get("time_zone") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return invoice.issued_at.astimezone(tz)


def invoice_document(invoice: Invoice, *, language: str | None = None) -> InvoiceDocument:
    """Everything the document prints, formatted in its language (lines read once)."""
    language = language or invoice.language or "en"
    fmt = _formatter(invoice, language)
    is_credit = invoice.kind == InvoiceKind.CREDIT_NOTE
    with translation.override(language):
        refs: list[tuple[str, str]] = []
        if invoice.credited_invoice_id:
            refs.append((_("Credits invoice"), invoice.credited_invoice.reference))
        if invoice.order_id:
            refs.append((_("Order"), invoice.order.reference))
        if invoice.sale_id:
            sale = invoice.sale
            refs.append((_("Ticket"), sale.ticket_number))
        if invoice.return_record_id:
            refs.append((_("Return"), invoice.return_record.reference))
        lines = [
            DocLine(
                name=line.name,
                sku=line.sku,
                quantity=fmt.quantity(line.quantity),
                unit_price=fmt.money(line.unit_price),
                discount=fmt.money(-line.discount) if line.discount else "",
                tax_rate=fmt.rate(line.tax_rate),
                total=fmt.money(line.total),
            )
            for line in sorted(invoice.lines.all(), key=lambda x: (x.position, str(x.pk)))
        ]
        taxes = [
            DocTax(
                rate=fmt.rate(row["rate"]),
                base=fmt.money(row["base"]),
                tax=fmt.money(row["tax"]),
                total=fmt.money(row["total"]),
            )
            for row in invoice.taxes
        ]
        buyer = invoice.buyer or {}
        return InvoiceDocument(
            invoice_id=str(invoice.pk),
            title=_("Credit note") if is_credit else _("Invoice"),
            number=invoice.reference,
            is_credit_note=is_credit,
            language=language,
            rtl=language in RTL_LANGUAGES,
            date=fmt.date(local_issued_at(invoice)),
            seller=invoice.seller,
            seller_address=_lines(invoice.seller.get("address", "")),
            buyer=buyer,
            buyer_address=_lines(buyer.get("address", "")),
            delivery_address=_lines(buyer.get("delivery_address", "")),
            references=refs,
            reason=invoice.reason,
            lines=lines,
            taxes=taxes,
            net_total=fmt.money(invoice.net_total),
            tax_total=fmt.money(invoice.tax_total),
            total=fmt.money(invoice.total),
            footer=_lines(invoice.seller.get("footer", "")),
            colon="\u202f:" if language.split("-")[0] == "fr" else ":",
        )


def invoice_html(doc: InvoiceDocument) -> str:
    with translation.override(doc.language):
        return render_to_string("sales/invoice_pdf.html", {"doc": doc})


def invoice_pdf(invoice: Invoice, *, doc: InvoiceDocument | None = None) -> bytes:
    """The document as an A4 PDF (pages numbered in the footer when it runs long)."""
    from weasyprint import HTML

    doc = doc or invoice_document(invoice)
    return HTML(string=invoice_html(doc)).write_pdf()


def invoice_filename(invoice: Invoice) -> str:
    prefix = "credit-note" if invoice.kind == InvoiceKind.CREDIT_NOTE else "invoice"
    return f"{prefix}-{invoice.reference}.pdf"


# --- email -----------------------------------------------------------------------------------


def invoice_email_send(*, invoice: Invoice, actor, email: str | None = None) -> Invoice:
    """Email the document with its PDF to `email` (default: the buyer's address).

    The PDF is rendered before the transaction (it takes a moment and must not
    hold the write lock); the message is queued and leaves after commit
    through the project's mail job, like a ticket. Only the "last emailed to"
    note changes on the document, never its content.
    """
    from django.conf import settings
    from django.core.exceptions import ValidationError as DjangoValidationError
    from django.core.mail import EmailMessage
    from django.core.validators import validate_email

    email = (email or invoice.buyer.get("email") or "").strip()
    if not email:
        raise ValidationFailed(
            _("The customer has no email address: enter one."),
            fields={"email": [_("Enter an email address.")]},
        )
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(
            _("Enter a valid email address."), fields={"email": [_("Enter a valid email address.")]}
        ) from None
    doc = invoice_document(invoice)
    pdf = invoice_pdf(invoice, doc=doc)
    with translation.override(doc.language):
        if doc.is_credit_note:
            subject = _("Credit note %(number)s from %(seller)s")
        else:
            subject = _("Invoice %(number)s from %(seller)s")
        subject = subject % {"number": doc.number, "seller": doc.seller.get("name", "")}
        body = render_to_string("sales/invoice_email.txt", {"doc": doc})
    message = EmailMessage(
        subject=f"{getattr(settings, 'ACCOUNT_EMAIL_SUBJECT_PREFIX', '')}{subject}",
        body=body,
        to=[email],
        reply_to=[invoice.seller["email"]] if invoice.seller.get("email") else None,
    )
    message.attach(invoice_filename(invoice), pdf, "application/pdf")
    return _record_email(invoice=invoice, actor=actor, email=email, message=message)


@transaction.atomic
def _record_email(*, invoice: Invoice, actor, email: str, message) -> Invoice:
    before = invoice.emailed_to
    Invoice.objects.filter(pk=invoice.pk).update(emailed_to=email, emailed_at=clock.now())
    invoice.refresh_from_db(fields=["emailed_to", "emailed_at"])
    audit.record(
        business=invoice.business,
        actor=actor,
        action="invoice.email",
        obj=invoice,
        changes={"emailed_to": [before, email]},
    )
    message.send()  # queued; delivered after commit
    return invoice
