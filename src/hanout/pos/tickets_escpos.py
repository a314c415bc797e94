"""The ticket on an ESC/POS receipt printer (python-escpos): its layout, as text or as a picture.

Latin text (French and English with their accents, the euro sign) is sent as
text and python-escpos switches code pages (ESC t) as it goes. Printers know no
Arabic shaping and no Tifinagh (Arabic comes out unjoined and reversed,
Tifinagh as "????"), so a ticket in Arabic or Tamazight, or with such a
product name, is drawn by WeasyPrint — the same template as the PDF, at the
printer's 72 mm — rasterised by poppler's `pdftoppm` and sent as an image.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hanout.pos.tickets import PRINT_WIDTH_MM, Ticket, TicketPrintError, _pdf

# Text a receipt printer cannot draw from its code pages: Arabic, Tifinagh and
# anything past Latin/Greek/Cyrillic (CJK …).
IMAGE_LANGUAGES = {"ar", "zgh"}
TEXT_SAFE_EXTRA = set("€–—‘’‚“”„…•·°±×÷")
PRINTER_COLUMNS = 42  # font A on the 72 mm printable width of an 80 mm roll
PRINTER_DOTS = 512  # 72 mm at 180 dpi (Epson TM-T88); fits 576-dot printers too


def needs_image(ticket: Ticket) -> bool:
    """Whether the printer must get the ticket as a picture (see the module docstring)."""
    if ticket.language in IMAGE_LANGUAGES:
        return True
    for text in ticket.texts():
        for ch in text or "":
            if ord(ch) >= 0x0370 and ch not in TEXT_SAFE_EXTRA and not _is_space_or_mark(ch):
                return True
    return False


def _is_space_or_mark(ch: str) -> bool:
    return ch in "\u00a0\u202f\u2009\u200e\u200f\u061c\u2066\u2067\u2068\u2069"


def _plain(text: str) -> str:
    """Text for the printer's code pages: ordinary spaces, no bidi marks."""
    for ch in "\u00a0\u202f\u2009":
        text = text.replace(ch, " ")
    for ch in "\u200e\u200f\u061c\u2066\u2067\u2068\u2069":
        text = text.replace(ch, "")
    return text


def _columns(left: str, right: str, width: int = PRINTER_COLUMNS) -> str:
    left, right = _plain(left), _plain(right)
    room = width - len(right) - 1
    if len(left) > room:
        left = left[: max(room, 0)]
    return left + " " * (width - len(left) - len(right)) + right


def _wrap(text: str, width: int = PRINTER_COLUMNS) -> list[str]:
    return textwrap.wrap(_plain(text), width) or [""]


def ticket_image(ticket: Ticket):
    """The ticket as a black-and-white Pillow image PRINTER_DOTS wide (Arabic, Tifinagh)."""
    from PIL import Image

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise TicketPrintError(
            _(
                "This ticket must be printed as a picture, and poppler-utils (pdftoppm) is not "
                "installed on the server."
            )
        )
    pdf = _pdf(ticket, width_mm=PRINT_WIDTH_MM, margin_mm=1)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "ticket.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 (fixed arguments, our own file)
            [
                pdftoppm,
                "-png",
                "-singlefile",
                "-f",
                "1",
                "-l",
                "1",
                "-scale-to-x",
                str(PRINTER_DOTS),
                "-scale-to-y",
                "-1",
                "-gray",
                str(source),
                str(Path(folder) / "ticket"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        with Image.open(Path(folder) / "ticket.png") as picture:
            image = picture.convert("L")
    return image.point(lambda v: 0 if v < 160 else 255, mode="1")


def write_ticket(printer, ticket: Ticket) -> None:
    """Send the ticket to an open python-escpos printer, then cut the paper."""
    if needs_image(ticket):
        printer.image(ticket_image(ticket), center=True)
        printer.ln(2)
        printer.cut()
        return
    with translation.override(ticket.language):
        line = "-" * PRINTER_COLUMNS
        printer.set(align="center", bold=True, double_height=True, double_width=False)
        for piece in _wrap(ticket.shop_name):
            printer.textln(piece)
        printer.set(align="center", bold=False, normal_textsize=True)
        if ticket.legal_name and ticket.legal_name != ticket.shop_name:
            printer.textln(_plain(ticket.legal_name))
        for address in ticket.shop_address:
            for piece in _wrap(address):
                printer.textln(piece)
        if ticket.shop_phone:
            printer.textln(_plain(ticket.shop_phone))
        if ticket.is_return:
            printer.set(align="center", bold=True, double_height=True, double_width=True)
            printer.textln(_plain(ticket.title))
            printer.set(align="center", bold=False, normal_textsize=True)
        printer.set(align="left")
        printer.textln(line)
        printer.textln(
            _columns(
                _("Ticket %(number)s") % {"number": ticket.number}, f"{ticket.date} {ticket.time}"
            )
        )
        if ticket.is_return and ticket.original_number:
            printer.textln(
                _plain(_("Return of ticket %(number)s") % {"number": ticket.original_number})
            )
        printer.textln(_plain(_("Register: %(name)s") % {"name": ticket.register_name}))
        printer.textln(_plain(_("Cashier: %(name)s") % {"name": ticket.cashier_name}))
        if ticket.customer_name:
            printer.textln(_plain(_("Customer: %(name)s") % {"name": ticket.customer_name}))
        printer.textln(line)
        for item in ticket.lines:
            if item.show_quantity:
                for piece in _wrap(item.name):
                    printer.textln(piece)
                printer.textln(_columns(f"  {item.quantity} x {item.unit_price}", item.total))
            else:
                printer.textln(_columns(item.name, item.total))
            if item.discount:
                printer.textln(_columns("  " + _("Discount"), item.discount))
        if ticket.withdrawals:
            printer.textln(line)
            for item in ticket.withdrawals:
                printer.textln(_columns(item.name, item.total))
        printer.textln(line)
        printer.set(align="left", bold=True, double_height=True)
        printer.textln(_columns(_("TOTAL"), ticket.total))
        printer.set(align="left", bold=False, normal_textsize=True)
        for payment in ticket.payments:
            printer.textln(_columns(payment.label, payment.amount))
            if payment.tendered:
                printer.textln(_columns("  " + _("Tendered"), payment.tendered))
        if ticket.change:
            printer.set(bold=True)
            printer.textln(_columns(pgettext("money given back", "Change"), ticket.change))
            printer.set(bold=False)
        if ticket.taxes:
            printer.textln(line)
            printer.textln(_tax_row(_("Tax rate"), _("Base"), _("Tax")))
            for tax in ticket.taxes:
                printer.textln(_tax_row(tax.rate, tax.base, tax.tax))
        printer.textln(line)
        if ticket.late:
            printer.textln(_plain(_("Recorded after its session was closed.")))
        if ticket.offline:
            printer.textln(_plain(_("Sold while the register was offline.")))
        printer.set(align="center")
        printer.textln(_plain(_("Thank you for your visit!")))
        printer.ln(2)
        printer.cut()


def _tax_row(rate: str, base: str, tax: str) -> str:
    third = PRINTER_COLUMNS // 3
    rate, base, tax = _plain(rate), _plain(base), _plain(tax)
    return (
        rate[:third].ljust(third)
        + base[:third].rjust(third)
        + tax[: PRINTER_COLUMNS - 2 * third].rjust(PRINTER_COLUMNS - 2 * third)
    )
