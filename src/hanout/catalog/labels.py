"""Barcode labels: an A4 PDF sheet of sticky labels with name, price and barcode.

Each barcode is an SVG drawn by python-barcode in its own symbology (EAN-13,
EAN-8, UPC-A); Code 128 prints the shop's own codes, Code 128 codes, and the SKU
of a product that has no barcode. The bars are sized in millimetres to fit the
label (never stretched), so a scanner reads them at the printed size.

WeasyPrint renders the HTML with the Noto fonts (Latin, Arabic, Tifinagh), so a
name in any of the shop's languages prints with real glyphs.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog.models import BarcodeKind
from hanout.core.errors import ValidationFailed

MAX_LABELS = 1000
MAX_PER_PRODUCT = 500


@dataclass(frozen=True)
class Layout:
    key: str
    label: object
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    margin_top_mm: float = 0
    margin_side_mm: float = 0
    name_pt: float = 8
    price_pt: float = 11

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def barcode_width_mm(self) -> float:
        return self.width_mm - 6  # 3 mm padding each side

    @property
    def barcode_height_mm(self) -> float:
        return round(self.height_mm * 0.33, 1)


# Common A4 label sheets (the size printed on the box).
LAYOUTS = {
    layout.key: layout
    for layout in (
        Layout("3x8", gettext_lazy("3 × 8 labels of 70 × 37 mm"), 3, 8, 70, 37.125),
        Layout(
            "4x10",
            gettext_lazy("4 × 10 labels of 52.5 × 29.7 mm"),
            4,
            10,
            52.5,
            29.7,
            name_pt=7,
            price_pt=10,
        ),
        Layout(
            "2x7",
            gettext_lazy("2 × 7 labels of 99 × 38 mm"),
            2,
            7,
            99.1,
            38.1,
            margin_top_mm=15.15,
            margin_side_mm=4.65,
            name_pt=10,
            price_pt=14,
        ),
    )
}
DEFAULT_LAYOUT = "3x8"

_SYMBOLOGY = {
    BarcodeKind.EAN13: "ean13",
    BarcodeKind.EAN8: "ean8",
    BarcodeKind.UPCA: "upca",
}


def format_price(amount: Decimal, business) -> str:
    from babel.numbers import format_currency

    try:
        return format_currency(amount, business.currency, locale=business.default_language)
    except Exception:  # a language Babel does not know
        return format_currency(amount, business.currency, locale="en")


def label_code(product) -> tuple[str, str] | None:
    """(code, symbology) printed for the product: its first barcode, else its SKU."""
    barcodes = list(product.barcodes.all())
    if barcodes:
        first = barcodes[0]
        return first.code, _SYMBOLOGY.get(first.kind, "code128")
    if product.sku:
        return product.sku, "code128"
    return None


def barcode_svg(code: str, symbology: str, *, width_mm: float, height_mm: float) -> str:
    """The barcode as an SVG document, at most `width_mm` wide, bars `height_mm` high."""
    import barcode
    from barcode.writer import SVGWriter

    symbol = barcode.get(symbology, code, writer=SVGWriter())
    modules = len(symbol.build()[0])
    quiet_modules = 10  # the quiet zone each side, in modules (EAN needs 7–11, Code 128 10)
    module = min(0.33, width_mm / (modules + 2 * quiet_modules))
    svg = symbol.render(
        {
            "module_width": round(module, 4),
            "module_height": height_mm,
            "quiet_zone": round(module * quiet_modules, 3),
            "write_text": False,
            "margin_top": 0,
            "margin_bottom": 0,
            "background": "white",
        }
    )
    return svg.decode() if isinstance(svg, bytes) else svg


@dataclass
class LabelItem:
    name: str
    price: str
    code: str
    image: str  # data: URI of the SVG


def label_items(*, business, chosen: list[tuple[object, int]], layout: Layout) -> list[LabelItem]:
    """The labels to print, `quantity` times each product, in the order chosen.

    Refuses (ValidationFailed, naming the products) a product with neither a
    barcode nor a SKU, or whose SKU cannot be printed as Code 128.
    """
    missing: list[str] = []
    unprintable: list[str] = []
    items: list[LabelItem] = []
    total = sum(max(q, 0) for _p, q in chosen)
    if total == 0:
        raise ValidationFailed(
            _("Choose at least one product and a quantity."), fields={"quantity": []}
        )
    if total > MAX_LABELS:
        raise ValidationFailed(
            _("At most %(n)s labels at a time; print the rest in a second sheet.")
            % {"n": MAX_LABELS},
            fields={"quantity": []},
        )
    for product, quantity in chosen:
        if quantity <= 0:
            continue
        found = label_code(product)
        if found is None:
            missing.append(product.name)
            continue
        code, symbology = found
        if symbology == "code128" and not all(32 <= ord(c) < 127 for c in code):
            unprintable.append(product.name)
            continue
        try:
            svg = barcode_svg(
                code,
                symbology,
                width_mm=layout.barcode_width_mm,
                height_mm=layout.barcode_height_mm,
            )
        except Exception:  # python-barcode refused the code (e.g. a wrong length)
            svg = barcode_svg(
                code,
                "code128",
                width_mm=layout.barcode_width_mm,
                height_mm=layout.barcode_height_mm,
            )
        image = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        item = LabelItem(
            name=product.name,
            price=format_price(product.sale_price, business),
            code=code,
            image=image,
        )
        items.extend([item] * quantity)
    problems = []
    if missing:
        problems.append(
            _("These products have no barcode and no SKU, so no label can be made: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    if unprintable:
        problems.append(
            _(
                "These products have no barcode and their SKU has characters a barcode cannot "
                "hold (only A–Z, digits and ASCII symbols): %(names)s."
            )
            % {"names": ", ".join(unprintable)}
        )
    if problems:
        raise ValidationFailed(" ".join(problems), fields={"product": problems})
    return items


def pages_of(items: list[LabelItem], layout: Layout, skip: int = 0) -> list[list[list]]:
    """Pages → rows → cells (a LabelItem or None for an empty place)."""
    cells: list[LabelItem | None] = [None] * skip + list(items)
    pages = []
    for start in range(0, len(cells), layout.per_page):
        page = cells[start : start + layout.per_page]
        page += [None] * (layout.per_page - len(page))
        pages.append(
            [page[r * layout.columns : (r + 1) * layout.columns] for r in range(layout.rows)]
        )
    return pages


def labels_pdf(*, business, items: list[LabelItem], layout: Layout, skip: int = 0) -> bytes:
    """The A4 PDF of the labels; `skip` leaves the first places of a used sheet empty."""
    from weasyprint import HTML

    html = render_to_string(
        "catalog/labels_sheet.html",
        {
            "pages": pages_of(items, layout, skip),
            "layout": layout,
            "business": business,
            "language": business.default_language,
        },
    )
    return HTML(string=html, base_url=None).write_pdf()
