"""Team chat: conversations, their members, messages, attachments and read markers.

Kinds of conversation:

- `business`: one per business, every active member of the business is in it;
- `shop`: one per shop, every active member of the business is in it (members
  are not assigned to shops yet, so a shop channel is a topic, not a wall);
- `group`: named, with explicit members (`ConversationMember` rows);
- `direct`: two people, one conversation per pair (`direct_key` is unique).

Messages carry `seq`, a number per conversation given in the sending
transaction while the conversation row is locked: it is gapless and in commit
order, so "everything after N" after a reconnect never misses a message that
committed late (a UUIDv7 made in another process could sort before one
already seen). Read markers and unread counts use the same number.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hanout.core.models import BusinessOwned

EDIT_WINDOW_MINUTES = 15
MAX_TEXT = 4000


def _private_storage():
    return storages["private"]


class ConversationKind(models.TextChoices):
    BUSINESS = "business", _("Whole business")
    SHOP = "shop", _("Shop")
    GROUP = "group", _("Group")
    DIRECT = "direct", _("Direct message")


class Conversation(BusinessOwned):
    kind = models.CharField(_("kind"), max_length=16, choices=ConversationKind.choices)
    title = models.CharField(_("title"), max_length=120, blank=True)
    shop = models.ForeignKey(
        "core.Shop", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # "<smaller user id>:<larger user id>" for a direct conversation, else "".
    direct_key = models.CharField(max_length=80, blank=True, editable=False)
    last_seq = models.PositiveBigIntegerField(default=0)
    # The last message's time, or the creation time: the list's order ("newest activity first").
    last_message_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConversationKind.values), name="chat_conversation_kind"
            ),
            models.UniqueConstraint(
                fields=["business"],
                condition=Q(kind="business"),
                name="chat_one_business_channel",
            ),
            models.UniqueConstraint(
                fields=["business", "shop"], condition=Q(kind="shop"), name="chat_one_shop_channel"
            ),
            models.UniqueConstraint(
                fields=["business", "direct_key"],
                condition=Q(kind="direct"),
                name="chat_one_direct_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(kind="shop", shop__isnull=False)
                | (~Q(kind="shop") & Q(shop__isnull=True)),
                name="chat_shop_channel_has_shop",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def has_explicit_members(self) -> bool:
        return self.kind in (ConversationKind.GROUP, ConversationKind.DIRECT)


class ConversationMember(BusinessOwned):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="chat_member_once")
        ]


class ReadMarker(BusinessOwned):
    """How far a person has read a conversation (every kind, made on first read)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="read_markers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="chat_read_marker_once")
        ]


class MessageKind(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    FILE = "file", _("File")
    VOICE = "voice", _("Voice message")


class Message(BusinessOwned):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=MessageKind.choices, default=MessageKind.TEXT)
    text = models.TextField(_("message"), max_length=MAX_TEXT, blank=True)
    # Lower-cased, accent-free text for search (kept by the services).
    search_text = models.TextField(blank=True, editable=False)
    client_id = models.UUIDField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["conversation", "seq"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_seq"),
            models.UniqueConstraint(
                fields=["business", "client_id"],
                condition=Q(client_id__isnull=False),
                name="chat_message_client_id",
            ),
            models.CheckConstraint(condition=Q(kind__in=MessageKind.values), name="chat_msg_kind"),
        ]

    def __str__(self) -> str:
        return self.text[:60] or self.get_kind_display()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Mention(BusinessOwned):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="chat_mention_once")
        ]


class Attachment(BusinessOwned):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=MessageKind.choices)
    file = models.FileField(_("file"), storage=_private_storage, upload_to="chat/")
    thumbnail = models.FileField(
        _("thumbnail"), storage=_private_storage, upload_to="chat/thumbs/", blank=True
    )
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Voice messages: length and a coarse loudness curve (0–100), measured on upload
    # (chat.audio), and an AAC/MP4 copy when the recording does not play everywhere.
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    waveform = models.JSONField(default=list, blank=True)
    playable = models.FileField(
        _("playable copy"), storage=_private_storage, upload_to="chat/playable/", blank=True
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ChatSettings(models.Model):
    """Per-business chat settings (made with defaults on first change)."""

    business = models.OneToOneField(
        "core.Business", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    max_file_mb = models.PositiveIntegerField(_("largest file (MB)"), default=25)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(max_file_mb__gte=1) & Q(max_file_mb__lte=100),
                name="chat_max_file_mb_range",
            )
        ]

    def __str__(self) -> str:
        return str(_("Chat settings"))
