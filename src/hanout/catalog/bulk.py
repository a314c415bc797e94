"""The batched products_bulk_upsert: up to 1,000 rows in a few dozen queries.

It gives the answers, and writes the rows, that the rows would get going one
after the other through product_create/product_update
(services.products_upsert_by_row, the reference), in three steps:

1. Fetch, once for the batch: the products the rows name (by id and by SKU,
   locked), their barcodes and every product holding a barcode the rows give,
   their tags, their search rows' ids, and the categories the rows name.
2. Play the rows in order against that state in memory with the services' own
   check (`_check_product` with a `_Batch` answering its three look-ups), so a
   row sees what the rows before it did: a SKU made by row 3 is an update in
   row 7, a barcode taken by row 3 is refused in row 7, a name changed by row 3
   is the name row 7's message quotes. Each good row records its audit entry and
   event payload as it goes; the search text is recomputed when the services
   would have rewritten it.
3. Write the end state with bulk_create/bulk_update (products, barcodes,
   tag links, search rows, category counts, audit entries), in a savepoint,
   then emit the events (sent after commit).

If the writes hit an IntegrityError (another request took a SKU or barcode
since step 1) the savepoint is rolled back and the batch goes row by row, so
each row still gets its own answer.

Differences from the row-by-row path, none visible through the API: the tag
links of a product whose tags change are deleted and re-inserted rather than
diffed; several changes of one product in one request are written once, with
its last state.
"""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from hanout.catalog import search
from hanout.catalog import services as s
from hanout.catalog.barcodes import barcode_parse
from hanout.catalog.models import Barcode, Category, Product, ProductSearch
from hanout.core import audit, clock, events
from hanout.core.errors import ValidationFailed
from hanout.core.models import AuditEntry

# Product fields that go into the search text (services.product_update rewrites it then).
SEARCH_KEYS = {"name", "sku", "brand", "model", "barcodes", "tags"}
DECIMAL_FIELDS = [f for f in Product._meta.fields if f.get_internal_type() == "DecimalField"]
# Rows per UPDATE … CASE statement (each row's CASE is tried WHEN by WHEN).
UPDATE_BATCH = 200
# Parameters per statement: under SQLite's historical limit of 999.
MAX_PARAMS = 990
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def upsert(*, business, actor, rows: list[dict[str, Any]], atomic: bool) -> list[s.RowResult]:
    """The body of services.products_bulk_upsert (which checks the row limit and opens
    the transaction)."""
    batch = _Batch(business, actor, rows)
    results: list[s.RowResult] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            results.append(s.RowResult(index, "error", errors={"row": [_("Not an object.")]}))
            continue
        try:
            target = batch.target(row)
            data = {k: v for k, v in row.items() if k != "id"}
            if target is None:
                results.append(s.RowResult(index, "created", batch.create(data).pk))
            else:
                results.append(s.RowResult(index, "updated", batch.update(target, data).pk))
        except ValidationFailed as exc:
            results.append(s.RowResult(index, "error", errors=exc.fields or {"row": [exc.message]}))
    if atomic and any(r.status == "error" for r in results):
        for r in results:
            if r.status != "error":
                r.status, r.product_id = "skipped", None
        return results  # nothing was written
    try:
        with transaction.atomic():
            batch.write()
    except IntegrityError:  # a concurrent writer: let each row find out on its own
        return s.products_upsert_by_row(business=business, actor=actor, rows=rows, atomic=atomic)
    for name, payload in batch.events:
        events.emit(name, business=business, payload=payload)
    return results


def _sku(value) -> str:
    """A row's SKU as `_bulk_target` reads it."""
    return "".join(str(value or "").split())


def _checked_sku(value) -> str:
    """A row's SKU as `_check_product` cleans it."""
    return "".join(("" if value is None else str(value)).split())


def _as_stored(product: Product) -> None:
    """Decimals as the database gives them back (3 places), as a fresh fetch would have them."""
    for f in DECIMAL_FIELDS:
        value = getattr(product, f.attname)
        if isinstance(value, Decimal):
            setattr(product, f.attname, value.quantize(Decimal(1).scaleb(-f.decimal_places)))


def _iexact_key(name: str) -> str:
    """What `name__iexact` compares: UPPER() on PostgreSQL, ASCII-only LIKE on SQLite."""
    if connection.vendor == "sqlite":
        return name.translate(ASCII_LOWER)
    return name.upper()


