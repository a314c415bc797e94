"""Tickets: what a sale prints, as an 80 mm PDF, on an ESC/POS receipt printer, or by email.

`ticket_data(sale)` gathers everything a ticket shows once, as plain values
already formatted in the business's language (money with its currency, the
date and time in the shop's time zone), so the screen, the PDF and the printer
show exactly the same words.

`print_ticket` sends it to the register's receipt printer (network host:port,
USB vendor:product, or a device file); the layout, text or picture, is in
`tickets_escpos.py`. Any printer failure is a `TicketPrintError` with a
sentence a cashier understands, never a 500.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit
from hanout.core.errors import DomainError, ValidationFailed
from hanout.core.money import quantize

log = logging.getLogger(__name__)

ACTION_LABELS = {
    "sale.ticket_emailed": gettext_lazy("Emailed a ticket"),
    "sale.ticket_printed": gettext_lazy("Printed a ticket"),
}

RTL_LANGUAGES = {"ar"}
PDF_WIDTH_MM = 80
PRINT_WIDTH_MM = 72


class TicketPrintError(DomainError):
    """The receipt printer could not be reached or refused the ticket."""

    code = "printer_error"
    status = 502


# --- the data ------------------------------------------------------------------------------


@dataclass
class TicketLine:
    name: str
    sku: str
    quantity: str
    unit_price: str
    total: str
    discount: str = ""  # formatted, empty when none
    tax_rate: str = ""
    show_quantity: bool = True  # 1 × price is not repeated for single items on the printer


@dataclass
class TicketTax:
    rate: str
    base: str
    tax: str


@dataclass
class TicketPayment:
    method: str
    label: str
    amount: str
    tendered: str = ""
    change: str = ""
    reference: str = ""


@dataclass
class Ticket:
    sale_id: str
    number: str
    is_return: bool
    original_number: str
    reason: str
    business_name: str
    legal_name: str
    shop_name: str
    shop_address: list[str]
    shop_phone: str
    register_name: str
    cashier_name: str
    sold_at: datetime  # in the shop's time zone
    date: str
    time: str
    time_zone: str
    language: str
    rtl: bool
    currency: str
    lines: list[TicketLine] = field(default_factory=list)
    withdrawals: list[TicketLine] = field(default_factory=list)
    taxes: list[TicketTax] = field(default_factory=list)
    payments: list[TicketPayment] = field(default_factory=list)
    subtotal: str = ""  # products, after discounts
    discount_total: str = ""
    tax_total: str = ""
    withdrawal_total: str = ""
    total: str = ""
    paid_total: str = ""
    change: str = ""
    late: bool = False
    offline: bool = False
    email: str = ""
    title: str = ""  # "Ticket" / "RETURN"
    customer_name: str = ""  # the customer attached at the register, if any

    def texts(self) -> list[str]:
        """Every piece of text the ticket prints (to decide text or image on the printer)."""
        out = [
            self.business_name,
            self.legal_name,
            self.shop_name,
            self.shop_phone,
            self.register_name,
            self.cashier_name,
            self.customer_name,
            self.reason,
            self.date,
            *self.shop_address,
        ]
        for line in self.lines + self.withdrawals:
            out += [line.name, line.total, line.unit_price]
        out += [p.label for p in self.payments]
        return out


def _locale(language: str, country: str) -> str:
    from hanout.catalog.templatetags.catalog_tags import _locale as catalog_locale

    return catalog_locale(language, country)


class Formatter:
    """Money, quantities, rates and dates the way the business's language writes them."""

    def __init__(self, business, language: str | None = None):
        self.currency = business.currency
        self.language = language or business.default_language or "en"
        self.locale = _locale(self.language, business.country or "")

    def money(self, amount) -> str:
        from babel.numbers import format_currency

        return format_currency(
            quantize(amount or 0, self.currency), self.currency, locale=self.locale
        )

    def number(self, amount) -> str:
        """An amount without the currency sign (tables of the tax summary)."""
        from babel.numbers import format_decimal, get_currency_precision

        places = get_currency_precision(self.currency)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(
            quantize(amount or 0, self.currency), format=pattern, locale=self.locale
        )

    def quantity(self, value) -> str:
        from babel.numbers import format_decimal

        value = Decimal(value or 0).normalize()
        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def rate(self, value) -> str:
        from babel.numbers import format_decimal

        return (
            format_decimal(Decimal(value or 0).normalize(), format="0.##", locale=self.locale)
            + " %"
        )

    def date(self, moment: datetime) -> str:
        from babel.dates import format_skeleton

        return format_skeleton("yMMdd", moment.date(), locale=self.locale)

    def time(self, moment: datetime) -> str:
        return moment.strftime("%H:%M")


