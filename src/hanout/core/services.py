"""Writes on the tenant itself: business settings, shops and opening hours."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hanout.core import audit
from hanout.core.errors import ValidationFailed
from hanout.core.models import Business, OpeningHours, Shop, Weekday
from hanout.core.selectors import forget_business_time_zone


def validation_failed(exc: ValidationError) -> ValidationFailed:
    """Turn Django's ValidationError into our domain error with field names."""
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    else:
        fields = {"non_field_errors": [str(m) for m in exc.messages]}
    first_key = next(iter(fields))
    first = fields[first_key][0]
    message = first if first_key in ("non_field_errors", "__all__") else f"{first_key}: {first}"
    fields.pop("__all__", None)
    return ValidationFailed(message, fields=fields)


def full_clean_or_raise(instance, exclude=None, validate_unique=True) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_unique=validate_unique)
    except ValidationError as exc:
        raise validation_failed(exc) from exc


def model_update(*, instance, fields: list[str], data: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields that changed, validate, save only those; return the diff."""
    before = audit.snapshot(instance, fields)
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    after = audit.snapshot(instance, fields)
    changes = audit.diff(before, after)
    if changes:
        full_clean_or_raise(instance)
        instance.save(
            update_fields=[
                *changes.keys(),
                *(["updated_at"] if hasattr(instance, "updated_at") else []),
            ]
        )
    return changes


def check_choices(**pairs) -> None:
    """Raise one ValidationFailed naming every field whose value is not allowed."""
    fields = {}
    for name, (value, validator) in pairs.items():
        try:
            validator(value)
        except ValidationError as exc:
            fields[name] = [str(m) for m in exc.messages]
    if fields:
        first = next(iter(fields))
        raise ValidationFailed(f"{first}: {fields[first][0]}", fields=fields)


BUSINESS_FIELDS = ["name", "currency", "country", "default_language"]
SHOP_FIELDS = ["name", "address", "phone", "time_zone", "is_active"]

LEGAL_FIELDS = [
    "legal_name",
    "legal_address",
    "tax_id",
    "registration_number",
    "invoice_email",
    "invoice_phone",
    "invoice_footer",
]


@transaction.atomic
def business_legal_update(*, business: Business, actor, data: dict) -> Business:
    """Change the legal details printed on the next invoices (issued ones keep theirs)."""
    clean = {
        k: ("" if data[k] is None else str(data[k]).strip()) for k in LEGAL_FIELDS if k in data
    }
    locked = Business.objects.select_for_update().get(pk=business.pk)
    changes = model_update(instance=locked, fields=LEGAL_FIELDS, data=clean)
    if changes:
        audit.record(
            business=locked,
            actor=actor,
            action="business.legal_update",
            obj=locked,
            changes=changes,
        )
    for name in LEGAL_FIELDS:
        setattr(business, name, getattr(locked, name))
    return business


DEFAULT_HOURS = [(d, time(8, 0), time(19, 0), d == 6) for d in range(7)]


@transaction.atomic
def business_update(*, business: Business, actor, data: dict[str, Any]) -> Business:
    """Change the business's name, currency, country or default language."""
    changes = model_update(instance=business, fields=BUSINESS_FIELDS, data=data)
    if changes:
        audit.record(
            business=business, actor=actor, action="business.update", obj=business, changes=changes
        )
    return business


@transaction.atomic
def shop_create(
    *,
    business: Business,
    actor,
    name: str,
    time_zone: str,
    address: str = "",
    phone: str = "",
    hours=None,
) -> Shop:
    """Open a shop with opening hours for each weekday (8:00–19:00, closed on Sunday by default)."""
    shop = Shop(business=business, name=name, time_zone=time_zone, address=address, phone=phone)
    full_clean_or_raise(shop)
    shop.save()
    rows = hours or [
        {"weekday": d, "opens_at": o, "closes_at": c, "is_closed": closed}
        for d, o, c, closed in DEFAULT_HOURS
    ]
    OpeningHours.objects.bulk_create(
        [OpeningHours(business=business, shop=shop, **row) for row in rows]
    )
    audit.record(
        business=business,
        actor=actor,
        action="shop.create",
        obj=shop,
        changes={k: [None, v] for k, v in audit.snapshot(shop, SHOP_FIELDS).items()},
    )
    transaction.on_commit(lambda: forget_business_time_zone(business.pk))
    return shop


@transaction.atomic
def shop_update(*, shop: Shop, actor, data: dict[str, Any]) -> Shop:
    changes = model_update(instance=shop, fields=SHOP_FIELDS, data=data)
    if changes:
        audit.record(
            business=shop.business, actor=actor, action="shop.update", obj=shop, changes=changes
        )
        transaction.on_commit(lambda: forget_business_time_zone(shop.business_id))
    return shop


@transaction.atomic
def opening_hours_set(*, shop: Shop, actor, hours: list[dict[str, Any]]) -> list[OpeningHours]:
    """Replace the week's opening hours; every weekday 0–6 must be given once."""
    days = [h.get("weekday") for h in hours]
    if sorted(days) != list(range(7)):
        raise ValidationFailed(
            "Give opening hours for each of the seven weekdays exactly once.",
            fields={"hours": ["Each weekday 0 (Monday) to 6 (Sunday) exactly once."]},
        )
    errors = {}
    for h in hours:
        if not h.get("is_closed") and h.get("opens_at") == h.get("closes_at"):
            errors[f"hours[{h['weekday']}]"] = [
                "Opening and closing time are the same; mark the day closed instead."
            ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    existing = {
        oh.weekday: oh
        for oh in OpeningHours.objects.select_for_update().filter(shop=shop).order_by("weekday")
    }
    changes: dict[str, list[Any]] = {}
    result = []
    for h in sorted(hours, key=lambda r: r["weekday"]):
        row = existing.get(h["weekday"]) or OpeningHours(
            business=shop.business, shop=shop, weekday=h["weekday"]
        )
        before = (
            audit.snapshot(row, ["opens_at", "closes_at", "is_closed"])
            if row.pk and not row._state.adding
            else {}
        )
        row.opens_at, row.closes_at, row.is_closed = (
            h["opens_at"],
            h["closes_at"],
            bool(h.get("is_closed")),
        )
        after = audit.snapshot(row, ["opens_at", "closes_at", "is_closed"])
        for field, pair in audit.diff(before, after).items():
            changes[f"{Weekday(row.weekday).name.lower()}.{field}"] = pair
        row.save()
        result.append(row)
    if changes:
        audit.record(
            business=shop.business,
            actor=actor,
            action="shop.hours_update",
            obj=shop,
            changes=changes,
        )
    return result
