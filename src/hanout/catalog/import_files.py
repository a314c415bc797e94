"""Reading spreadsheets for the catalog's imports: CSV (UTF-8, UTF-16 or Windows-1252,
delimiter `,` `;` or tab) and XLSX, their columns (case-, accent- and
punctuation-insensitive, with French synonyms), their cells (decimal comma,
yes/no, units, barcode kinds), and keeping an uploaded file in private storage
between the preview and the confirmation.

A file that cannot be read as a table is refused as a whole with FileRefused.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog.models import BarcodeKind, Category, Unit
from hanout.core import clock
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.money import quantize

MAX_ROWS = 20_000
MAX_BYTES = 20 * 1024 * 1024
UPLOAD_TTL = timedelta(hours=2)
MAX_MONEY = Decimal("100000000000")  # 14 digits with 3 decimals
MAX_QUANTITY = Decimal("100000000000")
# Cells starting with these are formulas to a spreadsheet: the CSV export writes them
# with a leading apostrophe, which reading a CSV removes again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class FileRefused(ValidationFailed):
    """The file as a whole cannot be imported; `message` says why and what to do."""

    code = "import_refused"


# --- reading a file into rows -----------------------------------------------------------------


@dataclass
class Table:
    """The cells of a file: its header and its data rows, numbered as a spreadsheet shows."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number, header = 1; cells as text)
    file_type: str  # "csv" or "xlsx"
    encoding: str = ""  # for CSV: "utf-8", "utf-16" or "cp1252"
    delimiter: str = ""

    @property
    def encoding_note(self) -> str:
        if self.encoding == "cp1252":
            return _(
                "The file is not UTF-8: it was read as Windows-1252 (Western European). "
                "Check that accented letters look right below; if not, save the file as "
                "“CSV UTF-8” and import it again."
            )
        return ""


_NOT_SPREADSHEET_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"\x1f\x8b",  # gzip
    b"Rar!",
    b"7z\xbc\xaf",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old .xls format
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _("This file is not a CSV or an Excel (.xlsx) spreadsheet. Save it as CSV or XLSX.")
    )


def _too_many_rows() -> FileRefused:
    return FileRefused(
        _(
            "The file has more than %(max)s rows. Split it into files of at most %(max)s rows "
            "and import them one after the other."
        )
        % {"max": f"{MAX_ROWS:,}"}
    )


