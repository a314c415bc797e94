"""Recording who did what. Every service calls `record` inside its transaction.

The request's IP address reaches the audit row through a context variable set
by middleware, so services never read the request.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hanout.core import clock
from hanout.core.models import AuditEntry
from hanout.core.money import reader_country

# What each action code means to a person reading the history. A code missing
# here is shown as it is; add new services' actions as they come.
ACTION_LABELS = {
    "business.register": _("Registered the business"),
    "business.update": _("Changed the business settings"),
    "business.legal_update": _("Changed the legal details on invoices"),
    "shop.create": _("Opened a shop"),
    "shop.update": _("Changed a shop"),
    "shop.hours_update": _("Changed opening hours"),
    "employee.create": _("Added an employee"),
    "employee.update": _("Changed an employee"),
    "employee.deactivate": _("Deactivated an employee"),
    "employee.reactivate": _("Reactivated an employee"),
    "employee.pin_set": _("Set a register PIN"),
    "employee.history_add": _("Added a work history note"),
    "employee.access_update": _("Changed module access"),
    "permission_request.create": _("Asked for access"),
    "permission_request.accept": _("Accepted an access request"),
    "permission_request.reject": _("Rejected an access request"),
    "api_token.create": _("Created an API token"),
    "api_token.revoke": _("Revoked an API token"),
    "identity_document.upload": _("Uploaded an identity document"),
    "user.language_update": _("Changed language"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def field_label(object_type: str, field: str) -> str:
    """The model field's own (translated) name, or the key as recorded."""
    try:
        model = apps.get_model(object_type)
        found = model._meta.get_field(field)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field
    # A reverse relation (a product's "barcodes") has no verbose_name of its own: use
    # the related model's plural name.
    if getattr(found, "verbose_name", None) is None and found.related_model is not None:
        return str(found.related_model._meta.verbose_name_plural)
    return str(getattr(found, "verbose_name", field))


_request_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_ip", default=None)


def set_request_ip(ip: str | None) -> contextvars.Token:
    return _request_ip.set(ip)


def reset_request_ip(token: contextvars.Token) -> None:
    _request_ip.reset(token)


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a field value."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, by attribute name (`shop_id`, not `shop`)."""
    out = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(instance, attname)
        if isinstance(field, models.DecimalField) and isinstance(value, decimal.Decimal):
            # 1.10 typed and 1.100 stored are the same price: compare at the column's scale.
            value = value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        out[name] = _plain(value)
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    *,
    business,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one audit row. Call it inside the service's transaction.

    `actor_label` names an actor that is not a person (a paired register device);
    by default it is the person's email."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if not object_repr:
            # In the business's language and its country's way with money, whoever wrote
            # it: the trail is read by the whole business (a platform operator's approval
            # in English, read by a French shop).
            language = getattr(business, "default_language", "") or ""
            with (
                translation.override(language) if language else contextlib.nullcontext(),
                reader_country(getattr(business, "country", "") or ""),
            ):
                object_repr = str(obj)[:200]
    if not actor_label and actor:
        actor_label = getattr(actor, "email", "") or ""
    return AuditEntry.objects.create(
        business=business,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label[:254],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes={k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()},
        ip=_request_ip.get(),
        at=clock.now(),
    )
