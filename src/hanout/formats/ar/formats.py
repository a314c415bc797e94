# Django's Arabic formats lack the short date-time; without it pages fall back
# to the US order (month/day). Day first, 24-hour clock, as in Morocco.
from django.conf.locale.ar.formats import *  # noqa: F403

SHORT_DATETIME_FORMAT = "d‏/m‏/Y H:i"
DATETIME_FORMAT = "j F، Y H:i"
TIME_FORMAT = "H:i"
