"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")

from hanout.core.asgi import get_http_application  # noqa: E402

# Django's HTTP side on a thread pool, one hop per request (see hanout/core/asgi.py).
django_asgi_app = get_http_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from hanout.core.ws_auth import TokenOrSessionAuth  # noqa: E402
from hanout.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # a page by its session cookie (and Origin), the desktop app by its API token
        "websocket": TokenOrSessionAuth(URLRouter(websocket_urlpatterns)),
    }
)
