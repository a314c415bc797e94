"""REST API of the register: registers, cash sessions, sales and returns.

- `/api/v1/registers/`: list (`?shop=&active=`), retrieve, create, partial update.
- `/api/v1/cash-sessions/`: list (`?register=&status=`), retrieve (with the Z figures),
  `POST` opens one {register, opening_float, client_uuid?} (201; 200 when the
  client_uuid was seen), `POST {id}/cash-movements/` (paid in / paid out),
  `POST {id}/close/` {counted_denominations | counted_cash, note}.
- `/api/v1/sales/`: list (`?register=&session=&date=&kind=&ticket=`; `ticket` is a
  number as printed, to find the ticket a customer brings back), retrieve, `POST`
  completes a sale (201; 200 with the same sale when its client_uuid was seen; 409
  when that uuid came with another basket), `POST {id}/return/` takes lines back,
  `POST {id}/escpos/` gives the ticket as ESC/POS bytes (a printer on the till's computer).

The server prices every basket: lines name a product (id or code) and a quantity,
never a price (a price sent by the client is ignored). Module: Register (read to
look, full to write); a discount also needs Sales: full.
"""

from __future__ import annotations

import threading
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.core.api import MoneyField
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import NotFound
from hanout.core.models import Shop
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer
from hanout.inventory.models import Location
from hanout.pos import selectors, services
from hanout.pos.models import (
    CashMovement,
    CashMovementKind,
    CashSession,
    LineKind,
    PaymentMethod,
    PrinterKind,
    RefundStatus,
    Register,
    Sale,
    SaleKind,
    SessionStatus,
)
from hanout.pos.pricing import LineInput
from hanout.pos.services import PaymentInput

_qty = {"max_digits": 14, "decimal_places": 3}

# --- serializers: registers ------------------------------------------------------------------


class RegisterSerializer(serializers.ModelSerializer):
    shop = serializers.UUIDField(source="shop_id", read_only=True)
    shop_name = serializers.CharField(source="shop.name", read_only=True)
    location = serializers.UUIDField(source="location_id", read_only=True, allow_null=True)

    class Meta:
        model = Register
        fields = [
            "id",
            "shop",
            "shop_name",
            "name",
            "location",
            "idle_lock_seconds",
            "printer_kind",
            "printer_target",
            "is_active",
            "next_ticket_number",
            "next_return_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RegisterUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60, required=False)
    location = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("A stock location of the shop; null: the shop's default."),
    )
    idle_lock_seconds = serializers.IntegerField(
        min_value=0, max_value=86400, required=False, help_text=gettext_lazy("0 never locks.")
    )
    printer_kind = serializers.ChoiceField(choices=PrinterKind.choices, required=False)
    printer_target = serializers.CharField(max_length=200, allow_blank=True, required=False)
    is_active = serializers.BooleanField(required=False)


class RegisterCreateSerializer(RegisterUpdateSerializer):
    shop = serializers.UUIDField(help_text=gettext_lazy("A shop of this business."))
    name = serializers.CharField(max_length=60)
    is_active = None


