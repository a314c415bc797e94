"""Background jobs of the core: email delivery."""

from django.conf import settings
from django.core.mail import get_connection
from huey.contrib.djhuey import task


@task(retries=3, retry_delay=30)
def deliver_email(message) -> int:
    """Hand one message to the real delivery backend; retried on failure."""
    connection = get_connection(settings.HANOUT_EMAIL_DELIVERY_BACKEND, fail_silently=False)
    return connection.send_messages([message])