def _update_by_pk(model, objs: list, fields: list[str]) -> None:
    """QuerySet.bulk_update's statement (SET f = CASE pk WHEN … THEN … END … WHERE pk IN …)
    written directly: bulk_update builds a Case/When/Q expression per row and field, which
    costs ~0.1 ms each in Python, more than the database takes to run the statement.

    Values go through each field's get_db_prep_save, as the ORM does; on PostgreSQL each
    CASE is cast to the column's type (a CASE of untyped parameters would be text).
    """
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [model._meta.get_field(name) for name in fields]
    per_row = 2 * len(columns) + 1
    size = max(1, min(UPDATE_BATCH, MAX_PARAMS // per_row))
    cast = connection.vendor == "postgresql"
    for start in range(0, len(objs), size):
        chunk = objs[start : start + size]
        keys = [pk.get_db_prep_value(obj.pk, connection) for obj in chunk]
        sets, params = [], []
        for f in columns:
            case = "CASE {} {} END".format(
                quote(pk.column), " ".join(["WHEN %s THEN %s"] * len(chunk))
            )
            if cast:
                case = f"CAST({case} AS {f.db_type(connection)})"
            sets.append(f"{quote(f.column)} = {case}")
            for key, obj in zip(keys, chunk, strict=True):
                params += [key, f.get_db_prep_save(getattr(obj, f.attname), connection)]
        # Only quoted table and column names are formatted in; every value is a parameter.
        sql = "UPDATE {} SET {} WHERE {} IN ({})".format(  # noqa: S608
            quote(model._meta.db_table),
            ", ".join(sets),
            quote(pk.column),
            ", ".join(["%s"] * len(chunk)),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *keys])


class _Code:
    """One barcode of a product in the batch's state; `pk` is None until it is written."""

    __slots__ = ("code", "kind", "order", "pk")

    def __init__(self, code: str, kind: str, pk=None, order=None):
        self.code, self.kind, self.pk, self.order = code, kind, pk, order


class _Batch:
    """The rows' view of the catalog while they are played, and what to write after."""

    def __init__(self, business, actor, rows: list):
        self.business = business
        self.actor = actor
        self.products: dict[Any, Product] = {}
        self.created: list[Product] = []
        self.by_sku: dict[str, Any] = {}
        self.codes: dict[Any, list[_Code]] = {}  # product id -> its barcodes, in table order
        self.initial_codes: dict[Any, dict[str, tuple]] = {}
        self.code_owner: dict[str, Any] = {}
        self.code_order: dict[str, tuple] = {}
        self.other_names: dict[Any, str] = {}  # products outside the batch holding a code
        self.tag_names: dict[Any, list[str]] = {}  # as product.tags.values_list("name") gives
        self.tags_to_set: dict[Any, list[str]] = {}
        self.tags_to_make: list[str] = []
        self.docs: dict[Any, dict] = {}
        self.dirty: dict[Any, set[str]] = {}
        self.count_deltas: dict[Any, int] = {}
        self.audit_entries: list[AuditEntry] = []
        self.events: list[tuple[str, dict]] = []
        self._new_codes = 0
        self._fetch(rows)

    # --- step 1: what the rows need, in a few queries -------------------------------------

    def _fetch(self, rows: list) -> None:
        ids, skus, codes, category_ids, paths = set(), set(), set(), set(), False
        for row in rows:
            if not isinstance(row, dict):
                continue
            if row.get("id"):
                with contextlib.suppress(ValueError):
                    ids.add(uuid.UUID(str(row["id"])))
            if "sku" in row:
                skus.update(v for v in (_sku(row["sku"]), _checked_sku(row["sku"])) if v)
            if "barcodes" in row:
                codes.update(self._codes_of(row["barcodes"]))
            category = row.get("category")
            if category not in (None, "") and not isinstance(category, Category):
                text = str(category).strip()
                try:
                    category_ids.add(uuid.UUID(text))
                except ValueError:
                    paths = paths or bool(text)

        found = Q(pk__in=ids) | Q(sku__in=skus) if skus else Q(pk__in=ids)
        if ids or skus:
            products = (
                Product.objects.for_business(self.business)
                .select_for_update()
                .filter(found)
                .order_by("pk")
            )
            for product in products:
                self.products[product.pk] = product
                if product.sku:
                    self.by_sku[product.sku] = product.pk
        known = list(self.products)
        for pk in known:
            self.codes[pk] = []
            self.tag_names[pk] = []

        if known or codes:
            where = Q(product_id__in=known)
            if codes:
                where |= Q(code__in=codes)
            barcodes = (
                Barcode.objects.for_business(self.business)
                .filter(where)
                .order_by("created_at", "id")
                .values_list("id", "code", "kind", "product_id", "product__name", "created_at")
            )
            for pk, code, kind, product_id, name, created_at in barcodes:
                entry = _Code(code, kind, pk, (0, created_at, pk))
                self.code_owner[code] = product_id
                self.code_order[code] = entry.order
                if product_id in self.codes:
                    self.codes[product_id].append(entry)
                else:
                    self.other_names[product_id] = name
        # (pk, kind) as fetched: the entries themselves change as the rows are played.
        self.initial_codes = {
            pk: {c.code: (c.pk, c.kind) for c in codes} for pk, codes in self.codes.items()
        }

        if known:
            links = (
                Product.tags.through.objects.filter(product_id__in=known)
                .order_by("tag__name")
                .values_list("product_id", "tag__name")
            )
            for product_id, name in links:
                self.tag_names[product_id].append(name)

        self.categories_by_id: dict[Any, Category] = {}
        self.categories: list[Category] | None = None
        if paths:
            self.categories = list(Category.objects.for_business(self.business))
            self.categories_by_id = {c.pk: c for c in self.categories}
        elif category_ids:
            self.categories_by_id = {
                c.pk: c
                for c in Category.objects.for_business(self.business).filter(pk__in=category_ids)
            }

    @staticmethod
    def _codes_of(value) -> list[str]:
        try:
            items = s._barcode_items(value)
        except TypeError:
            return []
        out = []
        for code, kind in items:
            with contextlib.suppress(Exception):  # a bad code: the row's own check reports it
                out.append(barcode_parse(code, kind)[0])
        return out

    # --- the look-ups of services._check_product, from the batch's state -------------------

    def category(self, business, value) -> Category | None:
        if value in (None, "") or isinstance(value, Category):
            return s._category_of(business, value)
        text = str(value).strip()
        try:
            pk = uuid.UUID(text)
        except ValueError:
            pk = None
        found = None
        if pk is not None:
            found = self.categories_by_id.get(pk)
        elif text:
            found = self._category_by_path(text)
        if found is None:
            message = _("Unknown category “%(value)s”.") % {"value": text[:100]}
            raise ValidationFailed(message, fields={"category": [message]})
        return found

    def _category_by_path(self, path: str) -> Category | None:
        """services._category_by_path over the categories fetched once."""
        sep = ">" if ">" in path else "/"
        names = [n.strip() for n in path.split(sep) if n.strip()]
        if not names or len(names) > s.MAX_LEVEL + 1:
            return None
        parent_id = None
        for name in names:
            key = _iexact_key(name)
            matches = [
                c
                for c in self.categories or []
                if c.parent_id == parent_id and _iexact_key(c.name) == key
            ]
            if not matches:
                return None
            parent_id = min(matches, key=lambda c: c.pk).pk
        return self.categories_by_id[parent_id]

    def sku_owner_name(self, business, sku: str, product: Product | None) -> str | None:
        pk = self.by_sku.get(sku)
        if pk is None or (product is not None and pk == product.pk):
            return None
        return self.products[pk].name

    def barcodes_taken(
        self, business, codes: set[str], product: Product | None
    ) -> list[tuple[str, str]]:
        taken = []
        for code in codes:
            owner = self.code_owner.get(code)
            if owner is None or (product is not None and owner == product.pk):
                continue
            name = self.products[owner].name if owner in self.products else self.other_names[owner]
            taken.append((self.code_order[code], code, name))
        return [(code, name) for _order, code, name in sorted(taken, key=lambda t: t[0])]

    # --- step 2: the rows, in order ------------------------------------------------------

    def target(self, row: dict[str, Any]) -> Product | None:
        """services._bulk_target against the batch's state."""
        if row.get("id"):
            try:
                pk = uuid.UUID(str(row["id"]))
            except ValueError as exc:
                raise ValidationFailed(
                    _("Not a product id."), fields={"id": [_("Not a product id.")]}
                ) from exc
            product = self.products.get(pk)
            if product is None:
                raise ValidationFailed(
                    _("There is no product with this id."),
                    fields={"id": [_("There is no product with this id.")]},
                )
            return product
        sku = _sku(row.get("sku"))
        if sku and sku in self.by_sku:
            return self.products[self.by_sku[sku]]
        return None

    def create(self, data: dict[str, Any]) -> Product:
        """services.product_create, in memory."""
        checked = s._check_product(self.business, data, None, lookups=self)
        product = Product(business=self.business, **checked.values)
        barcodes = checked.barcodes or []
        tags = checked.tags or []
        self.products[product.pk] = product
        self.created.append(product)
        if product.sku:
            self.by_sku[product.sku] = product.pk
        self.codes[product.pk] = []
        self.initial_codes[product.pk] = {}
        self._set_codes(product, barcodes)
        self.tag_names[product.pk] = sorted(tags)
        if tags:
            self.tags_to_set[product.pk] = tags
            self.tags_to_make.extend(tags)
        codes = [c for c, _k in barcodes]
        self.docs[product.pk] = search.document_for(product, barcodes=codes, tags=tags)
        self._count_move(None, product.category_id)
        self._audit(
            "product.create",
            product,
            {k: [None, v] for k, v in s._product_snapshot(product, codes, tags).items()},
        )
        self.events.append(("product.created", s._event_payload(product)))
        return product

    def update(self, product: Product, data: dict[str, Any]) -> Product:
        """services.product_update, in memory."""
        _as_stored(product)
        checked = s._check_product(self.business, data, product, lookups=self)
        old_codes = [c.code for c in self.codes[product.pk]]
        old_tags = list(self.tag_names[product.pk])
        before = s._product_snapshot(product, old_codes, old_tags)
        old_category, old_sku = product.category_id, product.sku
        for name, value in checked.values.items():
            setattr(product, name, value)
        codes = old_codes if checked.barcodes is None else [c for c, _k in checked.barcodes]
        tags = old_tags if checked.tags is None else checked.tags
        changes = audit.diff(before, s._product_snapshot(product, codes, tags))
        if checked.barcodes is not None:
            self._set_codes(product, checked.barcodes)
        if not changes:
            return product
        if product.sku != old_sku:
            if old_sku and self.by_sku.get(old_sku) == product.pk:
                del self.by_sku[old_sku]
            if product.sku:
                self.by_sku[product.sku] = product.pk
        field_changes = [k for k in changes if k in s.PRODUCT_FIELDS]
        if field_changes:
            self.dirty.setdefault(product.pk, set()).update(field_changes)
        if "tags" in changes:
            self.tags_to_set[product.pk] = tags
            self.tags_to_make.extend(tags)
            self.tag_names[product.pk] = sorted(tags)
        if SEARCH_KEYS & set(changes):
            self.docs[product.pk] = search.document_for(product, barcodes=codes, tags=tags)
        self._count_move(old_category, product.category_id)
        self._audit("product.update", product, changes)
        self.events.append(("product.updated", s._event_payload(product)))
        return product

    def _set_codes(self, product: Product, wanted: list[tuple[str, str]]) -> None:
        """services._write_barcodes, in memory: kept codes stay (kind updated), new ones follow."""
        current = {c.code: c for c in self.codes[product.pk]}
        wanted_kinds = dict(wanted)
        kept = []
        for entry in self.codes[product.pk]:
            if entry.code in wanted_kinds:
                entry.kind = wanted_kinds[entry.code]
                kept.append(entry)
            elif self.code_owner.get(entry.code) == product.pk:
                del self.code_owner[entry.code]
        for code, kind in wanted:
            if code not in current:
                self._new_codes += 1
                entry = _Code(code, kind, None, (1, self._new_codes))
                kept.append(entry)
                self.code_owner[code] = product.pk
                self.code_order[code] = entry.order
        self.codes[product.pk] = kept

    def _count_move(self, old_id, new_id) -> None:
        if old_id == new_id:
            return
        if old_id:
            self.count_deltas[old_id] = self.count_deltas.get(old_id, 0) - 1
        if new_id:
            self.count_deltas[new_id] = self.count_deltas.get(new_id, 0) + 1

    def _audit(self, action: str, product: Product, changes: dict[str, Any]) -> None:
        """The row audit.record would write (bulk-inserted in step 3)."""
        actor = self.actor
        self.audit_entries.append(
            AuditEntry(
                business=self.business,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                actor_label=(getattr(actor, "email", "") or "") if actor else "",
                action=action,
                object_type=product._meta.label_lower,
                object_id=str(product.pk),
                object_repr=str(product)[:200],
                changes={k: [audit._plain(a), audit._plain(b)] for k, (a, b) in changes.items()},
                ip=audit._request_ip.get(),
                at=clock.now(),
            )
        )

    # --- step 3: the end state, in bulk ----------------------------------------------------

    def write(self) -> None:
        tags = {
            t.name: t
            for t in s._tags_resolve(self.business, list(dict.fromkeys(self.tags_to_make)))
        }
        # Updates first: a SKU an existing product gave up may be a new product's.
        self._write_updated_products()
        if self.created:
            Product.objects.bulk_create(self.created)
        self._write_barcodes()
        self._write_tags(tags)
        self._write_search()
        self._write_counts()
        if self.audit_entries:
            AuditEntry.objects.bulk_create(self.audit_entries)

    def _write_updated_products(self) -> None:
        created = {p.pk for p in self.created}
        changed = [pk for pk in self.dirty if pk not in created]
        if not changed:
            return
        now = timezone.now()
        products = [self.products[pk] for pk in changed]
        for product in products:
            product.updated_at = now
        fields = sorted(set().union(*(self.dirty[pk] for pk in changed)))
        _update_by_pk(Product, products, [*fields, "updated_at"])

    def _write_barcodes(self) -> None:
        stale, kinds, new = [], [], []
        for pk, entries in self.codes.items():
            initial = self.initial_codes.get(pk, {})
            kept = {e.pk for e in entries if e.pk is not None}
            stale.extend(code_pk for code_pk, _kind in initial.values() if code_pk not in kept)
            for entry in entries:
                if entry.pk is None:
                    new.append(
                        Barcode(
                            business_id=self.business.pk,
                            product_id=pk,
                            code=entry.code,
                            kind=entry.kind,
                        )
                    )
                elif entry.kind != initial[entry.code][1]:
                    kinds.append(Barcode(pk=entry.pk, kind=entry.kind))
        if stale:
            Barcode.objects.filter(pk__in=stale).delete()
        if kinds:
            _update_by_pk(Barcode, kinds, ["kind"])
        if new:
            Barcode.objects.bulk_create(new)

    def _write_tags(self, tags: dict[str, Any]) -> None:
        if not self.tags_to_set:
            return
        link = Product.tags.through
        created = {p.pk for p in self.created}
        replaced = [pk for pk in self.tags_to_set if pk not in created]
        if replaced:
            link.objects.filter(product_id__in=replaced).delete()
        link.objects.bulk_create(
            [
                link(product_id=pk, tag_id=tags[name].pk)
                for pk, names in self.tags_to_set.items()
                for name in names
            ]
        )

    def _write_search(self) -> None:
        if not self.docs:
            return
        created = {p.pk for p in self.created}
        existing = {
            product_id: pk
            for pk, product_id in ProductSearch.objects.filter(
                product_id__in=[pk for pk in self.docs if pk not in created]
            ).values_list("id", "product_id")
        }
        updates, inserts = [], []
        for product_id, values in self.docs.items():
            if product_id in existing:
                updates.append(ProductSearch(pk=existing[product_id], **values))
            else:
                inserts.append(
                    ProductSearch(business_id=self.business.pk, product_id=product_id, **values)
                )
        if updates:
            _update_by_pk(ProductSearch, updates, ["text", "name_key"])
        if inserts:
            ProductSearch.objects.bulk_create(inserts)

    def _write_counts(self) -> None:
        deltas = {pk: n for pk, n in self.count_deltas.items() if n}
        if not deltas:
            return
        Category.objects.filter(pk__in=list(deltas)).update(
            product_count=F("product_count")
            + Case(*(When(pk=pk, then=Value(n)) for pk, n in deltas.items()), default=Value(0))
        )
