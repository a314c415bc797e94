"""Email goes out through a background job.

`QueuedEmailBackend` is Django's EMAIL_BACKEND: it queues each message after
the surrounding transaction commits (so a rolled-back registration sends
nothing), and the job hands it to HANOUT_EMAIL_DELIVERY_BACKEND (SMTP, or the
console when no SMTP host is configured).
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


class QueuedEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from hanout.core.tasks import deliver_email

        count = 0
        for message in email_messages:
            message.connection = None
            transaction.on_commit(lambda m=message: deliver_email(m))
            count += 1
        return count
