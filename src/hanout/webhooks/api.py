"""REST API of the outgoing webhooks (Settings module: owners full, managers read).

- `/api/v1/webhooks/endpoints/`: list, retrieve, create (the answer carries the
  new `secret`, once), partial update, delete. Actions: `rotate-secret/` (new
  secret in the answer), `reveal-secret/` (owner only), `test/` (queues a `ping`).
- `/api/v1/webhooks/deliveries/`: list (`?endpoint=&event=&status=`) and
  retrieve (with every attempt); `POST …/{id}/replay/` queues a new delivery of
  the same event, marked `replay_of`, sent once.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.webhooks import selectors, services
from hanout.webhooks import services_deliveries as sending
from hanout.webhooks.models import (
    EVENTS,
    PING,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

# --- serializers ---------------------------------------------------------------------------


class EndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.CharField(), read_only=True)
    secret_hint = serializers.CharField(
        read_only=True, help_text=_("The last four characters of the secret.")
    )
    delivery_count = serializers.IntegerField(read_only=True)
    failed_count = serializers.IntegerField(read_only=True)
    last_delivery_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "secret_hint",
            "delivery_count",
            "failed_count",
            "last_delivery_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.SerializerMethodField(
        help_text=_("The signing secret: shown in this answer only; keep it safe.")
    )

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields

    def get_secret(self, obj) -> str:
        return self.context["secret"]


_EVENTS_HELP = _("Events to send, among: %(events)s.") % {"events": ", ".join(EVENTS)}


class EndpointUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=500,
        required=False,
        help_text=_("https:// URL of a public address (private addresses are refused)."),
    )
    events = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, help_text=_EVENTS_HELP
    )
    description = serializers.CharField(max_length=200, allow_blank=True, required=False)
    is_active = serializers.BooleanField(required=False)


class EndpointCreateSerializer(EndpointUpdateSerializer):
    url = serializers.CharField(
        max_length=500,
        help_text=_("https:// URL of a public address (private addresses are refused)."),
    )
    events = serializers.ListField(
        child=serializers.CharField(max_length=64), help_text=_EVENTS_HELP
    )
    is_active = serializers.BooleanField(default=True)


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = [
            "number",
            "created_at",
            "status_code",
            "response_ms",
            "response_body",
            "error",
            "succeeded",
            "request_headers",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.UUIDField(source="endpoint_id", read_only=True)
    endpoint_url = serializers.CharField(source="endpoint.url", read_only=True)
    replay_of = serializers.UUIDField(source="replay_of_id", read_only=True, allow_null=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "endpoint_url",
            "event",
            "event_id",
            "status",
            "attempt_count",
            "max_attempts",
            "next_attempt_at",
            "last_status_code",
            "last_response_ms",
            "last_error",
            "delivered_at",
            "replay_of",
            "created_at",
        ]
        read_only_fields = fields


class DeliveryDetailSerializer(DeliverySerializer):
    body = serializers.JSONField(source="payload", read_only=True, help_text=_("The JSON sent."))
    attempts = serializers.SerializerMethodField()

    class Meta(DeliverySerializer.Meta):
        fields = [*DeliverySerializer.Meta.fields, "body", "attempts"]
        read_only_fields = fields

    @extend_schema_field(AttemptSerializer(many=True))
    def get_attempts(self, obj) -> list[dict]:
        return AttemptSerializer(selectors.delivery_attempts(delivery=obj), many=True).data


class DeliveryQuerySerializer(serializers.Serializer):
    endpoint = serializers.UUIDField(required=False, help_text=_("Only this endpoint's."))
    event = serializers.ChoiceField(choices=[*EVENTS, PING], required=False)
    status = serializers.ChoiceField(choices=DeliveryStatus.choices, required=False)


# --- viewsets --------------------------------------------------------------------------------

_SECRET = inline_serializer("WebhookSecret", {"secret": serializers.CharField()})


@extend_schema_view(
    list=extend_schema(responses=EndpointSerializer),
    retrieve=extend_schema(responses=EndpointSerializer),
    create=extend_schema(
        request=EndpointCreateSerializer, responses={201: EndpointWithSecretSerializer}
    ),
    partial_update=extend_schema(request=EndpointUpdateSerializer, responses=EndpointSerializer),
    destroy=extend_schema(responses={204: None}),
    rotate_secret=extend_schema(request=None, responses=EndpointWithSecretSerializer),
    reveal_secret=extend_schema(request=None, responses=_SECRET),
    test=extend_schema(request=None, responses={202: DeliverySerializer}),
)
class WebhookEndpointViewSet(ApiViewSet):
    """Where the business's events are posted, signed with each endpoint's secret."""

    module = Module.SETTINGS
    model = WebhookEndpoint
    serializer_class = EndpointSerializer

    def scoped_queryset(self, **filters):
        return selectors.endpoint_list(business=self.request.business)

    def list(self, request):
        return self.paginated(EndpointSerializer, self.scoped_queryset())

    def retrieve(self, request, pk=None):
        return self.respond(EndpointSerializer, self.get_object())

    def create(self, request):
        data = self.validated(EndpointCreateSerializer)
        endpoint, secret = services.endpoint_create(
            business=request.business, actor=request.user, data=dict(data)
        )
        return self._with_secret(endpoint, secret, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        endpoint = self.get_object()
        data = self.validated(EndpointUpdateSerializer, partial=True)
        services.endpoint_update(endpoint=endpoint, actor=request.user, data=dict(data))
        return self.respond(EndpointSerializer, self._fresh(endpoint))

    def destroy(self, request, pk=None):
        services.endpoint_delete(endpoint=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        endpoint, secret = services.endpoint_secret_rotate(
            endpoint=self.get_object(), actor=request.user
        )
        return self._with_secret(endpoint, secret, status.HTTP_200_OK)

    @action(detail=True, methods=["post"], url_path="reveal-secret")
    def reveal_secret(self, request, pk=None):
        secret = services.endpoint_secret_reveal(
            endpoint=self.get_object(), membership=request.membership
        )
        return Response({"secret": secret})

    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        delivery = sending.endpoint_send_test(endpoint=self.get_object(), actor=request.user)
        delivery = selectors.delivery_get(business=request.business, pk=delivery.pk)
        return self.respond(DeliverySerializer, delivery, status_code=status.HTTP_202_ACCEPTED)

    def _fresh(self, endpoint):
        return selectors.endpoint_get(business=self.request.business, pk=endpoint.pk)

    def _with_secret(self, endpoint, secret: str, code: int):
        context = {**self.get_serializer_context(), "secret": secret}
        data = EndpointWithSecretSerializer(self._fresh(endpoint), context=context).data
        return Response(data, status=code)


@extend_schema_view(
    list=extend_schema(
        parameters=[DeliveryQuerySerializer],
        responses={
            200: DeliverySerializer,
            404: OpenApiResponse(
                ErrorSerializer, description=_("The `endpoint` filter names no endpoint of yours.")
            ),
        },
    ),
    retrieve=extend_schema(responses=DeliveryDetailSerializer),
    replay=extend_schema(request=None, responses={201: DeliverySerializer}),
)
class WebhookDeliveryViewSet(ApiViewSet):
    """Each event sent to an endpoint, with its attempts; replay one from here."""

    module = Module.SETTINGS
    model = WebhookDelivery
    serializer_class = DeliverySerializer

    def scoped_queryset(self, **filters):
        return selectors.delivery_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(DeliveryQuerySerializer)
        endpoint_id = filters.pop("endpoint", None)
        if endpoint_id is not None:
            try:
                filters["endpoint"] = selectors.endpoint_get(
                    business=request.business, pk=endpoint_id
                )
            except WebhookEndpoint.DoesNotExist as exc:
                raise NotFound(
                    _("This endpoint does not exist."), fields={"endpoint": [_("Not found.")]}
                ) from exc
        return self.paginated(DeliverySerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(DeliveryDetailSerializer, self.get_object())

    @action(detail=True, methods=["post"])
    def replay(self, request, pk=None):
        replay = sending.delivery_replay(delivery=self.get_object(), actor=request.user)
        replay = selectors.delivery_get(business=request.business, pk=replay.pk)
        return self.respond(DeliverySerializer, replay, status_code=status.HTTP_201_CREATED)


def register(router):
    router.register("webhooks/endpoints", WebhookEndpointViewSet, basename="webhook-endpoint")
    router.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="webhook-delivery")
