"""REST API of phone payments by QR code.

- `POST /api/v1/payment-links/` {register, session?, amount, sale_client_uuid, lines,
  client_uuid?, ttl_seconds?} → 201 with the link, its absolute `url` (what the QR
  code holds) and `qr_svg` (the QR code as an SVG document). The same `client_uuid`
  again → 200 with the first link.
- `GET /api/v1/payment-links/` (`?register=&session=&status=`), `GET {id}/`.
- `POST {id}/cancel/` → the cancelled link; 409 when it was already paid.

The register learns of payments over its WebSocket (`/ws/register/<id>/`), not by
polling these routes; `GET {id}/` is for a page that reloads. Module: Register
(read to look, full to create and cancel).
"""

from __future__ import annotations

import io
from functools import lru_cache

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.pos import services_payments as services
from hanout.pos.models import CashSession, PaymentLink, PaymentLinkStatus, Register

# --- helpers ---------------------------------------------------------------------------------


def pay_url(request, token: str) -> str:
    """The absolute address of the pay page: what the phone opens.

    `HANOUT_PAY_BASE_URL` (e.g. https://shop.example) when set, else the address the
    register itself reached the server at (a phone on the shop's Wi-Fi reaches the
    same host)."""
    path = reverse("pos_pay", args=[token])
    base = (getattr(settings, "HANOUT_PAY_BASE_URL", "") or "").rstrip("/")
    return base + path if base else request.build_absolute_uri(path)


@lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """The QR code of `url` as a standalone SVG document (segno): black on white so a
    dark theme cannot hide it, with its own size and a viewBox so it scales cleanly
    in an <img> (a data: URI or /pay/<token>/qr.svg)."""
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", xmldecl=False, scale=8, border=2, light="#fff", nl=False)
    width, height = qr.symbol_size(scale=8, border=2)
    svg = buffer.getvalue().decode()
    return svg.replace("<svg ", f'<svg viewBox="0 0 {width} {height}" ', 1)


# --- serializers -------------------------------------------------------------------------------


class PaymentLinkLineSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=services.MAX_LINE_NAME)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, default=1)
    total = serializers.DecimalField(max_digits=14, decimal_places=3)


@extend_schema_field(PaymentLinkLineSerializer(many=True))
class LinesField(serializers.ListField):
    """A list of {name, quantity, total}; the service checks each line and names the
    bad one as `lines[2].total`, like the sales API does."""

    child = serializers.DictField()


class PaymentLinkLineOutSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    quantity = serializers.CharField(read_only=True, help_text=gettext_lazy('e.g. "1", "0.25"'))
    total = serializers.CharField(read_only=True, help_text=gettext_lazy("Tax included."))


class PaymentLinkSerializer(serializers.ModelSerializer):
    register = serializers.UUIDField(source="register_id", read_only=True)
    session = serializers.UUIDField(source="session_id", read_only=True)
    status = serializers.SerializerMethodField()
    amount = MoneyField(read_only=True)
    lines = PaymentLinkLineOutSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The pay page the customer opens: what the QR code holds.")
    )

    class Meta:
        model = PaymentLink
        fields = [
            "id",
            "register",
            "session",
            "status",
            "amount",
            "currency",
            "sale_client_uuid",
            "lines",
            "token",
            "url",
            "expires_at",
            "paid_at",
            "cancelled_at",
            "attempts",
            "provider",
            "provider_reference",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=PaymentLinkStatus.choices))
    def get_status(self, link) -> str:
        return services.effective_status(link)

    def get_url(self, link) -> str:
        return pay_url(self.context["request"], link.token)


class PaymentLinkDetailSerializer(PaymentLinkSerializer):
    qr_svg = serializers.SerializerMethodField(
        help_text=gettext_lazy("The QR code of `url`, an SVG document to show on the register.")
    )

    class Meta(PaymentLinkSerializer.Meta):
        fields = [*PaymentLinkSerializer.Meta.fields, "qr_svg"]
        read_only_fields = fields

    def get_qr_svg(self, link) -> str:
        return qr_svg(pay_url(self.context["request"], link.token))


