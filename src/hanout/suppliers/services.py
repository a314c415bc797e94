"""Every write on the suppliers: one function per business action.

A supplier is a contact card (name, person, phone in E.164, email, address,
notes, active flag); its catalog lines say which of our products it sells us,
under which reference, at what cost, how fast and from which quantity. At most
one supplier is preferred per product: making one preferred takes the flag off
the other in the same transaction (the product row is locked first, so two
people choosing different preferred suppliers at once never both win).

Views, the API and the demo data all call these; each runs in one transaction,
records an audit row and emits an event after commit.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.catalog.models import QTY_PLACES, Product
from hanout.core import audit, events
from hanout.core.errors import NotFound, ValidationFailed
from hanout.core.models import Business
from hanout.core.money import MONEY_PLACES, quantize
from hanout.core.services import full_clean_or_raise, model_update, validation_failed
from hanout.core.validation import normalize_phone
from hanout.suppliers.models import Supplier, SupplierProduct

# What each audit action code of this app means to a person reading the history.
ACTION_LABELS: dict = {
    "supplier.create": gettext_lazy("Added a supplier"),
    "supplier.update": gettext_lazy("Changed a supplier"),
    "supplier.deactivate": gettext_lazy("Deactivated a supplier"),
    "supplier.reactivate": gettext_lazy("Reactivated a supplier"),
    "supplier_item.add": gettext_lazy("Added a product to a supplier's catalog"),
    "supplier_item.update": gettext_lazy("Changed a product in a supplier's catalog"),
    "supplier_item.remove": gettext_lazy("Removed a product from a supplier's catalog"),
}

# The fields a person edits on a supplier (`is_active` changes through supplier_set_active).
SUPPLIER_FIELDS = ["name", "contact_name", "phone", "email", "address", "notes"]
ITEM_FIELDS = ["supplier_sku", "cost", "lead_time_days", "min_order_quantity", "is_preferred"]
MAX_LEAD_TIME_DAYS = 3650
_QTY_STEP = Decimal(1).scaleb(-QTY_PLACES)
_MONEY_STEP = Decimal(1).scaleb(-MONEY_PLACES)


# --- suppliers -----------------------------------------------------------------------------------


def _supplier_data(*, business: Business, data: dict[str, Any], instance: Supplier) -> dict:
    """The editable fields present in `data`, trimmed, the phone in E.164 form.

    Every problem is reported at once (a bad phone and a taken name both show
    beside their field), as one ValidationFailed; nothing is written.
    """
    fields = {}
    for name in SUPPLIER_FIELDS:
        if name in data:
            fields[name] = "" if data[name] is None else str(data[name]).strip()
    errors: dict[str, list[str]] = {}
    if "phone" in fields:
        try:
            fields["phone"] = normalize_phone(fields["phone"], business.country)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    name = fields.get("name")
    if name and name != instance.name:
        # Two suppliers of one business never share a name, whatever the letter case.
        clash = Supplier.objects.for_business(business).filter(name__iexact=name)
        if instance.pk is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["name"] = [_("A supplier named “%(name)s” already exists.") % {"name": name}]
    probe = copy.copy(instance)
    for key, value in fields.items():
        if key not in errors:
            setattr(probe, key, value)
    try:
        probe.full_clean(
            exclude=[*errors, "business"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise validation_failed(ValidationError(errors))
    return fields


def _emit(name: str, supplier: Supplier, **extra) -> None:
    events.emit(name, business=supplier.business, payload={"id": supplier.pk, **extra})


@transaction.atomic
def supplier_create(*, business: Business, actor, data: dict[str, Any]) -> Supplier:
    """Add a supplier. `data`: name (required), contact_name, phone, email, address,
    notes, is_active (default true). The phone is read with the business's country
    and stored in E.164 form."""
    supplier = Supplier(business=business, is_active=bool(data.get("is_active", True)))
    for key, value in _supplier_data(business=business, data=data, instance=supplier).items():
        setattr(supplier, key, value)
    full_clean_or_raise(supplier)
    supplier.save()
    audit.record(
        business=business,
        actor=actor,
        action="supplier.create",
        obj=supplier,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(supplier, [*SUPPLIER_FIELDS, "is_active"]).items()
            if v not in ("", None)
        },
    )
    _emit("supplier.created", supplier)
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, actor, data: dict[str, Any]) -> Supplier:
    """Change a supplier's contact card (any of name, contact_name, phone, email,
    address, notes); only the changed fields are saved and audited."""
    supplier = Supplier.objects.select_for_update().select_related("business").get(pk=supplier.pk)
    fields = _supplier_data(business=supplier.business, data=data, instance=supplier)
    changes = model_update(instance=supplier, fields=SUPPLIER_FIELDS, data=fields)
    if changes:
        audit.record(
            business=supplier.business,
            actor=actor,
            action="supplier.update",
            obj=supplier,
            changes=changes,
        )
        _emit("supplier.updated", supplier, fields=sorted(changes))
    return supplier


@transaction.atomic
def supplier_set_active(*, supplier: Supplier, actor, active: bool) -> Supplier:
    """Deactivate a supplier we no longer buy from (its catalog is kept), or reactivate it."""
    supplier = Supplier.objects.select_for_update().select_related("business").get(pk=supplier.pk)
    if supplier.is_active == active:
        return supplier
    supplier.is_active = active
    supplier.save(update_fields=["is_active", "updated_at"])
    audit.record(
        business=supplier.business,
        actor=actor,
        action="supplier.reactivate" if active else "supplier.deactivate",
        obj=supplier,
        changes={"is_active": [not active, active]},
    )
    _emit("supplier.updated", supplier, fields=["is_active"])
    return supplier


# --- the supplier's catalog ----------------------------------------------------------------------


def _decimal(value, *, field: str, places: Decimal, currency: str | None = None):
    """A non-negative Decimal from what was typed, rounded to money or quantity precision."""
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
        if number is None or not number.is_finite():
            raise InvalidOperation
        number = quantize(number, currency) if currency else number
        # Stored with the column's places, so an unchanged value compares equal in the audit diff.
        number = number.quantize(places)
    except (InvalidOperation, ValueError, TypeError):
        message = _("Enter a number, such as 12.50.")
        raise ValidationFailed(f"{field}: {message}", fields={field: [message]}) from None
    if number < 0:
        message = _("This cannot be negative.")
        raise ValidationFailed(f"{field}: {message}", fields={field: [message]})
    return number


def _lead_time(value) -> int:
    try:
        days = int(str(value).strip())
    except (ValueError, TypeError):
        days = -1
    if not 0 <= days <= MAX_LEAD_TIME_DAYS:
        message = _("Enter a whole number of days from 0 to %(max)s.") % {"max": MAX_LEAD_TIME_DAYS}
        raise ValidationFailed(f"lead_time_days: {message}", fields={"lead_time_days": [message]})
    return days


def _item_data(*, business: Business, data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "supplier_sku" in data:
        out["supplier_sku"] = str(data["supplier_sku"] or "").strip()
    if "cost" in data:
        out["cost"] = _decimal(
            data["cost"], field="cost", places=_MONEY_STEP, currency=business.currency
        )
    if "lead_time_days" in data:
        out["lead_time_days"] = _lead_time(data["lead_time_days"])
    if "min_order_quantity" in data:
        out["min_order_quantity"] = _decimal(
            data["min_order_quantity"], field="min_order_quantity", places=_QTY_STEP
        )
    if "is_preferred" in data:
        out["is_preferred"] = bool(data["is_preferred"])
    return out


@transaction.atomic
def supplier_item_set(
    *, supplier: Supplier, actor, product: Product, data: dict[str, Any]
) -> SupplierProduct:
    """Add the product to the supplier's catalog, or change its line there (one line
    per supplier and product). `data`: supplier_sku, cost (quantized to the business
    currency), lead_time_days, min_order_quantity, is_preferred; keys left out keep
    their value (or the default for a new line).

    Making the line preferred takes the flag off the product's other preferred
    line in the same transaction. Raises NotFound for another business's product.
    """
    business = supplier.business
    if product.business_id != business.pk:
        raise NotFound(_("This product does not exist."), fields={"product": [_("Not found.")]})
    fields = _item_data(business=business, data=data)
    # Lock the product: every change of its preferred supplier goes through here in turn.
    Product.objects.select_for_update().filter(pk=product.pk).first()
    item = (
        SupplierProduct.objects.select_for_update()
        .filter(business=business, supplier=supplier, product=product)
        .first()
    )
    created = item is None
    if created:
        item = SupplierProduct(business=business, supplier=supplier, product=product)
    before = {} if created else audit.snapshot(item, ITEM_FIELDS)
    for name, value in fields.items():
        setattr(item, name, value)
    changes = audit.diff(before, audit.snapshot(item, ITEM_FIELDS))
    if not created and not changes:
        return item
    if item.is_preferred:
        others = list(
            SupplierProduct.objects.select_for_update()
            .filter(business=business, product=product, is_preferred=True)
            .exclude(pk=item.pk)
            .select_related("supplier")
            .order_by("pk")
        )
        for other in others:
            other.is_preferred = False
            other.save(update_fields=["is_preferred", "updated_at"])
            audit.record(
                business=business,
                actor=actor,
                action="supplier_item.update",
                obj=other,
                changes={"is_preferred": [True, False]},
            )
    full_clean_or_raise(item, validate_unique=False)
    item.save()
    audit.record(
        business=business,
        actor=actor,
        action="supplier_item.add" if created else "supplier_item.update",
        obj=item,
        changes=changes,
    )
    events.emit(
        "supplier_item.changed",
        business=business,
        payload={"id": item.pk, "supplier": supplier.pk, "product": product.pk},
    )
    return item


@transaction.atomic
def supplier_item_remove(*, item: SupplierProduct, actor) -> None:
    """Take a product out of the supplier's catalog (the product itself stays)."""
    item = SupplierProduct.objects.select_related("business", "supplier", "product").get(pk=item.pk)
    business, pk = item.business, item.pk
    audit.record(
        business=business,
        actor=actor,
        action="supplier_item.remove",
        obj=item,
        changes={k: [v, None] for k, v in audit.snapshot(item, ITEM_FIELDS).items()},
    )
    item.delete()
    events.emit(
        "supplier_item.changed",
        business=business,
        payload={"id": pk, "supplier": item.supplier_id, "product": item.product_id},
    )
