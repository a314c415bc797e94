"""REST API of the store ↔ hub sync.

For the hub's owner (Settings module; owners full, managers read): the store links —
list, create (the pairing code is in the answer, once), revoke.
For a store server: `pair/` with the one-time code (no other credentials), then
`status/` and `push/` with `Authorization: Store <key>`.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from hanout.core.api import error_body
from hanout.core.api_base import ApiViewSet
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.sync import selectors, services, wire
from hanout.sync.models import StoreLink, SyncConflict


class StoreLinkSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta:
        model = StoreLink
        fields = [
            "id",
            "name",
            "state",
            "code_expires_at",
            "linked_at",
            "revoked_at",
            "last_sync_at",
            "received_count",
            "last_error",
            "store_business_name",
            "store_version",
            "created_at",
        ]
        read_only_fields = fields


class StoreLinkWithCodeSerializer(StoreLinkSerializer):
    code = serializers.SerializerMethodField()

    class Meta(StoreLinkSerializer.Meta):
        fields = [*StoreLinkSerializer.Meta.fields, "code"]
        read_only_fields = fields

    def get_code(self, link) -> str:
        return self.context.get("code", "")


class StoreLinkCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)


@extend_schema_view(
    create=extend_schema(
        request=StoreLinkCreateSerializer, responses={201: StoreLinkWithCodeSerializer}
    ),
    revoke=extend_schema(request=None, responses=StoreLinkSerializer),
)
class StoreLinkViewSet(ApiViewSet):
    """On a hub: the store servers that send their records here."""

    module = Module.SETTINGS
    model = StoreLink
    serializer_class = StoreLinkSerializer

    def scoped_queryset(self, **filters):
        return selectors.store_link_list(business=self.request.business)

    def list(self, request):
        return self.paginated(StoreLinkSerializer, self.scoped_queryset())

    def retrieve(self, request, pk=None):
        return self.respond(StoreLinkSerializer, self.get_object())

    def create(self, request):
        data = self.validated(StoreLinkCreateSerializer)
        link, code = services.store_link_create(
            business=request.business, name=data["name"], actor=request.user
        )
        context = {**self.get_serializer_context(), "code": code}
        return Response(
            StoreLinkWithCodeSerializer(link, context=context).data,
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        link = services.store_link_revoke(link=self.get_object(), actor=request.user)
        return self.respond(StoreLinkSerializer, link)


class ConflictSerializer(serializers.ModelSerializer):
    """A PIN's values are never shown (`null`): only which side set one."""

    store = serializers.CharField(source="link.name", read_only=True)
    settled_by = serializers.CharField(source="settled_by.email", default=None, read_only=True)
    store_value = serializers.SerializerMethodField()
    hub_value = serializers.SerializerMethodField()
    base_value = serializers.SerializerMethodField()

    def _value(self, conflict, name):
        return None if selectors.is_secret(conflict) else getattr(conflict, name)

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_store_value(self, conflict):
        return self._value(conflict, "store_value")

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_hub_value(self, conflict):
        return self._value(conflict, "hub_value")

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_base_value(self, conflict):
        return self._value(conflict, "base_value")

    class Meta:
        model = SyncConflict
        fields = [
            "id",
            "store",
            "model",
            "row_id",
            "row_label",
            "field",
            "store_value",
            "hub_value",
            "base_value",
            "applied",
            "store_by",
            "store_at",
            "hub_by",
            "hub_at",
            "created_at",
            "settled_at",
            "settled_by",
            "kept",
        ]
        read_only_fields = fields


class ConflictSettleSerializer(serializers.Serializer):
    keep = serializers.ChoiceField(choices=["store", "hub"])


class ConflictQuerySerializer(serializers.Serializer):
    settled = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(parameters=[ConflictQuerySerializer]),
    settle=extend_schema(request=ConflictSettleSerializer, responses=ConflictSerializer),
)
class ConflictViewSet(ApiViewSet):
    """On a hub: fields changed on a store and here since they last agreed. `applied`
    is the default rule's choice; settle with the value to keep (`store` or `hub`)."""

    module = Module.SETTINGS
    model = SyncConflict
    serializer_class = ConflictSerializer

    def scoped_queryset(self, **filters):
        return SyncConflict.objects.for_business(self.request.business).select_related(
            "link", "settled_by"
        )

    def list(self, request):
        query = self.query(ConflictQuerySerializer)
        rows = selectors.conflict_list(business=request.business, settled=query["settled"])
        return self.paginated(ConflictSerializer, rows)

    def retrieve(self, request, pk=None):
        return self.respond(ConflictSerializer, self.get_object())

    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        conflict = self.get_object()  # another business's id is a 404, whatever the body
        data = self.validated(ConflictSettleSerializer)
        conflict = services.conflict_settle(
            conflict=conflict, keep=data["keep"], actor=request.user
        )
        return self.respond(ConflictSerializer, conflict)


# --- what a store server calls ------------------------------------------------------------


