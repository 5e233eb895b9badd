"""Settings → Webhooks: owners and admins subscribe URLs to events, read each one's delivery
log, send a delivery again and ping a receiver."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from attract.core.forms import apply_errors_to_form
from attract.core.paging import page_for
from attract.webhooks import selectors, services
from attract.webhooks.events import EVENTS
from attract.webhooks.forms import SubscriptionForm
from attract.webhooks.models import Delivery, Subscription

PAGE_SIZE = 25


def _subscription(request: HttpRequest, pk: int) -> Subscription:
    services.require_webhook_manager(request.user)
    subscription = Subscription.objects.filter(pk=pk, deleted_at__isnull=True).first()
    if subscription is None:
        raise Http404
    return subscription


def _render_list(request: HttpRequest, form: SubscriptionForm, **extra) -> HttpResponse:
    context = {"subscriptions": selectors.subscription_list(), "form": form, **extra}
    return render(request, "webhooks/subscriptions.html", context)


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    services.require_webhook_manager(request.user)
    return _render_list(request, SubscriptionForm())


@login_required
@require_POST
def subscription_add(request: HttpRequest) -> HttpResponse:
    services.require_webhook_manager(request.user)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            subscription, secret = services.subscription_create(
                actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            # The secret is in this response only; no cache may keep it.
            response = _render_list(
                request, SubscriptionForm(), new_subscription=subscription, secret=secret
            )
            add_never_cache_headers(response)
            return response
    return _render_list(request, form)


@login_required
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    page = page_for(request, selectors.delivery_log(subscription), default_size=PAGE_SIZE)
    context = {
        "subscription": subscription,
        "page": page,
        "event_labels": EVENTS,
        "form": SubscriptionForm(
            initial={
                "url": subscription.url,
                "description": subscription.description,
                "events": subscription.events,
            }
        ),
    }
    return render(request, "webhooks/subscription.html", context)


@login_required
@require_POST
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            services.subscription_update(
                actor=request.user, subscription=subscription, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors_to_form(form, exc)
        else:
            messages.success(request, "The webhook is saved.")
            return redirect("webhooks:detail", pk=pk)
    subscription.refresh_from_db()
    page = Paginator(selectors.delivery_log(subscription), PAGE_SIZE).get_page(1)
    context = {"subscription": subscription, "page": page, "form": form}
    return render(request, "webhooks/subscription.html", context, status=422)


@login_required
@require_POST
def subscription_switch(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    on = request.POST.get("on") == "1"
    try:
        services.subscription_update(actor=request.user, subscription=subscription, is_active=on)
    except ValidationError as exc:
        # Switching on checks the address again (its host may have gone): say why, change
        # nothing.
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "The webhook is on." if on else "The webhook is off: nothing is sent."
        )
    return redirect("webhooks:detail", pk=pk)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    services.subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, f"The webhook to {subscription.url} is deleted.")
    return redirect("webhooks:list")


@login_required
@require_POST
def subscription_ping(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    services.subscription_ping(actor=request.user, subscription=subscription)
    messages.success(request, "A ping is queued; its answer shows in the log below in a moment.")
    return redirect("webhooks:detail", pk=pk)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    delivery = Delivery.objects.filter(pk=delivery_pk, subscription=subscription).first()
    if delivery is None:
        raise Http404
    services.delivery_resend(actor=request.user, delivery=delivery)
    messages.success(request, "The delivery is queued again.")
    return redirect("webhooks:detail", pk=pk)
