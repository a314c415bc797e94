"""Every write on the catalog: one function per business action.

Each service runs in one transaction, checks everything before it writes
(a ValidationFailed names every bad field, nothing is half-written), records
an audit row with the before/after of what changed, keeps the product's search
row (hanout.catalog.search) and its category's product count in step, and
emits `product.created` / `product.updated` after commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog import images as image_files
from hanout.catalog import search
from hanout.catalog.barcodes import barcode_parse
from hanout.catalog.models import (
    Barcode,
    Category,
    CategoryLevel,
    Product,
    ProductImage,
    Tag,
    Unit,
)
from hanout.core import audit, events
from hanout.core.errors import Conflict, ValidationFailed
from hanout.core.money import quantize

# What each audit action code of this app means to a person reading the history.
ACTION_LABELS: dict = {
    "category.create": gettext_lazy("Created a category"),
    "category.update": gettext_lazy("Changed a category"),
    "category.delete": gettext_lazy("Deleted a category"),
    "tag.create": gettext_lazy("Created a tag"),
    "product.create": gettext_lazy("Created a product"),
    "product.update": gettext_lazy("Changed a product"),
    "product.activate": gettext_lazy("Reactivated a product"),
    "product.deactivate": gettext_lazy("Deactivated a product"),
    "product.image_add": gettext_lazy("Added a product image"),
    "product.image_remove": gettext_lazy("Removed a product image"),
}

MAX_LEVEL = CategoryLevel.SUBCATEGORY
PRODUCT_FIELDS = [
    "name",
    "description",
    "sku",
    "model",
    "brand",
    "colour",
    "size",
    "unit",
    "sale_price",
    "cost",
    "tax_rate",
    "category",
    "is_active",
]
TEXT_FIELDS = ["name", "description", "sku", "model", "brand", "colour", "size"]
PRODUCT_KEYS = {*PRODUCT_FIELDS, "tags", "barcodes"}
BULK_MAX_ROWS = 1000


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", fields=errors)


# --- categories --------------------------------------------------------------------------


def _category_of(business, value, *, field_name: str = "category") -> Category | None:
    """A Category of this business from a Category, an id, or a "Domain > Category" path."""
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        if value.business_id != business.pk:
            raise ValidationFailed(
                _("Unknown category."), fields={field_name: [_("Unknown category.")]}
            )
        return value
    text = str(value).strip()
    try:
        pk = uuid.UUID(text)
    except ValueError:
        pk = None
    found = None
    if pk is not None:
        found = Category.objects.for_business(business).filter(pk=pk).first()
    elif text:
        found = _category_by_path(business, text)
    if found is None:
        message = _("Unknown category “%(value)s”.") % {"value": text[:100]}
        raise ValidationFailed(message, fields={field_name: [message]})
    return found


def _category_by_path(business, path: str) -> Category | None:
    """ "Boulangerie > Viennoiseries" (or with "/"): names from the domain down."""
    sep = ">" if ">" in path else "/"
    names = [n.strip() for n in path.split(sep) if n.strip()]
    if not names or len(names) > MAX_LEVEL + 1:
        return None
    parent = None
    for name in names:
        parent = (
            Category.objects.for_business(business)
            .filter(parent=parent, name__iexact=name)
            .order_by("id")
            .first()
        )
        if parent is None:
            return None
    return parent


def _category_name_errors(business, name, parent, exclude_pk=None) -> dict[str, list[str]]:
    name = (name or "").strip()
    if not name:
        return {"name": [_("Give the category a name.")]}
    if len(name) > 120:
        return {"name": [_("At most %(n)d characters.") % {"n": 120}]}
    siblings = Category.objects.for_business(business).filter(parent=parent, name__iexact=name)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        return {"name": [_("There is already a category “%(name)s” here.") % {"name": name}]}
    return {}


def _subtree_height(category: Category) -> int:
    """0 for a leaf, 1 with children, 2 with grandchildren."""
    if Category.objects.filter(parent__parent=category).exists():
        return 2
    if Category.objects.filter(parent=category).exists():
        return 1
    return 0


@transaction.atomic
def category_create(*, business, actor, name: str, parent=None, position: int = 0) -> Category:
    """Add a domain (no parent), a category (under a domain) or a sub-category.

    A sub-category cannot have children: the tree is three levels deep.
    """
    parent = _category_of(business, parent, field_name="parent")
    errors = _category_name_errors(business, name, parent)
    if parent is not None and parent.level >= MAX_LEVEL:
        errors["parent"] = [
            _("A sub-category cannot have sub-categories; choose a domain or a category.")
        ]
    if not isinstance(position, int) or position < 0:
        errors["position"] = [_("A whole number, 0 or more.")]
    _raise(errors)
    category = Category(
        business=business,
        name=name.strip(),
        parent=parent,
        level=0 if parent is None else parent.level + 1,
        position=position,
    )
    category.save()
    audit.record(
        business=business,
        actor=actor,
        action="category.create",
        obj=category,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(category, ["name", "parent", "level", "position"]).items()
        },
    )
    return category


@transaction.atomic
def category_update(*, category: Category, actor, data: dict[str, Any]) -> Category:
    """Rename, reorder or move a category (with everything under it).

    Moving keeps the three-level limit: a category with sub-categories can only
    go under a domain, or become a domain.
    """
    business = category.business
    category = Category.objects.select_for_update().get(pk=category.pk, business=business)
    before = audit.snapshot(category, ["name", "parent", "level", "position"])
    errors: dict[str, list[str]] = {}
    parent = category.parent
    if "parent" in data:
        parent = _category_of(business, data["parent"], field_name="parent")
        if parent is not None:
            ancestors = {parent.pk, parent.parent_id, getattr(parent.parent, "parent_id", None)}
            if category.pk in ancestors:
                errors["parent"] = [_("A category cannot be moved under itself.")]
            elif parent.level + 1 + _subtree_height(category) > MAX_LEVEL:
                errors["parent"] = [
                    _("There is no room for this category there: the tree has three levels.")
                ]
    name = data.get("name", category.name)
    if "name" in data or "parent" in data:
        errors.update(_category_name_errors(business, name, parent, exclude_pk=category.pk))
    position = data.get("position", category.position)
    if not isinstance(position, int) or position < 0:
        errors["position"] = [_("A whole number, 0 or more.")]
    _raise(errors)
    old_level = category.level
    category.name = (name or "").strip()
    category.position = position
    category.parent = parent
    category.level = 0 if parent is None else parent.level + 1
    category.save()
    shift = category.level - old_level
    if shift:
        Category.objects.filter(parent=category).update(level=F("level") + shift)
        Category.objects.filter(parent__parent=category).update(level=F("level") + shift)
    changes = audit.diff(before, audit.snapshot(category, ["name", "parent", "level", "position"]))
    if changes:
        audit.record(
            business=business,
            actor=actor,
            action="category.update",
            obj=category,
            changes=changes,
        )
    return category


@transaction.atomic
def category_delete(*, category: Category, actor) -> None:
    """Delete an empty category; one with sub-categories or products is refused (Conflict, 409)."""
    if Category.objects.filter(parent=category).exists():
        raise Conflict(
            _("“%(name)s” has sub-categories; move or delete them first.")
            % {"name": category.name},
            code="category_not_empty",
        )
    if Product.objects.filter(category=category).exists():
        raise Conflict(
            _("“%(name)s” still has products; move them to another category first.")
            % {"name": category.name},
            code="category_not_empty",
        )
    audit.record(
        business=category.business,
        actor=actor,
        action="category.delete",
        obj=category,
        changes={
            k: [v, None] for k, v in audit.snapshot(category, ["name", "parent", "level"]).items()
        },
    )
    category.delete()


def category_counts_rebuild(*, business) -> int:
    """Recount every category's products (for bulk loaders that bypass the services).
    Returns how many counts were wrong (and are now right)."""
    counts = (
        Product.objects.filter(category=OuterRef("pk"))
        .order_by()
        .values("category")
        .annotate(n=Count("id"))
        .values("n")
    )
    fresh = Coalesce(Subquery(counts), 0)
    # Only the categories whose count changed are written (a written row is noted for the
    # stores of a hub, and costs a trigger each).
    return (
        Category.objects.for_business(business)
        .annotate(fresh=fresh)
        .exclude(product_count=F("fresh"))
        .update(product_count=fresh)
    )


def _count_move(old_id, new_id) -> None:
    if old_id == new_id:
        return
    if old_id:
        Category.objects.filter(pk=old_id).update(product_count=F("product_count") - 1)
    if new_id:
        Category.objects.filter(pk=new_id).update(product_count=F("product_count") + 1)


# --- tags ----------------------------------------------------------------------------------


def _clean_tag(name) -> str:
    return " ".join(str(name or "").split())


@transaction.atomic
def tag_create(*, business, actor, name: str) -> Tag:
    name = _clean_tag(name)
    if not name or len(name) > 60:
        raise ValidationFailed(
            _("A tag has 1 to 60 characters."), fields={"name": [_("1 to 60 characters.")]}
        )
    if Tag.objects.for_business(business).filter(name=name).exists():
        message = _("The tag “%(name)s” already exists.") % {"name": name}
        raise ValidationFailed(message, fields={"name": [message]})
    tag = Tag.objects.create(business=business, name=name)
    audit.record(
        business=business, actor=actor, action="tag.create", obj=tag, changes={"name": [None, name]}
    )
    return tag


def _tags_resolve(business, names: list[str]) -> list[Tag]:
    """Tags by name, made on the fly when new."""
    if not names:
        return []
    existing = {t.name: t for t in Tag.objects.for_business(business).filter(name__in=names)}
    missing = [n for n in names if n not in existing]
    if missing:
        try:
            with transaction.atomic():
                for tag in Tag.objects.bulk_create(
                    [Tag(business=business, name=n) for n in missing]
                ):
                    existing[tag.name] = tag
        except IntegrityError:  # made by someone else meanwhile
            existing = {
                t.name: t for t in Tag.objects.for_business(business).filter(name__in=names)
            }
    return [existing[n] for n in names]


# --- products: checking the input --------------------------------------------------------


def _decimal(value, *, places: int) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        value = repr(value)
    result = (
        Decimal(str(value).strip().replace(",", ".")) if isinstance(value, str) else Decimal(value)
    )
    if not result.is_finite():
        raise InvalidOperation
    return result


def _barcode_items(value) -> list[tuple[str, str | None]]:
    """(code, kind) pairs from strings, {"code", "kind"} dicts or Barcode-like objects."""
    if value is None:
        return []
    if isinstance(value, str | dict):
        value = [value]
    if not isinstance(value, list | tuple):
        raise TypeError
    items = []
    for item in value:
        if isinstance(item, dict):
            items.append((item.get("code", ""), item.get("kind") or None))
        elif hasattr(item, "code"):
            items.append((item.code, getattr(item, "kind", None)))
        else:
            items.append((item, None))
    return items


@dataclass
class _Checked:
    values: dict[str, Any] = field(default_factory=dict)
    barcodes: list[tuple[str, str]] | None = None
    tags: list[str] | None = None


class _DatabaseLookups:
    """What `_check_product` reads from the database, asked one product at a time.

    The bulk upsert (hanout.catalog.bulk) passes its own object with the same
    three methods, answered from rows it fetched for the whole batch.
    """

    def category(self, business, value) -> Category | None:
        return _category_of(business, value)

    def sku_owner_name(self, business, sku: str, product: Product | None) -> str | None:
        """The name of another product of the business with this SKU, if any."""
        clash = Product.objects.for_business(business).filter(sku=sku)
        if product is not None:
            clash = clash.exclude(pk=product.pk)
        other = clash.only("name").first()
        return None if other is None else other.name

    def barcodes_taken(
        self, business, codes: set[str], product: Product | None
    ) -> list[tuple[str, str]]:
        """(code, product name) of `codes` already on other products, in barcode order."""
        taken = Barcode.objects.for_business(business).filter(code__in=codes)
        if product is not None:
            taken = taken.exclude(product=product)
        return list(taken.values_list("code", "product__name"))


_DATABASE = _DatabaseLookups()


def _check_product(
    business, data: dict[str, Any], product: Product | None, lookups=_DATABASE
) -> _Checked:
    """Validate `data` (every key optional on update) and return clean values.

    Raises one ValidationFailed naming every bad field; nothing is written.
    """
    errors: dict[str, list[str]] = {}
    out = _Checked()
    creating = product is None
    unknown = sorted(set(data) - PRODUCT_KEYS - {"id"})
    for key in unknown:
        errors[key] = [_("Unknown field.")]

    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            value = "" if value is None else str(value)
            value = value.strip() if name != "description" else value
            if name == "sku":
                value = "".join(value.split())
            out.values[name] = value
    if (creating or "name" in data) and not out.values.get("name"):
        errors["name"] = [_("Give the product a name.")]

    for name, places, required in (
        ("sale_price", 3, True),
        ("cost", 3, False),
        ("tax_rate", 2, False),
    ):
        if name not in data:
            if creating and required:
                errors[name] = [_("This field is required.")]
            continue
        raw = data[name]
        if raw in (None, "") and not required:
            raw = 0
        try:
            value = _decimal(raw, places=places)
        except (InvalidOperation, ValueError, TypeError):
            errors[name] = [_("Enter a number.")]
            continue
        if value < 0:
            errors[name] = [_("Cannot be negative.")]
            continue
        if name == "tax_rate":
            if value > 100:
                errors[name] = [_("A tax rate is between 0 and 100 %.")]
                continue
            value = value.quantize(Decimal("0.01"))
        else:
            if value >= Decimal(10) ** 11:
                errors[name] = [_("This amount is too large.")]
                continue
            value = quantize(value, business.currency)
        out.values[name] = value

    if "unit" in data:
        unit = data["unit"] or Unit.PIECE
        if unit not in Unit.values:
            errors["unit"] = [_("Choose one of: %(units)s.") % {"units": ", ".join(Unit.values)}]
        out.values["unit"] = unit
    if "is_active" in data:
        if not isinstance(data["is_active"], bool):
            errors["is_active"] = [_("true or false.")]
        out.values["is_active"] = bool(data["is_active"])
    if "category" in data:
        try:
            out.values["category"] = lookups.category(business, data["category"])
        except ValidationFailed as exc:
            errors.update(exc.fields)

    sku = out.values.get("sku")
    if sku:
        other_name = lookups.sku_owner_name(business, sku, product)
        if other_name is not None:
            errors["sku"] = [
                _("The article number %(sku)s is already used by “%(name)s”.")
                % {"sku": sku, "name": other_name}
            ]

    if "barcodes" in data:
        out.barcodes = []
        seen: set[str] = set()
        try:
            items = _barcode_items(data["barcodes"])
        except TypeError:
            items = []
            errors["barcodes"] = [_("A list of barcodes.")]
        for i, (code, kind) in enumerate(items):
            try:
                code, kind = barcode_parse(code, kind)
            except ValidationFailed as exc:
                errors[f"barcodes[{i}]"] = [exc.message]
                continue
            if code in seen:
                errors[f"barcodes[{i}]"] = [_("This barcode is given twice.")]
                continue
            seen.add(code)
            out.barcodes.append((code, kind))
        if seen:
            for code, name in lookups.barcodes_taken(business, seen, product):
                i = next(i for i, (c, _k) in enumerate(out.barcodes) if c == code)
                errors[f"barcodes[{i}]"] = [_barcode_taken(code, name)]

    if "tags" in data:
        raw_tags = data["tags"] or []
        if isinstance(raw_tags, str):
            raw_tags = raw_tags.split(",")
        if not isinstance(raw_tags, list | tuple | set):
            errors["tags"] = [_("A list of tag names.")]
            raw_tags = []
        tags = []
        for i, name in enumerate(raw_tags):
            name = _clean_tag(getattr(name, "name", name))
            if not name:
                continue
            if len(name) > 60:
                errors[f"tags[{i}]"] = [_("A tag has at most 60 characters.")]
            elif name not in tags:
                tags.append(name)
        out.tags = tags

    # Field checks of the model itself (lengths, digits) for what was given.
    probe = Product(business=business, sale_price=Decimal(0))
    for name, value in out.values.items():
        setattr(probe, name, value)
    try:
        # The category was checked above; clean_fields would query it again.
        skip = [f.name for f in Product._meta.fields if f.name not in out.values]
        probe.clean_fields(exclude=[*skip, "category"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, [str(m) for m in messages])
    _raise(errors)
    return out


def _barcode_taken(code: str, product_name: str) -> str:
    return _("The barcode %(code)s is already on “%(name)s”.") % {
        "code": code,
        "name": product_name,
    }


def _write_barcodes(product: Product, wanted: list[tuple[str, str]]) -> None:
    """Make the product's barcodes exactly `wanted` (a duplicate is a ValidationFailed)."""
    current = {b.code: b for b in Barcode.objects.filter(product=product)}
    wanted_codes = {c for c, _k in wanted}
    stale = [b.pk for code, b in current.items() if code not in wanted_codes]
    if stale:
        Barcode.objects.filter(pk__in=stale).delete()
    for code, kind in wanted:
        existing = current.get(code)
        if existing is None:
            try:
                with transaction.atomic():
                    Barcode.objects.create(
                        business_id=product.business_id, product=product, code=code, kind=kind
                    )
            except IntegrityError as exc:  # a concurrent writer took it since we checked
                other = (
                    Barcode.objects.filter(business_id=product.business_id, code=code)
                    .values_list("product__name", flat=True)
                    .first()
                )
                message = _barcode_taken(code, other or "?")
                raise ValidationFailed(message, fields={"barcodes": [message]}) from exc
        elif existing.kind != kind:
            Barcode.objects.filter(pk=existing.pk).update(kind=kind)


