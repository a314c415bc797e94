"""Reads about webhooks, shared by the pages and the API; all scoped to one business."""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from hanout.core.models import Business
from hanout.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list(*, business: Business) -> QuerySet[WebhookEndpoint]:
    """The business's endpoints with `delivery_count`, `failed_count` and `last_delivery_at`."""
    return (
        WebhookEndpoint.objects.for_business(business)
        .annotate(
            delivery_count=Count("deliveries"),
            failed_count=Count("deliveries", filter=Q(deliveries__status="failed")),
            last_delivery_at=Max("deliveries__created_at"),
        )
        .order_by("url", "id")
    )


def endpoint_get(*, business: Business, pk) -> WebhookEndpoint:
    """One endpoint of this business; another business's id raises DoesNotExist."""
    return endpoint_list(business=business).select_related("business").get(pk=pk)


def delivery_list(
    *,
    business: Business,
    endpoint=None,
    event: str | None = None,
    status: str | None = None,
) -> QuerySet[WebhookDelivery]:
    """Deliveries of the business, newest first, with their endpoint (one query per page)."""
    qs = (
        WebhookDelivery.objects.for_business(business)
        .select_related("endpoint")
        .order_by("-created_at", "-id")
    )
    if endpoint is not None:
        qs = qs.filter(endpoint=endpoint)
    if event:
        qs = qs.filter(event=event)
    if status:
        qs = qs.filter(status=status)
    return qs


def delivery_get(*, business: Business, pk) -> WebhookDelivery:
    """One delivery of this business (with its endpoint and the delivery it replays)."""
    return delivery_list(business=business).select_related("business", "replay_of").get(pk=pk)


def delivery_attempts(*, delivery: WebhookDelivery) -> QuerySet[WebhookAttempt]:
    """Every attempt of a delivery, first to last."""
    return WebhookAttempt.objects.filter(
        business_id=delivery.business_id, delivery=delivery
    ).order_by("number")


def delivery_replays(*, delivery: WebhookDelivery, limit: int = 20) -> list[WebhookDelivery]:
    """The replays made of a delivery, newest first."""
    return list(
        WebhookDelivery.objects.filter(business_id=delivery.business_id, replay_of=delivery)
        .select_related("endpoint")
        .order_by("-created_at", "-id")[:limit]
    )