class StoreKeyAuthentication(BaseAuthentication):
    """`Authorization: Store <key>`: the key a store got when it paired."""

    keyword = b"store"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("Give the store's key after “Store ”."))
        link = services.store_for_key(header[1].decode(errors="replace"))
        if link is None:
            raise AuthenticationFailed(
                _("This store's key is not valid on this hub (revoked, or never given).")
            )
        request.store_link = link
        return (None, link)

    def authenticate_header(self, request):
        return "Store"


class _StoreView(APIView):
    authentication_classes = [StoreKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = []  # a store with a valid key sends as many batches as it has

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(request, "store_link", None) is None:
            raise AuthenticationFailed(_("This call needs the store's key."))


class PairThrottle(AnonRateThrottle):
    rate = "20/hour"


_PAIRED = inline_serializer(
    "StorePaired",
    {
        "link": serializers.UUIDField(),
        "key": serializers.CharField(),
        "business": inline_serializer(
            "StorePairedBusiness", {"id": serializers.UUIDField(), "name": serializers.CharField()}
        ),
    },
)
_POSITION = inline_serializer(
    "StoreSyncPosition",
    {"received_seq": serializers.IntegerField(), "written": serializers.IntegerField()},
)


class PairView(APIView):
    """A store presents its one-time pairing code and gets its key (shown once)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PairThrottle]

    @extend_schema(
        request=inline_serializer(
            "StorePair",
            {
                "code": serializers.CharField(),
                "store_version": serializers.CharField(required=False),
                "business": serializers.DictField(),
            },
        ),
        responses={
            200: _PAIRED,
            404: ErrorSerializer,
            409: ErrorSerializer,
            429: OpenApiResponse(
                ErrorSerializer, description=_("Too many pairing attempts from this address.")
            ),
        },
        auth=[],
    )
    def post(self, request):
        business = request.data.get("business")
        link, key = services.store_pair(
            code=str(request.data.get("code", "")),
            store_business=business if isinstance(business, dict) else {},
            store_version=str(request.data.get("store_version", "")),
        )
        return Response(
            {
                "link": str(link.pk),
                "key": key,
                "business": {"id": str(link.business_id), "name": link.business.name},
            }
        )


class StatusView(_StoreView):
    """How far the hub has this store's changes (the store resumes from there)."""

    @extend_schema(request=None, responses={200: _POSITION})
    def post(self, request):
        return Response(
            {"received_seq": services.store_seen(link=request.store_link), "written": 0}
        )


class PushView(_StoreView):
    """A batch of the store's changes, applied all or nothing."""

    @extend_schema(
        request=inline_serializer("StoreBatch", {"after": serializers.IntegerField()}),
        responses={
            200: _POSITION,
            409: OpenApiResponse(
                ErrorSerializer,
                description=_("Refused (the message says why), or `resend_from` a position."),
            ),
        },
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return Response(
                error_body("invalid", str(_("A batch is a JSON object."))),
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            answer = services.store_receive(link=request.store_link, payload=request.data)
        except services.ResendFrom as exc:
            body = error_body(exc.code, exc.message)
            body["received_seq"] = exc.received_seq
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(answer)


class DownView(_StoreView):
    """The hub's changes to the chain's master data for this store, after the position
    it says it applied (which also acknowledges the batch before)."""

    @extend_schema(
        request=inline_serializer(
            "StoreDownAsk",
            {
                "applied": serializers.IntegerField(),
                "skipped": serializers.ListField(
                    child=serializers.ListField(child=serializers.CharField()), required=False
                ),
            },
        ),
        responses={
            200: inline_serializer(
                "StoreDownBatch",
                {
                    "after": serializers.IntegerField(),
                    "upto": serializers.IntegerField(),
                    "records": serializers.ListField(child=serializers.DictField()),
                    "deleted": serializers.ListField(child=serializers.DictField()),
                    "conflicts": serializers.IntegerField(),
                },
            )
        },
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return Response(
                error_body("invalid", str(_("The request is a JSON object."))),
                status=status.HTTP_400_BAD_REQUEST,
            )
        answer = services.store_down(link=request.store_link, payload=request.data)
        # The rows as the wire writes them: decimals as text, never as floats.
        return HttpResponse(wire.dumps(answer), content_type="application/json")


def register(router):
    router.register("sync/stores", StoreLinkViewSet, basename="sync-store")
    router.register("sync/conflicts", ConflictViewSet, basename="sync-conflict")


def extra_urls():
    from django.urls import path

    return [
        path("sync/pair/", PairView.as_view(), name="sync-pair"),
        path("sync/status/", StatusView.as_view(), name="sync-status"),
        path("sync/push/", PushView.as_view(), name="sync-push"),
        path("sync/down/", DownView.as_view(), name="sync-down"),
    ]


class StoreKeyScheme(OpenApiAuthenticationExtension):
    """`Authorization: Store <key>` in the schema (a store server's key on its hub)."""

    target_class = "hanout.sync.api.StoreKeyAuthentication"
    name = "storeKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("A store server's key, sent as `Store <key>`: given once when the store pairs.")
            ),
        }
