"""WSGI entry point, for tools that need one. `hanout serve` uses ASGI."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hanout.settings")
application = get_wsgi_application()
