"""Webhook subscriptions and their deliveries over the API (owner and admins)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from attract.webhooks import selectors, services
from attract.webhooks.models import Delivery, Subscription

router = Router(tags=["webhooks"])


class SubscriptionIn(Schema):
    url: str = Field(max_length=2000)
    events: list[str] = Field(
        default_factory=list, description="Event names; empty for every event."
    )
    description: str = Field("", max_length=200)


class SubscriptionPatch(Schema):
    url: str | None = Field(None, max_length=2000)
    events: list[str] | None = None
    description: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class SubscriptionOut(Schema):
    id: int
    url: str
    events: list[str]
    description: str
    is_active: bool
    disabled_reason: str
    failures_in_a_row: int
    created_at: datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="The signing secret, shown only in this answer.")


class AttemptOut(Schema):
    at: datetime
    status_code: int | None
    duration_ms: int
    error: str


class DeliveryOut(Schema):
    id: int
    event_name: str
    message_id: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    attempt_log: list[AttemptOut]

    @staticmethod
    def resolve_attempt_log(obj: Delivery) -> list:
        return list(obj.attempt_log.all())


class DeliveryPage(Schema):
    count: int
    items: list[DeliveryOut]


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _subscription(request: HttpRequest, pk: int) -> Subscription:
    services.require_webhook_manager(request.auth)
    subscription = Subscription.objects.filter(pk=pk, deleted_at__isnull=True).first()
    if subscription is None:
        raise Http404
    return subscription


@router.get("/webhooks", response=list[SubscriptionOut], summary="Webhook subscriptions")
def list_subscriptions(request: HttpRequest) -> list:
    services.require_webhook_manager(request.auth)
    return list(selectors.subscription_list())


@router.post("/webhooks", response={201: SubscriptionCreated}, summary="Subscribe a URL")
def create_subscription(request: HttpRequest, payload: SubscriptionIn) -> dict:
    subscription, secret = services.subscription_create(actor=request.auth, **payload.dict())
    return {**SubscriptionOut.from_orm(subscription).dict(), "secret": secret}


@router.get("/webhooks/{pk}", response=SubscriptionOut, summary="A webhook subscription")
def get_subscription(request: HttpRequest, pk: int) -> Subscription:
    return _subscription(request, pk)


@router.patch("/webhooks/{pk}", response=SubscriptionOut, summary="Change a subscription")
def update_subscription(request: HttpRequest, pk: int, payload: SubscriptionPatch) -> Subscription:
    subscription = _subscription(request, pk)
    fields = payload.dict(exclude_unset=True)
    return services.subscription_update(actor=request.auth, subscription=subscription, **fields)


@router.delete("/webhooks/{pk}", response={204: None}, summary="Delete a subscription")
def delete_subscription(request: HttpRequest, pk: int) -> None:
    services.subscription_delete(actor=request.auth, subscription=_subscription(request, pk))


@router.post("/webhooks/{pk}/ping", response={202: DeliveryOut}, summary="Queue a ping")
def ping_subscription(request: HttpRequest, pk: int) -> Delivery:
    return services.subscription_ping(actor=request.auth, subscription=_subscription(request, pk))


@router.get("/webhooks/{pk}/deliveries", response=DeliveryPage, summary="The delivery log")
def list_deliveries(request: HttpRequest, pk: int, page: Query[PageQuery]) -> dict:
    log = selectors.delivery_log(_subscription(request, pk))
    return {"count": log.count(), "items": list(log[page.offset : page.offset + page.limit])}


@router.post(
    "/webhooks/{pk}/deliveries/{delivery_id}/resend",
    response={202: DeliveryOut},
    summary="Send a delivery again",
)
def resend_delivery(request: HttpRequest, pk: int, delivery_id: int) -> Delivery:
    subscription = _subscription(request, pk)
    delivery = Delivery.objects.filter(pk=delivery_id, subscription=subscription).first()
    if delivery is None:
        raise Http404
    return services.delivery_resend(actor=request.auth, delivery=delivery)
