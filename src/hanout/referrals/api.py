"""REST API of sponsorship (module `sponsorship`: reading needs read, inviting needs full).

- `GET /api/v1/referrals/`: the business's code, its registration link, the revenue
  from sponsoring (by currency), the number of sponsees and active sponsees, and
  the programme in force today.
- `GET /api/v1/referrals/sponsees/`: the sponsees (paginated), each with its
  date and whether it is active.
- `GET /api/v1/referrals/rewards/`: the reward ledger (paginated, newest first);
  `GET /api/v1/referrals/rewards/{id}/`: one entry (another business's is a 404).
- `POST /api/v1/referrals/invite/` `{"email", "message"}`: email an invitation
  (at most `HANOUT_REFERRAL_INVITES_PER_DAY` a day: 429 beyond).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hanout.core import clock
from hanout.core.api_base import ApiViewSet
from hanout.core.permissions import Module
from hanout.core.schema import ErrorSerializer, OneObjectListSchema
from hanout.referrals import selectors, services
from hanout.referrals.models import ReferralInvitation, RewardEntry, Sponsorship

RATE_LIMITED = OpenApiResponse(
    response=ErrorSerializer,
    description=gettext_lazy("The daily number of invitations is reached; try tomorrow."),
)


class EntryMoneyField(serializers.DecimalField):
    """An amount at its own currency's precision (entries carry their currency)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, obj):
        from hanout.core.money import quantize

        amount = obj["total"] if isinstance(obj, dict) else obj.amount
        currency = obj["currency"] if isinstance(obj, dict) else obj.currency
        return str(quantize(amount, currency))


class TotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    total = EntryMoneyField()


class ProgrammeSerializer(serializers.Serializer):
    name = serializers.CharField()
    one_time_amount = serializers.DecimalField(max_digits=14, decimal_places=3)
    currency = serializers.CharField()
    active_days_required = serializers.IntegerField()
    fee_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    fee_months = serializers.IntegerField()
    valid_from = serializers.DateField()


class ReferralSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    link = serializers.URLField()
    totals = TotalSerializer(many=True, help_text=gettext_lazy("Revenue from sponsoring."))
    sponsees = serializers.IntegerField()
    active_sponsees = serializers.IntegerField()
    programme = ProgrammeSerializer(allow_null=True)


class SponseeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="sponsee.name", read_only=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Sponsorship
        fields = ["id", "name", "since", "is_active"]
        read_only_fields = fields

    def get_is_active(self, obj) -> bool:
        """The business is active and someone signed in or sold in the last 30 days."""
        return selectors.is_active_now(obj)


class RewardEntrySerializer(serializers.ModelSerializer):
    sponsee = serializers.CharField(source="sponsorship.sponsee.name", read_only=True)
    amount = EntryMoneyField()

    class Meta:
        model = RewardEntry
        fields = [
            "id",
            "sponsorship",
            "sponsee",
            "kind",
            "amount",
            "currency",
            "earned_on",
            "reference",
            "reverses",
            "created_at",
        ]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    message = serializers.CharField(
        max_length=services.MESSAGE_MAX, required=False, allow_blank=True, default=""
    )


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReferralInvitation
        fields = ["id", "email", "message", "created_at"]
        read_only_fields = fields


class ReferralViewSet(ApiViewSet):
    """Sponsorship: your referral code and link, your sponsees and the rewards earned."""

    module = Module.SPONSORSHIP
    model = Sponsorship
    serializer_class = SponseeSerializer
    schema = OneObjectListSchema()  # GET /referrals/ answers one object (the summary)

    def scoped_queryset(self, **filters):
        return selectors.sponsee_list(business=self.request.business, day=clock.now().date())

    @extend_schema(responses=ReferralSummarySerializer)
    def list(self, request):
        business = request.business
        today = clock.now().date()
        code = services.referral_code_ensure(business=business)
        summary = selectors.referral_summary(business=business, day=today)
        data = {
            "code": code.code,
            "link": selectors.referral_link(code.code),
            "totals": summary.rows,
            "sponsees": summary.sponsees,
            "active_sponsees": summary.active_sponsees,
            "programme": selectors.programme_for(today),
        }
        return Response(ReferralSummarySerializer(data).data)

    @extend_schema(responses=SponseeSerializer(many=True))
    @action(detail=False, methods=["get"])
    def sponsees(self, request):
        return self.paginated(SponseeSerializer, self.scoped_queryset())

    @extend_schema(responses=RewardEntrySerializer(many=True))
    @action(detail=False, methods=["get"])
    def rewards(self, request):
        return self.paginated(
            RewardEntrySerializer, selectors.reward_list(business=request.business)
        )

    @extend_schema(responses=RewardEntrySerializer)
    @action(detail=False, methods=["get"], url_path=r"rewards/(?P<entry_id>[0-9a-fA-F-]{36})")
    def reward(self, request, entry_id=None):
        try:
            entry = selectors.reward_get(business=request.business, pk=entry_id)
        except (RewardEntry.DoesNotExist, ValueError, DjangoValidationError) as exc:
            raise Http404 from exc
        return self.respond(RewardEntrySerializer, entry)

    @extend_schema(
        request=InviteSerializer, responses={201: InvitationSerializer, 429: RATE_LIMITED}
    )
    @action(detail=False, methods=["post"])
    def invite(self, request):
        data = self.validated(InviteSerializer)
        invitation = services.referral_invite(
            business=request.business,
            actor=request.user,
            email=data["email"],
            message=data.get("message", ""),
        )
        return self.respond(InvitationSerializer, invitation, status_code=status.HTTP_201_CREATED)


def register(router):
    router.register("referrals", ReferralViewSet, basename="referral")
