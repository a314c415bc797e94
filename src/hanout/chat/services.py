"""Every write of the chat.

Persist first, push second: each service commits, then (on commit) pushes the
change to the conversation's channel group. A push can be lost (a socket that
is reconnecting, channels-redis dropping a group message); the client then
asks for "everything after seq N" and loses nothing.

Messages are not written to the audit log one by one (the message row is its
own record of who said what, when); conversations, edits, deletions and
settings are.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import uuid

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hanout.chat import files, selectors
from hanout.chat.models import (
    EDIT_WINDOW_MINUTES,
    MAX_TEXT,
    Attachment,
    ChatSettings,
    Conversation,
    ConversationKind,
    ConversationMember,
    Mention,
    Message,
    MessageKind,
    ReadMarker,
)
from hanout.core import audit, clock, events, idempotency
from hanout.core.errors import NotFound, PermissionDenied, ValidationFailed
from hanout.core.permissions import Role

ACTION_LABELS = {
    "chat.conversation_create": gettext_lazy("Started a conversation"),
    "chat.conversation_update": gettext_lazy("Renamed a conversation"),
    "chat.member_add": gettext_lazy("Added someone to a conversation"),
    "chat.member_remove": gettext_lazy("Removed someone from a conversation"),
    "chat.message_edit": gettext_lazy("Edited a chat message"),
    "chat.message_delete": gettext_lazy("Deleted a chat message"),
    "chat.settings_update": gettext_lazy("Changed the chat settings"),
}

MAX_GROUP_MEMBERS = 500


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", fields={field: [message]})


def _push(group: str, event: str, data: dict) -> None:
    """After commit, send `data` to the sockets in `group` (never before: persist first).

    The frame the sockets send is encoded here, once, not once per socket: a
    message to a 1,000-member conversation is one JSON encoding, not 1,000."""
    if event.startswith("message."):  # the sockets only pass the frame on
        frame = json.dumps({"type": event, "message": data})
        message = {"type": "chat.event", "group": group, "event": event, "frame": frame}
    else:  # joining or leaving: the socket needs the conversation too
        frame = json.dumps({"type": event, **data})
        message = {
            "type": "chat.event",
            "group": group,
            "event": event,
            "data": data,
            "frame": frame,
        }
    transaction.on_commit(lambda: events.push(group, message))


def _active_member_ids(business, user_ids) -> set:
    from hanout.accounts.models import Membership

    return set(
        Membership.objects.filter(
            business=business, user_id__in=list(user_ids), is_active=True
        ).values_list("user_id", flat=True)
    )


def _role(business, user) -> str | None:
    from hanout.accounts.models import Membership

    return (
        Membership.objects.filter(business=business, user=user, is_active=True)
        .values_list("role", flat=True)
        .first()
    )


def _require_visible(conversation: Conversation, actor) -> None:
    if _role(conversation.business_id, actor) is None or not selectors.conversation_visible(
        conversation=conversation, user=actor
    ):
        raise NotFound(_("This conversation does not exist."))


def _announce_to(conversation: Conversation, user_ids) -> None:
    """Tell the people's open sockets to join a conversation they now see."""
    for user_id in user_ids:
        _push(
            selectors.user_group_name(conversation.business_id, user_id),
            "conversation.joined",
            {"conversation": str(conversation.pk)},
        )


# --- conversations ---------------------------------------------------------------------------


@transaction.atomic
def channels_ensure(*, business, actor=None) -> list[Conversation]:
    """The business channel and one channel per active shop, made once (idempotent)."""
    from hanout.core.models import Shop

    made = []
    if not Conversation.objects.filter(business=business, kind=ConversationKind.BUSINESS).exists():
        made.append(
            Conversation.objects.create(
                business=business, kind=ConversationKind.BUSINESS, title=business.name
            )
        )
    have = set(
        Conversation.objects.filter(business=business, kind=ConversationKind.SHOP).values_list(
            "shop_id", flat=True
        )
    )
    for shop in Shop.objects.for_business(business).filter(is_active=True).order_by("name", "id"):
        if shop.pk not in have:
            made.append(
                Conversation.objects.create(
                    business=business, kind=ConversationKind.SHOP, shop=shop, title=shop.name
                )
            )
    for conversation in made:
        audit.record(
            business=business, actor=actor, action="chat.conversation_create", obj=conversation
        )
    return made


