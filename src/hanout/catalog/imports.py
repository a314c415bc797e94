"""Importing products and stock levels from a CSV or XLSX file.

Three steps, so that nothing is written before the person has seen what will
happen:

1. `upload_store` keeps the uploaded bytes in private storage under a random
   token, in a folder of the business and the person (another business's or
   another person's token is simply not found), for `UPLOAD_TTL`.
2. `product_import_plan` / `stock_import_plan` read the file and check every row
   against the business's data without writing anything: the dry run the
   preview page shows, with a per-row error report (row number as a spreadsheet
   shows it, header = row 1; column as written in the file; message).
3. `product_import_apply` / `stock_import_apply` read the stored file again,
   check it again (the catalog may have changed meanwhile) and apply the valid
   rows in ONE transaction through the catalog's and the inventory's services.

A file that is not well-formed — not CSV/XLSX, not decodable, unknown or
missing columns, no rows, more than `MAX_ROWS` rows — is refused as a whole
(`FileRefused`) with a message saying what to fix: nothing of it is applied.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hanout.catalog import import_files
from hanout.catalog.import_files import (
    PRODUCT_COLUMNS,
    STOCK_COLUMNS,
    CellError,
    FileRefused,
    Table,
    category_path_key,
    category_paths,
    fold,
    map_headers,
    parse_barcode_kind,
    parse_bool,
    parse_money,
    parse_quantity,
    parse_tax_rate,
    parse_unit,
    read_table,
    split_list,
)
from hanout.catalog.models import Barcode, Category, Product, Unit
from hanout.core.errors import ValidationFailed

PREVIEW_ROWS = 50
# Bulk look-ups are done this many values at a time (SQLite builds may allow only 999
# parameters per query; large IN lists gain nothing on PostgreSQL either).
LOOKUP_CHUNK = 500
APPLY_CHUNK = 500
BARCODE_SEPARATORS = re.compile(r"[|;]")

__all__ = ["FileRefused", "product_import_apply", "product_import_plan"]


# --- the plan of an import (the dry run) -----------------------------------------------------


@dataclass
class RowPlan:
    number: int
    action: str  # "create" | "update" | "error"
    cells: dict[str, str]  # column key → cell text (for the preview table)
    data: dict = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column as in the file, message)
    product_id: object = None
    label: str = ""  # what the preview shows for the row (product name or code)

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, str(message)))
        self.action = "error"


@dataclass
class ImportPlan:
    kind: str
    table: Table
    columns: dict[str, int]
    rows: list[RowPlan]
    new_categories: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        """Column key → the header as written in the file."""
        return {key: self.table.headers[i] for key, i in self.columns.items()}

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def valid_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action != "error"]

    @property
    def error_rows(self) -> list[RowPlan]:
        return [r for r in self.rows if r.action == "error"]

    def error_lines(self) -> Iterator[tuple[int, str, str]]:
        for row in self.rows:
            for column, message in row.errors:
                yield row.number, column, message


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _cells_of(table: Table, columns: dict[str, int], cells: list[str]) -> dict[str, str]:
    return {key: (cells[i] if i < len(cells) else "") for key, i in columns.items()}


# Fields kept as typed, with the longest value the product accepts.
_TEXT_FIELDS = {
    "name": 200,
    "description": 5000,
    "sku": 64,
    "model": 120,
    "brand": 120,
    "colour": 60,
    "size": 60,
}


def product_import_plan(*, business, raw: bytes, create_categories: bool = False) -> ImportPlan:
    """Read and check a products file without writing anything (the preview's dry run)."""
    from hanout.catalog.barcodes import barcode_parse

    table = read_table(raw)
    columns = map_headers(table.headers, PRODUCT_COLUMNS)
    if not {"name", "sku", "id"} & columns.keys():
        raise FileRefused(
            _(
                "The file needs a “name” column to create products, or a “sku” column to "
                "update existing ones."
            )
        )
    if "sale_price" not in columns and not {"sku", "id"} & columns.keys():
        raise FileRefused(_("The file needs a “sale_price” column to create products."))
    headers = {key: table.headers[i] for key, i in columns.items()}
    currency = business.currency
    rows = [
        RowPlan(number=n, action="create", cells=_cells_of(table, columns, cells))
        for n, cells in table.rows
    ]
    width = len(table.headers)
    for row, (_n, cells) in zip(rows, table.rows, strict=True):
        if any(c for c in cells[width:]):
            row.error(_("(beyond the last column)"), _("This row has more cells than columns."))

    # What the business already has, fetched in a few queries for the whole file.
    skus = sorted({r.cells.get("sku", "") for r in rows} - {""})
    by_sku: dict[str, object] = {}
    for chunk in _chunks(skus):
        by_sku.update(
            Product.objects.for_business(business).filter(sku__in=chunk).values_list("sku", "id")
        )
    ids = sorted({_uuid_or_none(r.cells.get("id", "")) for r in rows} - {None})
    known_ids: set[str] = set()
    for chunk in _chunks(ids):
        known_ids.update(
            str(pk)
            for pk in Product.objects.for_business(business)
            .filter(id__in=chunk)
            .values_list("id", flat=True)
        )
    categories = {
        category_path_key(path.split(" > ")): cid
        for cid, path in category_paths(business=business).items()
    }
    category_objects = {c.pk: c for c in Category.objects.for_business(business)}
    new_categories: dict[tuple[str, ...], str] = {}

    seen_sku: dict[str, int] = {}
    seen_code: dict[str, int] = {}
    row_codes: dict[int, list[str]] = {}

    for row in rows:
        c = row.cells
        data: dict = {}
        # Which product the row is about: its id when given, else its SKU.
        if c.get("id"):
            pk = _uuid_or_none(c["id"])
            if pk is not None and str(pk) in known_ids:
                row.product_id = str(pk)
            else:
                row.error(
                    headers["id"],
                    _("No product of this business has this id; empty the cell to create one."),
                )
        sku = c.get("sku", "")
        if sku:
            if sku in seen_sku:
                row.error(
                    headers["sku"],
                    _("This SKU is already on row %(row)s of the file.") % {"row": seen_sku[sku]},
                )
            seen_sku.setdefault(sku, row.number)
            existing = by_sku.get(sku)
            if existing is not None:
                if not c.get("id"):
                    row.product_id = str(existing)
                elif row.product_id is not None and str(existing) != row.product_id:
                    row.error(headers["sku"], _("Another product already has this SKU."))
        if row.product_id is not None:
            data["id"] = row.product_id
            if row.action != "error":
                row.action = "update"
        creating = row.product_id is None

        for key, limit in _TEXT_FIELDS.items():
            if key not in columns:
                continue
            value = c[key]
            if len(value) > limit:
                row.error(
                    headers[key],
                    _("At most %(n)s characters (this one has %(len)s).")
                    % {"n": limit, "len": len(value)},
                )
            data[key] = value
        if creating and not c.get("name"):
            row.error(headers.get("name", "name"), _("A new product needs a name."))
        elif "name" in columns and not c["name"]:
            row.error(headers["name"], _("The name cannot be empty."))

        if "sale_price" in columns:
            if c["sale_price"]:
                try:
                    data["sale_price"] = parse_money(c["sale_price"], currency)
                except CellError as exc:
                    row.error(headers["sale_price"], str(exc))
            else:
                row.error(headers["sale_price"], _("The sale price is required."))
        elif creating:
            row.error("sale_price", _("A new product needs a sale price."))
        for key, parser in (
            ("cost", lambda v: parse_money(v, currency)),
            ("tax_rate", parse_tax_rate),
            ("unit", parse_unit),
            ("active", parse_bool),
        ):
            if key in columns and c[key]:
                try:
                    data["is_active" if key == "active" else key] = parser(c[key])
                except CellError as exc:
                    row.error(headers[key], str(exc))

        if "tags" in columns:
            tags = list(dict.fromkeys(split_list(c["tags"], ",")))
            if any(len(t) > 60 for t in tags):
                row.error(headers["tags"], _("A tag has at most 60 characters."))
            data["tags"] = tags

        if "category" in columns:
            path = split_list(c["category"], ">")
            if not path:
                data["category"] = None
            elif len(path) > 3:
                row.error(
                    headers["category"],
                    _("A category path has at most three levels: Domain > Category > Sub."),
                )
            elif any(len(p) > 120 for p in path):
                row.error(headers["category"], _("A category name has at most 120 characters."))
            else:
                key = category_path_key(path)
                if key in categories:
                    data["category"] = category_objects[categories[key]]
                elif create_categories:
                    new_categories.setdefault(key, " > ".join(path))
                    data["category_path"] = key
                else:
                    row.error(
                        headers["category"],
                        _(
                            "Unknown category “%(path)s”. Create it first, or tick "
                            "“Create missing categories”."
                        )
                        % {"path": " > ".join(path)},
                    )

        if "barcode" in columns:
            codes = split_list(c["barcode"], BARCODE_SEPARATORS)
            kinds_text = split_list(c.get("barcode_kind", ""), BARCODE_SEPARATORS)
            kinds: list[str | None] = []
            try:
                kinds = [parse_barcode_kind(k) for k in kinds_text]
            except CellError as exc:
                row.error(headers["barcode_kind"], str(exc))
            if len(kinds) == 1:
                kinds = kinds * len(codes)
            elif kinds and len(kinds) != len(codes):
                row.error(
                    headers["barcode_kind"],
                    _("Give one kind for all the barcodes, or one kind per barcode."),
                )
                kinds = []
            if not kinds:
                kinds = [None] * len(codes)
            barcodes = []
            for code, kind in zip(codes, kinds, strict=True):
                try:
                    code, kind = barcode_parse(code, kind)
                except ValidationFailed as exc:
                    row.error(headers["barcode"], f"{code}: {exc.message}")
                    continue
                if code in seen_code:
                    row.error(
                        headers["barcode"],
                        _("The barcode %(code)s is already on row %(row)s of the file.")
                        % {"code": code, "row": seen_code[code]},
                    )
                    continue
                seen_code[code] = row.number
                barcodes.append({"code": code, "kind": kind})
            data["barcodes"] = barcodes
            row_codes[row.number] = [b["code"] for b in barcodes]
        row.data = data
        row.label = c.get("name") or c.get("sku") or ""

    # Barcodes already used by another product of the business.
    codes = sorted(seen_code)
    owners: dict[str, object] = {}
    for chunk in _chunks(codes):
        owners.update(
            Barcode.objects.for_business(business)
            .filter(code__in=chunk)
            .values_list("code", "product_id")
        )
    if owners:
        for row in rows:
            for code in row_codes.get(row.number, []):
                owner = owners.get(code)
                if owner is not None and str(owner) != str(row.product_id):
                    row.error(
                        headers["barcode"],
                        _("The barcode %(code)s belongs to another product.") % {"code": code},
                    )
    _mark_unchanged(business, rows)
    used = {r.data.get("category_path") for r in rows if r.action != "error"}
    return ImportPlan(
        kind="products",
        table=table,
        columns=columns,
        rows=rows,
        new_categories=[path for key, path in new_categories.items() if key in used],
    )


def _mark_unchanged(business, rows: list[RowPlan]) -> None:
    """An update row whose cells all say what the product already holds is
    "unchanged": the preview shows it apart and applying the file leaves it alone
    (re-importing a whole catalog after changing three prices updates three)."""
    todo = [r for r in rows if r.action == "update"]
    current: dict[str, Product] = {}
    for chunk in _chunks([r.product_id for r in todo]):
        for product in (
            Product.objects.for_business(business)
            .filter(id__in=chunk)
            .prefetch_related("barcodes", "tags")
        ):
            current[str(product.pk)] = product
    for row in todo:
        product = current.get(str(row.product_id))
        if product is not None and _holds(product, row.data):
            row.action = "unchanged"


def _holds(product: Product, data: dict) -> bool:
    """Whether `product` already holds every value the row gives."""
    for key, value in data.items():
        if key == "id":
            continue
        if key in _TEXT_FIELDS:
            same = (getattr(product, key) or "") == value
        elif key in ("sale_price", "cost", "tax_rate", "unit", "is_active"):
            same = getattr(product, key) == value
        elif key == "category":
            same = product.category_id == (value.pk if value is not None else None)
        elif key == "tags":
            same = {t.name for t in product.tags.all()} == set(value)
        elif key == "barcodes":
            have = {b.code: b.kind for b in product.barcodes.all()}
            same = set(have) == {b["code"] for b in value} and all(
                b["kind"] is None or have[b["code"]] == b["kind"] for b in value
            )
        else:  # a new category to create, or a column this check does not know
            same = False
        if not same:
            return False
    return True


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories_created: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)


