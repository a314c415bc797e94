"""Request set-up: who is the current business and member, which language, which IP."""

from __future__ import annotations

import contextlib
import time
import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

from hanout.core import audit
from hanout.core.money import reader_country
from hanout.core.selectors import business_time_zone

SESSION_BUSINESS_KEY = "hanout_business_id"
LANGUAGE_COOKIE = settings.LANGUAGE_COOKIE_NAME
SUPPORTED = {code for code, _ in settings.LANGUAGES}


def client_ip(request) -> str | None:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # The proxy appends the address it saw: the rightmost entry is the one
        # a client cannot forge (the leftmost is whatever the client sent).
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def resolve_membership(user, business_id: str | None):
    """The member's active membership in the chosen business, else their first one."""
    from hanout.accounts.selectors import active_memberships_for_user

    memberships = list(active_memberships_for_user(user=user))
    if not memberships:
        return None
    for m in memberships:
        if str(m.business_id) == str(business_id):
            return m
    return memberships[0]


class CurrentBusinessMiddleware:
    """Sets request.business and request.membership for signed-in users.

    API requests authenticated by token set them again in the authentication
    class, because DRF authenticates after middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.business = None
        if request.user.is_authenticated:
            membership = resolve_membership(request.user, request.session.get(SESSION_BUSINESS_KEY))
            if membership is not None:
                request.membership = membership
                request.business = membership.business
        # Times are stored in UTC and shown in the business's own time zone.
        zone = business_time_zone(request.business) if request.business is not None else None
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        token = audit.set_request_ip(client_ip(request))
        # Money and dates of a member's page in their business's conventions, whoever's
        # amounts they are (marketplace listings). A page without a business (a shop's
        # payment page on a customer's phone) writes each amount its holder's way.
        reader = (
            reader_country(request.business.country or "")
            if request.business is not None
            else contextlib.nullcontext()
        )
        try:
            language = self.pick_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            with reader:
                response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            return response
        finally:
            audit.reset_request_ip(token)

    @staticmethod
    def pick_language(request) -> str:
        cookie = request.COOKIES.get(LANGUAGE_COOKIE)
        if cookie in SUPPORTED:
            return cookie
        user = request.user
        if user.is_authenticated and user.language in SUPPORTED:
            return user.language
        if request.business is not None and request.business.default_language in SUPPORTED:
            return request.business.default_language
        return translation.get_language_from_request(request)


class LanguageMiddleware:
    """Before authentication: activate the cookie or browser language.

    CurrentBusinessMiddleware refines it once the user is known. This early
    pass keeps pages that run before authentication (errors, allauth) in the
    visitor's language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(LANGUAGE_COOKIE)
        language = cookie if cookie in SUPPORTED else translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)


class ServerTimingMiddleware:
    """Adds `Server-Timing: app;dur=<ms>` to every response.

    The time spent inside Django (not the network, not uvicorn's queue): what
    the benchmarks under bench/ report as "server time", and what a browser's
    developer tools show beside each request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        return response
