"""`Authorization: Token hnt_…` (or `Bearer`) for scripts and the desktop app."""

from __future__ import annotations

import zoneinfo

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from hanout.accounts.models import ApiToken
from hanout.accounts.services import TOKEN_PREFIX, hash_token
from hanout.core.selectors import business_time_zone


def token_membership(key: str):
    """(token, membership) for a live token of an active person in an active business, else None.

    Shared by the REST API (below) and the WebSockets (hanout.core.ws_auth)."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("membership__business", "membership__user")
        .prefetch_related("membership__module_access")
        .filter(key_hash=hash_token(key), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    membership = token.membership
    if not (membership.is_active and membership.user.is_active and membership.business.is_active):
        return None
    return token, membership


def touch(token) -> None:
    """Remember when the token was last used (at most one write a minute)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2 or not header[1].startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(_("Malformed token header: use “Token hnt_…”."))
        found = token_membership(header[1])
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        token, membership = found
        # The token is bound to one business: it decides the tenant of the request.
        django_request = request._request
        django_request.membership = membership
        django_request.business = membership.business
        # As for pages: times in the business's own time zone, whichever way
        # the request authenticated.
        zone = business_time_zone(membership.business)
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        touch(token)
        return membership.user, token

    def authenticate_header(self, request):
        return "Token"


class AppSessionAuthentication(XSessionTokenAuthentication):
    """`X-Session-Token: …` from allauth's headless sign-in (the desktop app).

    The desktop uses it for one thing: to make itself a personal API token
    (`POST tokens/`), which then carries every other request and the WebSockets.
    The member and business are resolved as for a browser session."""

    allow_anonymous_users = False
    allow_invalid_session_tokens = False

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, session = result
        from hanout.core.middleware import SESSION_BUSINESS_KEY, resolve_membership

        membership = resolve_membership(user, session.get(SESSION_BUSINESS_KEY))
        django_request = request._request
        django_request.membership = membership
        django_request.business = membership.business if membership is not None else None
        if membership is not None:
            zone = business_time_zone(membership.business)
            if zone:
                timezone.activate(zoneinfo.ZoneInfo(zone))
        return result
