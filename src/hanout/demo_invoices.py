"""Demo data for invoices (called by hanout.demo.load_demo; idempotent).

Each demo business gets its legal details (when it has none yet), an invoice
for one of yesterday's register tickets made out to a company customer, an
invoice for a delivered order when the orders demo made one, and a credit
note for part of the ticket's invoice. Everything goes through the services,
so the numbers, the audit and the frozen details are the real ones.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

LEGAL = {
    "EUR": {
        "legal_name": "{name} SRL",
        "legal_address": "Rue Neuve 42\n1000 Bruxelles\nBelgique",
        "tax_id": "BE0712345678",
        "registration_number": "RPM Bruxelles 0712.345.678",
        "invoice_phone": "+32 2 555 01 00",
        "invoice_footer": "IBAN BE71 0961 2345 6769 · BIC GKCCBEBB\n"
        "Paiement à 30 jours. / Payment within 30 days.",
    },
    "MAD": {
        "legal_name": "{name} SARL",
        "legal_address": "12 Boulevard d'Anfa\n20000 Casablanca\nMaroc",
        "tax_id": "IF 40123456",
        "registration_number": "RC Casablanca 512345 · ICE 001234567000089",
        "invoice_phone": "+212 522 55 01 00",
        "invoice_footer": "RIB 011 780 0000123456789012 34\nالدفع خلال 30 يوما.",
    },
}


def _owner(business, spec):
    from hanout.accounts.models import Membership

    return Membership.objects.get(business=business, user__email=spec["owner"].email).user


def _company_customer(business, actor):
    """A company customer from the customers demo, or one made here if there is none yet."""
    from hanout.customers.models import Customer

    customer = (
        Customer.objects.for_business(business)
        .filter(is_active=True)
        .order_by("-is_company", "name")
        .first()
    )
    if customer is not None:
        return customer
    arabic = business.currency == "MAD"
    data = {
        "name": "مقهى الأمل" if arabic else "Atelier Nour SPRL",
        "is_company": True,
        "email": "compta@cafe-amal.example" if arabic else "compta@atelier-nour.example",
        "address": "8 زنقة الحرية، الدار البيضاء"
        if arabic
        else "Rue des Tanneurs 12\n1000 Bruxelles",
        "tax_id": "ICE 002345678000021" if arabic else "BE0456789123",
    }
    from hanout.customers import services as customers

    create = getattr(customers, "customer_create", None)
    if create is not None:
        return create(business=business, actor=actor, data=data)
    return Customer.objects.create(business=business, search_text=data["name"].lower(), **data)


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
    from hanout.core.services import business_legal_update
    from hanout.pos.models import Sale, SaleKind
    from hanout.sales.models import CustomerOrder, Invoice, InvoiceKind, OrderStatus
    from hanout.sales.services_invoices import (
        credit_note_issue_for_invoice,
        invoice_issue_for_order,
        invoice_issue_for_sale,
    )

    if Invoice.objects.for_business(business).filter(kind=InvoiceKind.INVOICE).exists():
        return
    actor = _owner(business, spec)
    if not business.legal_name:
        legal = dict(LEGAL.get(business.currency, LEGAL["EUR"]))
        legal["legal_name"] = legal["legal_name"].format(name=business.name)
        legal["invoice_email"] = spec["owner"].email
        business_legal_update(business=business, actor=actor, data=legal)

    customer = _company_customer(business, actor)
    sale = (
        Sale.objects.for_business(business)
        .filter(kind=SaleKind.SALE, revenue__gt=0, invoices__isnull=True)
        .order_by("sold_at")
        .first()
    )
    ticket_invoice = None
    if sale is not None:
        ticket_invoice = invoice_issue_for_sale(sale=sale, actor=actor, customer=customer)

    order = (
        CustomerOrder.objects.for_business(business)
        .filter(status=OrderStatus.DELIVERED, invoices__isnull=True)
        .order_by("number")
        .first()
    )
    if order is not None:
        invoice_issue_for_order(order=order, actor=actor)

    if ticket_invoice is not None:
        first = ticket_invoice.lines.order_by("position").first()
        credit_note_issue_for_invoice(
            invoice=ticket_invoice,
            actor=actor,
            reason=_("Damaged packaging, one item taken back"),
            lines={str(first.pk): min(first.quantity, 1)},
        )
