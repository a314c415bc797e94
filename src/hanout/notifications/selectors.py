from hanout.notifications.models import Notification


def notifications_for(*, recipient, business, unread_only: bool = False):
    qs = Notification.objects.filter(recipient=recipient, business=business)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(*, recipient, business) -> int:
    return notifications_for(recipient=recipient, business=business, unread_only=True).count()
