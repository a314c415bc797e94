"""REST API of the team chat (module Chat; the settings need Settings).

- `/api/v1/chat/conversations/`: the conversations you see, newest activity
  first, each with `unread` and `last_seq`; POST `{"kind": "group", "title",
  "members": [user ids]}` or `{"kind": "direct", "user": id}` (a direct
  conversation is made once per pair; asking again answers the same one, 200).
- `…/{id}/`: one conversation with its members (groups, direct).
- `…/{id}/messages/`: GET history, oldest first: `?before=<seq>` (scrolling up),
  `?after=<seq>` (everything after what you have: reconnecting), `?search=`
  (accent- and case-insensitive), `?size=` (≤ 200). POST `{"text", "client_id",
  "mentions"}`: sending again with the same `client_id` answers the first
  message (200 instead of 201) and writes nothing.
- `…/{id}/messages/{message_id}/`: GET; PATCH `{"text"}` (own, 15 minutes);
  DELETE (own, or any for an owner or manager) leaves a "deleted" mark.
- `…/{id}/uploads/`: POST multipart `file`, `kind` (image, file, voice),
  optional `text`, `client_id`: one message with the file (a voice message's
  length and waveform are measured here, and it gets a copy every browser
  plays).
- `…/{id}/read/`: POST `{"seq"}` (default: the latest): read up to there.
- `…/{id}/members/`: POST `{"members": [user ids]}` adds people to a group;
  `…/{id}/leave/`: POST leaves it.
- `/api/v1/chat/attachments/`: files shared in your conversations; `{id}/`
  answers JSON, `?raw=1` the bytes (files always as a download, never shown
  inline), `?thumbnail=1` an image's WebP thumbnail, `?playable=1` a voice
  message's AAC copy.
- `/api/v1/chat/presence/`: who is online, idle or offline, with last seen.
- `/api/v1/chat/settings/`: GET/PATCH `{"max_file_mb"}` (owners).

New messages, edits, deletions, typing and presence arrive over the WebSocket
`/ws/chat/` (docs/chat-protocol.md).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from hanout.chat import presence, selectors, services
from hanout.chat.models import (
    MAX_TEXT,
    Attachment,
    ChatSettings,
    Conversation,
    ConversationKind,
    Message,
    MessageKind,
)
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import ValidationFailed
from hanout.core.keyset import keyset_page
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.expenses.exports import attachment_response

# --- output ----------------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


_YES = ("1", "true")
_MESSAGE_KINDS = gettext_lazy("One of: text, image, file, voice.")
_CONVERSATION_KINDS = gettext_lazy("One of: business, shop, group, direct.")


class AttachmentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=_MESSAGE_KINDS)
    url = serializers.CharField(help_text=gettext_lazy("The bytes (`?raw=1`)."))
    thumbnail_url = serializers.CharField(allow_null=True)
    playable_url = serializers.CharField(
        allow_null=True,
        help_text=gettext_lazy(
            "Voice: what an audio player should play (an AAC copy, or the recording itself"
            " when every browser plays it)."
        ),
    )
    waveform = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=100))

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "width",
            "height",
            "duration_ms",
            "waveform",
            "url",
            "thumbnail_url",
            "playable_url",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        return selectors.attachment_data(instance)


class MessageSerializer(serializers.ModelSerializer):
    """The same JSON as the WebSocket's `message.new` (selectors.message_data)."""

    conversation = serializers.UUIDField()
    kind = serializers.CharField(help_text=_MESSAGE_KINDS)
    author = PersonSerializer(allow_null=True)
    deleted = serializers.BooleanField()
    mentions = serializers.ListField(child=serializers.UUIDField())
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation",
            "seq",
            "client_id",
            "author",
            "kind",
            "text",
            "created_at",
            "edited_at",
            "deleted",
            "deleted_at",
            "mentions",
            "attachments",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        return selectors.message_data(instance)


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    has_more = serializers.BooleanField(
        help_text=gettext_lazy(
            "More messages before the first (latest page, `before`) or after the last (`after`)."
        )
    )


class ConversationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_CONVERSATION_KINDS)
    shop = serializers.UUIDField(source="shop_id", allow_null=True, read_only=True)
    unread = serializers.IntegerField(read_only=True)
    my_last_read = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("The last message number you have read.")
    )
    name = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = [
            "id",
            "kind",
            "name",
            "title",
            "shop",
            "last_seq",
            "last_message_at",
            "unread",
            "my_last_read",
            "created_at",
        ]
        read_only_fields = fields

    def get_name(self, obj) -> str:
        """What to show: the title, or for a direct conversation the other person's name."""
        if obj.kind == ConversationKind.DIRECT:
            me = str(self.context["request"].user.pk)
            others = [u for u in selectors.member_users(conversation=obj) if str(u.pk) != me]
            if others:
                return others[0].full_name or others[0].email
        return obj.title or str(obj.get_kind_display())


class ConversationPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text=gettext_lazy("The next page."))
    previous = serializers.CharField(allow_null=True)
    results = ConversationSerializer(many=True)


class ConversationQuerySerializer(serializers.Serializer):
    after = serializers.CharField(
        required=False, max_length=200, help_text=gettext_lazy("The cursor of a `next` link.")
    )
    before = serializers.CharField(required=False, max_length=200)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.MAX_PAGE_SIZE, default=selectors.PAGE_SIZE
    )


class ConversationDetailSerializer(ConversationSerializer):
    members = serializers.SerializerMethodField()

    class Meta(ConversationSerializer.Meta):
        fields = [*ConversationSerializer.Meta.fields, "members"]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(many=True))
    def get_members(self, obj) -> list[dict]:
        """Explicit members (groups, direct); empty for the business and shop channels."""
        return [
            {"id": str(u.pk), "name": u.full_name or u.email}
            for u in selectors.member_users(conversation=obj)
        ]


class PresenceSerializer(serializers.Serializer):
    user = PersonSerializer()
    status = serializers.CharField(help_text=gettext_lazy("online, idle or offline."))
    last_seen = serializers.DateTimeField(allow_null=True)


class ReadSerializer(serializers.Serializer):
    conversation = serializers.UUIDField()
    seq = serializers.IntegerField()


class SettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChatSettings
        fields = ["max_file_mb"]


# --- input -----------------------------------------------------------------------------------


class ConversationCreateSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=gettext_lazy("group or direct."))
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    members = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=services.MAX_GROUP_MEMBERS
    )
    user = serializers.UUIDField(
        required=False, help_text=gettext_lazy("The other person (direct).")
    )

    def validate_kind(self, value):
        if value not in (ConversationKind.GROUP, ConversationKind.DIRECT):
            raise serializers.ValidationError(_("Choose group or direct."))
        return value

    def validate(self, data):
        if data["kind"] == ConversationKind.DIRECT and not data.get("user"):
            raise serializers.ValidationError({"user": [_("Choose who to write to.")]})
        return data


class MessageSendSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_TEXT, allow_blank=True, trim_whitespace=False, required=False, default=""
    )
    client_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Made by the client; sending again with it changes nothing."),
    )
    mentions = serializers.ListField(child=serializers.UUIDField(), required=False, max_length=100)


class MessageEditSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, trim_whitespace=False)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.CharField(help_text=gettext_lazy("image, file or voice."))
    text = serializers.CharField(
        max_length=MAX_TEXT, allow_blank=True, trim_whitespace=False, required=False, default=""
    )
    client_id = serializers.UUIDField(required=False, allow_null=True)

    def validate_kind(self, value):
        if value not in (MessageKind.IMAGE, MessageKind.FILE, MessageKind.VOICE):
            raise serializers.ValidationError(_("Choose image, file or voice."))
        return value


class ReadMarkSerializer(serializers.Serializer):
    seq = serializers.IntegerField(required=False, min_value=0)


class MembersAddSerializer(serializers.Serializer):
    members = serializers.ListField(
        child=serializers.UUIDField(), allow_empty=False, max_length=services.MAX_GROUP_MEMBERS
    )


class HistoryQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(required=False, min_value=0)
    after = serializers.IntegerField(required=False, min_value=0)
    search = serializers.CharField(required=False, max_length=200)
    size = serializers.IntegerField(
        required=False, min_value=1, max_value=selectors.MAX_PAGE_SIZE, default=selectors.PAGE_SIZE
    )

    def validate(self, data):
        if "before" in data and "after" in data:
            raise serializers.ValidationError({"after": [_("Use either before or after.")]})
        return data


# --- viewsets --------------------------------------------------------------------------------

MESSAGE_ID = (
    r"messages/(?P<message_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
)


