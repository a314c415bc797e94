"""Reads about people, shared by pages, the API and the register."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from hanout.accounts.models import (
    ApiToken,
    IdentityDocument,
    Membership,
    PermissionRequest,
    PermissionRequestStatus,
    User,
)
from hanout.core.models import AuditEntry, Business


def active_memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, business__is_active=True)
        .select_related("business", "user")
        .prefetch_related("module_access")
        .order_by("created_at", "id")
    )


def member_list(
    *, business: Business, search: str = "", role: str = "", active: bool | None = None
) -> QuerySet[Membership]:
    """Employees of a business, searchable by name, email or code."""
    qs = (
        Membership.objects.for_business(business)
        .select_related("user")
        .prefetch_related("module_access")
        .order_by("user__full_name", "user__email", "id")
    )
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(user__full_name__icontains=search)
            | Q(user__email__icontains=search)
            | Q(employee_code=search)
        )
    if role:
        qs = qs.filter(role=role)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def member_get(*, business: Business, pk) -> Membership:
    """One employee of this business; another business's id raises DoesNotExist (a 404)."""
    return member_list(business=business).prefetch_related("work_history__recorded_by").get(pk=pk)


def permission_request_list(
    *, business: Business, status: str | None = None, membership: Membership | None = None
) -> QuerySet[PermissionRequest]:
    qs = PermissionRequest.objects.for_business(business).select_related(
        "membership__user", "decided_by"
    )
    if status:
        qs = qs.filter(status=status)
    if membership is not None:
        qs = qs.filter(membership=membership)
    return qs


def pending_request_count(*, business: Business) -> int:
    return (
        PermissionRequest.objects.for_business(business)
        .filter(status=PermissionRequestStatus.PENDING)
        .count()
    )


def token_list(*, membership: Membership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(membership=membership)


def identity_document_list(
    *, business: Business, user: User | None = None
) -> QuerySet[IdentityDocument]:
    """Identity documents kept for this business (owners only see them; the page checks)."""
    qs = IdentityDocument.objects.for_business(business).select_related("user")
    qs = qs.order_by("-created_at")
    if user is not None:
        qs = qs.filter(user=user)
    return qs


def audit_list(
    *,
    business: Business,
    search: str = "",
    actor=None,
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since=None,
    until=None,
) -> QuerySet[AuditEntry]:
    """The business's history, newest first, filtered for problem handling."""
    qs = AuditEntry.objects.for_business(business).select_related("actor")
    if search:
        search = search.strip()
        qs = qs.filter(
            Q(object_repr__icontains=search)
            | Q(actor_label__icontains=search)
            | Q(action__icontains=search)
            | Q(object_id=search)
        )
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(at__gte=since)
    if until:
        qs = qs.filter(at__lt=until)
    return qs.order_by("-at", "-id")