def _product_snapshot(product: Product, barcodes, tags) -> dict[str, Any]:
    snap = audit.snapshot(product, PRODUCT_FIELDS)
    snap["barcodes"] = sorted(barcodes)
    snap["tags"] = sorted(tags)
    return snap


def _event_payload(product: Product) -> dict[str, Any]:
    return {
        "id": str(product.pk),
        "name": product.name,
        "sku": product.sku,
        "sale_price": str(product.sale_price),
        "is_active": product.is_active,
    }


def _save_product(product: Product, *, update_fields=None) -> None:
    try:
        with transaction.atomic():
            product.save(update_fields=update_fields)
    except IntegrityError as exc:  # a concurrent writer took the SKU since we checked
        message = _("The article number %(sku)s is already used.") % {"sku": product.sku}
        raise ValidationFailed(message, fields={"sku": [message]}) from exc


# --- products: the services ----------------------------------------------------------------


@transaction.atomic
def product_create(*, business, actor, data: dict[str, Any]) -> Product:
    """Add a product; `data` as described in the module's contract (name and sale_price needed).

    `barcodes`: strings or {"code", "kind"}; `tags`: names (new ones are made);
    `category`: a Category (or its id) of this business.
    """
    checked = _check_product(business, data, None)
    product = Product(business=business, **checked.values)
    _save_product(product)
    barcodes = checked.barcodes or []
    tags = checked.tags or []
    if barcodes:
        _write_barcodes(product, barcodes)
    if tags:
        product.tags.set(_tags_resolve(business, tags))
    codes = [c for c, _k in barcodes]
    search.document_save(product, barcodes=codes, tags=tags)
    _count_move(None, product.category_id)
    audit.record(
        business=business,
        actor=actor,
        action="product.create",
        obj=product,
        changes={k: [None, v] for k, v in _product_snapshot(product, codes, tags).items()},
    )
    events.emit("product.created", business=business, payload=_event_payload(product))
    return product


