"""Listings: make, change, publish, unpublish, delete; their images; the stock they reserve.

A listing made from a catalog product reserves its quantity on the product's
stock level at the chosen location while it is published (`StockLevel.reserved`,
the same reservation customer orders use, so the register and the orders see
less available). Units in an open purchase stay reserved until the purchase
completes (the stock then leaves with a sale movement) or is cancelled.
`Listing.reserved` is what this listing holds reserved at any moment.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog import images
from hanout.catalog.models import Product
from hanout.catalog.search import fold
from hanout.core import audit, clock, idempotency
from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.models import Business
from hanout.inventory.models import Location, StockLevel
from hanout.marketplace.models import (
    Listing,
    ListingCategory,
    ListingImage,
    ListingStatus,
    Ownership,
)
from hanout.marketplace.services_wallet import parse_amount

ACTION_LABELS = {
    "listing.create": gettext_lazy("Listed an item on the marketplace"),
    "listing.update": gettext_lazy("Changed a marketplace listing"),
    "listing.publish": gettext_lazy("Published a marketplace listing"),
    "listing.unpublish": gettext_lazy("Unpublished a marketplace listing"),
    "listing.delete": gettext_lazy("Deleted a marketplace listing"),
    "listing.image_add": gettext_lazy("Added a picture to a listing"),
    "listing.image_remove": gettext_lazy("Removed a picture from a listing"),
}

FIELDS = ["name", "description", "category", "price", "quantity"]
MAX_QUANTITY = 1_000_000
MAX_IMAGES = 8


def whole(raw) -> int | None:
    """An int from 3, "3" or " 3 "; None for anything else (3.5, "three", True)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw if raw is not None else "").strip()
    digits = text[1:] if text.startswith("-") else text
    return int(text) if digits.isdigit() and len(digits) < 10 else None


def _search_text(name: str, description: str) -> str:
    return fold(f"{name} {description}")[:2000]


def _clean(*, business: Business, data: dict[str, Any], creating: bool) -> dict[str, Any]:
    """The listing fields present in `data`, checked; every problem at once."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    def bad(field, message):
        errors.setdefault(field, []).append(str(message))

    if "name" in data or creating:
        name = str(data.get("name") or "").strip()
        if not name:
            bad("name", _("Give the item a name."))
        elif len(name) > 160:
            bad("name", _("Keep the name under 160 characters."))
        out["name"] = name
    if "description" in data:
        description = str(data.get("description") or "").strip()
        if len(description) > 5000:
            bad("description", _("Keep the description under 5,000 characters."))
        out["description"] = description
    if "category" in data or creating:
        category = data.get("category") or ListingCategory.OTHER
        if category not in ListingCategory.values:
            bad(
                "category",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(ListingCategory.values)},
            )
        out["category"] = category
    if "price" in data or creating:
        try:
            out["price"] = parse_amount(
                data.get("price"), currency=business.currency, field="price", business=business
            )
        except ValidationFailed as exc:
            for message in exc.fields.get("price", [exc.message]):
                bad("price", message)
    if "quantity" in data or creating:
        quantity = whole(data.get("quantity", 1 if creating else None))
        if quantity is None:
            bad("quantity", _("Enter a whole number of units."))
        else:
            if quantity < 0 or (creating and quantity == 0):
                bad("quantity", _("Enter at least 1 unit."))
            elif quantity > MAX_QUANTITY:
                bad("quantity", _("At most %(max)s units.") % {"max": f"{MAX_QUANTITY:,}"})
            out["quantity"] = quantity
    if errors:
        first = next(iter(errors.items()))
        raise ValidationFailed(f"{first[0]}: {first[1][0]}", fields=errors)
    return out


def _own(business: Business, obj, message: str):
    if obj is None or obj.business_id != business.pk:
        raise NotFound(message)
    return obj


# --- stock reservation ------------------------------------------------------------------------


def _reserve(listing: Listing, delta: int) -> None:
    """Reserve (or with a negative delta, release) units of a product listing's stock."""
    if not listing.product_id or not delta:
        return
    level = (
        StockLevel.objects.select_for_update(no_key=True, of=("self",))
        .filter(
            business_id=listing.business_id,
            product_id=listing.product_id,
            location_id=listing.location_id,
        )
        .first()
    )
    if delta > 0:
        available = (level.quantity - level.reserved) if level else Decimal(0)
        if available < delta:
            message = _(
                "Only %(available)s of %(product)s are available at %(location)s (not reserved): list fewer."
            ) % {
                "available": available.normalize() if available > 0 else 0,
                "product": listing.product.name,
                "location": listing.location.name,
            }
            raise Conflict(message, code="insufficient_stock", fields={"quantity": [message]})
    if level is not None:
        StockLevel.objects.filter(pk=level.pk).update(
            reserved=F("reserved") + delta, updated_at=clock.now()
        )
    listing.reserved += delta
    Listing.objects.filter(pk=listing.pk).update(reserved=listing.reserved)


