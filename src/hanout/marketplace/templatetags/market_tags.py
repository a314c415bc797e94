"""Template filters of the marketplace pages: `day` and `moment` (see
`hanout.marketplace.display`), so dates are written in the locale the shared `money`
filter writes amounts in."""

from __future__ import annotations

from django import template

from hanout.marketplace import display

register = template.Library()


@register.filter
def day(value, business) -> str:
    """`{{ purchase.created_at|day:business }}`: the day as the business's country writes it
    in the reader's language."""
    return display.day(value, getattr(business, "country", "") or "")


@register.filter
def moment(value, business) -> str:
    """`{{ offer.expires_at|moment:business }}`: day and time (24-hour), in the active zone."""
    return display.moment(value, getattr(business, "country", "") or "")


@register.filter
def money_of(amount, row) -> str:
    """`{{ r.amount|money_of:r }}`: an amount in the currency of `row` (a wallet request, a
    purchase), written as `row`'s business's pages write it (the shared `money` filter: the
    reader's language, that business's country). The administrators' queue lists many
    businesses: each amount there reads the way the decisions list names it."""
    business = getattr(row, "business", None)
    return display.money_in(amount, row.currency, getattr(business, "country", "") or "")