@transaction.atomic
def product_update(*, product: Product, actor, data: dict[str, Any]) -> Product:
    """Change a product; only the keys given change. `barcodes` and `tags` replace the sets."""
    business = product.business
    product = Product.objects.select_for_update().get(pk=product.pk, business=business)
    checked = _check_product(business, data, product)
    old_codes = list(Barcode.objects.filter(product=product).values_list("code", flat=True))
    old_tags = list(product.tags.values_list("name", flat=True))
    before = _product_snapshot(product, old_codes, old_tags)
    old_category = product.category_id
    for name, value in checked.values.items():
        setattr(product, name, value)
    codes = old_codes if checked.barcodes is None else [c for c, _k in checked.barcodes]
    tags = old_tags if checked.tags is None else checked.tags
    after = _product_snapshot(product, codes, tags)
    changes = audit.diff(before, after)
    if checked.barcodes is not None:
        _write_barcodes(product, checked.barcodes)
        kinds_changed = True
    else:
        kinds_changed = False
    if not changes and not kinds_changed:
        return product
    field_changes = [k for k in changes if k in PRODUCT_FIELDS]
    if field_changes:
        _save_product(product, update_fields=[*field_changes, "updated_at"])
    if "tags" in changes:
        product.tags.set(_tags_resolve(business, tags))
    if {"name", "sku", "brand", "model", "barcodes", "tags"} & set(changes):
        search.document_save(product, barcodes=codes, tags=tags)
    _count_move(old_category, product.category_id)
    if changes:
        audit.record(
            business=business, actor=actor, action="product.update", obj=product, changes=changes
        )
        events.emit("product.updated", business=business, payload=_event_payload(product))
    return product