@extend_schema_view(
    list=extend_schema(
        parameters=[ConversationQuerySerializer], responses=ConversationPageSerializer
    ),
    retrieve=extend_schema(responses=ConversationDetailSerializer),
    create=extend_schema(
        request=ConversationCreateSerializer,
        responses={
            201: ConversationDetailSerializer,
            200: OpenApiResponse(
                ConversationDetailSerializer,
                description=gettext_lazy("The direct conversation already existed."),
            ),
        },
    ),
    read=extend_schema(request=ReadMarkSerializer, responses=ReadSerializer),
    members=extend_schema(request=MembersAddSerializer, responses=ConversationDetailSerializer),
    leave=extend_schema(request=None, responses={204: None}),
    uploads=extend_schema(
        request={"multipart/form-data": UploadSerializer},
        responses={201: MessageSerializer, 200: MessageSerializer},
    ),
)
class ConversationViewSet(ApiViewSet):
    """The conversations of the signed-in person in the current business."""

    module = Module.CHAT
    model = Conversation
    serializer_class = ConversationSerializer
    pagination_class = None
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def scoped_queryset(self, **filters):
        return selectors.conversation_list(business=self.request.business, user=self.request.user)

    def list(self, request):
        """Newest activity first, in keyset pages (`next` / `previous` links)."""
        query = self.query(ConversationQuerySerializer)
        page = keyset_page(
            self.scoped_queryset(),
            order=selectors.CONVERSATION_ORDER,
            size=query["page_size"],
            after=query.get("after"),
            before=query.get("before"),
        )

        def link(key, cursor):
            if cursor is None:
                return None
            params = {key: cursor, "page_size": query["page_size"]}
            return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

        results = ConversationSerializer(
            page.items, many=True, context=self.get_serializer_context()
        ).data
        return Response(
            {
                "next": link("after", page.next_cursor),
                "previous": link("before", page.previous_cursor),
                "results": results,
            }
        )

    def retrieve(self, request, pk=None):
        return self.respond(ConversationDetailSerializer, self.get_object())

    def create(self, request):
        data = self.validated(ConversationCreateSerializer)
        created = True
        if data["kind"] == ConversationKind.DIRECT:
            conversation, created = services.direct_open(
                business=request.business, actor=request.user, other_id=data["user"]
            )
        else:
            conversation = services.group_create(
                business=request.business,
                actor=request.user,
                title=data.get("title", ""),
                member_ids=data.get("members", []),
            )
        return self.respond(
            ConversationDetailSerializer,
            self._fresh(conversation),
            status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        conversation = self.get_object()
        data = self.validated(ReadMarkSerializer)
        marker = services.read_mark(
            conversation=conversation, actor=request.user, seq=data.get("seq")
        )
        return Response({"conversation": str(conversation.pk), "seq": marker.last_read_seq})

    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        conversation = self.get_object()
        data = self.validated(MembersAddSerializer)
        services.group_members_add(
            conversation=conversation, actor=request.user, member_ids=data["members"]
        )
        return self.respond(ConversationDetailSerializer, self._fresh(conversation))

    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        services.group_leave(conversation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        parameters=[HistoryQuerySerializer],
        responses={
            200: MessagePageSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy("Bad query parameters; `fields` names them."),
            ),
        },
    )
    @extend_schema(
        methods=["POST"],
        request=MessageSendSerializer,
        responses={
            201: MessageSerializer,
            200: OpenApiResponse(
                MessageSerializer,
                description=gettext_lazy("Sent before with this client_id: the first message."),
            ),
        },
    )
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, pk=None):
        conversation = self.get_object()
        if request.method == "GET":
            query = self.query(HistoryQuerySerializer)
            page = selectors.message_history(conversation=conversation, **query)
            return Response(
                {
                    "results": [selectors.message_data(m) for m in page.items],
                    "has_more": page.has_more,
                }
            )
        data = self.validated(MessageSendSerializer)
        return self._sent(
            conversation,
            client_id=data.get("client_id"),
            text=data.get("text", ""),
            mentions=data.get("mentions", []),
        )

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def uploads(self, request, pk=None):
        conversation = self.get_object()
        data = self.validated(UploadSerializer)
        return self._sent(
            conversation,
            client_id=data.get("client_id"),
            text=data.get("text", ""),
            upload=data["file"],
            kind=data["kind"],
        )

    @extend_schema(
        methods=["GET"],
        operation_id="chat_conversations_message_retrieve",
        request=None,
        responses=MessageSerializer,
    )
    @extend_schema(methods=["PATCH"], request=MessageEditSerializer, responses=MessageSerializer)
    @extend_schema(methods=["DELETE"], request=None, responses={200: MessageSerializer})
    @action(detail=True, methods=["get", "patch", "delete"], url_path=MESSAGE_ID)
    def message(self, request, pk=None, message_id=None):
        conversation = self.get_object()
        try:
            message = selectors.message_get(conversation=conversation, pk=message_id)
        except (Message.DoesNotExist, ValueError, DjangoValidationError) as exc:
            raise Http404 from exc
        if request.method == "PATCH":
            data = self.validated(MessageEditSerializer)
            message = services.message_edit(message=message, actor=request.user, text=data["text"])
        elif request.method == "DELETE":
            message = services.message_delete(message=message, actor=request.user)
        return self.respond(MessageSerializer, message)

    def _sent(self, conversation, *, client_id, **kwargs):
        known = (
            client_id is not None
            and Message.objects.filter(business=self.request.business, client_id=client_id).exists()
        )
        message = services.message_send(
            conversation=conversation, actor=self.request.user, client_id=client_id, **kwargs
        )
        return self.respond(
            MessageSerializer,
            message,
            status_code=status.HTTP_200_OK if known else status.HTTP_201_CREATED,
        )

    def _fresh(self, conversation):
        return selectors.conversation_get(
            business=self.request.business, user=self.request.user, pk=conversation.pk
        )


