"""Who hears about marketplace events: in-app and by email, in each person's language.

Offers and purchases tell the other party's members who can read the
marketplace; deposits and withdrawals tell the business's own. Webhooks hear the
same events through `hanout.webhooks` (see its EVENT_CHOICES).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hanout.core import events
from hanout.core.permissions import Module
from hanout.marketplace import display

LINK = "/market/"


def _tell(business_id, *, kind: str, title, body, link: str = LINK) -> None:
    from hanout.core.models import Business
    from hanout.notifications.services import notify_members

    notify_members(
        business=Business.objects.get(pk=business_id),
        allowed=lambda member: member.can_read(Module.MARKETPLACE),
        kind=kind,
        title=lambda: display.one_stop(str(title())),
        body=lambda: display.one_stop(str(body())),
        link=link,
    )


def _country(business_id) -> str:
    from hanout.core.models import Business

    return Business.objects.filter(pk=business_id).values_list("country", flat=True).first() or ""


def _amount(value, currency: str, business_id) -> str:
    """An amount with its currency, in the language in force (the recipient's), the way the
    recipient business's country writes it: "1 020,00 €" (fr), "€1,020.00" (en)."""
    return display.money_in(value, currency, _country(business_id))


def _money(payload, business_id) -> str:
    value = payload["amount"] if "amount" in payload else payload["unit_price"]
    return _amount(value, payload["currency"], business_id)


def _until(moment, business_id) -> str:
    """An offer's end in the recipient business's time zone and the language in force,
    with the zone named ("06/12/2026 18:30 (Africa/Casablanca)")."""
    from django.utils.dateparse import parse_datetime

    from hanout.core.models import Business
    from hanout.core.selectors import business_zone

    business = Business.objects.get(pk=business_id)
    zone = business_zone(business)
    at = moment if not isinstance(moment, str) else parse_datetime(moment)
    return f"{display.moment(at, business.country, zone)} ({zone.key})"


def _listing_name(payload) -> str:
    from hanout.marketplace.models import Listing

    return (
        Listing.objects.filter(pk=payload["listing"]).values_list("name", flat=True).first() or ""
    )


# Each event is delivered once per business (the emitting service emits to both parties):
# the handler answers only for the business that should hear it.


@events.subscribe("market.offer_made")
def offer_made(event: events.Event) -> None:
    p = event.payload
    if event.business_id == p["seller"]:
        name = _listing_name(p)
        _tell(
            p["seller"],
            kind="market.offer",
            title=lambda: _("New offer on %(item)s") % {"item": name},
            body=lambda: (
                _("%(quantity)s × %(price)s, until %(until)s.")
                % {
                    "quantity": p["quantity"],
                    "price": _amount(p["unit_price"], p["currency"], p["seller"]),
                    "until": _until(p["expires_at"], p["seller"]),
                }
            ),
            link=f"{LINK}offers/",
        )


def _offer_answer(event: events.Event, *, to: str, title) -> None:
    p = event.payload
    if event.business_id == p[to]:
        name = _listing_name(p)
        _tell(
            p[to],
            kind="market.offer",
            title=lambda: title() % {"item": name},
            body=lambda: (
                _("%(quantity)s × %(price)s.")
                % {
                    "quantity": p["quantity"],
                    "price": _amount(p["unit_price"], p["currency"], p[to]),
                }
            ),
            link=f"{LINK}offers/",
        )


@events.subscribe("market.offer_accepted")
def offer_accepted(event):
    _offer_answer(event, to="buyer", title=lambda: _("Offer accepted: %(item)s"))


@events.subscribe("market.offer_declined")
def offer_declined(event):
    reason = event.payload.get("reason")
    if reason == "sold_out":
        title = lambda: _("Sold out, offer closed: %(item)s")  # noqa: E731
    elif reason == "unpublished":
        title = lambda: _("Taken off the market, offer closed: %(item)s")  # noqa: E731
    else:
        title = lambda: _("Offer declined: %(item)s")  # noqa: E731
    _offer_answer(event, to="buyer", title=title)


@events.subscribe("market.offer_countered")
def offer_countered(event):
    _offer_answer(event, to="buyer", title=lambda: _("Counter-offer on %(item)s"))


@events.subscribe("market.purchase_opened")
def purchase_opened(event):
    p = event.payload
    if event.business_id == p["seller"]:
        name = _listing_name(p)
        _tell(
            p["seller"],
            kind="market.purchase",
            title=lambda: _("Sold: %(item)s") % {"item": name},
            body=lambda: (
                ngettext(
                    "%(quantity)s bought for %(amount)s. The money is held until delivery.",
                    "%(quantity)s bought for %(amount)s. The money is held until delivery.",
                    int(p["quantity"]),
                )
                % {"quantity": p["quantity"], "amount": _money(p, p["seller"])}
            ),
            link=f"{LINK}purchases/{p['id']}/",
        )


@events.subscribe("market.purchase_delivered")
def purchase_delivered(event):
    p = event.payload
    if event.business_id == p["buyer"]:
        name = _listing_name(p)
        _tell(
            p["buyer"],
            kind="market.purchase",
            title=lambda: _("Delivered: %(item)s") % {"item": name},
            body=lambda: _("Confirm that you received it, so the seller is paid."),
            link=f"{LINK}purchases/{p['id']}/",
        )


@events.subscribe("market.purchase_completed")
def purchase_completed(event):
    p = event.payload
    if event.business_id == p["seller"]:
        name = _listing_name(p)
        _tell(
            p["seller"],
            kind="market.payout",
            title=lambda: (
                _("Paid: %(amount)s for %(item)s")
                % {"amount": _money(p, p["seller"]), "item": name}
            ),
            body=lambda: _("The money is in your wallet."),
            link=f"{LINK}wallet/",
        )


@events.subscribe("market.purchase_cancelled")
def purchase_cancelled(event):
    p = event.payload
    name = _listing_name(p)
    _tell(
        event.business_id,
        kind="market.purchase",
        title=lambda: _("Purchase cancelled: %(item)s") % {"item": name},
        body=lambda: (
            _("%(amount)s: the held money is released.") % {"amount": _money(p, event.business_id)}
        ),
        link=f"{LINK}purchases/{p['id']}/",
    )


def _request_decided(event, title):
    p = event.payload
    _tell(
        event.business_id,
        kind="market.wallet",
        title=lambda: title() % {"amount": _money(p, event.business_id)},
        body=lambda: p.get("reason") or "",
        link=f"{LINK}wallet/",
    )


for _name, _title in [
    ("wallet.deposit_approved", lambda: _("Deposit approved: %(amount)s")),
    ("wallet.deposit_rejected", lambda: _("Deposit rejected: %(amount)s")),
    ("wallet.withdrawal_approved", lambda: _("Withdrawal paid out: %(amount)s")),
    ("wallet.withdrawal_rejected", lambda: _("Withdrawal rejected: %(amount)s")),
]:
    events.subscribe(_name)(lambda event, _t=_title: _request_decided(event, _t))