@transaction.atomic
def product_set_active(*, product: Product, actor, active: bool) -> Product:
    """Deactivate (hidden from the register and new documents, history kept) or reactivate."""
    product = Product.objects.select_for_update().get(pk=product.pk, business=product.business)
    if product.is_active == active:
        return product
    product.is_active = active
    product.save(update_fields=["is_active", "updated_at"])
    audit.record(
        business=product.business,
        actor=actor,
        action="product.activate" if active else "product.deactivate",
        obj=product,
        changes={"is_active": [not active, active]},
    )
    events.emit("product.updated", business=product.business, payload=_event_payload(product))
    return product


@transaction.atomic
def product_image_add(*, product: Product, actor, file) -> ProductImage:
    """Attach an image (JPEG, PNG, WebP or GIF, at most 10 MB); a thumbnail is made.

    The files are stored first; if the row cannot be written they are removed
    again. (A rollback of an outer transaction after this returns leaves the
    files behind: harmless, nothing points at them.)
    """
    checked = image_files.check(file)
    image = ProductImage(business_id=product.business_id, product=product)
    last = ProductImage.objects.filter(product=product).order_by("-position").first()
    image.position = (last.position + 1) if last else 0
    try:
        image.image.save(checked.filename, checked.content, save=False)
        image.thumbnail.save(checked.thumbnail_name, checked.thumbnail, save=False)
        with transaction.atomic():
            image.save()
    except Exception:
        image_files.delete_quietly(image.image.name)
        image_files.delete_quietly(image.thumbnail.name)
        raise
    audit.record(
        business=product.business,
        actor=actor,
        action="product.image_add",
        obj=product,
        changes={"image": [None, image.image.name]},
    )
    events.emit("product.updated", business=product.business, payload=_event_payload(product))
    return image


