"""Time read through one function, so tests can control it."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
