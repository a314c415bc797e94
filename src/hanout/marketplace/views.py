"""Marketplace pages under /market/: browse, an item's page (buy now, make an offer),
my listings, offers, purchases, the wallet (requests, ledger, CSV), the profile,
analytics, and the platform administrators' queue.

Thin on purpose: each POST validates a form, calls one service and shows the
service's DomainError beside its field with the same message as the API. Reads go
through the marketplace selectors, so another business's draft, offer or purchase is
a 404. Reading needs `read` on Marketplace and every POST needs `full`; the
administrators' queue needs a platform administrator (`is_staff`), not a module level.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from hanout.catalog import selectors as catalog_selectors
from hanout.core import audit, exports
from hanout.core.errors import DomainError, NotFound, ValidationFailed
from hanout.core.files import picture_response
from hanout.core.money import quantize, reader_country
from hanout.core.pages import apply_domain_error, member_required
from hanout.core.permissions import Level, Module
from hanout.core.selectors import business_zone
from hanout.inventory import selectors as inventory_selectors
from hanout.marketplace import (
    selectors,
    services_listings,
    services_profile,
    services_trade,
    services_wallet,
)
from hanout.marketplace.forms import (
    AdminQueueForm,
    BrowseForm,
    BuyForm,
    CounterForm,
    LedgerFilterForm,
    ListingForm,
    OfferForm,
    PeriodFilterForm,
    ProfileForm,
    ReasonForm,
    WalletRequestForm,
)
from hanout.marketplace.models import ListingStatus, OfferStatus, PurchaseStatus, RequestStatus

MARKET = Module.MARKETPLACE
PAGE_SIZE = 24
LEDGER_PAGE = 50


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _or_404(read, **kwargs):
    try:
        return read(**kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _done(request, message: str, to: str, **kwargs):
    messages.success(request, message)
    return redirect(to, **kwargs)


def _next_or(request, fallback: str):
    """Back to the page the button was on (a local path only), else `fallback`."""
    target = request.POST.get("next", "")
    if target.startswith("/market/") and "//" not in target:
        return redirect(target)
    return redirect(fallback)


# --- browse and the item's page ---------------------------------------------------------------


@member_required(MARKET)
def market_browse(request):
    form = BrowseForm(request.GET or None)
    # Listings one can buy come first: in the business's own currency unless asked for all
    # (`every_currency=1`; not `currency=all`, which the API reads as the Albanian lek).
    every_currency = request.GET.get("every_currency") == "1"
    currency = None if every_currency else request.business.currency
    listings = selectors.listing_browse(**form.filters(), currency=currency)
    page = Paginator(listings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("every_currency", None)
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "every_currency": every_currency,
        "toggle_query": query.urlencode(),
    }
    return render(request, "marketplace/browse.html", context)


def _item_page(request, listing, *, buy_form=None, offer_form=None, status=200):
    own = listing.business_id == request.business.pk
    context = {
        "listing": listing,
        "own": own,
        # Buying across currencies is refused (services_trade): say so instead of offering it.
        "other_currency": listing.currency != request.business.currency,
        "images": list(listing.images.all()),
        "owners": selectors.ownership_history(listing),
        "buy_form": buy_form or BuyForm(auto_id="buy_%s", initial={"client_uuid": uuid.uuid4()}),
        "offer_form": offer_form
        or OfferForm(
            auto_id="offer_%s",
            initial={
                "unit_price": quantize(listing.price, listing.currency),
                "client_uuid": uuid.uuid4(),
            },
        ),
        "seller_profile": selectors.profile_get(listing.business),
    }
    return render(request, "marketplace/item.html", context, status=status)


@require_GET
@member_required(MARKET)
def listing_picture(request, pk, image_pk, size):
    """A picture of a listing the viewer may see (any published one, or its own)."""
    listing = _or_404(selectors.listing_get, viewer=request.business, pk=pk)
    image = listing.images.filter(pk=image_pk).first()
    if image is None:
        raise Http404
    return picture_response(image.thumbnail if size == "thumb" else image.image)


@require_GET
@member_required(MARKET)
def profile_picture(request, business_pk):
    """A business's marketplace picture: public to every business on the marketplace."""
    from hanout.core.models import Business

    business = Business.objects.filter(pk=business_pk).first()
    if business is None:
        raise Http404
    return picture_response(selectors.profile_get(business).picture)