def _address_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def sale_for_ticket(sale):
    """The sale with what a ticket reads, in four queries whatever its size."""
    from hanout.pos.models import Sale

    if getattr(sale, "_ticket_ready", False):
        return sale
    loaded = (
        Sale.objects.select_related(
            "business", "shop", "register", "cashier", "original", "customer"
        )
        .prefetch_related("lines", "payments")
        .get(pk=sale.pk)
    )
    loaded._ticket_ready = True
    return loaded


def ticket_data(sale, *, language: str | None = None) -> Ticket:
    """Everything the ticket of `sale` shows, formatted in the business's language.

    The date and time are the moment of the sale in the SHOP's time zone (a
    sale at 22:30 UTC in Casablanca is printed with the next day's date when
    the shop is an hour ahead). Quantities and totals of a return are
    negative, as stored.
    """
    from hanout.pos.models import LineKind, PaymentMethod, SaleKind

    sale = sale_for_ticket(sale)
    business = sale.business
    language = language or business.default_language or "en"
    fmt = Formatter(business, language)
    with translation.override(language):
        local = sale.sold_at.astimezone(sale.shop.tz)
        is_return = sale.kind == SaleKind.RETURN
        lines: list[TicketLine] = []
        withdrawals: list[TicketLine] = []
        taxes: dict[Decimal, list[Decimal]] = {}
        subtotal = Decimal(0)
        for line in sorted(sale.lines.all(), key=lambda x: x.position):
            if line.kind == LineKind.WITHDRAWAL:
                withdrawals.append(
                    TicketLine(
                        name=_("Cash withdrawal"),
                        sku="",
                        quantity=fmt.quantity(line.quantity),
                        unit_price=fmt.money(line.unit_price),
                        total=fmt.money(line.total),
                        show_quantity=False,
                    )
                )
                continue
            subtotal += line.total
            rate = Decimal(line.tax_rate or 0).normalize()
            base_tax = taxes.setdefault(rate, [Decimal(0), Decimal(0)])
            base_tax[0] += line.total - line.tax_amount
            base_tax[1] += line.tax_amount
            lines.append(
                TicketLine(
                    name=line.name,
                    sku=line.sku,
                    quantity=fmt.quantity(line.quantity),
                    unit_price=fmt.money(line.unit_price),
                    total=fmt.money(line.total),
                    # A discount lowers a sale line and lowers what a return gives back.
                    discount=fmt.money(line.discount if line.quantity < 0 else -line.discount)
                    if line.discount
                    else "",
                    tax_rate=fmt.rate(line.tax_rate),
                    show_quantity=line.quantity != 1 or bool(line.discount),
                )
            )
        payments = []
        for payment in sorted(sale.payments.all(), key=lambda p: (p.created_at, p.pk)):
            label = (
                str(PaymentMethod(payment.method).label)
                if payment.method in PaymentMethod.values
                else payment.method
            )
            is_cash = payment.method == PaymentMethod.CASH
            if payment.method == PaymentMethod.POINTS and payment.points:
                label = _("Points: %(n)s pts") % {"n": payment.points}
            payments.append(
                TicketPayment(
                    method=payment.method,
                    label=label,
                    amount=fmt.money(payment.amount),
                    tendered=fmt.money(payment.tendered) if is_cash and payment.tendered else "",
                    change=fmt.money(payment.change) if is_cash and payment.change else "",
                    reference=payment.reference,
                )
            )
        cashier = sale.cashier
        ticket = Ticket(
            sale_id=str(sale.pk),
            number=sale.ticket_number,
            is_return=is_return,
            original_number=sale.original.ticket_number if sale.original_id else "",
            reason=sale.reason,
            business_name=business.name,
            legal_name=business.name,
            shop_name=sale.shop.name,
            shop_address=_address_lines(sale.shop.address),
            shop_phone=sale.shop.phone,
            register_name=sale.register.name,
            cashier_name=(cashier.full_name or cashier.email) if cashier else "",
            sold_at=local,
            date=fmt.date(local),
            time=fmt.time(local),
            time_zone=sale.shop.time_zone,
            language=language,
            rtl=language in RTL_LANGUAGES,
            currency=business.currency,
            lines=lines,
            withdrawals=withdrawals,
            taxes=[
                TicketTax(rate=fmt.rate(rate), base=fmt.number(base), tax=fmt.number(tax))
                for rate, (base, tax) in sorted(taxes.items())
            ],
            payments=payments,
            subtotal=fmt.money(subtotal),
            discount_total=fmt.money(-sale.discount_total) if sale.discount_total else "",
            tax_total=fmt.money(sale.tax_total),
            withdrawal_total=fmt.money(sale.withdrawal_total) if sale.withdrawal_total else "",
            total=fmt.money(sale.total),
            paid_total=fmt.money(sale.paid_total),
            change=fmt.money(sale.change_given) if sale.change_given else "",
            late=sale.late,
            offline=sale.offline,
            email=sale.email,
            title=_("RETURN") if is_return else _("Ticket"),
            customer_name=sale.customer.name if sale.customer_id else "",
        )
    return ticket


