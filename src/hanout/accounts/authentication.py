"""`Authorization: Token hnt_…` (or `Bearer`) for scripts and the desktop app."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from hanout.accounts.models import ApiToken
from hanout.accounts.services import TOKEN_PREFIX, hash_token
from hanout.core.selectors import business_time_zone


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2 or not header[1].startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(_("Malformed token header: use “Token hnt_…”."))
        token = (
            ApiToken.objects.select_related("membership__business", "membership__user")
            .prefetch_related("membership__module_access")
            .filter(key_hash=hash_token(header[1]), revoked_at__isnull=True)
            .first()
        )
        membership = token.membership if token else None
        if (
            token is None
            or not membership.is_active
            or not membership.user.is_active
            or not membership.business.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        # The token is bound to one business: it decides the tenant of the request.
        django_request = request._request
        django_request.membership = membership
        django_request.business = membership.business
        # As for pages: times in the business's own time zone, whichever way
        # the request authenticated.
        zone = business_time_zone(membership.business)
        if zone:
            timezone.activate(zoneinfo.ZoneInfo(zone))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return membership.user, token

    def authenticate_header(self, request):
        return "Token"