def product_import_apply(
    *, business, actor, raw: bytes, create_categories: bool = False, filename: str = ""
) -> ImportResult:
    """Check the file again and apply its valid rows, all in one transaction.

    Rows found invalid are skipped and reported; if anything unexpected fails
    midway, the transaction rolls back and nothing of the file is written.
    """
    from django.db import transaction

    from hanout.catalog import services as catalog
    from hanout.core import audit

    plan = product_import_plan(business=business, raw=raw, create_categories=create_categories)
    result = ImportResult(errors=list(plan.error_lines()), unchanged=plan.count("unchanged"))
    valid = [r for r in plan.valid_rows if r.action != "unchanged"]
    if not valid:
        return result
    with transaction.atomic():
        made: dict[tuple[str, ...], Category] = {}
        if plan.new_categories:
            made = _create_categories(business=business, actor=actor, paths=plan.new_categories)
            result.categories_created = len(made)
        for chunk in _chunks(valid, APPLY_CHUNK):
            rows = []
            for row in chunk:
                data = dict(row.data)
                key = data.pop("category_path", None)
                if key is not None:
                    data["category"] = made[key]
                rows.append(data)
            outcome = catalog.products_bulk_upsert(
                business=business, actor=actor, rows=rows, atomic=False
            )
            for row, res in zip(chunk, outcome, strict=True):
                if res.status == "created":
                    result.created += 1
                elif res.status == "updated":
                    result.updated += 1
                elif res.status == "error":
                    for column, messages in (res.errors or {}).items():
                        for message in messages if isinstance(messages, list) else [messages]:
                            result.errors.append(
                                (row.number, plan.headers.get(column, column), str(message))
                            )
        audit.record(
            business=business,
            actor=actor,
            action="product.import",
            object_type="catalog.product",
            object_repr=filename or "import",
            changes={
                "created": [None, result.created],
                "updated": [None, result.updated],
                "unchanged": [None, result.unchanged],
                "skipped": [None, len(plan.error_rows)],
            },
        )
    result.errors.sort()
    return result