# --- the 80 mm PDF -------------------------------------------------------------------------


def _render_html(ticket: Ticket, *, width_mm: float, height_mm: float, margin_mm: float) -> str:
    with translation.override(ticket.language):
        return render_to_string(
            "pos/ticket_pdf.html",
            {
                "ticket": ticket,
                # Strings: a French or Arabic locale would write 108.5 as "108,5" in CSS.
                "width_mm": f"{width_mm:.2f}",
                "height_mm": f"{height_mm:.2f}",
                "margin_mm": f"{margin_mm:.2f}",
            },
        )


def _pdf(ticket: Ticket, *, width_mm: float, margin_mm: float) -> bytes:
    """One long page as high as the ticket: measured on a first layout, then rendered."""
    from weasyprint import HTML

    rows = len(ticket.lines) + len(ticket.withdrawals) + len(ticket.payments) + len(ticket.taxes)
    tall = min(5000, 200 + 14 * rows)  # mm, enough for the first layout in one page
    document = HTML(
        string=_render_html(ticket, width_mm=width_mm, height_mm=tall, margin_mm=margin_mm)
    ).render()
    if len(document.pages) == 1:
        root = document.pages[0]._page_box.children[0]
        used_mm = root.margin_height() * 25.4 / 96
        height = round(used_mm + 2 * margin_mm + 2, 1)
        document = HTML(
            string=_render_html(ticket, width_mm=width_mm, height_mm=height, margin_mm=margin_mm)
        ).render()
    return document.write_pdf()


def ticket_pdf(sale, *, ticket: Ticket | None = None) -> bytes:
    """The ticket as an 80 mm wide PDF, one page as long as the ticket."""
    ticket = ticket or ticket_data(sale)
    return _pdf(ticket, width_mm=PDF_WIDTH_MM, margin_mm=4)


def ticket_filename(ticket: Ticket) -> str:
    return f"ticket-{ticket.number}.pdf"


def register_printer(register):
    """The python-escpos printer a register is set up with (not opened yet)."""
    from escpos import printer as escpos_printer

    from hanout.pos.models import PrinterKind

    kind, target = register.printer_kind, (register.printer_target or "").strip()
    if kind == PrinterKind.NONE or not target:
        raise TicketPrintError(
            _("The register %(register)s has no receipt printer set up.")
            % {"register": register.name},
            code="no_printer",
        )
    if kind == PrinterKind.NETWORK:
        host, _sep, port = target.rpartition(":")
        if not host:
            host, port = target, "9100"
        try:
            port_number = int(port)
        except ValueError:
            port_number = -1
        if not 0 < port_number < 65536:
            raise TicketPrintError(
                _("The printer address %(target)s is not host:port.") % {"target": target},
                code="bad_printer",
            )
        return escpos_printer.Network(host.strip("[]"), port_number, timeout=5)
    if kind == PrinterKind.USB:
        try:
            vendor, product = (int(part, 16) for part in target.split(":"))
        except ValueError:
            raise TicketPrintError(
                _("The USB printer %(target)s is not vendor:product in hexadecimal (04b8:0202).")
                % {"target": target},
                code="bad_printer",
            ) from None
        if not escpos_printer.Usb.is_usable():
            raise TicketPrintError(
                _(
                    "Printing on the USB printer %(target)s needs the pyusb library on this "
                    "computer (pip install python-escpos[usb]); or set the printer up as a "
                    "device file."
                )
                % {"target": target},
                code="printer_unavailable",
            )
        return escpos_printer.Usb(vendor, product)
    if kind == PrinterKind.FILE:
        return escpos_printer.File(target)
    raise TicketPrintError(
        _("The register %(register)s has no receipt printer set up.") % {"register": register.name},
        code="no_printer",
    )