def release_units(listing: Listing, units: int) -> None:
    """Give back the reservation of `units` (a purchase completed or was cancelled off-market)."""
    _reserve(listing, -min(units, listing.reserved))


# --- writes -------------------------------------------------------------------------------------


def _lock(listing: Listing) -> Listing:
    return (
        Listing.objects.select_for_update(no_key=True, of=("self",))
        .select_related("business")
        .get(pk=listing.pk)
    )


def listing_create(
    *,
    business: Business,
    actor,
    data: dict[str, Any],
    product: Product | None = None,
    location: Location | None = None,
    publish: bool = False,
    key: uuid.UUID | None = None,
    uploads=(),
) -> Listing:
    """A new listing (a draft unless `publish`) with its pictures (`uploads`), all or nothing:
    one picture that is not an image, or too many, and no listing is made. From a product,
    its stock is reserved on publish."""
    fields = _clean(business=business, data=data, creating=True)
    checked = _check_images(list(uploads), already=0)
    if product is not None:
        _own(business, product, _("This product was not found."))
        if location is None:
            raise ValidationFailed(
                _("location: choose where the stock is."),
                fields={"location": [_("Choose where the stock is.")]},
            )
        _own(business, location, _("This location was not found."))
        if not fields.get("description"):
            fields["description"] = product.description or ""
    written: list[str] = []
    try:
        with transaction.atomic():
            return _create_locked(
                business=business,
                actor=actor,
                fields=fields,
                product=product,
                location=location,
                publish=publish,
                key=key,
                checked=checked,
                written=written,
            )
    except BaseException:
        _forget(written)
        raise


