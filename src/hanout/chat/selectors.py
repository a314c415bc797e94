"""Reads of the chat: what a person may see, history pages, unread counts, search.

Visibility is one rule, used by the API, the WebSocket and the services: the
business channel and the shop channels are open to every active member of the
business; a group or a direct conversation only to its members. Anything else
(another business's, or a group you are not in) is "not found".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from hanout.chat.models import (
    Attachment,
    ChatSettings,
    Conversation,
    ConversationKind,
    ConversationMember,
    Message,
    MessageKind,
    ReadMarker,
)

OPEN_KINDS = (ConversationKind.BUSINESS, ConversationKind.SHOP)
PAGE_SIZE = 50
CONVERSATION_ORDER = ("-last_message_at", "-id")
MAX_PAGE_SIZE = 200


def fold(text: str) -> str:
    """Lower case without accents or Arabic vowel marks: what search compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def group_name(conversation_id) -> str:
    """The channel group of one conversation's open sockets."""
    return f"chat-conversation-{conversation_id}"


def user_group_name(business_id, user_id) -> str:
    """The channel group of one person's open sockets in one business."""
    return f"chat-user-{business_id}-{user_id}"


def _visible(business, user) -> Q:
    return Q(business=business) & (
        Q(kind__in=OPEN_KINDS)
        | Q(
            pk__in=ConversationMember.objects.filter(business=business, user=user).values(
                "conversation_id"
            )
        )
    )


def conversation_list(*, business, user) -> QuerySet[Conversation]:
    """The conversations `user` sees, newest activity first, each with `unread` and `my_last_read`.

    Unread counts other people's messages after the person's read marker
    (deleted ones too: they were delivered). One query, whatever the number of
    conversations.
    """
    marker = ReadMarker.objects.filter(conversation=OuterRef("pk"), user=user).values(
        "last_read_seq"
    )[:1]
    return (
        Conversation.objects.filter(_visible(business, user))
        .select_related("shop")
        .prefetch_related(
            Prefetch("members", queryset=ConversationMember.objects.select_related("user"))
        )
        .annotate(my_last_read=Coalesce(Subquery(marker), Value(0), output_field=IntegerField()))
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__seq__gt=F("my_last_read")) & ~Q(messages__author=user),
            )
        )
        .order_by(*CONVERSATION_ORDER)
    )


def conversation_get(*, business, user, pk) -> Conversation:
    """One visible conversation; Conversation.DoesNotExist otherwise."""
    return conversation_list(business=business, user=user).get(pk=pk)


def conversation_visible(*, conversation, user) -> bool:
    return Conversation.objects.filter(
        _visible(conversation.business_id, user), pk=conversation.pk
    ).exists()


def conversation_ids_for(*, business_id, user) -> list[str]:
    return [
        str(pk)
        for pk in Conversation.objects.filter(_visible(business_id, user)).values_list(
            "pk", flat=True
        )
    ]


def audience(*, conversation) -> QuerySet:
    """The users who see `conversation` (active members of the business for open channels)."""
    from hanout.accounts.models import Membership, User

    if conversation.kind in OPEN_KINDS:
        ids = Membership.objects.filter(
            business_id=conversation.business_id, is_active=True
        ).values("user_id")
    else:
        ids = ConversationMember.objects.filter(conversation=conversation).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


def member_users(*, conversation) -> list:
    """Explicit members of a group or direct conversation (empty for open channels)."""
    if conversation.kind in OPEN_KINDS:
        return []
    return [m.user for m in conversation.members.all()]  # prefetched by conversation_list


def _messages(conversation) -> QuerySet[Message]:
    return (
        Message.objects.filter(conversation=conversation)
        .select_related("author")
        .prefetch_related("attachments", "mentions")
    )


@dataclass
class HistoryPage:
    items: list
    has_more: bool