@transaction.atomic
def product_image_remove(*, image: ProductImage, actor) -> None:
    """Remove an image and its thumbnail (the files go after commit)."""
    product = image.product
    names = [image.image.name, image.thumbnail.name]
    image.delete()
    audit.record(
        business=product.business,
        actor=actor,
        action="product.image_remove",
        obj=product,
        changes={"image": [names[0], None]},
    )
    transaction.on_commit(lambda: [image_files.delete_quietly(n) for n in names if n])
    events.emit("product.updated", business=product.business, payload=_event_payload(product))


# --- bulk ------------------------------------------------------------------------------------


@dataclass
class RowResult:
    index: int
    status: str  # "created" | "updated" | "error" | "skipped"
    product_id: Any = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _bulk_target(business, row: dict[str, Any]) -> Product | None:
    """The existing product a row means: by `id`, else by `sku`; None = a new product."""
    if row.get("id"):
        try:
            pk = uuid.UUID(str(row["id"]))
        except ValueError as exc:
            raise ValidationFailed(
                _("Not a product id."), fields={"id": [_("Not a product id.")]}
            ) from exc
        product = Product.objects.for_business(business).filter(pk=pk).first()
        if product is None:
            raise ValidationFailed(
                _("There is no product with this id."),
                fields={"id": [_("There is no product with this id.")]},
            )
        return product
    sku = "".join(str(row.get("sku") or "").split())
    if sku:
        return Product.objects.for_business(business).filter(sku=sku).first()
    return None


