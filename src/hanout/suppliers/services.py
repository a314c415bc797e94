"""Every write on the suppliers: one function per business action."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _  # noqa: F401

# What each audit action code of this app means to a person reading the history.
ACTION_LABELS: dict = {}