def message_history(
    *,
    conversation,
    before: int | None = None,
    after: int | None = None,
    search: str = "",
    size: int = PAGE_SIZE,
) -> HistoryPage:
    """A page of history in sending order (oldest first).

    - `before=N`: the `size` messages just before seq N (scrolling up);
    - `after=N`: the first `size` messages after seq N (catching up after a
      reconnect; ask again from the last seq while `has_more`);
    - neither: the latest `size` messages.

    `search` keeps the messages whose text contains the words, whatever their
    accents or case. Keyset on the unique (conversation, seq): no OFFSET, no count.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    qs = _messages(conversation)
    if search:
        for word in fold(search).split():
            qs = qs.filter(search_text__contains=word, deleted_at__isnull=True)
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: size + 1])
        return HistoryPage(items=rows[:size], has_more=len(rows) > size)
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs.order_by("-seq")[: size + 1])
    return HistoryPage(items=list(reversed(rows[:size])), has_more=len(rows) > size)


def message_get(*, conversation, pk) -> Message:
    return _messages(conversation).get(pk=pk)


def attachment_list(*, business, user) -> QuerySet[Attachment]:
    """Files shared in the conversations `user` sees, newest first."""
    return (
        Attachment.objects.filter(
            business=business,
            message__conversation__in=Conversation.objects.filter(_visible(business, user)),
            message__deleted_at__isnull=True,
        )
        .select_related("message")
        .order_by("-created_at", "-id")
    )


def attachment_get(*, business, user, pk) -> Attachment:
    return attachment_list(business=business, user=user).get(pk=pk)


def max_file_bytes(*, business) -> int:
    found = ChatSettings.objects.filter(business=business).values_list("max_file_mb", flat=True)
    mb = found[0] if found else ChatSettings._meta.get_field("max_file_mb").default
    return mb * 1024 * 1024


def chat_settings(*, business) -> ChatSettings:
    found = ChatSettings.objects.filter(business=business).first()
    return found or ChatSettings(business=business)


def attachment_data(att: Attachment) -> dict:
    base = f"/api/v1/chat/attachments/{att.pk}/"
    return {
        "id": str(att.pk),
        "kind": att.kind,
        "original_name": att.original_name,
        "content_type": att.content_type,
        "size": att.size,
        "width": att.width,
        "height": att.height,
        "duration_ms": att.duration_ms,
        "waveform": list(att.waveform or []),
        "url": base + "?raw=1",
        "thumbnail_url": base + "?thumbnail=1" if att.thumbnail else None,
        # what an <audio> should play: the AAC copy, or the recording when it plays everywhere
        "playable_url": (
            (base + "?playable=1" if att.playable else base + "?raw=1")
            if att.kind == MessageKind.VOICE
            else None
        ),
    }


def message_data(message: Message) -> dict:
    """A message as the API and the WebSocket both show it (JSON-ready).

    A deleted message keeps its place (id, seq, author, time) and shows no
    text, attachments or mentions.
    """
    author = message.author
    deleted = message.deleted_at is not None
    return {
        "id": str(message.pk),
        "conversation": str(message.conversation_id),
        "seq": message.seq,
        "client_id": str(message.client_id) if message.client_id else None,
        "author": (
            {"id": str(author.pk), "name": author.full_name or author.email} if author else None
        ),
        "kind": message.kind,
        "text": "" if deleted else message.text,
        "created_at": message.created_at.isoformat(),
        "edited_at": message.edited_at.isoformat() if message.edited_at else None,
        "deleted": deleted,
        "deleted_at": message.deleted_at.isoformat() if deleted else None,
        "mentions": [] if deleted else [str(m.user_id) for m in message.mentions.all()],
        "attachments": [] if deleted else [attachment_data(a) for a in message.attachments.all()],
    }


def unread_total(*, business, user) -> int:
    """Every unread message of `user` in `business`, as counted by `conversation_list` (the
    menu's badge): one query."""
    from django.db.models import Sum

    found = conversation_list(business=business, user=user).aggregate(total=Sum("unread"))
    return found["total"] or 0