def print_ticket(sale, printer=None, *, actor=None):
    """Print the ticket of `sale` on `printer`, or on its register's receipt printer.

    Returns the printer (a `Dummy` in tests holds the bytes in `.output`).
    Raises TicketPrintError with a message a cashier understands when the
    printer is missing, unreachable or refuses the job.
    """
    sale = sale_for_ticket(sale)
    ticket = ticket_data(sale)
    own = printer is None
    if own:
        printer = register_printer(sale.register)
    target = sale.register.printer_target or ""
    try:
        if own:
            printer.open()
        from hanout.pos.tickets_escpos import write_ticket

        write_ticket(printer, ticket)
    except TicketPrintError:
        raise
    except Exception as exc:  # socket, USB and file errors all land here
        log.warning("printing ticket %s on %s failed: %s", ticket.number, target, exc)
        raise TicketPrintError(
            _(
                "The receipt printer %(target)s did not answer (%(error)s). Check that it is on, "
                "connected and has paper, then print again."
            )
            % {"target": target or sale.register.name, "error": exc.__class__.__name__}
        ) from exc
    finally:
        if own:
            with contextlib.suppress(Exception):  # closing a printer that never opened
                printer.close()
    if actor is not None:
        ticket_record_print(sale=sale, actor=actor)
    return printer


def ticket_escpos(sale, *, actor=None) -> bytes:
    """The ticket of `sale` as the bytes an ESC/POS printer takes (for a printer that
    only the counter computer reaches: the desktop app sends them on). The print is
    audited like one the server sends itself."""
    from escpos.printer import Dummy

    return print_ticket(sale, Dummy(), actor=actor).output


@transaction.atomic
def ticket_record_print(*, sale, actor) -> None:
    """Audit a (re)print: reprints are where duplicate-receipt fraud starts."""
    audit.record(business=sale.business, actor=actor, action="sale.ticket_printed", obj=sale)


# --- email ---------------------------------------------------------------------------------


def sale_ticket_email(*, sale, actor, email: str) -> None:
    """Email the ticket of `sale` to `email` with its PDF, and remember the address.

    The PDF is rendered before the transaction (it takes a moment and must not
    hold the write lock); the message leaves after commit through the
    project's queued mail backend.
    """
    from django.conf import settings

    email = (email or "").strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(
            _("Enter a valid email address."), fields={"email": [_("Enter a valid email address.")]}
        ) from None
    sale = sale_for_ticket(sale)
    ticket = ticket_data(sale)
    pdf = ticket_pdf(sale, ticket=ticket)
    with translation.override(ticket.language):
        subject = _("Your ticket %(number)s from %(shop)s") % {
            "number": ticket.number,
            "shop": ticket.shop_name,
        }
        body = render_to_string("pos/ticket_email.txt", {"ticket": ticket})
    message = EmailMessage(
        subject=f"{getattr(settings, 'ACCOUNT_EMAIL_SUBJECT_PREFIX', '')}{subject}",
        body=body,
        to=[email],
    )
    message.attach(ticket_filename(ticket), pdf, "application/pdf")
    _record_email(sale=sale, actor=actor, email=email, message=message)


@transaction.atomic
def _record_email(*, sale, actor, email: str, message: EmailMessage) -> None:
    before = sale.email
    sale.email = email
    sale.save(update_fields=["email", "updated_at"])
    audit.record(
        business=sale.business,
        actor=actor,
        action="sale.ticket_emailed",
        obj=sale,
        changes={"email": [before, email]},
    )
    message.send()  # queued; delivered after commit