@extend_schema_view(
    list=extend_schema(responses=AttachmentSerializer(many=True)),
    retrieve=extend_schema(
        parameters=[
            OpenApiParameter(
                "raw",
                OpenApiTypes.BOOL,
                required=False,
                description=gettext_lazy(
                    "1: the bytes (a file always as a download with its original name)."
                ),
            ),
            OpenApiParameter(
                "thumbnail",
                OpenApiTypes.BOOL,
                required=False,
                description=gettext_lazy("1: an image's WebP thumbnail."),
            ),
            OpenApiParameter(
                "playable",
                OpenApiTypes.BOOL,
                required=False,
                description=gettext_lazy(
                    "1: a voice message's AAC/MP4 copy, which every browser plays."
                ),
            ),
        ],
        responses={
            200: OpenApiResponse(
                AttachmentSerializer,
                description=gettext_lazy(
                    "JSON; with ?raw=1, ?thumbnail=1 or ?playable=1 the bytes."
                ),
            )
        },
    ),
)
class AttachmentViewSet(ApiViewSet):
    """Images, files and voice messages shared in the conversations you see."""

    module = Module.CHAT
    model = Attachment
    serializer_class = AttachmentSerializer

    def scoped_queryset(self, **filters):
        return selectors.attachment_list(business=self.request.business, user=self.request.user)

    def list(self, request):
        return self.paginated(AttachmentSerializer, self.scoped_queryset())

    def retrieve(self, request, pk=None):
        att = self.get_object()
        asked = {k for k in ("raw", "thumbnail", "playable") if request.query_params.get(k) in _YES}
        if "thumbnail" in asked:
            if not att.thumbnail:
                raise Http404
            return attachment_response(att, field=att.thumbnail, content_type="image/webp")
        if "playable" in asked:
            if att.kind != MessageKind.VOICE:
                raise Http404
            if not att.playable:  # the recording plays everywhere as it is
                return attachment_response(att)
            return attachment_response(att, field=att.playable, content_type="audio/mp4")
        if "raw" in asked:
            # Images and voice play inline (their type was read from their bytes);
            # any other file is only ever a download.
            return attachment_response(att, download=att.kind == MessageKind.FILE)
        return self.respond(AttachmentSerializer, att)


@extend_schema_view(list=extend_schema(responses=PresenceSerializer(many=True)))
class PresenceViewSet(ApiViewSet):
    """Who of the business is online, idle or offline (from the chat sockets' heartbeats)."""

    module = Module.CHAT
    model = Conversation
    pagination_class = None
    serializer_class = PresenceSerializer

    def scoped_queryset(self, **filters):
        return Conversation.objects.none()

    def list(self, request):
        from hanout.accounts.selectors import member_list

        people = [m.user for m in member_list(business=request.business, active=True)]
        found = presence.statuses(business_id=request.business.pk, user_ids=[u.pk for u in people])
        rows = [
            {
                "user": {"id": str(u.pk), "name": u.full_name or u.email},
                "status": found[str(u.pk)]["status"],
                "last_seen": found[str(u.pk)]["last_seen"],
            }
            for u in people
        ]
        return Response(rows)


class ChatSettingsViewSet(ApiViewSet):
    """The business's chat settings (reading needs Settings read, changing Settings full)."""

    module = Module.SETTINGS
    model = ChatSettings
    pagination_class = None

    def scoped_queryset(self, **filters):
        return ChatSettings.objects.filter(business=self.request.business)

    @extend_schema(operation_id="chat_settings_retrieve", responses=SettingsSerializer)
    @action(detail=False, methods=["get"], url_path="settings", url_name="settings")
    def chat_settings(self, request):
        return self.respond(SettingsSerializer, selectors.chat_settings(business=request.business))

    @extend_schema(
        operation_id="chat_settings_partial_update",
        request=SettingsSerializer,
        responses=SettingsSerializer,
    )
    @chat_settings.mapping.patch
    def chat_settings_update(self, request):
        data = self.validated(SettingsSerializer, partial=True)
        if "max_file_mb" not in data:
            raise ValidationFailed(
                _("max_file_mb: This field is required."),
                fields={"max_file_mb": [_("This field is required.")]},
            )
        found = services.settings_update(
            business=request.business, actor=request.user, max_file_mb=data["max_file_mb"]
        )
        return self.respond(SettingsSerializer, found)


def register(router):
    router.register("chat/conversations", ConversationViewSet, basename="chat-conversation")
    router.register("chat/attachments", AttachmentViewSet, basename="chat-attachment")
    router.register("chat/presence", PresenceViewSet, basename="chat-presence")
    router.register("chat", ChatSettingsViewSet, basename="chat-settings")