class RegisterQuerySerializer(serializers.Serializer):
    shop = serializers.UUIDField(required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


# --- serializers: cash sessions --------------------------------------------------------------


class CashMovementSerializer(serializers.ModelSerializer):
    session = serializers.UUIDField(source="session_id", read_only=True)
    actor = serializers.UUIDField(source="actor_id", read_only=True)
    amount = MoneyField(read_only=True)

    class Meta:
        model = CashMovement
        fields = ["id", "session", "kind", "amount", "reason", "actor", "client_uuid", "created_at"]
        read_only_fields = fields


class CashSessionSerializer(serializers.ModelSerializer):
    register = serializers.UUIDField(source="register_id", read_only=True)
    register_name = serializers.CharField(source="register.name", read_only=True)
    opened_by = serializers.UUIDField(source="opened_by_id", read_only=True)
    closed_by = serializers.UUIDField(source="closed_by_id", read_only=True, allow_null=True)
    opening_float = MoneyField(read_only=True)
    cash_in = MoneyField(read_only=True)
    cash_change = MoneyField(read_only=True)
    cash_refunds = MoneyField(read_only=True)
    withdrawals = MoneyField(read_only=True)
    paid_in = MoneyField(read_only=True)
    paid_out = MoneyField(read_only=True)
    revenue = MoneyField(read_only=True)
    expected_cash = MoneyField(read_only=True, allow_null=True)
    counted_cash = MoneyField(read_only=True, allow_null=True)
    difference = MoneyField(read_only=True, allow_null=True)
    expected_cash_now = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "float + cash received − change − withdrawals − cash refunds + paid in − paid out."
        )
    )

    class Meta:
        model = CashSession
        fields = [
            "id",
            "register",
            "register_name",
            "number",
            "status",
            "opened_by",
            "opened_at",
            "opening_float",
            "cash_in",
            "cash_change",
            "cash_refunds",
            "withdrawals",
            "paid_in",
            "paid_out",
            "sales_count",
            "returns_count",
            "revenue",
            "expected_cash_now",
            "closed_by",
            "closed_at",
            "expected_cash",
            "counted_cash",
            "difference",
            "counted_denominations",
            "closing_note",
        ]
        read_only_fields = fields

    def get_expected_cash_now(self, session) -> str:
        return self.fields["cash_in"].to_representation(session.expected_cash_now())


class SessionMethodTotalSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    amount = MoneyField(read_only=True)
    count = serializers.IntegerField(read_only=True)


class MovementLineSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.ChoiceField(choices=CashMovementKind.choices, read_only=True)
    label = serializers.CharField(read_only=True)
    amount = MoneyField(read_only=True)
    reason = serializers.CharField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.CharField(read_only=True)


class LateSalesSerializer(serializers.Serializer):
    count = serializers.IntegerField(read_only=True)
    total = MoneyField(read_only=True)
    revenue = MoneyField(read_only=True)


class SessionSummarySerializer(serializers.Serializer):
    """The Z report figures (see selectors.session_summary)."""

    opening_float = MoneyField(read_only=True)
    cash_in = MoneyField(read_only=True)
    cash_change = MoneyField(read_only=True)
    cash_refunds = MoneyField(read_only=True)
    withdrawals = MoneyField(read_only=True)
    paid_in = MoneyField(read_only=True)
    paid_out = MoneyField(read_only=True)
    movements = MovementLineSerializer(many=True, read_only=True)
    sales_count = serializers.IntegerField(read_only=True)
    returns_count = serializers.IntegerField(read_only=True)
    revenue = MoneyField(read_only=True)
    by_method = SessionMethodTotalSerializer(many=True, read_only=True)
    expected_cash = MoneyField(read_only=True)
    counted_cash = MoneyField(read_only=True, allow_null=True)
    difference = MoneyField(read_only=True, allow_null=True)
    late_sales = LateSalesSerializer(read_only=True)


class CashSessionDetailSerializer(CashSessionSerializer):
    summary = serializers.SerializerMethodField()

    class Meta(CashSessionSerializer.Meta):
        fields = [*CashSessionSerializer.Meta.fields, "summary"]
        read_only_fields = fields

    @extend_schema_field(SessionSummarySerializer)
    def get_summary(self, session) -> dict:
        return SessionSummarySerializer(
            selectors.session_summary(session=session), context=self.context
        ).data


class SessionOpenSerializer(serializers.Serializer):
    register = serializers.UUIDField(help_text=gettext_lazy("A register of this business."))
    opening_float = serializers.DecimalField(
        max_digits=14, decimal_places=3, help_text=gettext_lazy("Cash counted in the drawer.")
    )
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Made by the client: the same value again answers the first."),
    )


class CashMovementCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CashMovementKind.choices)
    amount = serializers.DecimalField(max_digits=14, decimal_places=3)
    reason = serializers.CharField(max_length=200)
    client_uuid = serializers.UUIDField(required=False, allow_null=True)


class SessionCloseSerializer(serializers.Serializer):
    counted_denominations = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10**6),
        required=False,
        allow_empty=True,
        help_text=gettext_lazy('How many of each coin and note, e.g. {"20.00": 3, "0.50": 4}.'),
    )
    counted_cash = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The counted total, when not counted by denomination."),
    )
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class SessionQuerySerializer(serializers.Serializer):
    register = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=SessionStatus.choices, required=False)


