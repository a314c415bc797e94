"""Telling people things: an in-app notification, and an email when asked."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from hanout.core import clock
from hanout.notifications.models import Notification


@transaction.atomic
def notify(
    *,
    business,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    email: bool = True,
) -> Notification:
    """Store an in-app notification and, if `email`, send it by email after commit.

    `title` and `body` are rendered by the caller in the recipient's language.
    """
    note = Notification.objects.create(
        business=business, recipient=recipient, kind=kind, title=title[:200], body=body, link=link
    )
    if email and recipient.email:
        base = getattr(settings, "HANOUT_PUBLIC_URL", "").rstrip("/")
        text = body + (f"\n\n{base}{link}" if link and base else "")
        send_mail(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{title}", text, None, [recipient.email])
    return note


@transaction.atomic
def notifications_mark_read(*, recipient, business, ids=None) -> int:
    """Mark the recipient's notifications of this business read (all, or `ids`)."""
    qs = Notification.objects.filter(recipient=recipient, business=business, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=clock.now())


def in_language(language: str | None):
    """Context manager: render a message in the recipient's language."""
    return translation.override(language or settings.LANGUAGE_CODE)


def notify_members(*, business, allowed, kind: str, title, body, link: str = "") -> None:
    """Notify every active member of `business` for whom `allowed(membership)` holds, each
    in their own language: `title` and `body` are callables, called in that language."""
    from hanout.accounts.models import Membership

    members = (
        Membership.objects.filter(business=business, is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("module_access")
    )
    for member in members:
        if not allowed(member):
            continue
        with in_language(member.user.language or business.default_language):
            notify(
                business=business,
                recipient=member.user,
                kind=kind,
                title=str(title()),
                body=str(body()),
                link=link,
            )
