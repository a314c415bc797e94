"""Barcodes as typed or scanned: recognise the kind, check the check digit.

EAN-13, EAN-8 and UPC-A end with a check digit (GS1 modulo 10). A code of 8,
12 or 13 digits whose check digit is right is taken as that kind; one whose
check digit is wrong is refused with the digit it should have been, because a
mistyped EAN is far more common than a shop's own code that happens to have
that length. When it *is* the shop's own code (the Kaching demo has several),
the person chooses the kind “Shop's own code” and the code is kept as typed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hanout.catalog.models import BarcodeKind
from hanout.core.errors import ValidationFailed

MAX_LENGTH = 64
GS1_LENGTHS = {8: BarcodeKind.EAN8, 12: BarcodeKind.UPCA, 13: BarcodeKind.EAN13}
KIND_LENGTHS = {kind: length for length, kind in GS1_LENGTHS.items()}


def gs1_check_digit(body: str) -> int:
    """The GS1 check digit of `body` (the code without its last digit).

    Weights 3, 1, 3, 1 … from the rightmost digit of the body.
    """
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def _fail(message: str, field: str = "code") -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def barcode_parse(code: str, kind: str | None = None) -> tuple[str, str]:
    """The code without spaces and its kind, or ValidationFailed naming `code`.

    `kind=None` recognises the kind: 8, 12 or 13 digits with a valid check
    digit are EAN-8, UPC-A or EAN-13 (a wrong check digit is refused); other
    digits only are the shop's own code; anything else is Code 128.
    A given kind is checked: GS1 kinds need the right length and check digit;
    the shop's own codes and Code 128 are kept as typed (printable ASCII,
    at most 64 characters).
    """
    if not isinstance(code, str):
        raise _fail(_("A barcode must be text."))
    code = "".join(code.split())
    if not code:
        raise _fail(_("The barcode is empty."))
    if len(code) > MAX_LENGTH:
        raise _fail(_("A barcode has at most %(n)d characters.") % {"n": MAX_LENGTH})
    if not all(32 < ord(c) < 127 for c in code):
        raise _fail(_("A barcode may only contain letters, digits and printable ASCII symbols."))
    if kind not in (None, ""):
        if kind not in BarcodeKind.values:
            raise _fail(
                _("Unknown barcode kind “%(kind)s”; choose one of: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(BarcodeKind.values)},
                field="kind",
            )
        if kind in KIND_LENGTHS:
            _check_gs1(code, kind)
        return code, kind
    if code.isdigit() and len(code) in GS1_LENGTHS:
        kind = GS1_LENGTHS[len(code)]
        _check_gs1(code, kind)
        return code, kind
    return code, BarcodeKind.INTERNAL if code.isdigit() else BarcodeKind.CODE128


def _check_gs1(code: str, kind: str) -> None:
    label = BarcodeKind(kind).label
    length = KIND_LENGTHS[kind]
    if not code.isdigit() or len(code) != length:
        raise _fail(
            _("An %(kind)s barcode has exactly %(n)d digits.") % {"kind": label, "n": length}
        )
    expected = gs1_check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise _fail(
            _(
                "This %(kind)s barcode's check digit should be %(digit)d; if this is your "
                "shop's own code, choose “%(own)s”."
            )
            % {"kind": label, "digit": expected, "own": BarcodeKind.INTERNAL.label}
        )
