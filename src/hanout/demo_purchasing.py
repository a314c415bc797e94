"""Demo data for purchasing (called by hanout.demo.load_demo; idempotent)."""

from __future__ import annotations


def load(business, spec) -> None:
    """Create this part of the demo for `business` once; do nothing if it exists."""
