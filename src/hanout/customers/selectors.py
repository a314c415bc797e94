"""Reads about customers, shared by the pages, the API and the exports.

Every query is scoped to one business; another business's id is "does not
exist" (a 404 upstairs).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from hanout.core.models import Business
from hanout.customers.models import Customer
from hanout.customers.services import fold

_NOT_DIGITS = re.compile(r"\D")


def customer_list(
    *,
    business: Business,
    search: str | None = None,
    active: bool | None = None,
    is_company: bool | None = None,
    segment: str | None = None,
    trust_level: str | None = None,
    now=None,
) -> QuerySet[Customer]:
    """The business's customers with `order_count`, their RFM figures and
    `segment` (see selectors_crm), by name. One query (plus two for the top
    segment's threshold).

    `search` finds a part of the name, phone, email or tax id, without regard
    to case or accents; a phone typed the local way ("0612 34…") still finds
    the stored "+212612 34…".
    """
    from hanout.customers.selectors_crm import with_segment
    from hanout.sales.models import CustomerOrder

    orders = (
        CustomerOrder.objects.filter(customer=OuterRef("pk"))
        .values("customer")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    qs = with_segment(Customer.objects.for_business(business), business=business, now=now).annotate(
        order_count=Coalesce(Subquery(orders, output_field=IntegerField()), 0)
    )
    qs = _searched(qs, search)
    if active is not None:
        qs = qs.filter(is_active=active)
    if is_company is not None:
        qs = qs.filter(is_company=is_company)
    if segment:
        qs = qs.filter(segment=segment)
    if trust_level:
        qs = qs.filter(trust_level=trust_level)
    return qs.order_by("name", "id")


def _searched(qs, search):
    search = (search or "").strip()
    if search:
        match = Q(search_text__contains=fold(search))
        digits = _NOT_DIGITS.sub("", search).lstrip("0")
        if len(digits) >= 3:
            match |= Q(search_text__contains=digits)
        qs = qs.filter(match)
    return qs


def customer_get(*, business: Business, pk) -> Customer:
    """One customer of this business; another business's id raises Customer.DoesNotExist."""
    return customer_list(business=business).select_related("business").get(pk=pk)


def customer_card(*, business: Business, pk) -> Customer:
    """One customer without the list's figures (cheaper): for writes and small pages."""
    return Customer.objects.for_business(business).select_related("business").get(pk=pk)


def customer_for_business(*, business: Business, pk) -> Customer | None:
    """The customer with this id in this business, or None (bad ids included)."""
    try:
        return Customer.objects.for_business(business).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id is "not found"
        return None


def customer_orders(*, customer: Customer, limit: int | None = None):
    """The customer's orders, newest first."""
    from hanout.sales.selectors_orders import order_list

    qs = order_list(business=customer.business, customer=customer)
    return qs[:limit] if limit else qs


def customer_tickets(*, customer: Customer, limit: int | None = None):
    """Register tickets sold to this customer (`pos.Sale.customer`), newest first."""
    from hanout.pos.models import Sale

    qs = (
        Sale.objects.filter(business_id=customer.business_id, customer=customer)
        .select_related("register")
        .order_by("-sold_at", "-id")
    )
    return qs[:limit] if limit else qs


def customer_invoices(*, customer: Customer, limit: int | None = None):
    """Invoices and credit notes issued to this customer, newest first."""
    from hanout.sales.models import Invoice

    qs = Invoice.objects.filter(business_id=customer.business_id, customer=customer).order_by(
        "-issued_at", "-number"
    )
    return qs[:limit] if limit else qs


def customer_choices(*, business: Business, search: str = "", limit: int = 50) -> list[Customer]:
    """Active customers to pick on an order form, found by name, phone, email or tax id."""
    qs = _searched(Customer.objects.for_business(business).filter(is_active=True), search)
    return list(qs.only("id", "name", "phone", "address").order_by("name", "id")[:limit])