@member_required(MARKET)
def listing_detail(request, pk):
    listing = _or_404(selectors.listing_get, viewer=request.business, pk=pk)
    return _item_page(request, listing)


@require_POST
@member_required(MARKET, level=Level.FULL)
def listing_buy(request, pk):
    listing = _or_404(selectors.listing_get, viewer=request.business, pk=pk)
    form = BuyForm(request.POST, auto_id="buy_%s")
    if form.is_valid():
        try:
            purchase = services_trade.buy_now(
                business=request.business,
                actor=request.user,
                listing=listing,
                quantity=form.cleaned_data["quantity"],
                key=form.cleaned_data["client_uuid"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _item_page(request, listing, buy_form=form, status=exc.status)
        return _done(
            request,
            _("Bought: the money is held until you confirm the delivery."),
            "market_purchase",
            pk=purchase.pk,
        )
    return _item_page(request, listing, buy_form=form, status=400)


@require_POST
@member_required(MARKET, level=Level.FULL)
def listing_offer(request, pk):
    listing = _or_404(selectors.listing_get, viewer=request.business, pk=pk)
    form = OfferForm(request.POST, auto_id="offer_%s")
    if form.is_valid():
        try:
            services_trade.offer_make(
                business=request.business,
                actor=request.user,
                listing=listing,
                unit_price=form.cleaned_data["unit_price"],
                quantity=form.cleaned_data["quantity"],
                valid_for_days=form.cleaned_data["valid_for_days"],
                message=form.cleaned_data["message"],
                key=form.cleaned_data["client_uuid"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _item_page(request, listing, offer_form=form, status=exc.status)
        return _done(request, _("Your offer was sent to the seller."), "market_offers")
    return _item_page(request, listing, offer_form=form, status=400)


@require_POST
@member_required(MARKET, level=Level.FULL)
def listing_publish(request, pk):
    listing = _or_404(selectors.listing_get_own, business=request.business, pk=pk)
    publish = request.POST.get("action") != "unpublish"
    try:
        if publish:
            services_listings.listing_publish(listing=listing, actor=request.user)
        else:
            services_listings.listing_unpublish(listing=listing, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The listing is on the marketplace.")
            if publish
            else _("The listing was taken off the marketplace."),
        )
    return _next_or(request, "market_mine")


# --- my listings -----------------------------------------------------------------------------


@member_required(MARKET)
def market_mine(request):
    status = request.GET.get("status") or None
    if status not in ListingStatus.values:
        status = None
    listings = selectors.listing_list_own(business=request.business, status=status)
    page = Paginator(listings.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": ListingStatus.choices,
        "query": _query_without_page(request),
    }
    return render(request, "marketplace/mine.html", context)


def _locations(business):
    return inventory_selectors.location_list(business=business, active=True)


def _listing_form_page(request, form, listing, status=200):
    context = {"form": form, "listing": listing}
    if listing is not None:
        context["images"] = list(listing.images.all())
    return render(request, "marketplace/listing_form.html", context, status=status)


@member_required(MARKET, level=Level.FULL)
def listing_create(request):
    locations = _locations(request.business)
    form = ListingForm(
        request.POST or None,
        request.FILES or None,
        locations=locations,
        initial={"client_uuid": uuid.uuid4()},
    )
    if request.method != "POST":
        return _listing_form_page(request, form, None)
    if form.is_valid():
        data = form.cleaned_data
        product = location = None
        try:
            if data["product"]:
                product = catalog_selectors.product_lookup(
                    business=request.business, code=data["product"]
                )
                if product is None:
                    raise NotFound(
                        _("No product has this barcode or SKU."),
                        fields={"product": [_("No product has this barcode or SKU.")]},
                    )
            if data["location"]:
                location = next((x for x in locations if str(x.pk) == data["location"]), None)
            listing = services_listings.listing_create(
                business=request.business,
                actor=request.user,
                data=form.service_data(),
                product=product,
                location=location,
                publish=data["publish"],
                key=data["client_uuid"],
                uploads=data["pictures"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _listing_form_page(request, form, None, exc.status)
        return _done(request, _("The listing was saved."), "listing_detail", pk=listing.pk)
    return _listing_form_page(request, form, None, 400)


@member_required(MARKET, level=Level.FULL)
def listing_edit(request, pk):
    listing = _or_404(selectors.listing_get_own, business=request.business, pk=pk)
    initial = {
        "name": listing.name,
        "description": listing.description,
        "category": listing.category,
        "price": quantize(listing.price, listing.currency),
        "quantity": listing.quantity,
    }
    form = ListingForm(request.POST or None, request.FILES or None, initial=initial, editing=True)
    if request.method != "POST":
        return _listing_form_page(request, form, listing)
    if form.is_valid():
        try:
            services_listings.listing_update(
                listing=listing,
                actor=request.user,
                data=form.service_data(),
                uploads=form.cleaned_data["pictures"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _listing_form_page(request, form, listing, exc.status)
        return _done(request, _("The listing was saved."), "listing_detail", pk=listing.pk)
    return _listing_form_page(request, form, listing, 400)


@require_POST
@member_required(MARKET, level=Level.FULL)
def listing_image_remove(request, pk, image_pk):
    listing = _or_404(selectors.listing_get_own, business=request.business, pk=pk)
    image = next((i for i in listing.images.all() if str(i.pk) == str(image_pk)), None)
    if image is None:
        raise Http404
    services_listings.listing_remove_image(image=image, actor=request.user)
    return _done(request, _("The picture was removed."), "listing_edit", pk=listing.pk)


@require_POST
@member_required(MARKET, level=Level.FULL)
def listing_delete(request, pk):
    listing = _or_404(selectors.listing_get_own, business=request.business, pk=pk)
    try:
        services_listings.listing_delete(listing=listing, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("market_mine")
    return _done(request, _("The listing was deleted."), "market_mine")


# --- offers ---------------------------------------------------------------------------------------


def _offers_page(request, *, counter_form=None, counter_for=None, status=200):
    business = request.business
    context = {
        "incoming": selectors.offer_list(business=business, side="seller")[:100],
        "outgoing": selectors.offer_list(business=business, side="buyer")[:100],
        "live": (OfferStatus.OPEN, OfferStatus.COUNTERED),
        "counter_form": counter_form,
        "counter_for": counter_for,
    }
    return render(request, "marketplace/offers.html", context, status=status)


@member_required(MARKET)
def market_offers(request):
    return _offers_page(request)


@require_POST
@member_required(MARKET, level=Level.FULL)
def offer_action(request, pk, action):
    offer = _or_404(selectors.offer_get, business=request.business, pk=pk)
    kwargs = {"offer": offer, "business": request.business, "actor": request.user}
    try:
        if action == "accept":
            purchase = services_trade.offer_accept(**kwargs)
            return _done(
                request,
                _("The offer was accepted: the buyer's money is held."),
                "market_purchase",
                pk=purchase.pk,
            )
        if action == "decline":
            services_trade.offer_decline(**kwargs)
            message = _("The offer was declined.")
        elif action == "withdraw":
            services_trade.offer_withdraw(**kwargs)
            message = _("The offer was withdrawn.")
        elif action == "counter":
            form = CounterForm(request.POST)
            if not form.is_valid():
                return _offers_page(request, counter_form=form, counter_for=offer.pk, status=400)
            try:
                services_trade.offer_counter(
                    **kwargs,
                    unit_price=form.cleaned_data["unit_price"],
                    quantity=form.cleaned_data["quantity"] or None,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                return _offers_page(
                    request, counter_form=form, counter_for=offer.pk, status=exc.status
                )
            message = _("Your counter-offer was sent.")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("market_offers")
    return _done(request, message, "market_offers")


# --- purchases ------------------------------------------------------------------------------------


@member_required(MARKET)
def market_purchases(request):
    business = request.business
    context = {
        "bought": selectors.purchase_list(business=business, side="buyer")[:100],
        "sold": selectors.purchase_list(business=business, side="seller")[:100],
    }
    return render(request, "marketplace/purchases.html", context)


def _purchase_page(request, purchase, *, cancel_form=None, status=200):
    buyer = purchase.business_id == request.business.pk
    context = {
        "purchase": purchase,
        "buyer": buyer,
        "can_deliver": not buyer and purchase.status == PurchaseStatus.PAID,
        "can_confirm": buyer and purchase.status == PurchaseStatus.DELIVERED,
        "can_cancel": purchase.status == PurchaseStatus.PAID
        or (not buyer and purchase.status == PurchaseStatus.DELIVERED),
        "cancel_form": cancel_form or ReasonForm(),
    }
    return render(request, "marketplace/purchase.html", context, status=status)


@member_required(MARKET)
def market_purchase(request, pk):
    purchase = _or_404(selectors.purchase_get, business=request.business, pk=pk)
    return _purchase_page(request, purchase)


@require_POST
@member_required(MARKET, level=Level.FULL)
def purchase_action(request, pk, action):
    purchase = _or_404(selectors.purchase_get, business=request.business, pk=pk)
    kwargs = {"purchase": purchase, "business": request.business, "actor": request.user}
    try:
        if action == "deliver":
            services_trade.purchase_deliver(**kwargs)
            message = _("Marked delivered: the buyer is asked to confirm.")
        elif action == "confirm":
            services_trade.purchase_confirm(**kwargs)
            message = _("Thank you: the delivery is confirmed.")
        elif action == "cancel":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _purchase_page(request, purchase, cancel_form=form, status=400)
            try:
                services_trade.purchase_cancel(**kwargs, reason=form.cleaned_data["reason"])
            except DomainError as exc:
                apply_domain_error(form, exc)
                return _purchase_page(request, purchase, cancel_form=form, status=exc.status)
            message = _("The purchase was cancelled and the money released.")
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("market_purchase", pk=purchase.pk)
    return _done(request, message, "market_purchase", pk=purchase.pk)


# --- wallet ---------------------------------------------------------------------------------------


def _ledger(request) -> dict:
    """The wallet's ledger as the filters in the query ask, a page of it, for the wallet and
    the profile pages (the CSV link carries the same filters)."""
    ledger_form = LedgerFilterForm(request.GET or None)
    entries = selectors.entry_list(business=request.business, **ledger_form.filters())
    return {
        "ledger_form": ledger_form,
        "entries": Paginator(entries, LEDGER_PAGE).get_page(request.GET.get("page")),
        "query": _query_without_page(request),
    }


def _wallet_page(request, *, deposit_form=None, withdraw_form=None, status=200):
    business = request.business
    context = {
        **_ledger(request),
        "wallet": selectors.wallet_get(business),
        "deposit_form": deposit_form
        or WalletRequestForm(auto_id="deposit_%s", initial={"client_uuid": uuid.uuid4()}),
        "withdraw_form": withdraw_form
        or WalletRequestForm(auto_id="withdraw_%s", initial={"client_uuid": uuid.uuid4()}),
        "requests": selectors.request_list(business=business)[:50],
    }
    return render(request, "marketplace/wallet.html", context, status=status)


@member_required(MARKET)
def market_wallet(request):
    return _wallet_page(request)


@require_POST
@member_required(MARKET, level=Level.FULL)
def wallet_request(request, kind):
    form = WalletRequestForm(
        request.POST, auto_id=f"{'deposit' if kind == 'deposit' else 'withdraw'}_%s"
    )
    service = {
        "deposit": services_wallet.deposit_request,
        "withdrawal": services_wallet.withdrawal_request,
    }.get(kind)
    if service is None:
        raise Http404
    which = "deposit_form" if kind == "deposit" else "withdraw_form"
    if form.is_valid():
        try:
            service(
                business=request.business,
                actor=request.user,
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                key=form.cleaned_data["client_uuid"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
            return _wallet_page(request, **{which: form}, status=exc.status)
        return _done(
            request,
            _("Your request was sent: an administrator checks it before the money moves."),
            "market_wallet",
        )
    return _wallet_page(request, **{which: form}, status=400)


@require_GET
@member_required(MARKET)
def wallet_export(request):
    """The ledger as filtered on the page, as CSV."""
    form = LedgerFilterForm(request.GET or None)
    entries = selectors.entry_list(business=request.business, **form.filters())
    header, rows = selectors.ledger_table(entries, tz=business_zone(request.business))
    return exports.file_response(
        "csv", name="wallet-ledger", title=_("Wallet"), header=header, rows=rows
    )


# --- profile and analytics --------------------------------------------------------------------


@member_required(MARKET)
def market_profile(request):
    business = request.business
    profile = selectors.profile_get(business)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"bio": profile.bio, "address": profile.address},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services_profile.profile_update(
                    business=business,
                    actor=request.user,
                    data={"bio": form.cleaned_data["bio"], "address": form.cleaned_data["address"]},
                    picture=form.cleaned_data["picture"],
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
            else:
                return _done(request, _("Your profile was saved."), "market_profile")
        else:
            status = 400
    context = {
        **_ledger(request),
        "form": form,
        "profile": profile,
        "summary": selectors.profile_summary(business),
        "items": selectors.profile_items(business),
        "live": (OfferStatus.OPEN, OfferStatus.COUNTERED),
    }
    return render(request, "marketplace/profile.html", context, status=status)


@member_required(MARKET)
def market_analytics(request):
    business = request.business
    period = PeriodFilterForm(request.GET or None)
    data = selectors.analytics(business=business, **period.filters())
    months = data["by_month"]
    chart = {
        "type": "bar",
        "labels": [date_format(_month_start(m["month"]), "M Y") for m in months],
        "datasets": [
            {"label": _("Earned"), "data": [str(m["earned"]) for m in months]},
            {"label": _("Spent"), "data": [str(m["spent"]) for m in months]},
            {"label": _("Deposited"), "data": [str(m["deposited"]) for m in months]},
            {
                "label": pgettext("money", "Withdrawn"),
                "data": [str(m["withdrawn"]) for m in months],
            },
        ],
        "currency": data["currency"],
        "title": _("Marketplace money by month"),
    }
    context = {"data": data, "chart": chart, "months": months, "period": period}
    return render(request, "marketplace/analytics.html", context)


def _month_start(text: str):
    import datetime

    year, month = text.split("-")
    return datetime.date(int(year), int(month), 1)


# --- the platform administrators' queue -------------------------------------------------------------


def staff_required(view):
    """Platform administrators only; anyone else is told nothing is here (404)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_staff and request.user.is_active):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _admin_page(request, *, reject_form=None, reject_for=None, status=200):
    # Pending first: that is the work; "All" is an explicit empty status.
    form = AdminQueueForm(request.GET or None, initial={"status": RequestStatus.PENDING})
    filters = form.cleaned_data if form.is_valid() else {}
    wanted = filters.get("status", "") if form.is_bound else RequestStatus.PENDING
    requests_qs = selectors.admin_request_queue(status=wanted, kind=filters.get("kind") or None)
    trail = selectors.admin_decisions(limit=50)
    for entry in trail:
        entry.label = audit.action_label(entry.action)
    context = {
        "form": form,
        "wallet_requests": requests_qs[:200],
        "purchases": selectors.admin_purchase_queue()[:200],
        "trail": trail,
        "reject_form": reject_form or ReasonForm(),
        "reject_for": reject_for,
    }
    # Many businesses' amounts on one page, for an administrator who may have no business
    # of their own: all written the administrator's way (their business's country, else
    # their language's own), not each row its business's.
    with reader_country(getattr(request.business, "country", "") or ""):
        return render(request, "marketplace/admin.html", context, status=status)


@staff_required
def market_admin(request):
    return _admin_page(request)


@require_POST
@staff_required
def admin_decide(request, what, pk, action):
    admin = request.user
    # Decided or not: deciding one already decided is the service's clear 409, told here
    # as a message on the queue (not a 404).
    if what == "request":
        found = selectors.admin_request_get(pk)
    elif what == "purchase":
        found = selectors.admin_purchase_get(pk)
    else:
        found = None
    if found is None or action not in ("approve", "reject"):
        raise Http404
    try:
        if action == "approve":
            # A second click (or a second administrator) changes nothing: said so.
            done = RequestStatus.POSTED if what == "request" else PurchaseStatus.COMPLETED
            already = found.status == done
            if what == "request":
                services_wallet.request_approve(request=found, admin=admin)
            else:
                services_trade.purchase_approve(purchase=found, admin=admin)
            message = _("It was already approved: nothing changed.") if already else _("Approved.")
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _admin_page(request, reject_form=form, reject_for=found.pk, status=400)
            try:
                if what == "request":
                    services_wallet.request_reject(
                        request=found, admin=admin, reason=form.cleaned_data["reason"]
                    )
                else:
                    services_trade.purchase_cancel(
                        purchase=found, actor=admin, reason=form.cleaned_data["reason"]
                    )
            except ValidationFailed as exc:
                apply_domain_error(form, exc)
                return _admin_page(request, reject_form=form, reject_for=found.pk, status=400)
            message = _("Rejected.")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("market_admin")
    return _done(request, message, "market_admin")