@transaction.atomic
def group_create(*, business, actor, title: str, member_ids: list) -> Conversation:
    """A named group of the actor and `member_ids` (active members of the business)."""
    title = (title or "").strip()
    if not title:
        raise _invalid("title", _("Give the group a name."))
    if len(title) > 120:
        raise _invalid("title", _("At most 120 characters."))
    wanted = {*member_ids, actor.pk}
    if len(wanted) > MAX_GROUP_MEMBERS:
        raise _invalid("members", _("At most %(n)d people.") % {"n": MAX_GROUP_MEMBERS})
    found = _active_member_ids(business, wanted)
    if actor.pk not in found:
        raise PermissionDenied(_("Only members of the business can start a conversation."))
    missing = wanted - found
    if missing:
        raise NotFound(
            _("Some of these people are not in the business."),
            fields={"members": [str(m) for m in sorted(map(str, missing))]},
        )
    conversation = Conversation.objects.create(
        business=business, kind=ConversationKind.GROUP, title=title, created_by=actor
    )
    ConversationMember.objects.bulk_create(
        [ConversationMember(business=business, conversation=conversation, user_id=u) for u in found]
    )
    audit.record(
        business=business,
        actor=actor,
        action="chat.conversation_create",
        obj=conversation,
        changes={"members": [None, sorted(str(u) for u in found)]},
    )
    _announce_to(conversation, found)
    return conversation


@transaction.atomic
def direct_open(*, business, actor, other_id) -> tuple[Conversation, bool]:
    """The one direct conversation between the actor and `other_id`; made the first time.

    Returns (conversation, created).
    """
    if str(other_id) == str(actor.pk):
        raise _invalid("user", _("Choose someone else."))
    found = _active_member_ids(business, {actor.pk, other_id})
    if actor.pk not in found:
        raise PermissionDenied(_("Only members of the business can start a conversation."))
    if len(found) != 2:
        raise NotFound(_("This person is not in the business."), fields={"user": [_("Not found.")]})
    a, b = sorted(str(u) for u in found)
    key = f"{a}:{b}"
    existing = Conversation.objects.filter(
        business=business, kind=ConversationKind.DIRECT, direct_key=key
    ).first()
    if existing is not None:
        return existing, False
    conversation = Conversation.objects.create(
        business=business, kind=ConversationKind.DIRECT, direct_key=key, created_by=actor
    )
    ConversationMember.objects.bulk_create(
        [ConversationMember(business=business, conversation=conversation, user_id=u) for u in found]
    )
    audit.record(
        business=business, actor=actor, action="chat.conversation_create", obj=conversation
    )
    _announce_to(conversation, found)
    return conversation, True


@transaction.atomic
def group_members_add(*, conversation: Conversation, actor, member_ids: list) -> list:
    """Add active members of the business to a group the actor is in."""
    _require_visible(conversation, actor)
    if conversation.kind != ConversationKind.GROUP:
        raise _invalid("members", _("Only groups have members to add."))
    found = _active_member_ids(conversation.business_id, member_ids)
    missing = set(member_ids) - found
    if missing:
        raise NotFound(_("Some of these people are not in the business."), fields={"members": []})
    have = set(
        ConversationMember.objects.filter(conversation=conversation).values_list(
            "user_id", flat=True
        )
    )
    new = sorted(found - have, key=str)
    ConversationMember.objects.bulk_create(
        [
            ConversationMember(
                business_id=conversation.business_id, conversation=conversation, user_id=u
            )
            for u in new
        ]
    )
    if new:
        audit.record(
            business=conversation.business,
            actor=actor,
            action="chat.member_add",
            obj=conversation,
            changes={"members": [None, [str(u) for u in new]]},
        )
        _announce_to(conversation, new)
    return new


@transaction.atomic
def group_leave(*, conversation: Conversation, actor) -> None:
    """The actor leaves a group (direct conversations and channels cannot be left)."""
    _require_visible(conversation, actor)
    if conversation.kind != ConversationKind.GROUP:
        raise _invalid("conversation", _("Only a group can be left."))
    ConversationMember.objects.filter(conversation=conversation, user=actor).delete()
    # The person's open sockets stop listening to it.
    _push(
        selectors.user_group_name(conversation.business_id, actor.pk),
        "conversation.left",
        {"conversation": str(conversation.pk)},
    )
    audit.record(
        business=conversation.business,
        actor=actor,
        action="chat.member_remove",
        obj=conversation,
        changes={"members": [str(actor.pk), None]},
    )


# --- messages --------------------------------------------------------------------------------


