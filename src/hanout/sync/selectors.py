"""Reads of the sync app for other apps' pages."""

from __future__ import annotations


def may_manage_backups(user) -> bool:
    """The server's operator (`is_staff` or `is_superuser`), or on a one-shop install,
    where the shop owner *is* the operator, the owner of the only business: a backup
    holds every tenant's data."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser:
        return True
    from hanout.accounts.models import Membership
    from hanout.core.models import Business
    from hanout.core.permissions import Role

    only = list(Business.objects.values_list("pk", flat=True)[:2])
    return (
        len(only) == 1
        and Membership.objects.filter(
            user=user, business_id=only[0], role=Role.OWNER, is_active=True
        ).exists()
    )


def store_link_list(*, business):
    """On a hub: the business's store links, newest state first by name."""
    from hanout.sync.models import StoreLink

    return StoreLink.objects.for_business(business).order_by("name", "created_at")


def hub_link_for(*, business):
    """On a store: the business's hub link, or None."""
    from hanout.sync.models import HubLink

    return HubLink.objects.filter(business=business, unlinked_at__isnull=True).first()


def waiting_count(*, business, link=None) -> int:
    """Changes noted on the store that the hub has not confirmed yet."""
    from django.db.models import Q

    from hanout.sync.models import OutboxEntry

    link = link or hub_link_for(business=business)
    if link is None:
        return 0
    return (
        OutboxEntry.objects.filter(business_id=business.pk)
        .filter(Q(pos__gt=link.sent_seq) | Q(pos__isnull=True))
        .count()
    )


def conflict_list(*, business, settled: bool = False):
    """On a hub: the business's sync conflicts, open ones (or settled ones), newest first."""
    from hanout.sync.models import SyncConflict

    return (
        SyncConflict.objects.for_business(business)
        .select_related("link", "settled_by")
        .filter(settled_at__isnull=not settled)
        .order_by("-created_at")
    )


def conflict_shown(conflict) -> dict:
    """A conflict in words for its page: the kind of row, the field's label, both values
    as a person reads them (a category's name, not its id)."""
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.translation import gettext as _

    model = apps.get_model(conflict.model)
    out = {"kind": str(model._meta.verbose_name).capitalize(), "field": ""}
    try:
        field = model._meta.get_field(conflict.field) if conflict.field else None
    except FieldDoesNotExist:
        field = None

    def shown(value):
        if field is None:
            return ""
        if value in (None, "", []):
            return "—"
        if field.is_relation:
            ids = value if isinstance(value, list) else [value]
            names = [str(o) for o in field.related_model._base_manager.filter(pk__in=ids)]
            return ", ".join(sorted(names)) or str(value)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    if field is not None:
        out["field"] = str(field.verbose_name).capitalize()
    if is_secret(conflict):
        # Both sides set a PIN: which one is kept matters, the hashes are nobody's business.
        out["field"] = _("Register PIN")
        out["store"] = out["hub"] = "••••"
        return out
    out["store"] = shown(conflict.store_value)
    out["hub"] = shown(conflict.hub_value)
    return out


def is_secret(conflict) -> bool:
    from hanout.sync.conflicts import SECRET

    return conflict.field in SECRET.get(conflict.model, set())