def read_table(raw: bytes, filename: str = "") -> Table:
    """The header and rows of a CSV or XLSX file, or FileRefused saying what is wrong."""
    if not raw or not raw.strip():
        raise FileRefused(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise FileRefused(
            _("The file is larger than %(mb)s MB. Split it into smaller files.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if raw.startswith(b"PK\x03\x04"):
        table = _read_xlsx(raw)
    elif raw.startswith(_OLE_MAGIC):
        raise FileRefused(
            _("This is the old Excel format (.xls). Save it as .xlsx or as CSV, then import it.")
        )
    elif raw.startswith(_NOT_SPREADSHEET_MAGIC):
        raise _not_a_spreadsheet()
    else:
        table = _read_csv(raw)
    _drop_blank_columns(table)
    if not table.headers:
        raise FileRefused(_("The file is empty."))
    if not table.rows:
        raise FileRefused(_("The file has column names but no rows to import."))
    return table


def _decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _not_a_spreadsheet() from exc
    if b"\x00" in raw[:8192]:
        raise _not_a_spreadsheet()
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _(
                "The file's text encoding could not be recognised (it is neither UTF-8 nor "
                "Windows-1252). Save it as “CSV UTF-8” and import it again."
            )
        ) from exc


def _read_csv(raw: bytes) -> Table:
    text, encoding = _decode(raw)
    if _CONTROL.search(text[:65536]):
        raise _not_a_spreadsheet()
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # The header decides the delimiter: column names rarely contain , ; or tab.
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for record in reader:
            number += 1
            cells = [_unescape(c.strip()) for c in record]
            if headers is None:
                if not any(cells):
                    number -= 1  # blank lines before the header are not rows
                    continue
                headers = cells
                continue
            if not any(cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, cells))
    except csv.Error as exc:
        raise FileRefused(
            _("The CSV file is malformed near row %(row)s (%(error)s). Check quotes in that row.")
            % {"row": number + 1, "error": exc}
        ) from exc
    return Table(headers or [], rows, "csv", encoding=encoding, delimiter=delimiter)


def _unescape(cell: str) -> str:
    if cell.startswith("'") and cell[1:2] and cell[1:].startswith(FORMULA_START):
        return cell[1:]
    return cell


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Spreadsheets store every number as a float: 5901234123457.0 is the barcode
        # 5901234123457, and 1.2 must stay "1.2", not 1.19999….
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(raw: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise _not_a_spreadsheet() from exc
    except Exception as exc:  # openpyxl raises a variety of errors on damaged files
        raise _not_a_spreadsheet() from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused(_("The file is empty."))
        headers: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_cell(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if headers is None:
                if cells:
                    headers = cells
                continue
            if not any(cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows()
            rows.append((number, cells))
    finally:
        workbook.close()
    return Table(headers or [], rows, "xlsx")


def _drop_blank_columns(table: Table) -> None:
    """Forget columns with neither a name nor any value (spreadsheets leave them behind)."""
    while table.headers and table.headers[-1] == "":
        width = len(table.headers) - 1
        if any(len(cells) > width and cells[width] for _, cells in table.rows):
            break
        table.headers.pop()


# --- columns ----------------------------------------------------------------------------------


def fold(text: str) -> str:
    """A header or name compared loosely: no accents, no case, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\s_\-'’.*:/()]+", " ", text)
    return text.strip()


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translated label shown in the help table
    aliases: tuple[str, ...] = ()


PRODUCT_COLUMNS: tuple[Column, ...] = (
    Column("id", gettext_lazy("Product id, as exported (leave empty for a new product)")),
    Column(
        "name",
        gettext_lazy("Product name"),
        ("nom", "product", "produit", "product name", "nom du produit", "designation", "libelle"),
    ),
    Column(
        "sku",
        gettext_lazy("SKU / article number"),
        ("article number", "code article", "reference", "ref", "article", "numero d article"),
    ),
    Column(
        "barcode",
        gettext_lazy("Barcodes, separated by | or ;"),
        ("barcodes", "code barre", "code barres", "codes barres", "ean", "gencod"),
    ),
    Column(
        "barcode_kind",
        gettext_lazy("Barcode kind: ean13, ean8, upca, code128 or internal (optional)"),
        ("barcode kind", "barcode type", "type de code barres", "type code barre"),
    ),
    Column("description", gettext_lazy("Description")),
    Column("brand", gettext_lazy("Brand"), ("marque",)),
    Column("model", gettext_lazy("Model"), ("modele",)),
    Column("colour", gettext_lazy("Colour"), ("color", "couleur")),
    Column("size", gettext_lazy("Size"), ("taille", "pointure")),
    Column("unit", gettext_lazy("Unit: piece, kg, l or m"), ("unite",)),
    Column(
        "sale_price",
        gettext_lazy("Sale price, tax included"),
        ("sale price", "price", "prix", "prix de vente", "prix ttc", "selling price"),
    ),
    Column("cost", gettext_lazy("Cost"), ("cout", "prix d achat", "cost price", "purchase price")),
    Column(
        "tax_rate",
        gettext_lazy("Tax rate in %"),
        ("tax rate", "tax", "vat", "tva", "taux tva", "taux de tva"),
    ),
    Column(
        "category",
        gettext_lazy("Category path: Domain > Category > Sub-category"),
        ("categorie", "category path"),
    ),
    Column("tags", gettext_lazy("Tags, separated by commas"), ("tag", "etiquettes", "mots cles")),
    Column("active", gettext_lazy("Active: yes or no"), ("is active", "actif")),
)

# The export writes exactly these, in this order, so an exported file imports unchanged.
PRODUCT_EXPORT_COLUMNS = [c.key for c in PRODUCT_COLUMNS]

STOCK_COLUMNS: tuple[Column, ...] = (
    Column(
        "product",
        gettext_lazy("Product: its barcode or SKU"),
        ("sku", "barcode", "code", "produit", "article", "code barres", "reference"),
    ),
    Column("location", gettext_lazy("Location name"), ("emplacement", "lieu", "location name")),
    Column(
        "shop",
        gettext_lazy("Shop (only when two shops have a location of that name)"),
        ("magasin", "boutique"),
    ),
    Column(
        "quantity",
        gettext_lazy("Quantity counted"),
        ("qty", "quantite", "stock", "counted", "quantity counted"),
    ),
    Column(
        "reorder_point",
        gettext_lazy("Low-stock threshold (optional)"),
        ("reorder point", "seuil", "seuil d alerte", "threshold", "min"),
    ),
    Column(
        "reorder_quantity",
        gettext_lazy("Reorder quantity (optional)"),
        ("reorder quantity", "quantite a commander", "reorder qty"),
    ),
)


def map_headers(headers: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """{column key: cell index}; unknown or repeated columns refuse the file."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.key, *column.aliases):
            lookup[fold(name)] = column.key
    found: dict[str, int] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        if header == "":
            continue
        key = lookup.get(fold(header))
        if key is None:
            unknown.append(header)
        elif key in found:
            raise FileRefused(
                _("The columns “%(a)s” and “%(b)s” mean the same thing; keep only one.")
                % {"a": headers[found[key]], "b": header}
            )
        else:
            found[key] = index
    if unknown:
        raise FileRefused(
            _("Unknown column(s): %(unknown)s. The columns this import reads are: %(expected)s.")
            % {
                "unknown": ", ".join(f"“{u}”" for u in unknown),
                "expected": ", ".join(c.key for c in columns),
            }
        )
    return found


# --- cells ------------------------------------------------------------------------------------


class CellError(Exception):
    pass


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def parse_decimal(text: str) -> Decimal:
    """A number as people type it: "1.20", "1,20" (decimal comma), "1 200.50".

    A value with both a comma and a dot ("1.234,50") is ambiguous and refused.
    """
    s = re.sub(r"[\s\u00a0\u202f]", "", text)
    if "," in s:
        if "." in s or s.count(",") > 1:
            raise CellError(_("“%(value)s” is ambiguous: write it as 1234.50.") % {"value": text})
        s = s.replace(",", ".")
    if not _NUMBER.fullmatch(s):
        raise CellError(_("“%(value)s” is not a number.") % {"value": text})
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex lets only numbers through
        raise CellError(_("“%(value)s” is not a number.") % {"value": text}) from exc


def parse_money(text: str, currency: str) -> Decimal:
    value = parse_decimal(text)
    if value < 0:
        raise CellError(_("Must be zero or more."))
    if value >= MAX_MONEY:
        raise CellError(_("“%(value)s” is too large.") % {"value": text})
    return quantize(value, currency)


def parse_tax_rate(text: str) -> Decimal:
    value = parse_decimal(text.strip().removesuffix("%"))
    if not Decimal(0) <= value <= Decimal(100):
        raise CellError(_("A tax rate is between 0 and 100."))
    return value.quantize(Decimal("0.01"))


def parse_quantity(text: str) -> Decimal:
    value = parse_decimal(text)
    if value.as_tuple().exponent < -3:
        raise CellError(_("At most three decimals (grams of a kilogram)."))
    if abs(value) >= MAX_QUANTITY:
        raise CellError(_("“%(value)s” is too large.") % {"value": text})
    return value.quantize(Decimal("0.001"))


_TRUE = {"1", "yes", "y", "true", "vrai", "oui", "o", "x", "active", "actif", "نعم"}
_FALSE = {"0", "no", "n", "false", "faux", "non", "inactive", "inactif", "لا"}


def parse_bool(text: str) -> bool:
    folded = fold(text)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(_("Write yes or no."))


_UNITS = {
    "piece": Unit.PIECE,
    "pieces": Unit.PIECE,
    "pc": Unit.PIECE,
    "pcs": Unit.PIECE,
    "u": Unit.PIECE,
    "unit": Unit.PIECE,
    "unite": Unit.PIECE,
    "kg": Unit.KG,
    "kilo": Unit.KG,
    "kilogram": Unit.KG,
    "kilogramme": Unit.KG,
    "l": Unit.LITRE,
    "litre": Unit.LITRE,
    "liter": Unit.LITRE,
    "m": Unit.METRE,
    "metre": Unit.METRE,
    "meter": Unit.METRE,
}


def parse_unit(text: str) -> str:
    unit = _UNITS.get(fold(text))
    if unit is None:
        raise CellError(_("Unknown unit “%(value)s”: use piece, kg, l or m.") % {"value": text})
    return unit.value


def parse_barcode_kind(text: str) -> str:
    folded = re.sub(r"[^a-z0-9]", "", fold(text))
    kinds = {re.sub(r"[^a-z0-9]", "", fold(str(k.label))): k.value for k in BarcodeKind}
    kinds |= {k.value: k.value for k in BarcodeKind} | {"shop": "internal", "own": "internal"}
    kind = kinds.get(folded)
    if kind is None:
        raise CellError(
            _("Unknown barcode kind “%(value)s”: use ean13, ean8, upca, code128 or internal.")
            % {"value": text}
        )
    return kind


def split_list(text: str, separator: re.Pattern | str) -> list[str]:
    parts = separator.split(text) if isinstance(separator, re.Pattern) else text.split(separator)
    return [p.strip() for p in parts if p.strip()]


def category_path_key(path: Iterable[str]) -> tuple[str, ...]:
    return tuple(fold(p) for p in path)


def category_paths(*, business) -> dict:
    """{category id: "Domain > Category > Sub"} for the whole tree, in one query."""
    nodes = {
        c["id"]: c
        for c in Category.objects.for_business(business).values("id", "name", "parent_id")
    }
    paths: dict = {}

    def path(cid) -> str:
        if cid not in paths:
            node = nodes[cid]
            parent = node["parent_id"]
            paths[cid] = f"{path(parent)} > {node['name']}" if parent in nodes else node["name"]
        return paths[cid]

    for cid in nodes:
        path(cid)
    return paths


# --- keeping the uploaded file between preview and confirm ----------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass
class StoredUpload:
    token: str
    kind: str  # "products" or "stock"
    filename: str
    uploaded_at: datetime
    options: dict = field(default_factory=dict)


def _folder(business, user) -> str:
    return f"imports/{business.pk}/{user.pk}"


def upload_store(*, business, user, kind: str, filename: str, raw: bytes, options: dict) -> str:
    """Keep the file for the preview and the confirmation; returns its token."""
    storage = storages["private"]
    _forget_expired(storage, _folder(business, user))
    token = secrets.token_urlsafe(24)
    folder = _folder(business, user)
    meta = {
        "kind": kind,
        "filename": filename[:200],
        "uploaded_at": clock.now().isoformat(),
        "options": options,
    }
    storage.save(f"{folder}/{token}.data", ContentFile(raw))
    storage.save(f"{folder}/{token}.json", ContentFile(json.dumps(meta).encode()))
    return token


def _meta_name(folder: str, token: str) -> str:
    return f"{folder}/{token}.json"


def upload_load(*, business, user, token: str) -> tuple[StoredUpload, bytes]:
    """The stored file of this business and person, or NotFound (also once expired).

    After the import was applied only its result is kept (`options["result"]`)
    and the bytes returned are empty.
    """
    if not _TOKEN.fullmatch(token or ""):
        raise NotFound(_("This import was not found."))
    storage = storages["private"]
    folder = _folder(business, user)
    try:
        with storage.open(_meta_name(folder, token)) as fh:
            meta = json.loads(fh.read())
        raw = b""
        if not meta.get("options", {}).get("applied_at"):
            with storage.open(f"{folder}/{token}.data") as fh:
                raw = fh.read()
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise NotFound(_("This import was not found. Choose the file again.")) from exc
    upload = StoredUpload(
        token=token,
        kind=meta["kind"],
        filename=meta["filename"],
        uploaded_at=datetime.fromisoformat(meta["uploaded_at"]),
        options=meta.get("options") or {},
    )
    if clock.now() - upload.uploaded_at > UPLOAD_TTL:
        upload_delete(business=business, user=user, token=token)
        raise NotFound(_("This import has expired. Choose the file again."))
    return upload, raw


def upload_set_options(*, business, user, token: str, **options) -> None:
    """Add to a stored upload's options (the confirmation's choices, "running since")."""
    storage = storages["private"]
    name = _meta_name(_folder(business, user), token)
    with storage.open(name) as fh:
        meta = json.loads(fh.read())
    meta["options"] = {**(meta.get("options") or {}), **options}
    storage.delete(name)
    storage.save(name, ContentFile(json.dumps(meta, default=str).encode()))


def upload_mark_applied(*, business, user, token: str, result: dict) -> None:
    """Keep only the outcome of an applied import (for its result page and error report)."""
    storage = storages["private"]
    folder = _folder(business, user)
    name = _meta_name(folder, token)
    with storage.open(name) as fh:
        meta = json.loads(fh.read())
    meta["options"] = {
        **(meta.get("options") or {}),
        "applied_at": clock.now().isoformat(),
        "result": result,
    }
    storage.delete(name)
    storage.save(name, ContentFile(json.dumps(meta, default=str).encode()))
    with contextlib.suppress(OSError):
        storage.delete(f"{folder}/{token}.data")


def upload_delete(*, business, user, token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    storage = storages["private"]
    folder = _folder(business, user)
    for suffix in (".data", ".json"):
        with contextlib.suppress(OSError):
            storage.delete(f"{folder}/{token}{suffix}")


def _forget_expired(storage, folder: str) -> None:
    """Delete this person's abandoned uploads (a preview nobody confirmed)."""
    try:
        _, files = storage.listdir(folder)
    except (FileNotFoundError, OSError):
        return
    limit = clock.now() - UPLOAD_TTL
    for name in files:
        try:
            if storage.get_modified_time(f"{folder}/{name}") < limit:
                storage.delete(f"{folder}/{name}")
        except OSError:
            continue
