"""The shared fixtures live in tests/fixtures.py (loaded by the root conftest.py,
so that tests under src/hanout/*/tests get them too). Helpers re-exported here."""

from tests.fixtures import PASSWORD, api_client_for, login  # noqa: F401