def _create_categories(*, business, actor, paths: list[str]) -> dict[tuple[str, ...], Category]:
    """Create the missing nodes of each path; returns {folded path: leaf category}."""
    from hanout.catalog import services as catalog

    existing = {
        category_path_key(p.split(" > ")): cid
        for cid, p in category_paths(business=business).items()
    }
    objects = {c.pk: c for c in Category.objects.for_business(business)}
    nodes: dict[tuple[str, ...], Category] = {k: objects[v] for k, v in existing.items()}
    made: dict[tuple[str, ...], Category] = {}
    for path in paths:
        parts = split_list(path, ">")
        parent = None
        for depth in range(1, len(parts) + 1):
            key = category_path_key(parts[:depth])
            node = nodes.get(key)
            if node is None:
                node = catalog.category_create(
                    business=business, actor=actor, name=parts[depth - 1], parent=parent
                )
                nodes[key] = node
            parent = node
        made[category_path_key(parts)] = parent
    return made


# --- stock levels ---------------------------------------------------------------------------


def _locations(business) -> list:
    from hanout.inventory.models import Location

    return list(
        Location.objects.for_business(business).filter(is_active=True).select_related("shop")
    )


def stock_import_plan(*, business, raw: bytes) -> ImportPlan:
    """Read and check a stock-levels file without writing anything.

    A row names a product (its barcode or SKU), a location (by name; with a shop
    column when two shops have a location of that name) and the quantity counted
    there. Without a location column, every row is for the business's only
    selling location. Each valid row shows the current and the new quantity.
    """
    from hanout.inventory.models import StockLevel

    table = read_table(raw)
    columns = map_headers(table.headers, STOCK_COLUMNS)
    missing = [key for key in ("product", "quantity") if key not in columns]
    if missing:
        raise FileRefused(
            _("The file needs these columns: %(columns)s.")
            % {"columns": ", ".join(f"“{m}”" for m in missing)}
        )
    headers = {key: table.headers[i] for key, i in columns.items()}
    locations = _locations(business)
    by_name: dict[str, list] = {}
    for location in locations:
        by_name.setdefault(fold(location.name), []).append(location)
    only = None
    if "location" not in columns:
        selling = [loc for loc in locations if loc.is_default]
        if len(selling) == 1 and len({loc.shop_id for loc in locations}) == 1:
            only = selling[0]
        elif len(locations) == 1:
            only = locations[0]
        else:
            raise FileRefused(
                _("This business has several locations: add a “location” column naming each row's.")
            )

    rows = [
        RowPlan(number=n, action="update", cells=_cells_of(table, columns, cells))
        for n, cells in table.rows
    ]
    # Products by barcode first, then by SKU (as the register looks them up), in bulk.
    codes = sorted({r.cells["product"] for r in rows} - {""})
    found: dict[str, object] = {}
    for chunk in _chunks(codes):
        found.update(
            Barcode.objects.for_business(business)
            .filter(code__in=chunk)
            .values_list("code", "product_id")
        )
    rest = [c for c in codes if c not in found]
    for chunk in _chunks(rest):
        found.update(
            Product.objects.for_business(business).filter(sku__in=chunk).values_list("sku", "id")
        )
    products = {}
    for chunk in _chunks(sorted(set(found.values()), key=str)):
        products.update(
            (p.pk, p) for p in Product.objects.for_business(business).filter(pk__in=chunk)
        )

    seen: dict[tuple, int] = {}
    for row in rows:
        c = row.cells
        row.label = c["product"]
        product = products.get(found.get(c["product"])) if c["product"] else None
        if not c["product"]:
            row.error(headers["product"], _("Give the product's barcode or SKU."))
        elif product is None:
            row.error(
                headers["product"],
                _("No product has the barcode or SKU “%(code)s”.") % {"code": c["product"]},
            )
        location = only
        if only is None:
            name = fold(c.get("location", ""))
            candidates = by_name.get(name, [])
            if "shop" in columns and c["shop"]:
                candidates = [loc for loc in candidates if fold(loc.shop.name) == fold(c["shop"])]
            if not name:
                row.error(headers["location"], _("Give the location's name."))
            elif not candidates:
                row.error(
                    headers["location"],
                    _("No active location is called “%(name)s”.") % {"name": c["location"]},
                )
            elif len(candidates) > 1:
                row.error(
                    headers["location"],
                    _("Several shops have a location called “%(name)s”: add a “shop” column.")
                    % {"name": c["location"]},
                )
            else:
                location = candidates[0]
        counted = None
        try:
            counted = parse_quantity(c["quantity"]) if c["quantity"] else None
            if counted is None:
                row.error(headers["quantity"], _("Give the quantity counted."))
            elif counted < 0:
                row.error(headers["quantity"], _("A counted quantity cannot be negative."))
            elif (
                product is not None
                and product.unit == Unit.PIECE
                and counted != counted.to_integral_value()
            ):
                row.error(headers["quantity"], _("This product is counted in pieces."))
        except CellError as exc:
            row.error(headers["quantity"], str(exc))
        thresholds = {}
        for key in ("reorder_point", "reorder_quantity"):
            if key in columns and c[key]:
                try:
                    value = parse_quantity(c[key])
                    if value < 0:
                        raise CellError(_("Must be zero or more."))
                    thresholds[key] = value
                except CellError as exc:
                    row.error(headers[key], str(exc))
        if product is not None and location is not None:
            key = (product.pk, location.pk)
            if key in seen:
                row.error(
                    headers["product"],
                    _("This product and location are already on row %(row)s.") % {"row": seen[key]},
                )
            seen.setdefault(key, row.number)
            row.label = product.name
            row.product_id = product.pk
        row.data = {"product": product, "location": location, "counted": counted, **thresholds}

    # The current levels, to show what each row changes.
    pairs = {(r.data["product"].pk, r.data["location"].pk) for r in rows if r.action != "error"}
    levels: dict[tuple, Decimal] = {}
    product_ids = sorted({p for p, _loc in pairs}, key=str)
    for chunk in _chunks(product_ids):
        for pid, lid, qty in (
            StockLevel.objects.for_business(business)
            .filter(product_id__in=chunk)
            .values_list("product_id", "location_id", "quantity")
        ):
            if (pid, lid) in pairs:
                levels[(pid, lid)] = qty
    for row in rows:
        if row.action != "error":
            key = (row.data["product"].pk, row.data["location"].pk)
            row.data["current"] = levels.get(key, Decimal(0))
            if row.data["current"] == row.data["counted"] and len(row.data) == 4:
                row.action = "unchanged"
    return ImportPlan(kind="stock", table=table, columns=columns, rows=rows)