def _mentioned(conversation: Conversation, text: str, explicit: list) -> set:
    """Who is @mentioned: ids the client names, plus "@Full Name" / "@email-name" in the text.

    Only people who see the conversation can be mentioned (a name that matches
    no one is plain text).
    """
    if not explicit and "@" not in text:  # most messages: no query at all
        return set()
    people = selectors.audience(conversation=conversation)
    out: set = set()
    if explicit:
        wanted = {str(i) for i in explicit}
        out |= {pk for pk in people.values_list("pk", flat=True) if str(pk) in wanted}
    if "@" in text:
        folded = selectors.fold(text)
        # tuples, not model instances: a 1,000-member channel is read in a few milliseconds
        for pk, full_name, email in people.values_list("pk", "full_name", "email"):
            for handle in (selectors.fold(full_name), selectors.fold(email.split("@")[0])):
                if handle and f"@{handle}" in folded:
                    out.add(pk)
                    break
    return out


def _clean_text(text: str | None) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise _invalid("text", _("The message contains characters that cannot be stored."))
    if len(text) > MAX_TEXT:
        raise _invalid(
            "text", _("A message is at most %(n)d characters; split it in two.") % {"n": MAX_TEXT}
        )
    return text


def _next_seq(conversation: Conversation, now) -> int:
    """Take the next number of the conversation, holding its row until commit.

    On PostgreSQL the UPDATE locks the row, so a second sender waits and numbers
    follow commit order; on SQLite the write transaction is already serialised.
    """
    Conversation.objects.filter(pk=conversation.pk).update(
        last_seq=F("last_seq") + 1, last_message_at=now
    )
    return Conversation.objects.values_list("last_seq", flat=True).get(pk=conversation.pk)


@transaction.atomic
def message_send(
    *,
    conversation: Conversation,
    actor,
    text: str = "",
    client_id: uuid.UUID | None = None,
    mentions: list | None = None,
    upload=None,
    kind: str = MessageKind.TEXT,
) -> Message:
    """Save a message (with at most one attachment), then push it to the conversation.

    Idempotent on `client_id`: sending the same id again returns the first
    message and pushes nothing. An empty message, an oversized or fake file is
    a ValidationFailed and nothing is written.
    """
    _require_visible(conversation, actor)
    text = _clean_text(text)
    if upload is None:
        if kind != MessageKind.TEXT:
            raise files.refuse(_("Choose a file."))
        if not text:
            raise _invalid("text", _("Write a message."))
        checked = None
    else:
        checked = files.check(
            upload,
            kind=kind,
            max_bytes=selectors.max_file_bytes(business=conversation.business),
        )
    fingerprint = {
        "conversation": str(conversation.pk),
        "text": text,
        "file": [checked.original_name, checked.size] if checked else None,
    }
    first = idempotency.claim(
        business=conversation.business,
        key=client_id,
        scope="chat.message_send",
        payload=fingerprint,
    )
    if first is not None:
        return Message.objects.get(pk=first, business=conversation.business)

    now = clock.now()
    message = Message.objects.create(
        business_id=conversation.business_id,
        conversation=conversation,
        seq=_next_seq(conversation, now),
        author=actor,
        kind=checked.kind if checked else MessageKind.TEXT,
        text=text,
        search_text=selectors.fold(text),
        client_id=client_id,
    )
    Mention.objects.bulk_create(
        [
            Mention(business_id=conversation.business_id, message=message, user_id=u)
            for u in _mentioned(conversation, text, mentions or [])
        ]
    )
    if checked is not None:
        _attach(message, upload, checked)
    idempotency.remember(business=conversation.business, key=client_id, result_id=message.pk)
    message = selectors.message_get(conversation=conversation, pk=message.pk)
    _push(selectors.group_name(conversation.pk), "message.new", selectors.message_data(message))
    return message


def _attach(message: Message, upload, checked: files.CheckedFile) -> Attachment:
    att = Attachment(
        business_id=message.business_id,
        message=message,
        kind=checked.kind,
        content_type=checked.content_type,
        original_name=checked.original_name,
        size=checked.size,
        width=checked.width,
        height=checked.height,
        duration_ms=checked.duration_ms,
        waveform=checked.waveform,
    )
    upload.seek(0)
    att.file.save(f"{att.pk}{checked.extension}", upload, save=False)
    if checked.thumbnail is not None:
        att.thumbnail.save(f"{att.pk}-thumb.webp", checked.thumbnail, save=False)
    if checked.playable is not None:
        att.playable.save(f"{att.pk}.m4a", checked.playable, save=False)
    att.save()
    return att


def _lock_message(message: Message) -> Message:
    return (
        Message.objects.select_for_update()
        .select_related("conversation__business")
        .get(pk=message.pk)
    )