class PaymentLinkCreateSerializer(serializers.Serializer):
    register = serializers.UUIDField(help_text=gettext_lazy("A register of this business."))
    session = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Its open cash session; default: the register's open session."),
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=3, help_text=gettext_lazy("What the customer pays.")
    )
    sale_client_uuid = serializers.UUIDField(
        help_text=gettext_lazy("The client_uuid of the sale this payment settles.")
    )
    lines = LinesField(
        required=False,
        max_length=services.MAX_LINES,
        help_text=gettext_lazy("The basket as the phone shows it."),
    )
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Made by the register: the same value again answers the first link."
        ),
    )
    ttl_seconds = serializers.IntegerField(
        required=False,
        min_value=services.TTL_MIN,
        max_value=services.TTL_MAX,
        default=600,
        help_text=gettext_lazy("How long the link can be paid (seconds)."),
    )


class PaymentLinkQuerySerializer(serializers.Serializer):
    register = serializers.UUIDField(required=False)
    session = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=PaymentLinkStatus.choices, required=False)


NOT_FOUND_IN_BODY = {
    404: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy("The register or session is not found (or in another business)."),
    )
}

# --- viewset -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[PaymentLinkQuerySerializer],
        responses={200: PaymentLinkSerializer, **NOT_FOUND_IN_BODY},
    ),
    retrieve=extend_schema(responses=PaymentLinkDetailSerializer),
    create=extend_schema(
        request=PaymentLinkCreateSerializer,
        responses={
            201: PaymentLinkDetailSerializer,
            200: OpenApiResponse(
                PaymentLinkDetailSerializer,
                description=gettext_lazy("This client_uuid was seen: the first link."),
            ),
            **NOT_FOUND_IN_BODY,
        },
    ),
    cancel=extend_schema(request=None, responses=PaymentLinkSerializer),
)
class PaymentLinkViewSet(ApiViewSet):
    """One-time links the customer pays on a phone (the register shows the QR code)."""

    module = Module.REGISTER
    model = PaymentLink
    serializer_class = PaymentLinkSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return services.payment_link_list(business=self.request.business, **filters)

    def _register(self, pk) -> Register:
        register = (
            Register.objects.for_business(self.request.business)
            .select_related("business")
            .filter(pk=pk)
            .first()
        )
        if register is None:
            msg = _("This register was not found.")
            raise NotFound(msg, fields={"register": [msg]})
        return register

    def _session(self, pk) -> CashSession:
        session = CashSession.objects.for_business(self.request.business).filter(pk=pk).first()
        if session is None:
            msg = _("This cash session was not found.")
            raise NotFound(msg, fields={"session": [msg]})
        return session

    def list(self, request):
        query = self.query(PaymentLinkQuerySerializer)
        filters = {"status": query.get("status", "")}
        if query.get("register"):
            filters["register"] = self._register(query["register"])
        if query.get("session"):
            filters["session"] = self._session(query["session"])
        return self.paginated(PaymentLinkSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(PaymentLinkDetailSerializer, self.get_object())

    def create(self, request):
        data = self.validated(PaymentLinkCreateSerializer)
        register = self._register(data["register"])
        session = self._session(data["session"]) if data.get("session") else None
        client_uuid = data.get("client_uuid")
        seen = (
            client_uuid is not None
            and PaymentLink.objects.for_business(request.business)
            .filter(client_uuid=client_uuid)
            .exists()
        )
        link = services.payment_link_create(
            register=register,
            actor=request.user,
            amount=data["amount"],
            sale_client_uuid=data["sale_client_uuid"],
            lines=data.get("lines", []),
            session=session,
            client_uuid=client_uuid,
            ttl_seconds=data["ttl_seconds"],
        )
        return self.respond(
            PaymentLinkDetailSerializer,
            link,
            status_code=status.HTTP_200_OK if seen else status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        link = services.payment_link_cancel(link=self.get_object(), actor=request.user)
        return self.respond(PaymentLinkSerializer, link)


def register(router) -> None:
    router.register("payment-links", PaymentLinkViewSet, basename="payment-link")
