"""Who is on the other end of a WebSocket: a page (session cookie) or a client with a token.

- A page sends its session cookie; its Origin must be one of ALLOWED_HOSTS
  (another site's page could otherwise open a socket with the person's
  cookie). The session's current business decides the tenant, as for pages.
- The desktop app and scripts send `Authorization: Token hnt_…` (or
  `Bearer`), as for the REST API. The token is bound to one business, which
  decides the tenant; no cookie is read and no Origin is needed (a page
  cannot set that header on a WebSocket, so this path cannot be borrowed by
  another site).

A bad or revoked token leaves the socket anonymous: the consumer closes it
with 4401, which tells the client not to retry with the same token.

The scope gets `membership` (the token's, or None for a session: consumers
then resolve it from the session) and `auth` = "token" or "session".
"""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser

KEYWORDS = (b"token", b"bearer")


def _authorization(scope) -> bytes | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return value
    return None


@database_sync_to_async
def _membership(key: str):
    from hanout.accounts.authentication import token_membership, touch

    found = token_membership(key)
    if found is None:
        return None
    token, membership = found
    touch(token)
    return membership


class TokenOrSessionAuth:
    """Send sockets with an Authorization header to token auth, the rest to session auth."""

    def __init__(self, inner):
        self.by_token = inner
        self.by_session = AllowedHostsOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope, receive, send):
        header = _authorization(scope)
        if header is None:
            return await self.by_session({**scope, "auth": "session"}, receive, send)
        parts = header.decode("latin-1").split()
        membership = None
        if len(parts) == 2 and parts[0].lower().encode() in KEYWORDS:
            membership = await _membership(parts[1])
        scope = {
            **scope,
            "auth": "token",
            "membership": membership,
            "user": membership.user if membership is not None else AnonymousUser(),
            "session": None,
        }
        return await self.by_token(scope, receive, send)
