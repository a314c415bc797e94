import pytest

from hanout.webhooks.tests.receiver import Receiver, start


@pytest.fixture
def local_targets(settings):
    """The operator allows private addresses and plain http (the receiver is on 127.0.0.1)."""
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_TIMEOUT = 1
    return settings


@pytest.fixture
def receiver(local_targets):
    box = Receiver()
    server = start(box)
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