def stock_import_apply(*, business, actor, raw: bytes, filename: str = "", token: str = ""):
    """Check the file again and post its valid rows as count movements, in one transaction.

    Uses inventory.services.stock_levels_import (all or nothing); a row it still
    refuses (the stock changed since the preview) is reported and left out, and
    the others are applied.
    """
    from hanout.inventory.services import StockLevelRow, stock_levels_import

    plan = stock_import_plan(business=business, raw=raw)
    result = ImportResult(errors=list(plan.error_lines()))
    todo = [r for r in plan.rows if r.action == "update"]
    for _attempt in range(3):
        if not todo:
            break
        lines = [
            StockLevelRow(
                product=r.data["product"],
                location=r.data["location"],
                counted=r.data["counted"],
                reorder_point=r.data.get("reorder_point"),
                reorder_quantity=r.data.get("reorder_quantity"),
            )
            for r in todo
        ]
        try:
            stock_levels_import(
                business=business,
                actor=actor,
                rows=lines,
                note=(_("Imported from %(file)s") % {"file": filename})[:500] if filename else "",
                client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"hanout-import:{token}")
                if token
                else None,
            )
        except ValidationFailed as exc:
            refused = _refused_rows(exc, todo, plan)
            if not refused:
                raise
            result.errors.extend(refused)
            numbers = {n for n, _c, _m in refused}
            todo = [r for r in todo if r.number not in numbers]
            continue
        result.updated = len(todo)
        break
    result.errors.sort()
    return result