@transaction.atomic
def products_bulk_upsert(
    *, business, actor, rows: list[dict[str, Any]], atomic: bool
) -> list[RowResult]:
    """Create or update many products; one RowResult per row, in order.

    A row matches an existing product by `id`, else by `sku`; otherwise it is
    a new product. Each row gets the checks, audit entry, search row and event
    of product_create/product_update, as if the rows went through them one
    after the other (a row sees what the rows before it did).

    atomic=True: all or nothing. If any row fails, nothing is written (no
    event is sent) and the rows that were fine are reported "skipped".
    atomic=False: the good rows are written; the bad ones are reported
    "error" and change nothing.

    The work is batched (hanout.catalog.bulk): a few queries per request
    rather than a dozen per row.
    """
    if len(rows) > BULK_MAX_ROWS:
        raise ValidationFailed(
            _("At most %(n)d products per request.") % {"n": BULK_MAX_ROWS},
            fields={"products": [_("At most %(n)d rows.") % {"n": BULK_MAX_ROWS}]},
        )
    from hanout.catalog import bulk

    return bulk.upsert(business=business, actor=actor, rows=rows, atomic=atomic)


def products_upsert_by_row(
    *, business, actor, rows: list[dict[str, Any]], atomic: bool
) -> list[RowResult]:
    """products_bulk_upsert one row at a time through product_create/product_update.

    The reference behaviour of the batched path, and its fallback when a
    concurrent writer takes a SKU or barcode between its checks and its writes
    (each row then gets its own answer). Call it inside a transaction.
    """
    results: list[RowResult] = []
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            results.append(RowResult(index, "error", errors={"row": [_("Not an object.")]}))
            continue
        try:
            with transaction.atomic():
                target = _bulk_target(business, row)
                data = {k: v for k, v in row.items() if k != "id"}
                if target is None:
                    product = product_create(business=business, actor=actor, data=data)
                    results.append(RowResult(index, "created", product.pk))
                else:
                    product = product_update(product=target, actor=actor, data=data)
                    results.append(RowResult(index, "updated", product.pk))
        except ValidationFailed as exc:
            results.append(RowResult(index, "error", errors=exc.fields or {"row": [exc.message]}))
    if atomic and any(r.status == "error" for r in results):
        transaction.set_rollback(True)
        for r in results:
            if r.status != "error":
                r.status, r.product_id = "skipped", None
    return results


def catalog_reindex(*, business) -> int:
    """Rebuild search rows and category counts after a bulk load that bypassed the services."""
    with transaction.atomic():
        written = search.rebuild(business=business)
        category_counts_rebuild(business=business)
    return written


__all__ = [
    "ACTION_LABELS",
    "RowResult",
    "barcode_parse",
    "catalog_reindex",
    "category_counts_rebuild",
    "category_create",
    "category_delete",
    "category_update",
    "product_create",
    "product_image_add",
    "product_image_remove",
    "product_set_active",
    "product_update",
    "products_bulk_upsert",
    "tag_create",
]
