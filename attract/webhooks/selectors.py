"""Reads for the webhooks pages, API and CLI."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from attract.webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription


def subscription_list() -> QuerySet[Subscription]:
    return (
        Subscription.objects.filter(deleted_at__isnull=True)
        .select_related("created_by")
        .annotate(
            pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
    )


def delivery_log(subscription: Subscription) -> QuerySet[Delivery]:
    """Newest first, each with its attempts (one extra query for a page of them)."""
    return subscription.deliveries.defer("payload").prefetch_related(
        Prefetch("attempt_log", queryset=Attempt.objects.order_by("-at", "-id"))
    )
