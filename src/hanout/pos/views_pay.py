"""The customer's pay page: what the register's QR code opens on a phone.

Anonymous: the token in the URL is the only key. The page speaks the business's
default language (or the one the visitor picked with the language switch),
shows the shop, the lines and the total, and takes a card through the payment
provider. After a successful payment it redirects to itself (so a reload does
not post the card again) and says the payment was accepted.

Attempts are limited per link (services_payments.MAX_ATTEMPTS declined cards) and
per visitor address (`HANOUT_PAY_RATE_LIMIT`, default 20 posts per 10 minutes).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from hanout.core.errors import Conflict, NotFound, ValidationFailed
from hanout.core.middleware import client_ip
from hanout.pos import services_payments as services
from hanout.pos.api_payments import pay_url, qr_svg
from hanout.pos.models import PaymentLinkStatus

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def _rate_limit() -> tuple[int, int]:
    """(posts, seconds) allowed per visitor address."""
    return tuple(getattr(settings, "HANOUT_PAY_RATE_LIMIT", (20, 600)))


def _over_limit(request) -> bool:
    limit, window = _rate_limit()
    key = f"pos-pay-attempts:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _speak_business_language(request, business) -> str:
    """The visitor's own pick (the language cookie), else the business's language."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    language = cookie if cookie in SUPPORTED else business.default_language
    if language not in SUPPORTED:
        language = settings.LANGUAGE_CODE
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


def _private(response, language: str | None = None):
    """A payment page is never cached and never leaks its address to another site."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    if language:
        response["Content-Language"] = language
    return response


@sensitive_post_parameters("card_number", "expiry", "cvc")
@require_http_methods(["GET", "POST"])
def pay(request, token: str):
    try:
        link = services.link_for_token(token)
    except NotFound:
        return _private(render(request, "pos/pay_unknown.html", status=404))
    language = _speak_business_language(request, link.business)
    context = {"link": link, "business": link.business, "shop": link.register.shop, "errors": {}}
    http_status = 200
    if request.method == "POST":
        if _over_limit(request):
            context["error"] = _("Too many attempts from this device. Wait a few minutes.")
            http_status = 429
        else:
            try:
                services.payment_link_pay(
                    token=token,
                    card_number=request.POST.get("card_number", ""),
                    expiry=request.POST.get("expiry", ""),
                    cvc=request.POST.get("cvc", ""),
                )
            except services.PaymentDeclined as exc:
                link = exc.link
                context.update(link=link, error=exc.message, declined=True)
            except ValidationFailed as exc:
                context.update(error=exc.message, errors=exc.fields)
                http_status = 400
            except Conflict as exc:
                link.refresh_from_db()
                context.update(link=link, error=exc.message)
                http_status = 409
            else:
                return _private(redirect("pos_pay", token=token), language)
            # Keep what was typed, except the secrets.
            context["expiry"] = request.POST.get("expiry", "")[:7]
    context["status"] = services.effective_status(link)
    context["pending"] = context["status"] == PaymentLinkStatus.PENDING
    context["attempts_left"] = max(0, services.MAX_ATTEMPTS - link.attempts)
    return _private(render(request, "pos/pay.html", context, status=http_status), language)


@require_GET
def pay_qr(request, token: str):
    """The QR code of the pay page, for a register that shows an image by address."""
    try:
        link = services.link_for_token(token)
    except NotFound:
        return _private(render(request, "pos/pay_unknown.html", status=404))
    response = HttpResponse(qr_svg(pay_url(request, link.token)), content_type="image/svg+xml")
    return _private(response)
