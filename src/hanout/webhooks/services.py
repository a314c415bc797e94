"""Every write on webhook endpoints: register, change, rotate or reveal the secret, delete.

An endpoint's URL is checked by the SSRF guard before anything is written (a
private address is a 400 that says so); its events must be a non-empty subset
of the known ones. The secret is made here and shown once in the answer of
`endpoint_create` / `endpoint_secret_rotate`; the owner can reveal it again,
which is recorded in the history. Sending lives in services_deliveries.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.core import audit
from hanout.core.errors import PermissionDenied, ValidationFailed
from hanout.core.models import Business
from hanout.core.permissions import Role
from hanout.webhooks import guard, signing
from hanout.webhooks.models import EVENTS, WebhookEndpoint

ACTION_LABELS: dict = {
    "webhook.create": gettext_lazy("Added a webhook endpoint"),
    "webhook.update": gettext_lazy("Changed a webhook endpoint"),
    "webhook.delete": gettext_lazy("Deleted a webhook endpoint"),
    "webhook.secret_rotate": gettext_lazy("Made a new webhook secret"),
    "webhook.secret_reveal": gettext_lazy("Showed a webhook secret"),
    "webhook.test": gettext_lazy("Sent a test webhook"),
    "webhook.replay": gettext_lazy("Replayed a webhook delivery"),
}

ENDPOINT_FIELDS = ["url", "description", "events", "is_active"]


def _clean(*, data: dict[str, Any], instance: WebhookEndpoint) -> dict[str, Any]:
    """The editable fields present in `data`, checked; every problem at once, nothing written."""
    fields: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if "url" in data or instance._state.adding:
        url = str(data.get("url") or "").strip()
        if not url:
            errors["url"] = [_("Enter the URL that receives the events.")]
        elif len(url) > 500:
            errors["url"] = [_("Keep the URL under 500 characters.")]
        else:
            try:
                guard.check_url(url)
            except guard.UnsafeURL as exc:
                errors["url"] = [str(exc)]
            fields["url"] = url
    if "events" in data or instance._state.adding:
        events = data.get("events") or []
        if isinstance(events, str):
            events = [events]
        unknown = sorted({str(e) for e in events} - set(EVENTS))
        if unknown:
            errors["events"] = [
                _("Unknown event: %(names)s. Choose among: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(EVENTS)}
            ]
        elif not events:
            errors["events"] = [_("Choose at least one event.")]
        else:
            fields["events"] = [e for e in EVENTS if e in set(events)]  # known order, no repeats
    if "description" in data:
        description = str(data.get("description") or "").strip()
        if len(description) > 200:
            errors["description"] = [_("Keep the description under 200 characters.")]
        fields["description"] = description
    if "is_active" in data:
        fields["is_active"] = bool(data["is_active"])
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(f"{first}: {errors[first][0]}", fields=errors)
    return fields


@transaction.atomic
def endpoint_create(
    *, business: Business, actor, data: dict[str, Any]
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint. `data`: url, events (non-empty list), description, is_active.

    Returns the endpoint and its new secret (shown once to the person)."""
    endpoint = WebhookEndpoint(business=business)
    fields = _clean(data=data, instance=endpoint)
    for key, value in fields.items():
        setattr(endpoint, key, value)
    secret = signing.new_secret()
    endpoint.secret_encrypted = signing.encrypt_secret(secret)
    endpoint.secret_hint = secret[-4:]
    endpoint.save()
    audit.record(
        business=business,
        actor=actor,
        action="webhook.create",
        obj=endpoint,
        changes={k: [None, v] for k, v in audit.snapshot(endpoint, ENDPOINT_FIELDS).items()},
    )
    return endpoint, secret


def _locked(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    return (
        WebhookEndpoint.objects.select_for_update()
        .select_related("business")
        .get(pk=endpoint.pk, business_id=endpoint.business_id)
    )


@transaction.atomic
def endpoint_update(*, endpoint: WebhookEndpoint, actor, data: dict[str, Any]) -> WebhookEndpoint:
    """Change any of url, events, description, is_active; only changed fields are saved."""
    endpoint = _locked(endpoint)
    fields = _clean(data=data, instance=endpoint)
    before = audit.snapshot(endpoint, ENDPOINT_FIELDS)
    for key, value in fields.items():
        setattr(endpoint, key, value)
    changes = audit.diff(before, audit.snapshot(endpoint, ENDPOINT_FIELDS))
    if changes:
        endpoint.save(update_fields=[*changes, "updated_at"])
        audit.record(
            business=endpoint.business,
            actor=actor,
            action="webhook.update",
            obj=endpoint,
            changes=changes,
        )
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, actor) -> None:
    """Remove an endpoint and its delivery log (the history keeps the audit row)."""
    endpoint = _locked(endpoint)
    audit.record(
        business=endpoint.business,
        actor=actor,
        action="webhook.delete",
        obj=endpoint,
        changes={k: [v, None] for k, v in audit.snapshot(endpoint, ENDPOINT_FIELDS).items()},
    )
    endpoint.delete()


@transaction.atomic
def endpoint_secret_rotate(*, endpoint: WebhookEndpoint, actor) -> tuple[WebhookEndpoint, str]:
    """Replace the secret (the old one stops working at once); returns the new one."""
    endpoint = _locked(endpoint)
    secret = signing.new_secret()
    endpoint.secret_encrypted = signing.encrypt_secret(secret)
    endpoint.secret_hint = secret[-4:]
    endpoint.save(update_fields=["secret_encrypted", "secret_hint", "updated_at"])
    audit.record(
        business=endpoint.business, actor=actor, action="webhook.secret_rotate", obj=endpoint
    )
    return endpoint, secret


@transaction.atomic
def endpoint_secret_reveal(*, endpoint: WebhookEndpoint, membership) -> str:
    """The secret again, for the business's owner only; the reveal is recorded."""
    if membership is None or membership.role != Role.OWNER:
        raise PermissionDenied(_("Only the owner can see a webhook secret."))
    audit.record(
        business=endpoint.business,
        actor=membership.user,
        action="webhook.secret_reveal",
        obj=endpoint,
    )
    try:
        return signing.decrypt_secret(endpoint.secret_encrypted)
    except ValueError as exc:
        raise ValidationFailed(
            _("This secret can no longer be read (the server's key changed): make a new one.")
        ) from exc
