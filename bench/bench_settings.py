"""Hanout's settings plus the bare reference view (bench/bench_bare.py)."""

from hanout.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

# 16 registers from one address would hit the API's rate limits; a till does not.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
