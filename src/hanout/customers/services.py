"""Every write on customers: one function per business action.

A customer is a card (name, company flag, phone in E.164, email, address,
tax id, notes, active flag). `search_text` — the lower-cased, accent-free
"name phone email tax id" — is kept here on every write, so the search
selector is one indexed `LIKE` on one column whatever the database.

Views, the API and the demo data call these; each runs in one transaction,
records an audit row and emits an event after commit.
"""

from __future__ import annotations

import copy
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from hanout.core import audit, events, idempotency
from hanout.core.models import Business
from hanout.core.services import full_clean_or_raise, model_update, validation_failed
from hanout.core.validation import normalize_phone
from hanout.customers.models import Customer, TrustLevel

# What each audit action code of this app means to a person reading the history.
ACTION_LABELS = {
    "customer.create": gettext_lazy("Added a customer"),
    "customer.update": gettext_lazy("Changed a customer"),
    "customer.deactivate": gettext_lazy("Deactivated a customer"),
    "customer.reactivate": gettext_lazy("Reactivated a customer"),
    "customer.trust": gettext_lazy("Set a customer's trust level"),
}

# The fields a person edits (`is_active` changes through customer_set_active).
CUSTOMER_FIELDS = [
    "name",
    "is_company",
    "phone",
    "email",
    "address",
    "tax_id",
    "notes",
    "card_code",
]


def fold(text: str) -> str:
    """Lower case without accents: "Hélène" and "helene" find each other."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_text_of(customer: Customer) -> str:
    digits = "".join(ch for ch in customer.phone if ch.isdigit())
    parts = [customer.name, customer.phone, digits, customer.email, customer.tax_id]
    return fold(" ".join(p for p in parts if p))[:600]


def _customer_data(*, business: Business, data: dict[str, Any], instance: Customer) -> dict:
    """The editable fields present in `data`, trimmed, the phone in E.164 form.

    Every problem is reported at once, as one ValidationFailed; nothing is written.
    """
    fields: dict[str, Any] = {}
    for name in CUSTOMER_FIELDS:
        if name not in data:
            continue
        if name == "is_company":
            fields[name] = bool(data[name])
        else:
            fields[name] = "" if data[name] is None else str(data[name]).strip()
    errors: dict[str, list[str]] = {}
    if "phone" in fields:
        try:
            fields["phone"] = normalize_phone(fields["phone"], business.country)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if "email" in fields:
        fields["email"] = fields["email"].lower()
    if fields.get("card_code"):
        taken = Customer.objects.filter(business=business, card_code=fields["card_code"])
        if instance.pk:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            errors["card_code"] = [gettext("Another customer already has this card.")]
    probe = copy.copy(instance)
    for key, value in fields.items():
        if key not in errors:
            setattr(probe, key, value)
    try:
        probe.full_clean(
            exclude=[*errors, "business"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise validation_failed(ValidationError(errors))
    return fields


def _emit(name: str, customer: Customer, **extra) -> None:
    events.emit(name, business=customer.business, payload={"id": customer.pk, **extra})


@transaction.atomic
def customer_create(
    *, business: Business, actor, data: dict[str, Any], client_uuid=None
) -> Customer:
    """Add a customer. `data`: name (required), is_company, phone (read with the
    business's country, stored in E.164), email, address, tax_id, notes,
    is_active (default true). The same `client_uuid` again returns the first
    customer (`replayed` set); with other data it is a 409."""
    payload = {k: data.get(k) for k in [*CUSTOMER_FIELDS, "is_active"] if k in data}
    first = idempotency.claim(
        business=business, key=client_uuid, scope="customer.create", payload=payload
    )
    if first is not None:
        customer = Customer.objects.for_business(business).get(pk=first)
        customer.replayed = True
        return customer
    customer = Customer(business=business, is_active=bool(data.get("is_active", True)))
    for key, value in _customer_data(business=business, data=data, instance=customer).items():
        setattr(customer, key, value)
    customer.search_text = search_text_of(customer)
    full_clean_or_raise(customer)
    customer.save()
    audit.record(
        business=business,
        actor=actor,
        action="customer.create",
        obj=customer,
        changes={
            k: [None, v]
            for k, v in audit.snapshot(customer, [*CUSTOMER_FIELDS, "is_active"]).items()
            if v not in ("", None, False)
        },
    )
    idempotency.remember(business=business, key=client_uuid, result_id=customer.pk)
    _emit("customer.created", customer)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, actor, data: dict[str, Any]) -> Customer:
    """Change a customer's card; only the changed fields are saved and audited."""
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=customer.pk)
    )
    fields = _customer_data(business=customer.business, data=data, instance=customer)
    changes = model_update(instance=customer, fields=CUSTOMER_FIELDS, data=fields)
    if changes:
        text = search_text_of(customer)
        if text != customer.search_text:
            customer.search_text = text
            customer.save(update_fields=["search_text"])
        audit.record(
            business=customer.business,
            actor=actor,
            action="customer.update",
            obj=customer,
            changes=changes,
        )
        _emit("customer.updated", customer, fields=sorted(changes))
    return customer


@transaction.atomic
def customer_set_active(*, customer: Customer, actor, active: bool) -> Customer:
    """Deactivate a customer (their orders, tickets and invoices stay), or reactivate."""
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=customer.pk)
    )
    if customer.is_active == active:
        return customer
    customer.is_active = active
    customer.save(update_fields=["is_active", "updated_at"])
    audit.record(
        business=customer.business,
        actor=actor,
        action="customer.reactivate" if active else "customer.deactivate",
        obj=customer,
        changes={"is_active": [not active, active]},
    )
    _emit("customer.updated", customer, fields=["is_active"])
    return customer


@transaction.atomic
def customer_set_trust(*, customer: Customer, actor, level: str, note: str = "") -> Customer:
    """Set how far the shop trusts this customer (unknown, low, normal, high).

    A person decides; the CRM only suggests (`selectors.trust_suggestion`). The
    change and the optional note are audited."""
    if level not in TrustLevel.values:
        message = gettext("Choose unknown, low, normal or high.")
        raise validation_failed(ValidationError({"trust_level": [message]}))
    note = (note or "").strip()[:200]
    customer = (
        Customer.objects.select_for_update(of=("self",))
        .select_related("business")
        .get(pk=customer.pk)
    )
    if customer.trust_level == level:
        return customer
    before = customer.trust_level
    customer.trust_level = level
    customer.save(update_fields=["trust_level", "updated_at"])
    changes = {"trust_level": [before, level]}
    if note:
        changes["note"] = [None, note]
    audit.record(
        business=customer.business,
        actor=actor,
        action="customer.trust",
        obj=customer,
        changes=changes,
    )
    _emit("customer.updated", customer, fields=["trust_level"])
    return customer