_ROW_KEY = re.compile(r"rows\[(\d+)\]\.(\w+)")
_STOCK_FIELD_COLUMN = {"product": "product", "location": "location", "counted": "quantity"}


def _refused_rows(exc: ValidationFailed, todo: list[RowPlan], plan: ImportPlan):
    out = []
    for key, messages in exc.fields.items():
        match = _ROW_KEY.fullmatch(key)
        if not match or int(match.group(1)) >= len(todo):
            continue
        row = todo[int(match.group(1))]
        column = _STOCK_FIELD_COLUMN.get(match.group(2), match.group(2))
        for message in messages if isinstance(messages, list) else [messages]:
            out.append((row.number, plan.headers.get(column, column), str(message)))
    return out


# --- running an import from its stored upload (inline or as a background job) ---------------

INLINE_ROWS = 200  # larger product files are applied by a background job


def import_run(*, business, user, token: str) -> None:
    """Apply a stored upload and keep only its outcome (see import_files.upload_mark_applied).

    Called by the confirm page for small files and by catalog.tasks for large ones;
    an unexpected failure is recorded as the outcome, with nothing written.
    """
    upload, raw = import_files.upload_load(business=business, user=user, token=token)
    if upload.options.get("applied_at"):
        return
    try:
        if upload.kind == "products":
            result = product_import_apply(
                business=business,
                actor=user,
                raw=raw,
                create_categories=bool(upload.options.get("create_categories")),
                filename=upload.filename,
            )
        else:
            result = stock_import_apply(
                business=business, actor=user, raw=raw, filename=upload.filename, token=token
            )
    except ValidationFailed as exc:  # FileRefused included: the file no longer checks out
        outcome = {"failed": exc.message, "created": 0, "updated": 0, "errors": []}
    else:
        outcome = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "categories_created": result.categories_created,
            "errors": [list(e) for e in result.errors],
        }
    import_files.upload_mark_applied(business=business, user=user, token=token, result=outcome)
