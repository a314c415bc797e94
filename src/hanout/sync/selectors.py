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
