"""The SSRF guard and the one place that opens an outgoing connection.

A webhook URL is resolved and every address it resolves to must be public:
private, loopback, link-local, multicast, reserved and unspecified addresses
are refused, when the endpoint is saved and again at every send (DNS may have
changed meanwhile). At send time the connection goes to the address that was
checked (no second lookup a rebinding DNS could answer differently), the TLS
certificate is still checked against the host name, and redirects are not
followed. The operator may allow private addresses (`WEBHOOKS_ALLOW_PRIVATE`,
env `HANOUT_WEBHOOKS_ALLOW_PRIVATE=true`) for a receiver on the same network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

RESPONSE_LIMIT = 2000  # characters of the response body kept on an attempt


class UnsafeURL(ValueError):
    """The URL may not be called; the message says why, for a person."""


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", False))


def allow_http() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_HTTP", False))


def timeout() -> float:
    return float(getattr(settings, "WEBHOOKS_TIMEOUT", 5))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_shape(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path?query) of an acceptable URL, or UnsafeURL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(_("Enter a valid URL.")) from exc
    scheme = (parts.scheme or "").lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeURL(_("Enter a valid URL starting with https://."))
    if scheme == "http" and not allow_http():
        raise UnsafeURL(_("Use an https:// address: plain http is not allowed on this server."))
    if parts.username or parts.password:
        raise UnsafeURL(_("Do not put a user name or password in the URL."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, each checked (unless private ones are allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(_("This host name does not resolve: %(host)s") % {"host": host}) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeURL(_("This host name does not resolve: %(host)s") % {"host": host})
    if not allow_private():
        for address in addresses:
            if not is_public(address):
                raise UnsafeURL(
                    _(
                        "This address is private (%(address)s): webhooks only go to public "
                        "internet addresses."
                    )
                    % {"address": address}
                )
    return addresses


def check_url(url: str) -> None:
    """Raise UnsafeURL unless `url` may be called now."""
    _scheme, host, port, _path = check_shape(url)
    resolve(host, port)


@dataclass
class Response:
    status_code: int | None
    elapsed_ms: int
    body: str
    error: str


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST `body` once, to a checked address, without following redirects."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        scheme, host, port, path = check_shape(url)
        address = resolve(host, port)[0]
    except UnsafeURL as exc:
        return Response(None, elapsed(), "", str(exc))
    limit = timeout()
    if scheme == "https":
        conn = http.client.HTTPSConnection(
            host, port, timeout=limit, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(host, port, timeout=limit)
    # Connect to the address that was checked, not to a fresh lookup of the name.
    conn._create_connection = lambda _addr, t, source=None: socket.create_connection(
        (address, port), t, source
    )
    try:
        conn.request("POST", path, body=body, headers=headers)
        answer = conn.getresponse()
        text = answer.read(RESPONSE_LIMIT * 4).decode("utf-8", "replace")[:RESPONSE_LIMIT]
        return Response(answer.status, elapsed(), text, "")
    except TimeoutError:
        return Response(None, elapsed(), "", _("No answer within %(s)s seconds.") % {"s": limit})
    except (OSError, http.client.HTTPException) as exc:
        return Response(None, elapsed(), "", (str(exc) or exc.__class__.__name__)[:500])
    finally:
        conn.close()