def _create_locked(
    *, business, actor, fields, product, location, publish, key, checked, written
) -> Listing:
    """listing_create's writes (inside its transaction)."""
    payload = {
        **{k: str(v) for k, v in fields.items()},
        "product": str(product.pk) if product else None,
        "location": str(location.pk) if location else None,
        "publish": publish,
    }
    first = idempotency.claim(business=business, key=key, scope="listing.create", payload=payload)
    if first is not None:
        return Listing.objects.get(pk=first, business=business)
    listing = Listing.objects.create(
        business=business,
        currency=business.currency,
        country=business.country,
        product=product,
        location=location if product else None,
        search_text=_search_text(fields["name"], fields.get("description", "")),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    Ownership.objects.create(
        business=business, listing=listing, since=clock.now(), quantity=listing.quantity
    )
    idempotency.remember(business=business, key=key, result_id=listing.pk)
    audit.record(
        business=business,
        actor=actor,
        action="listing.create",
        obj=listing,
        changes={k: [None, v] for k, v in fields.items()},
    )
    _attach(listing, checked, actor, written)
    if publish:
        listing = _publish_locked(_lock(listing), actor)
    return listing


def listing_update(*, listing: Listing, actor, data: dict[str, Any], uploads=()) -> Listing:
    """Change any of name, description, category, price, quantity (left to sell), and add
    pictures (`uploads`): all or nothing, like listing_create."""
    checked = _check_images(list(uploads), already=0)
    written: list[str] = []
    try:
        with transaction.atomic():
            listing = _update_locked(_lock(listing), actor, data)
            _attach(listing, checked, actor, written)
            return listing
    except BaseException:
        _forget(written)
        raise


def _update_locked(listing: Listing, actor, data: dict[str, Any]) -> Listing:
    fields = _clean(business=listing.business, data=data, creating=False)
    before = audit.snapshot(listing, FIELDS)
    if "quantity" in fields and listing.status == ListingStatus.PUBLISHED:
        _reserve(listing, fields["quantity"] - listing.quantity)
    for name, value in fields.items():
        setattr(listing, name, value)
    changes = audit.diff(before, audit.snapshot(listing, FIELDS))
    if changes:
        listing.search_text = _search_text(listing.name, listing.description)
        listing.save(update_fields=[*changes, "search_text", "updated_at"])
        audit.record(
            business=listing.business,
            actor=actor,
            action="listing.update",
            obj=listing,
            changes=changes,
        )
    return listing


def _publish_locked(listing: Listing, actor) -> Listing:
    if listing.status == ListingStatus.PUBLISHED:
        return listing
    if listing.quantity <= 0:
        raise Conflict(_("Nothing is left to sell: add units first."), code="listing_empty")
    _reserve(listing, listing.quantity)
    before = listing.status
    listing.status = ListingStatus.PUBLISHED
    listing.published_at = listing.published_at or clock.now()
    listing.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(
        business=listing.business,
        actor=actor,
        action="listing.publish",
        obj=listing,
        changes={"status": [before, listing.status]},
    )
    return listing


@transaction.atomic
def listing_publish(*, listing: Listing, actor) -> Listing:
    return _publish_locked(_lock(listing), actor)


@transaction.atomic
def listing_unpublish(*, listing: Listing, actor) -> Listing:
    """Take the listing off the market; open purchases go on, its stock left is released."""
    listing = _lock(listing)
    if listing.status != ListingStatus.PUBLISHED:
        return listing
    _reserve(listing, -listing.quantity)
    before = listing.status
    listing.status = ListingStatus.UNPUBLISHED
    listing.save(update_fields=["status", "updated_at"])
    from hanout.marketplace.services_trade import close_offers_of  # noqa: PLC0415 (cycle)

    close_offers_of(listing)
    audit.record(
        business=listing.business,
        actor=actor,
        action="listing.unpublish",
        obj=listing,
        changes={"status": [before, listing.status]},
    )
    return listing


@transaction.atomic
def listing_delete(*, listing: Listing, actor) -> None:
    """Delete a listing nobody bought from; one with purchases can only be unpublished."""
    listing = _lock(listing)
    if listing.purchases.exists():
        raise Conflict(
            _("This listing has purchases: unpublish it instead, its history stays."),
            code="listing_has_purchases",
        )
    if listing.offers.exists():
        raise Conflict(
            _("This listing has offers: unpublish it instead, its history stays."),
            code="listing_has_offers",
        )
    if listing.status == ListingStatus.PUBLISHED:
        _reserve(listing, -listing.quantity)
    names = [n for i in listing.images.all() for n in (i.image.name, i.thumbnail.name)]
    audit.record(
        business=listing.business,
        actor=actor,
        action="listing.delete",
        obj=listing,
        changes={"name": [listing.name, None]},
    )
    listing.delete()
    transaction.on_commit(lambda: [images.delete_quietly(n) for n in names])


def _too_many(count: int, adding: int) -> Conflict:
    if count == 0 or adding == 1:
        message = _("A listing has at most %(max)d pictures.") % {"max": MAX_IMAGES}
    else:
        message = _(
            "A listing has at most %(max)d pictures: this one has %(count)d, so add at most "
            "%(room)d more. None of these %(adding)d pictures was saved."
        ) % {
            "max": MAX_IMAGES,
            "count": count,
            "room": max(MAX_IMAGES - count, 0),
            "adding": adding,
        }
    return Conflict(message, code="too_many_images", fields={"file": [message]})


def _check_images(uploads: list, *, already: int) -> list[images.CheckedImage]:
    """Every upload read as an image, or nothing: the first bad one is refused (before
    anything is written), as is a batch that would take the listing past MAX_IMAGES."""
    if already + len(uploads) > MAX_IMAGES:
        raise _too_many(already, len(uploads))
    return [images.check(upload) for upload in uploads]


def _attach(listing: Listing, checked: list, actor, written: list[str]) -> list[ListingImage]:
    """Save checked pictures on the LOCKED listing (inside the caller's transaction); the
    names of the files written go to `written`, for the caller to delete if it rolls back."""
    if not checked:
        return []
    count = listing.images.count()
    if count + len(checked) > MAX_IMAGES:
        raise _too_many(count, len(checked))
    added = []
    for position, one in enumerate(checked, start=count):
        image = ListingImage(business_id=listing.business_id, listing=listing, position=position)
        image.image.save(one.filename, one.content, save=False)
        written.append(image.image.name)
        image.thumbnail.save(one.thumbnail_name, one.thumbnail, save=False)
        written.append(image.thumbnail.name)
        image.save()
        audit.record(
            business=listing.business,
            actor=actor,
            action="listing.image_add",
            obj=listing,
            changes={"images": [None, image.image.name]},
        )
        added.append(image)
    return added


def _forget(names: list[str]) -> None:
    """Delete the files of pictures whose rows were rolled back."""
    for name in names:
        images.delete_quietly(name)


def listing_add_images(*, listing: Listing, actor, uploads) -> list[ListingImage]:
    """Add pictures to a listing, all or nothing: one that is not an image, or a batch that
    would take the listing past MAX_IMAGES, and none is saved."""
    uploads = list(uploads)
    if not uploads:
        return []
    checked = _check_images(uploads, already=0)
    written: list[str] = []
    try:
        with transaction.atomic():
            return _attach(_lock(listing), checked, actor, written)
    except BaseException:
        _forget(written)
        raise


def listing_add_image(*, listing: Listing, actor, upload) -> ListingImage:
    return listing_add_images(listing=listing, actor=actor, uploads=[upload])[0]


@transaction.atomic
def listing_remove_image(*, image: ListingImage, actor) -> None:
    listing = _lock(image.listing)
    names = (image.image.name, image.thumbnail.name)
    audit.record(
        business=listing.business,
        actor=actor,
        action="listing.image_remove",
        obj=listing,
        changes={"images": [names[0], None]},
    )
    image.delete()
    transaction.on_commit(lambda: [images.delete_quietly(n) for n in names])
