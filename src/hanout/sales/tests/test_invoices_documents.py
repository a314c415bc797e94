"""The PDF is real (pdftotext finds the number, the lines, the totals; Arabic is RTL)
and the email reaches a real SMTP server with the PDF attached."""

from __future__ import annotations

import pytest

from hanout.core.errors import ValidationFailed
from hanout.sales.invoice_pdf import invoice_pdf
from hanout.sales.services_invoices import (
    credit_note_issue_for_invoice,
    invoice_email,
    invoice_issue_for_sale,
)
from hanout.sales.tests.invoices_support import (
    make_customer,
    make_till,
    open_session,
    pdf_info,
    pdf_text,
    sell,
)
from tests.factories import make_business

pytestmark = pytest.mark.django_db


def _till(**kw):
    owner = make_business("Kaching", **kw)
    b = owner.business
    b.legal_name = "Kaching SRL"
    b.tax_id = "BE0712345678"
    b.legal_address = "Rue Neuve 42\n1000 Bruxelles"
    b.invoice_footer = "IBAN BE71 0961 2345 6769"
    b.save()
    till = make_till(owner)
    open_session(till)
    return till


def test_the_invoice_pdf_shows_the_number_the_lines_and_the_totals():
    till = _till(language="fr")
    customer = make_customer(till.business)
    invoice = invoice_issue_for_sale(
        sale=sell(till, ("croissant", 3), ("deo", 2)), actor=till.user, customer=customer
    )

    pdf = invoice_pdf(invoice)
    text = pdf_text(pdf)

    assert pdf_info(pdf)["Page size"].startswith("595")  # A4: 595 × 842 pt
    assert invoice.reference in text
    assert "Kaching SRL" in text and "BE0712345678" in text
    assert "Atelier Nour" in text and "BE0123456789" in text
    assert "Croissant" in text and "Déodorant CienMEN" in text
    assert "12,00 €" in text  # the total, in French
    assert "1,73 €" in text  # the tax: 0.17 at 6 % + 1.56 at 21 %
    assert "IBAN BE71 0961 2345 6769" in text


def test_an_arabic_invoice_is_right_to_left_with_arabic_text():
    till = _till(currency="MAD", country="MA", time_zone="Africa/Casablanca", language="ar")
    # (No lam-alef in the name: poppler extracts that ligature's two letters swapped.)
    customer = make_customer(till.business, "مقهى النور", address="8 زنقة الحرية")
    invoice = invoice_issue_for_sale(
        sale=sell(till, ("cafe", 2)), actor=till.user, customer=customer
    )
    assert invoice.language == "ar"

    text = pdf_text(invoice_pdf(invoice))

    assert "مقهى النور" in text
    assert invoice.reference in text
    assert "5,00" in text  # 2 × 2.50 MAD in the Arabic locale's digits and separators


def test_a_credit_note_pdf_says_what_it_credits():
    till = _till(language="en")
    invoice = invoice_issue_for_sale(sale=sell(till, ("croissant", 3)), actor=till.user)
    note = credit_note_issue_for_invoice(invoice=invoice, actor=till.user, reason="Stale bread")
    text = pdf_text(invoice_pdf(note))
    assert "Credit note" in text and note.reference in text
    assert invoice.reference in text and "Stale bread" in text


def test_the_invoice_email_reaches_the_smtp_server_with_the_pdf(
    smtp_server, django_capture_on_commit_callbacks
):
    till = _till(language="en")
    customer = make_customer(till.business)
    invoice = invoice_issue_for_sale(
        sale=sell(till, ("deo", 1)), actor=till.user, customer=customer
    )

    with django_capture_on_commit_callbacks(execute=True):
        invoice_email(invoice=invoice, actor=till.user)

    assert smtp_server.event.wait(10)
    (message,) = smtp_server.messages
    assert message["To"] == "compta@atelier-nour.test"
    assert invoice.reference in message["Subject"]
    attachments = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    assert attachments[0].get_filename() == f"invoice-{invoice.reference}.pdf"
    pdf = attachments[0].get_payload(decode=True)
    assert invoice.reference in pdf_text(pdf)
    assert invoice.reference in smtp_server.bodies()[0]
    invoice.refresh_from_db()
    assert invoice.emailed_to == "compta@atelier-nour.test"


def test_an_invoice_without_any_address_asks_for_one():
    till = _till()
    invoice = invoice_issue_for_sale(sale=sell(till, "croissant"), actor=till.user)
    with pytest.raises(ValidationFailed) as exc:
        invoice_email(invoice=invoice, actor=till.user)
    assert "email" in exc.value.fields
    with pytest.raises(ValidationFailed):
        invoice_email(invoice=invoice, actor=till.user, email="not-an-address")