@transaction.atomic
def message_edit(*, message: Message, actor, text: str) -> Message:
    """Change the text of one's own message, within 15 minutes of sending it."""
    message = _lock_message(message)
    conversation = message.conversation
    _require_visible(conversation, actor)
    if message.author_id != actor.pk:
        raise PermissionDenied(_("You can only edit your own messages."), code="not_author")
    if message.deleted_at is not None:
        raise _invalid("text", _("This message was deleted."))
    if clock.now() - message.created_at > datetime.timedelta(minutes=EDIT_WINDOW_MINUTES):
        raise PermissionDenied(
            _("A message can be edited for %(n)d minutes after sending it.")
            % {"n": EDIT_WINDOW_MINUTES},
            code="edit_window_closed",
        )
    text = _clean_text(text)
    if not text and not message.attachments.exists():
        raise _invalid("text", _("Write a message, or delete it."))
    before = message.text
    if text == before:
        return selectors.message_get(conversation=conversation, pk=message.pk)
    message.text = text
    message.search_text = selectors.fold(text)
    message.edited_at = clock.now()
    message.save(update_fields=["text", "search_text", "edited_at", "updated_at"])
    message.mentions.all().delete()
    Mention.objects.bulk_create(
        [
            Mention(business_id=message.business_id, message=message, user_id=u)
            for u in _mentioned(conversation, text, [])
        ]
    )
    audit.record(
        business=conversation.business,
        actor=actor,
        action="chat.message_edit",
        obj=message,
        changes={"text": [before, text]},
    )
    message = selectors.message_get(conversation=conversation, pk=message.pk)
    _push(selectors.group_name(conversation.pk), "message.updated", selectors.message_data(message))
    return message


@transaction.atomic
def message_delete(*, message: Message, actor) -> Message:
    """Delete a message, leaving a "deleted" mark in its place.

    The author may delete their own; an owner or manager any. The text,
    mentions and attached files are removed for good.
    """
    message = _lock_message(message)
    conversation = message.conversation
    _require_visible(conversation, actor)
    role = _role(conversation.business_id, actor)
    if message.author_id != actor.pk and role not in (Role.OWNER, Role.MANAGER):
        raise PermissionDenied(_("You can only delete your own messages."), code="not_author")
    if message.deleted_at is not None:
        return selectors.message_get(conversation=conversation, pk=message.pk)
    storage = Attachment._meta.get_field("file").storage
    names = [n for a in message.attachments.all() for n in (a.file.name, a.thumbnail.name) if n]
    audit.record(
        business=conversation.business,
        actor=actor,
        action="chat.message_delete",
        obj=message,
        changes={"text": [message.text, None]},
    )
    message.attachments.all().delete()
    message.mentions.all().delete()
    message.text = ""
    message.search_text = ""
    message.deleted_at = clock.now()
    message.deleted_by = actor
    message.save(update_fields=["text", "search_text", "deleted_at", "deleted_by", "updated_at"])

    def remove_files():
        for name in names:
            with contextlib.suppress(OSError):
                storage.delete(name)

    transaction.on_commit(remove_files)
    message = selectors.message_get(conversation=conversation, pk=message.pk)
    _push(selectors.group_name(conversation.pk), "message.deleted", selectors.message_data(message))
    return message


@transaction.atomic
def read_mark(*, conversation: Conversation, actor, seq: int | None = None) -> ReadMarker:
    """Everything up to `seq` (default: the latest) is read by the actor. Never goes back."""
    _require_visible(conversation, actor)
    last = Conversation.objects.values_list("last_seq", flat=True).get(pk=conversation.pk)
    if seq is None or seq > last:
        seq = last
    if seq < 0:
        raise _invalid("seq", _("Give a message number of this conversation."))
    marker, _created = ReadMarker.objects.get_or_create(
        conversation=conversation,
        user=actor,
        defaults={"business_id": conversation.business_id, "last_read_seq": seq},
    )
    if marker.last_read_seq < seq:
        ReadMarker.objects.filter(pk=marker.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
        marker.last_read_seq = seq
    _push(
        selectors.user_group_name(conversation.business_id, actor.pk),
        "read",
        {"conversation": str(conversation.pk), "seq": marker.last_read_seq},
    )
    return marker


# --- settings --------------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, business, actor, max_file_mb: int) -> ChatSettings:
    """Change the largest file a person may send (1–100 MB)."""
    if not isinstance(max_file_mb, int) or not 1 <= max_file_mb <= 100:
        raise _invalid("max_file_mb", _("Choose between 1 and 100 MB."))
    found, _created = ChatSettings.objects.select_for_update().get_or_create(business=business)
    before = found.max_file_mb
    found.max_file_mb = max_file_mb
    found.save()
    audit.record(
        business=business,
        actor=actor,
        action="chat.settings_update",
        object_type="chat.chatsettings",
        object_id=str(business.pk),
        object_repr=str(_("Chat settings")),
        changes={"max_file_mb": [before, max_file_mb]} if before != max_file_mb else {},
    )
    return found