# --- serializers: sales ----------------------------------------------------------------------


# The sale's output serializers are plain Serializers: a ModelSerializer rebuilds its
# fields from the model on every instance, which cost more than the rest of the
# answer on the register's hottest route.
_ro = {"read_only": True}
_ro_null = {"read_only": True, "allow_null": True}


class SaleLineSerializer(serializers.Serializer):
    id = serializers.UUIDField(**_ro)
    position = serializers.IntegerField(**_ro)
    kind = serializers.ChoiceField(choices=LineKind.choices, **_ro)
    product = serializers.UUIDField(source="product_id", **_ro_null)
    name = serializers.CharField(**_ro)
    sku = serializers.CharField(**_ro)
    quantity = serializers.DecimalField(**_qty, **_ro)
    unit_price = MoneyField(**_ro)
    discount = MoneyField(**_ro)
    tax_rate = serializers.DecimalField(max_digits=5, decimal_places=2, **_ro)
    total = MoneyField(**_ro)
    tax_amount = MoneyField(**_ro)
    returned_quantity = serializers.DecimalField(**_qty, **_ro)
    original_line = serializers.UUIDField(source="original_line_id", **_ro_null)


class PaymentSerializer(serializers.Serializer):
    id = serializers.UUIDField(**_ro)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, **_ro)
    amount = MoneyField(**_ro)
    tendered = MoneyField(**_ro_null)
    change = MoneyField(**_ro)
    reference = serializers.CharField(**_ro)
    points = serializers.IntegerField(
        help_text=gettext_lazy(
            "Points payments: how many loyalty points (their value is `amount`)."
        ),
        **_ro_null,
    )
    payment_link = serializers.UUIDField(source="payment_link_id", **_ro_null)
    refund_of = serializers.UUIDField(
        source="refund_of_id",
        help_text=gettext_lazy("A refund: the payment of the original sale it gives back."),
        **_ro_null,
    )
    provider_status = serializers.ChoiceField(
        choices=[("", "")] + list(RefundStatus.choices),
        help_text=gettext_lazy(
            "A phone refund: pending, sending, done or failed at the payment provider "
            "(empty for other payments)."
        ),
        **_ro,
    )
    provider_message = serializers.CharField(**_ro)


class RefundRetrySerializer(serializers.Serializer):
    payment = serializers.UUIDField(
        help_text=gettext_lazy("The failed refund payment of this return.")
    )


class SaleSerializer(serializers.Serializer):
    id = serializers.UUIDField(**_ro)
    client_uuid = serializers.UUIDField(**_ro)
    kind = serializers.ChoiceField(choices=SaleKind.choices, **_ro)
    ticket = serializers.CharField(source="ticket_number", **_ro)
    number = serializers.IntegerField(**_ro)
    register = serializers.UUIDField(source="register_id", **_ro)
    register_name = serializers.CharField(source="register.name", **_ro)
    shop = serializers.UUIDField(source="shop_id", **_ro)
    session = serializers.UUIDField(source="session_id", **_ro)
    cashier = serializers.UUIDField(source="cashier_id", **_ro)
    cashier_name = serializers.CharField(source="cashier.get_full_name", **_ro)
    sold_at = serializers.DateTimeField(**_ro)
    basket = serializers.CharField(**_ro)
    original = serializers.UUIDField(source="original_id", **_ro_null)
    reason = serializers.CharField(**_ro)
    total = MoneyField(**_ro)
    revenue = MoneyField(**_ro)
    tax_total = MoneyField(**_ro)
    discount_total = MoneyField(**_ro)
    withdrawal_total = MoneyField(**_ro)
    paid_total = MoneyField(**_ro)
    change_given = MoneyField(**_ro)
    offline = serializers.BooleanField(**_ro)
    late = serializers.BooleanField(
        help_text=gettext_lazy(
            "Arrived after its session closed: not in that session's Z figures."
        ),
        **_ro,
    )
    email = serializers.CharField(**_ro)
    customer = serializers.UUIDField(
        source="customer_id",
        help_text=gettext_lazy("The customer attached at the register (a return: the sale's)."),
        **_ro_null,
    )
    lines = SaleLineSerializer(many=True, **_ro)
    payments = PaymentSerializer(many=True, **_ro)
    created_at = serializers.DateTimeField(**_ro)


class SaleLineInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LineKind.choices, default=LineKind.PRODUCT)
    product = serializers.UUIDField(required=False, allow_null=True)
    code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("A barcode or article number, instead of `product`."),
    )
    quantity = serializers.DecimalField(default=1, **_qty)
    discount = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        default=0,
        help_text=gettext_lazy("Amount off the line, tax included (needs Sales: full)."),
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("The cash handed to the customer (kind withdrawal)."),
    )


class PaymentInSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=3, required=False, allow_null=True
    )
    tendered = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Cash: what the customer handed over (the change is worked out)."),
    )
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    payment_link = serializers.UUIDField(
        required=False, allow_null=True, help_text=gettext_lazy("Phone: the paid payment link.")
    )
    points = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=gettext_lazy(
            "Points: how many loyalty points the sale's customer spends (their value is worked out)."
        ),
    )


class SaleCreateSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField(
        help_text=gettext_lazy(
            "Made by the register before the first attempt: resending it answers the first sale."
        )
    )
    register = serializers.UUIDField()
    session = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Default: the register's open session. A closed one: a late sale."),
    )
    basket = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    sold_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "Offline sales: when it was made (device clock). Online sales are dated by the server."
        ),
    )
    offline = serializers.BooleanField(default=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    customer = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy(
            "An active customer of the business (found with /customers/lookup/): "
            "the ticket is theirs and earns their loyalty points."
        ),
    )
    lines = SaleLineInSerializer(many=True, allow_empty=False, max_length=500)
    payments = PaymentInSerializer(many=True, allow_empty=True, max_length=20)


class ReturnLineInSerializer(serializers.Serializer):
    line = serializers.UUIDField(help_text=gettext_lazy("A line of the ticket."))
    quantity = serializers.DecimalField(**_qty)


class SaleReturnSerializer(serializers.Serializer):
    client_uuid = serializers.UUIDField()
    lines = ReturnLineInSerializer(many=True, allow_empty=False, max_length=500)
    refund_method = serializers.ChoiceField(
        choices=[("cash", gettext_lazy("Cash")), ("original", gettext_lazy("Original method"))]
    )
    reason = serializers.CharField(max_length=200)
    restock = serializers.BooleanField(default=True)
    session = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=gettext_lazy("Where the refund is made; default: the ticket's register."),
    )


class SaleQuerySerializer(serializers.Serializer):
    register = serializers.UUIDField(required=False)
    session = serializers.UUIDField(required=False)
    date = serializers.DateField(
        required=False, help_text=gettext_lazy("A day in the shop's time zone (YYYY-MM-DD).")
    )
    kind = serializers.ChoiceField(choices=SaleKind.choices, required=False)
    ticket = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            'A ticket number as printed or scanned: "000123" finds sale 123 of each '
            'register, "R000004" return 4 (a customer bringing goods back).'
        ),
    )

    def validate_ticket(self, value: str) -> str:
        if value.strip() and selectors.ticket_parse(value) is None:
            raise serializers.ValidationError(
                _("Type the ticket number as printed, e.g. 000123 (a return: R000004).")
            )
        return value.strip()


NOT_FOUND_IN_BODY = {
    404: OpenApiResponse(
        response=ErrorSerializer,
        description=gettext_lazy(
            "Something named in the request is not found (or in another business)."
        ),
    )
}

# --- helpers -------------------------------------------------------------------------------


def _found(qs, pk, field: str, message: str):
    obj = qs.filter(pk=pk).first() if pk else None
    if obj is None:
        raise NotFound(message, fields={field: [message]})
    return obj


