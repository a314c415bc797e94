"""Template filters of the marketplace pages: `day` and `moment` (see
`hanout.marketplace.display`), so dates are written in the locale the shared `money`
filter writes amounts in."""

from __future__ import annotations

from django import template

from hanout.catalog.templatetags.catalog_tags import money
from hanout.core.money import page_country
from hanout.marketplace import display

register = template.Library()


@register.filter
def day(value, business) -> str:
    """`{{ purchase.created_at|day:business }}`: the day as the business's country writes it
    in the reader's language."""
    return display.day(value, page_country(business))


@register.filter
def moment(value, business) -> str:
    """`{{ offer.expires_at|moment:business }}`: day and time (24-hour), in the active zone."""
    return display.moment(value, page_country(business))


@register.filter
def money_of(amount, row) -> str:
    """`{{ r.amount|money_of:r }}`: an amount in the currency of `row` (a wallet request, a
    purchase), written the way the page's reader writes money (the shared `money` filter),
    like every other amount on the page."""
    return money(amount, row)
