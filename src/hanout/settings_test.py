"""Settings for the test suite: the real settings, with a throw-away data folder.

Set before the real settings are read, so no test touches the user's data.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("HANOUT_TESTING", "1")
# No nightly backup of throw-away test data, here or in a server a test starts (which
# inherits this); the backup tests set their own.
os.environ.setdefault("HANOUT_BACKUP_TIME", "off")
if "HANOUT_DATA_DIR" not in os.environ:
    # Made here, so removed here when the test process ends (child processes that
    # inherit the variable leave it alone).
    _data_dir = tempfile.mkdtemp(prefix="hanout-test-")
    os.environ["HANOUT_DATA_DIR"] = _data_dir
    atexit.register(shutil.rmtree, _data_dir, True)

from hanout.settings import *  # noqa: E402,F403
from hanout.settings import DATABASES, HUEY  # noqa: E402

# Jobs run in the calling thread, so a test can read the email a job sent.
HUEY = {**HUEY, "immediate": True}
# The demo's register history: three days in the tests (the mechanism, not a year).
DEMO_SALES_HISTORY_DAYS = 4
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",  # fast for factories; Argon2 is tested explicitly
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
# pytest captures log records itself; a console handler bound to a captured
# stream would outlive it (aiosmtpd logs from its own thread).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "root": {"handlers": [], "level": "WARNING"},
    "loggers": {"mail.log": {"level": "WARNING"}},
}

# On PostgreSQL a `replica` alias that mirrors the test database, so the replica routing is
# tested against a real second connection (hanout/reports/tests/test_replica.py). Reports
# read the primary unless a test turns `REPORTS_DATABASE` to "replica": a replica
# connection cannot see the rows a test keeps in its own open transaction.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["replica"] = {
        **DATABASES["default"],
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "TEST": {"MIRROR": "default"},
    }
REPORTS_DATABASE = "default"

# With Redis, each pytest-xdist worker gets a cache database of its own: `cache.clear()`
# is FLUSHDB, and one worker clearing the cache between its tests would otherwise reset
# another's counters (rate limits, throttles) mid-test. Worker n of a run on
# redis://…/15 uses database 15 − n; the channel layer and the jobs stay shared (their
# keys are per channel and per job, nobody flushes them). Server processes a test
# starts inherit PYTEST_XDIST_WORKER, so they share their test's cache.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if CACHES["default"]["BACKEND"].endswith("RedisCache") and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(CACHES["default"]["LOCATION"])  # noqa: F405
    _base = int(_url.path.strip("/") or 0)
    _db = (_base - int(_worker[2:])) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_url._replace(path=f"/{_db}"))  # noqa: F405
