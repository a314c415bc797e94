"""Settings for the test suite: the real settings, with a throw-away data folder.

Set before the real settings are read, so no test touches the user's data.
"""

import os
import tempfile

os.environ.setdefault("HANOUT_TESTING", "1")
os.environ.setdefault("HANOUT_DATA_DIR", tempfile.mkdtemp(prefix="hanout-test-"))

from hanout.settings import *  # noqa: E402,F403
from hanout.settings import HUEY  # noqa: E402

# Jobs run in the calling thread, so a test can read the email a job sent.
HUEY = {**HUEY, "immediate": True}
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
