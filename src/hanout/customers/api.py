"""REST API of the customers.

- `/api/v1/customers/`: list (`?search=&active=&is_company=`), retrieve, create
  (idempotent on `client_uuid`), partial update of the card. Active/inactive
  through the `deactivate/` and `reactivate/` actions (POST, no body).
- `/api/v1/customers/{id}/orders/`: the customer's orders (same shape as
  `/api/v1/orders/`).
- CRM: `?segment=` and `?trust_level=` on the list; `{id}/stats/` (spent, net
  gain, payments cash vs online, suggested trust level with reasons);
  `{id}/trust/` (POST, full access, audited); `{id}/loyalty/` (the points
  ledger); `{id}/adjust-points/` (POST, full access, with a reason);
  `{id}/redeem/` (POST, for the register: needs full Register access, read on
  Customers; idempotent on `client_uuid`); `lookup/?phone=|card=` (attach a
  customer at the register); `loyalty-rule/` (GET; PATCH with full access);
  `growth/` (new customers by month over 12 months and by year, segment counts).

The CSV/XLSX export of the list is a page (`customer_export`), like the other lists.

Views are thin: an input serializer checks the shape, one service does the work.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.core import clock
from hanout.core.api_base import ApiViewSet
from hanout.core.errors import PermissionDenied
from hanout.core.permissions import Level, Module, denial_message
from hanout.customers import selectors, selectors_crm, services, services_loyalty
from hanout.customers.models import Customer, LoyaltyEntry, LoyaltyRule, TrustLevel
from hanout.sales.api_orders import OrderSerializer

_PHONE_HELP = _("Read with the business's country unless it starts with +; answered in E.164 form.")


class GrowthMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("The first day of the month."))
    count = serializers.IntegerField(help_text=_("Customer cards created that month."))


class GrowthYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField()


class SegmentCountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Active customers in this segment."))


class GrowthSerializer(serializers.Serializer):
    months = GrowthMonthSerializer(many=True, help_text=_("The last 12 months, oldest first."))
    years = GrowthYearSerializer(many=True)
    segments = SegmentCountSerializer(many=True)


class CustomerSerializer(serializers.ModelSerializer):
    order_count = serializers.IntegerField(read_only=True, help_text=_("Orders of this customer."))
    segment = serializers.ChoiceField(
        choices=list(selectors_crm.SEGMENTS),
        read_only=True,
        help_text=_("new, regular, top, occasional, lapsed or prospect (see docs/customers.md)."),
    )
    purchase_count = serializers.IntegerField(
        read_only=True, help_text=_("Register tickets and orders that went ahead.")
    )
    spent = serializers.DecimalField(
        max_digits=20,
        decimal_places=3,
        read_only=True,
        help_text=_("Tickets net of their returns plus orders, tax included."),
    )
    last_purchase_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "is_company",
            "phone",
            "email",
            "address",
            "tax_id",
            "notes",
            "is_active",
            "card_code",
            "trust_level",
            "loyalty_points",
            "segment",
            "purchase_count",
            "spent",
            "last_purchase_at",
            "order_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CustomerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=160, required=False)
    is_company = serializers.BooleanField(required=False)
    phone = serializers.CharField(
        max_length=32, allow_blank=True, required=False, help_text=_PHONE_HELP
    )
    email = serializers.EmailField(max_length=254, allow_blank=True, required=False)
    address = serializers.CharField(max_length=500, allow_blank=True, required=False)
    tax_id = serializers.CharField(
        max_length=64, allow_blank=True, required=False, help_text=_("Tax / VAT number.")
    )
    notes = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    card_code = serializers.CharField(
        max_length=64,
        allow_blank=True,
        required=False,
        help_text=_("The code on the customer's loyalty card (unique in the business)."),
    )


class CustomerCreateSerializer(CustomerUpdateSerializer):
    name = serializers.CharField(max_length=160)
    is_active = serializers.BooleanField(default=True)
    client_uuid = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text=_("Made by the client: sending it again answers the first customer."),
    )


class CustomerQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("Name, phone, email or tax id.")
    )
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    is_company = serializers.BooleanField(required=False, allow_null=True, default=None)
    segment = serializers.ChoiceField(
        choices=list(selectors_crm.SEGMENTS), required=False, allow_blank=True
    )
    trust_level = serializers.ChoiceField(
        choices=TrustLevel.choices, required=False, allow_blank=True
    )


class TrustSerializer(serializers.Serializer):
    trust_level = serializers.ChoiceField(choices=TrustLevel.choices)
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class TrustSuggestionSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=TrustLevel.choices)
    reasons = serializers.ListField(child=serializers.CharField())


class CustomerStatsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total_spent = serializers.DecimalField(max_digits=20, decimal_places=3)
    tickets_spent = serializers.DecimalField(max_digits=20, decimal_places=3)
    ticket_returns = serializers.DecimalField(max_digits=20, decimal_places=3)
    orders_spent = serializers.DecimalField(max_digits=20, decimal_places=3)
    order_returns = serializers.DecimalField(max_digits=20, decimal_places=3)
    net_gain = serializers.DecimalField(
        max_digits=20,
        decimal_places=3,
        allow_null=True,
        help_text=_(
            "Revenue without tax minus the cost of the goods at the time of sale; "
            "null without read access to Reports."
        ),
    )
    ticket_count = serializers.IntegerField()
    return_count = serializers.IntegerField()
    order_count = serializers.IntegerField()
    cancelled_orders = serializers.IntegerField()
    invoice_count = serializers.IntegerField()
    cash = serializers.DecimalField(max_digits=20, decimal_places=3)
    online = serializers.DecimalField(
        max_digits=20, decimal_places=3, help_text=_("Card and phone (QR) payments.")
    )
    payments = serializers.DictField(
        child=serializers.DecimalField(max_digits=20, decimal_places=3),
        help_text=_("Net amount paid by method (cash, card, phone)."),
    )
    last_purchase_at = serializers.DateTimeField(allow_null=True)
    trust_level = serializers.CharField()
    suggestion = TrustSuggestionSerializer()


class LoyaltyEntrySerializer(serializers.ModelSerializer):
    ticket = serializers.SerializerMethodField()

    class Meta:
        model = LoyaltyEntry
        fields = [
            "id",
            "kind",
            "points",
            "balance_after",
            "value",
            "sale",
            "ticket",
            "reference",
            "reason",
            "client_uuid",
            "created_at",
        ]
        read_only_fields = fields

    def get_ticket(self, entry) -> str | None:
        return entry.sale.ticket_number if entry.sale_id else None


class AdjustSerializer(serializers.Serializer):
    points = serializers.IntegerField(help_text=_("Positive to add, negative to take away."))
    reason = serializers.CharField(max_length=200)


class RedeemSerializer(serializers.Serializer):
    points = serializers.IntegerField(min_value=1)
    reference = serializers.CharField(
        max_length=120,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("The basket or ticket the points pay for."),
    )
    client_uuid = serializers.UUIDField(
        help_text=_("Made by the register: sending it again answers the first redemption."),
    )


class LookupQuerySerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    card = serializers.CharField(max_length=64, required=False, allow_blank=True)

    def validate(self, attrs):
        if not (attrs.get("phone") or "").strip() and not (attrs.get("card") or "").strip():
            raise serializers.ValidationError({"phone": [_("Give a phone number or a card code.")]})
        return attrs


class LookupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "phone", "card_code", "loyalty_points", "trust_level"]
        read_only_fields = fields


class LoyaltyRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = LoyaltyRule
        fields = ["enabled", "spend_step", "points_per_step", "point_value"]
        extra_kwargs = {
            "spend_step": {"help_text": _("Points are earned for every this much spent.")},
            "points_per_step": {"help_text": _("Points earned per step.")},
            "point_value": {"help_text": _("What one point pays at the register.")},
        }


@extend_schema_view(
    list=extend_schema(parameters=[CustomerQuerySerializer], responses=CustomerSerializer),
    retrieve=extend_schema(responses=CustomerSerializer),
    create=extend_schema(
        request=CustomerCreateSerializer,
        responses={
            201: CustomerSerializer,
            200: OpenApiResponse(
                CustomerSerializer,
                description=_("This client_uuid was seen: the first customer, unchanged."),
            ),
        },
    ),
    partial_update=extend_schema(request=CustomerUpdateSerializer, responses=CustomerSerializer),
    deactivate=extend_schema(request=None, responses=CustomerSerializer),
    reactivate=extend_schema(request=None, responses=CustomerSerializer),
    stats=extend_schema(responses=CustomerStatsSerializer),
    trust=extend_schema(request=TrustSerializer, responses=CustomerSerializer),
    loyalty=extend_schema(responses=LoyaltyEntrySerializer(many=True)),
    adjust_points=extend_schema(request=AdjustSerializer, responses={201: LoyaltyEntrySerializer}),
    redeem=extend_schema(
        request=RedeemSerializer,
        responses={
            201: LoyaltyEntrySerializer,
            200: OpenApiResponse(
                LoyaltyEntrySerializer,
                description=_("This client_uuid was seen: the first redemption, unchanged."),
            ),
        },
    ),
    lookup=extend_schema(parameters=[LookupQuerySerializer], responses=LookupSerializer(many=True)),
    growth=extend_schema(responses=GrowthSerializer),
    loyalty_rule=extend_schema(methods=["GET"], responses=LoyaltyRuleSerializer),
)
class CustomerViewSet(ApiViewSet):
    """The people and companies the business sells to by name."""

    module = Module.CUSTOMERS
    model = Customer
    serializer_class = CustomerSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    # The register redeems with read access to Customers (checked: full Register access).
    required_levels = {"redeem": Level.READ}

    def scoped_queryset(self, **filters):
        return selectors.customer_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(CustomerQuerySerializer)
        return self.paginated(CustomerSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(CustomerSerializer, self.get_object())

    def create(self, request):
        data = dict(self.validated(CustomerCreateSerializer))
        key = data.pop("client_uuid", None)
        customer = services.customer_create(
            business=request.business, actor=request.user, data=data, client_uuid=key
        )
        replayed = getattr(customer, "replayed", False)
        return self.respond(
            CustomerSerializer,
            self._fresh(customer),
            status_code=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )

    def partial_update(self, request, pk=None):
        customer = self.get_object()
        data = self.validated(CustomerUpdateSerializer, partial=True)
        customer = services.customer_update(customer=customer, actor=request.user, data=dict(data))
        return self.respond(CustomerSerializer, self._fresh(customer))

    def _set_active(self, active: bool):
        customer = self.get_object()
        services.customer_set_active(customer=customer, actor=self.request.user, active=active)
        return self.respond(CustomerSerializer, self._fresh(customer))

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        return self._set_active(False)

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._set_active(True)

    @extend_schema(responses=OrderSerializer(many=True))
    @action(detail=True, methods=["get"])
    def orders(self, request, pk=None):
        customer = self.get_object()
        return self.paginated(OrderSerializer, selectors.customer_orders(customer=customer))

    # --- CRM ---------------------------------------------------------------------------------

    @action(detail=True, methods=["get"])
    def stats(self, request, pk=None):
        """What the customer bought (tickets, orders, invoices), total spent, net gain,
        payments cash vs online, and the trust level with the suggested one and why."""
        customer = self.get_object()
        stats = selectors_crm.customer_stats(customer=customer)
        suggestion = selectors_crm.trust_suggestion(stats=stats)
        data = {
            **{
                name: getattr(stats, name)
                for name in CustomerStatsSerializer().fields
                if hasattr(stats, name)
            },
            "trust_level": customer.trust_level,
            "net_gain": stats.net_gain
            if request.membership.allows(Module.REPORTS, Level.READ)
            else None,
            "suggestion": {"level": suggestion.level, "reasons": suggestion.reasons},
        }
        return self.respond(CustomerStatsSerializer, data)

    @action(detail=True, methods=["post"])
    def trust(self, request, pk=None):
        """Set the trust level by hand (full access to Customers; audited)."""
        customer = self.get_object()
        data = self.validated(TrustSerializer)
        services.customer_set_trust(
            customer=customer, actor=request.user, level=data["trust_level"], note=data["note"]
        )
        return self.respond(CustomerSerializer, self._fresh(customer))

    @action(detail=True, methods=["get"])
    def loyalty(self, request, pk=None):
        """The customer's points ledger, newest first (earn, redeem, adjust, reverse)."""
        customer = self.get_object()
        return self.paginated(
            LoyaltyEntrySerializer, selectors_crm.loyalty_entries(customer=customer)
        )

    @action(detail=True, methods=["post"], url_path="adjust-points")
    def adjust_points(self, request, pk=None):
        """Add or take away points with a reason (full access; never below zero)."""
        customer = self.get_object()
        data = self.validated(AdjustSerializer)
        entry = services_loyalty.loyalty_adjust(
            customer=customer, actor=request.user, points=data["points"], reason=data["reason"]
        )
        return self.respond(LoyaltyEntrySerializer, entry, status_code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def redeem(self, request, pk=None):
        """Pay with points at the register: `value` is what they pay. Needs full
        Register access. Idempotent on `client_uuid`; 400 when the balance is short."""
        member = request.membership
        if not member.allows(Module.REGISTER, Level.FULL):
            raise PermissionDenied(denial_message(Module.REGISTER, member.level(Module.REGISTER)))
        customer = self.get_object()
        data = self.validated(RedeemSerializer)
        entry = services_loyalty.loyalty_redeem(
            customer=customer,
            points=data["points"],
            reference=data["reference"],
            client_uuid=data["client_uuid"],
            actor=request.user,
        )
        return self.respond(
            LoyaltyEntrySerializer,
            entry,
            status_code=status.HTTP_200_OK if entry.replayed else status.HTTP_201_CREATED,
        )

    @action(detail=False, methods=["get"], pagination_class=None)
    def lookup(self, request):
        """Active customers by phone (read with the business's country) or loyalty card
        code, to attach one to a sale at the register. A plain list, at most 10."""
        data = self.query(LookupQuerySerializer)
        found = selectors_crm.customer_lookup(
            business=request.business, phone=data.get("phone", ""), card=data.get("card", "")
        )
        return self.respond(LookupSerializer, found, many=True)

    @extend_schema(
        methods=["PATCH"], request=LoyaltyRuleSerializer, responses=LoyaltyRuleSerializer
    )
    @action(detail=False, methods=["get", "patch"], url_path="loyalty-rule")
    def loyalty_rule(self, request):
        """The loyalty programme: on/off, points per amount spent, value of a point."""
        if request.method == "PATCH":
            data = self.validated(LoyaltyRuleSerializer, partial=True)
            rule = services_loyalty.loyalty_rule_set(
                business=request.business, actor=request.user, data=dict(data)
            )
        else:
            rule = services_loyalty.loyalty_rule_of(request.business)
        return self.respond(LoyaltyRuleSerializer, rule)

    @action(detail=False, methods=["get"], pagination_class=None)
    def growth(self, request):
        """New customers (cards created) in each of the last 12 months and in each year,
        and how many active customers are in each segment — the customers dashboard's
        figures, in the shop's time zone."""
        from hanout.purchasing.selectors_bills import local_today

        business = request.business
        counts = selectors_crm.segment_counts(business=business, now=clock.now())
        data = {
            "months": selectors_crm.new_customers_last_months(
                business=business, today=local_today(business)
            ),
            "years": [
                {"year": r["key"].year, "count": r["count"]}
                for r in selectors_crm.new_customers_by(business=business, period="year")
            ],
            "segments": [
                {"key": key, "label": str(label), "count": counts[key]}
                for key, label in selectors_crm.SEGMENTS.items()
            ],
        }
        return Response(GrowthSerializer(data).data)

    def _fresh(self, customer: Customer) -> Customer:
        """Re-read after a write so `order_count` is there."""
        return selectors.customer_get(business=self.request.business, pk=customer.pk)


def register(router):
    router.register("customers", CustomerViewSet, basename="customer")