def _indexed(detail):
    """DRF reports errors of list items as {index: errors}; make them a list so the error
    shape names them `lines[0].quantity`, like the services do."""
    if isinstance(detail, dict):
        if detail and all(isinstance(k, int) for k in detail):
            return [_indexed(detail.get(i, {})) for i in range(max(detail) + 1)]
        return {k: _indexed(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_indexed(v) for v in detail]
    return detail


class _PosViewSet(ApiViewSet):
    module = Module.REGISTER

    def validated(self, serializer_class, **kwargs):
        try:
            return super().validated(serializer_class, **kwargs)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(_indexed(exc.detail)) from exc

    def _register(self, pk, field="register") -> Register:
        return _found(
            selectors.register_list(business=self.request.business),
            pk,
            field,
            _("This register was not found."),
        )

    def _session(self, pk, field="session") -> CashSession:
        return _found(
            selectors.session_list(business=self.request.business),
            pk,
            field,
            _("This cash session was not found."),
        )


# --- viewsets ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[RegisterQuerySerializer],
        responses={200: RegisterSerializer, **NOT_FOUND_IN_BODY},
    ),
    retrieve=extend_schema(responses=RegisterSerializer),
    create=extend_schema(
        request=RegisterCreateSerializer,
        responses={201: RegisterSerializer, **NOT_FOUND_IN_BODY},
    ),
    partial_update=extend_schema(request=RegisterUpdateSerializer, responses=RegisterSerializer),
)
class RegisterViewSet(_PosViewSet):
    """The tills of the business's shops."""

    model = Register
    serializer_class = RegisterSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.register_list(business=self.request.business, **filters)

    def _location(self, pk) -> Location | None:
        if pk is None:
            return None
        return _found(
            Location.objects.for_business(self.request.business),
            pk,
            "location",
            _("This location was not found."),
        )

    def list(self, request):
        query = self.query(RegisterQuerySerializer)
        qs = self.scoped_queryset()
        if query.get("shop"):
            shop = _found(
                Shop.objects.for_business(request.business),
                query["shop"],
                "shop",
                _("This shop was not found."),
            )
            qs = qs.filter(shop=shop)
        if query.get("active") is not None:
            qs = qs.filter(is_active=query["active"])
        return self.paginated(RegisterSerializer, qs)

    def retrieve(self, request, pk=None):
        return self.respond(RegisterSerializer, self.get_object())

    def create(self, request):
        data = dict(self.validated(RegisterCreateSerializer))
        shop = _found(
            Shop.objects.for_business(request.business),
            data.pop("shop"),
            "shop",
            _("This shop was not found."),
        )
        data["location"] = self._location(data.get("location"))
        register = services.register_create(
            business=request.business, actor=request.user, shop=shop, **data
        )
        register = selectors.register_get(business=request.business, pk=register.pk)
        return self.respond(RegisterSerializer, register, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        register = self.get_object()
        data = dict(self.validated(RegisterUpdateSerializer, partial=True))
        if "location" in data:
            data["location"] = self._location(data["location"])
        services.register_update(register=register, actor=request.user, data=data)
        register = selectors.register_get(business=request.business, pk=register.pk)
        return self.respond(RegisterSerializer, register)


@extend_schema_view(
    list=extend_schema(
        parameters=[SessionQuerySerializer],
        responses={200: CashSessionSerializer, **NOT_FOUND_IN_BODY},
    ),
    retrieve=extend_schema(responses=CashSessionDetailSerializer),
    create=extend_schema(
        request=SessionOpenSerializer,
        responses={
            201: CashSessionSerializer,
            200: OpenApiResponse(
                CashSessionSerializer,
                description=gettext_lazy("This client_uuid was seen: the session it opened."),
            ),
            **NOT_FOUND_IN_BODY,
        },
    ),
    cash_movements=extend_schema(
        request=CashMovementCreateSerializer,
        responses={
            201: CashMovementSerializer,
            200: OpenApiResponse(
                CashMovementSerializer,
                description=gettext_lazy("This client_uuid was seen: the first movement."),
            ),
        },
    ),
    close=extend_schema(request=SessionCloseSerializer, responses=CashSessionDetailSerializer),
)
class CashSessionViewSet(_PosViewSet):
    """Cash sessions: from the opening float to the counted drawer (the Z report)."""

    model = CashSession
    serializer_class = CashSessionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.session_list(business=self.request.business, **filters)

    def list(self, request):
        query = self.query(SessionQuerySerializer)
        filters = {"status": query.get("status")}
        if query.get("register"):
            filters["register"] = self._register(query["register"])
        return self.paginated(CashSessionSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(CashSessionDetailSerializer, self.get_object())

    def create(self, request):
        data = self.validated(SessionOpenSerializer)
        register = self._register(data["register"])
        key = data.get("client_uuid")
        session = services.session_open(
            register=register,
            actor=request.user,
            opening_float=data["opening_float"],
            client_uuid=key,
        )
        fresh = selectors.session_get(business=request.business, pk=session.pk)
        replayed = getattr(session, "replayed", False)
        code = status.HTTP_200_OK if replayed else status.HTTP_201_CREATED
        return self.respond(CashSessionSerializer, fresh, status_code=code)

    @action(detail=True, methods=["post"], url_path="cash-movements", url_name="cash-movements")
    def cash_movements(self, request, pk=None):
        session = self.get_object()
        data = self.validated(CashMovementCreateSerializer)
        key = data.get("client_uuid")
        seen = (
            key is not None
            and CashMovement.objects.for_business(request.business).filter(client_uuid=key).exists()
        )
        movement = services.session_cash_movement(
            session=session,
            actor=request.user,
            kind=data["kind"],
            amount=data["amount"],
            reason=data["reason"],
            client_uuid=key,
        )
        return self.respond(
            CashMovementSerializer,
            movement,
            status_code=status.HTTP_200_OK if seen else status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        session = self.get_object()
        data = self.validated(SessionCloseSerializer)
        services.session_close(
            session=session,
            actor=request.user,
            counted_denominations=data.get("counted_denominations") or None,
            counted_cash=data.get("counted_cash"),
            note=data.get("note", ""),
        )
        fresh = selectors.session_get(business=request.business, pk=session.pk)
        return self.respond(CashSessionDetailSerializer, fresh)


@extend_schema_view(
    list=extend_schema(
        parameters=[SaleQuerySerializer], responses={200: SaleSerializer, **NOT_FOUND_IN_BODY}
    ),
    retrieve=extend_schema(responses=SaleSerializer),
    create=extend_schema(
        request=SaleCreateSerializer,
        responses={
            201: SaleSerializer,
            200: OpenApiResponse(
                SaleSerializer,
                description=gettext_lazy("This client_uuid was seen: the first sale, unchanged."),
            ),
            **NOT_FOUND_IN_BODY,
        },
    ),
    retry_refund=extend_schema(
        request=RefundRetrySerializer,
        responses={200: SaleSerializer},
        description=gettext_lazy(
            "Send a failed phone refund of this return to the provider again."
        ),
    ),
    escpos=extend_schema(
        request=None,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description=gettext_lazy(
            "The ticket as ESC/POS printer bytes, for a receipt printer attached to the "
            "register's computer. Recorded as a print in the audit log."
        ),
    ),
    return_lines=extend_schema(
        request=SaleReturnSerializer,
        responses={
            201: SaleSerializer,
            200: OpenApiResponse(
                SaleSerializer,
                description=gettext_lazy("This client_uuid was seen: the first return."),
            ),
        },
    ),
)
class SaleViewSet(_PosViewSet):
    """Sales (tickets) and returns. A sale is completed in one request, priced by the server."""

    model = Sale
    serializer_class = SaleSerializer
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, **filters):
        return selectors.with_lines(selectors.sale_list(business=self.request.business, **filters))

    def list(self, request):
        query = self.query(SaleQuerySerializer)
        filters = {"kind": query.get("kind"), "ticket": query.get("ticket") or ""}
        if query.get("register"):
            filters["register"] = self._register(query["register"])
        if query.get("session"):
            filters["session"] = self._session(query["session"])
        if query.get("date"):
            filters["day"] = query["date"]
            if "register" not in filters:
                shop = Shop.objects.for_business(request.business).order_by("created_at").first()
                filters["tz"] = shop.tz if shop else ZoneInfo("UTC")
        return self.paginated(SaleSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(SaleSerializer, self.get_object())

    def create(self, request):
        data = self.validated(SaleCreateSerializer)
        register = self._sale_register(data["register"])
        lines = [
            LineInput(
                kind=line["kind"],
                product=line.get("product"),
                code=line.get("code") or "",
                quantity=line["quantity"],
                discount=line["discount"],
                amount=line.get("amount"),
            )
            for line in data["lines"]
        ]
        payments = [
            PaymentInput(
                method=p["method"],
                amount=p.get("amount"),
                tendered=p.get("tendered"),
                reference=p.get("reference") or "",
                payment_link=p.get("payment_link"),
                points=p.get("points"),
            )
            for p in data["payments"]
        ]
        sale = services.sale_complete(
            register=register,
            actor=request.user,
            client_uuid=data["client_uuid"],
            lines=lines,
            payments=payments,
            # An id: the service checks it (under the register's lock it costs nothing
            # when it is the open session, as it nearly always is).
            session=data.get("session"),
            basket=data["basket"],
            # The server's clock dates online sales (a till's clock may be wrong);
            # a sale made offline keeps the moment the device recorded.
            sold_at=data.get("sold_at") if data["offline"] else None,
            offline=data["offline"],
            email=data["email"],
            membership=request.membership,
            customer=data.get("customer"),
        )
        return self._answer(sale)

    def _sale_register(self, pk) -> Register:
        """The register of a sale: this business's, by id, in one indexed query (the
        register list's joins and ordering are for pages, not for the till's hot path)."""
        business = self.request.business
        register = Register.objects.filter(business=business, pk=pk).first()
        if register is None:
            message = _("This register was not found.")
            raise NotFound(message, fields={"register": [message]})
        register.business = business
        return register

    @action(detail=True, methods=["post"], url_path="escpos", url_name="escpos")
    def escpos(self, request, pk=None):
        from hanout.pos import tickets

        data = tickets.ticket_escpos(self.get_object(), actor=request.user)
        return HttpResponse(data, content_type="application/octet-stream")

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_lines(self, request, pk=None):
        sale = self.get_object()
        data = self.validated(SaleReturnSerializer)
        session = self._session(data["session"]) if data.get("session") else None
        ret = services.sale_return(
            sale=sale,
            actor=request.user,
            client_uuid=data["client_uuid"],
            lines=[(line["line"], line["quantity"]) for line in data["lines"]],
            refund_method=data["refund_method"],
            reason=data["reason"],
            restock=data["restock"],
            session=session,
            membership=request.membership,
        )
        return self._answer(ret)

    @action(detail=True, methods=["post"], url_path="retry-refund", url_name="retry-refund")
    def retry_refund(self, request, pk=None):
        from hanout.pos.services_refunds import phone_refund_retry

        sale = self.get_object()
        data = self.validated(RefundRetrySerializer)
        payment = next((p for p in sale.payments.all() if p.pk == data["payment"]), None)
        if payment is None:
            message = _("This payment is not on this ticket.")
            raise NotFound(message, fields={"payment": [message]})
        phone_refund_retry(payment=payment, actor=request.user)
        return self.respond(
            SaleSerializer, selectors.sale_get(business=request.business, pk=sale.pk)
        )

    def _answer(self, sale: Sale):
        replayed = getattr(sale, "replayed", False)
        if replayed:
            sale = selectors.sale_get(business=self.request.business, pk=sale.pk)
        return Response(
            _sale_data(sale, self.get_serializer_context()),
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )


_answers = threading.local()


def _sale_data(sale: Sale, context: dict) -> dict:
    """The SaleSerializer's output, from one serializer kept per thread: building its
    ~60 fields (a deep copy of the declared ones, nested lines and payments) cost
    more than filling them, on every sale a register completes."""
    serializer = getattr(_answers, "sale", None)
    if serializer is None:
        serializer = _answers.sale = SaleSerializer()
    serializer._context = context  # fields read the request's business through it
    try:
        return serializer.to_representation(sale)
    finally:
        serializer._context = {}


def register(router) -> None:
    router.register("registers", RegisterViewSet, basename="register")
    router.register("cash-sessions", CashSessionViewSet, basename="cash-session")
    router.register("sales", SaleViewSet, basename="sale")
