"""Webhook pages (Settings): endpoints, their deliveries, one delivery with a Replay button.

Thin: each POST validates a form and calls one service; a DomainError is shown
beside its field (or as a message). Objects come from selectors scoped to
request.business, so another business's id is a 404. Reading needs `read` on
Settings (owners and managers); every POST needs `full` (owners by default);
revealing a secret is for the owner only (the service says so).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hanout.core.errors import DomainError
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.webhooks import selectors, services
from hanout.webhooks import services_deliveries as sending
from hanout.webhooks.forms import DeliveryFilterForm, EndpointForm
from hanout.webhooks.models import EVENT_CHOICES, WebhookDelivery, WebhookEndpoint

DELIVERY_PAGE_SIZE = 50
_SECRET_KEY = "webhook-secret-{}"  # the session slot that shows a new secret once


def _endpoint_or_404(request, pk) -> WebhookEndpoint:
    try:
        return selectors.endpoint_get(business=request.business, pk=pk)
    except WebhookEndpoint.DoesNotExist as exc:
        raise Http404 from exc


def _delivery_or_404(request, pk) -> WebhookDelivery:
    try:
        return selectors.delivery_get(business=request.business, pk=pk)
    except WebhookDelivery.DoesNotExist as exc:
        raise Http404 from exc


def _show_secret_once(request, endpoint, secret: str) -> None:
    request.session[_SECRET_KEY.format(endpoint.pk)] = secret


@member_required(Module.SETTINGS)
def webhook_list(request):
    endpoints = selectors.endpoint_list(business=request.business)
    return render(request, "webhooks/endpoint_list.html", {"endpoints": endpoints})


def _form_page(request, endpoint: WebhookEndpoint | None):
    initial = (
        {"is_active": True}
        if endpoint is None
        else {name: getattr(endpoint, name) for name in services.ENDPOINT_FIELDS}
    )
    form = EndpointForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if endpoint is None:
                    endpoint, secret = services.endpoint_create(
                        business=request.business, actor=request.user, data=form.cleaned_data
                    )
                    _show_secret_once(request, endpoint, secret)
                    messages.success(request, _("The endpoint was added."))
                else:
                    services.endpoint_update(
                        endpoint=endpoint, actor=request.user, data=form.cleaned_data
                    )
                    messages.success(request, _("The endpoint was saved."))
                return redirect("webhook_detail", pk=endpoint.pk)
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
    return render(
        request,
        "webhooks/endpoint_form.html",
        {"form": form, "endpoint": endpoint},
        status=status,
    )


@member_required(Module.SETTINGS, level=Level.FULL)
def webhook_create(request):
    return _form_page(request, None)


@member_required(Module.SETTINGS, level=Level.FULL)
def webhook_edit(request, pk):
    return _form_page(request, _endpoint_or_404(request, pk))


@member_required(Module.SETTINGS)
def webhook_detail(request, pk):
    endpoint = _endpoint_or_404(request, pk)
    form = DeliveryFilterForm(request.GET or None)
    deliveries = selectors.delivery_list(
        business=request.business, endpoint=endpoint, **form.filters()
    )
    page = Paginator(deliveries, DELIVERY_PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(EVENT_CHOICES)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "events": [(name, labels.get(name, name)) for name in endpoint.events],
            "secret": request.session.pop(_SECRET_KEY.format(endpoint.pk), None),
            "form": form,
            "page": page,
            "is_owner": request.membership.role == "owner",
        },
    )


@require_POST
@member_required(Module.SETTINGS)
def webhook_delete(request, pk):
    endpoint = _endpoint_or_404(request, pk)
    services.endpoint_delete(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The endpoint was deleted."))
    return redirect("webhook_list")


@require_POST
@member_required(Module.SETTINGS)
def webhook_test(request, pk):
    endpoint = _endpoint_or_404(request, pk)
    try:
        delivery = sending.endpoint_send_test(endpoint=endpoint, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("webhook_detail", pk=endpoint.pk)
    messages.success(request, _("A test event was queued."))
    return redirect("webhook_delivery_detail", pk=delivery.pk)


@require_POST
@member_required(Module.SETTINGS)
def webhook_secret(request, pk):
    """`action=reveal` (owner only) or `action=rotate`: the secret is shown once on the page."""
    endpoint = _endpoint_or_404(request, pk)
    try:
        if request.POST.get("action") == "rotate":
            endpoint, secret = services.endpoint_secret_rotate(
                endpoint=endpoint, actor=request.user
            )
            messages.success(request, _("A new secret was made; the old one no longer works."))
        else:
            secret = services.endpoint_secret_reveal(
                endpoint=endpoint, membership=request.membership
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("webhook_detail", pk=endpoint.pk)
    _show_secret_once(request, endpoint, secret)
    return redirect("webhook_detail", pk=endpoint.pk)


@member_required(Module.SETTINGS)
def delivery_detail(request, pk):
    delivery = _delivery_or_404(request, pk)
    return render(
        request,
        "webhooks/delivery_detail.html",
        {
            "delivery": delivery,
            "body": json.dumps(delivery.payload, indent=2, ensure_ascii=False),
            "attempts": list(selectors.delivery_attempts(delivery=delivery)),
            "replays": selectors.delivery_replays(delivery=delivery),
        },
    )


@require_POST
@member_required(Module.SETTINGS)
def delivery_replay(request, pk):
    delivery = _delivery_or_404(request, pk)
    try:
        replay = sending.delivery_replay(delivery=delivery, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("webhook_delivery_detail", pk=delivery.pk)
    messages.success(request, _("The event was queued again as a replay."))
    return redirect("webhook_delivery_detail", pk=replay.pk)
