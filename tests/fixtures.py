"""Fixtures shared by the whole suite (registered in the root conftest.py)."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes
from email.message import Message

import pytest
from rest_framework.test import APIClient

from hanout.accounts.services import api_token_create
from hanout.core.permissions import Role
from tests.factories import PASSWORD, make_business, make_member


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def owner(db):
    """Owner membership of business A."""
    return make_business("Alpha Bakery")


@pytest.fixture
def other_owner(db):
    """Owner membership of business B, a different tenant."""
    return make_business(
        "Beta Grocer", currency="MAD", country="MA", time_zone="Africa/Casablanca", language="ar"
    )


@pytest.fixture
def member_factory(owner):
    def make(role=Role.STAFF, **kw):
        return make_member(owner, role=role, **kw)

    return make


def login(client, membership):
    client.force_login(membership.user)
    return client


@pytest.fixture
def owner_client(client, owner):
    return login(client, owner)


def api_client_for(membership) -> APIClient:
    """An API client authenticated with a real personal token of `membership`."""
    _, raw = api_token_create(membership=membership, name="tests")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return api


@pytest.fixture
def owner_api(owner):
    return api_client_for(owner)


# --- a real SMTP server -------------------------------------------------------------------


class Mailbox:
    def __init__(self):
        self.messages: list[Message] = []
        self.event = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.messages.append(message_from_bytes(envelope.content))
        self.event.set()
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        return [body for msg in self.messages for body in self.bodies_of(msg)]

    @staticmethod
    def bodies_of(msg: Message) -> list[str]:
        """The plain-text parts of one message."""
        parts = msg.walk() if msg.is_multipart() else [msg]
        return [
            part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
            for part in parts
            if part.get_content_type() == "text/plain"
        ]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free port; email delivery goes to it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.HANOUT_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # Django's test environment swaps in the locmem backend; put the real path back:
    # queued after commit → Huey job (immediate in tests) → SMTP.
    settings.EMAIL_BACKEND = "hanout.core.mail.QueuedEmailBackend"
    try:
        yield mailbox
    finally:
        controller.stop()


__all__ = ["PASSWORD", "api_client_for", "login"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and caches live in the cache (Redis in the chain run): start clean."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel layer. Sockets in a test run on an event loop that
    ends with the test; a test that fails with a socket still open leaves the layer's
    receive lock held by that dead loop, and with channels-redis every later socket
    test failed on it ("bound to a different event loop")."""
    yield
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English: a page request activates its language for the thread,
    which would otherwise leak into the next test's service messages."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()
