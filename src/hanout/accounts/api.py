"""REST API about people: members (employees), their access, permission requests,
the signed-in person (`me/`) and their personal API tokens.

Views are thin: an input serializer checks the shape, one service does the work,
an output serializer answers. Every queryset comes from a selector scoped to
`request.business`, so another business's id is a 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from hanout.accounts import selectors, services
from hanout.accounts.models import (
    ApiToken,
    Membership,
    PermissionRequest,
    PermissionRequestStatus,
    User,
)
from hanout.core.api_base import ApiViewSet
from hanout.core.api_views import BusinessSerializer
from hanout.core.permissions import Level, Module, Role

# --- serializers ---------------------------------------------------------------------------


def _levels_serializer(name: str, *, for_input: bool) -> type[serializers.Serializer]:
    """One field per module: all of them in output; any in input (null = the role default)."""
    fields = {
        module: serializers.ChoiceField(
            choices=Level.choices,
            required=not for_input,
            allow_null=for_input,
            help_text=Module(module).label,
        )
        for module in Module.values
    }
    return type(name, (serializers.Serializer,), fields)


ModuleLevelsSerializer = _levels_serializer("ModuleLevels", for_input=False)
_ModuleAccessBase = _levels_serializer("ModuleAccessBase", for_input=True)


class ModuleAccessSerializer(_ModuleAccessBase):
    """{module: level | null}: set a module's level, or null to return to the role's default."""

    def validate(self, attrs):
        unknown = [key for key in self.initial_data if key not in self.fields]
        if unknown:
            raise serializers.ValidationError({key: [_("Unknown module.")] for key in unknown})
        return attrs


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    phone = serializers.CharField(source="user.phone", read_only=True)
    has_pin = serializers.BooleanField(read_only=True)
    levels = ModuleLevelsSerializer(read_only=True, help_text=_("Effective level per module."))
    overrides = serializers.SerializerMethodField(
        help_text=_("Per-employee levels that replace the role's default.")
    )

    class Meta:
        model = Membership
        fields = [
            "id",
            "user_id",
            "email",
            "full_name",
            "phone",
            "role",
            "job_title",
            "employee_code",
            "is_active",
            "hired_on",
            "deactivated_at",
            "has_pin",
            "levels",
            "overrides",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.DictField(child=serializers.ChoiceField(choices=Level.choices))
    )
    def get_overrides(self, obj: Membership) -> dict[str, str]:
        return {access.module: access.level for access in obj.module_access.all()}


_digits = {"invalid": _("Digits only.")}


class MemberCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    full_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)
    job_title = serializers.CharField(max_length=120, allow_blank=True, default="")
    employee_code = serializers.RegexField(
        r"^[0-9]{1,8}$",
        max_length=8,
        allow_blank=True,
        default="",
        error_messages=_digits,
        help_text=_("1 to 8 digits, typed at the register."),
    )
    pin = serializers.RegexField(
        r"^[0-9]{4,6}$",
        max_length=6,
        allow_blank=True,
        default="",
        write_only=True,
        error_messages={"invalid": _("4 to 6 digits.")},
        help_text=_("Register PIN, 4 to 6 digits."),
    )
    phone = serializers.CharField(max_length=32, allow_blank=True, default="")
    hired_on = serializers.DateField(required=False, allow_null=True, default=None)
    send_invitation = serializers.BooleanField(
        default=True, help_text=_("Email a new person a link to choose a password.")
    )


class MemberUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150, required=False)
    phone = serializers.CharField(max_length=32, allow_blank=True, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    job_title = serializers.CharField(max_length=120, allow_blank=True, required=False)
    employee_code = serializers.RegexField(
        r"^[0-9]{1,8}$", max_length=8, allow_blank=True, required=False, error_messages=_digits
    )
    hired_on = serializers.DateField(required=False, allow_null=True)


class MemberQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=100, help_text=_("Name, email or employee code.")
    )
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class DeactivateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, default="")


class SetPinSerializer(serializers.Serializer):
    pin = serializers.RegexField(
        r"^[0-9]{4,6}$",
        max_length=6,
        write_only=True,
        error_messages={"invalid": _("4 to 6 digits.")},
        help_text=_("4 to 6 digits."),
    )


class PermissionRequestSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="membership.user", read_only=True)
    decided_by = serializers.UUIDField(source="decided_by_id", read_only=True, allow_null=True)

    class Meta:
        model = PermissionRequest
        fields = [
            "id",
            "membership",
            "member_name",
            "module",
            "level",
            "reason",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PermissionRequestCreateSerializer(serializers.Serializer):
    module = serializers.ChoiceField(choices=Module.choices)
    level = serializers.ChoiceField(
        choices=[(Level.READ.value, Level.READ.label), (Level.FULL.value, Level.FULL.label)]
    )
    reason = serializers.CharField(max_length=1000, allow_blank=True, default="")


class PermissionRequestQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PermissionRequestStatus.choices, required=False)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, allow_blank=True, default="")


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "phone", "language"]
        read_only_fields = fields


class MembershipSummarySerializer(serializers.ModelSerializer):
    has_pin = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "role", "job_title", "employee_code", "is_active", "hired_on", "has_pin"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    user = UserSerializer(read_only=True)
    membership = MembershipSummarySerializer(read_only=True)
    business = BusinessSerializer(read_only=True)
    levels = ModuleLevelsSerializer(read_only=True)


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "revoked_at", "is_active"]
        read_only_fields = fields


class ApiTokenCreatedSerializer(ApiTokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text=_("The secret. It is shown only in this response; keep it safe.")
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=80, help_text=_("What the token is for, e.g. “stock script”.")
    )


# --- viewsets --------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[MemberQuerySerializer], responses=MemberSerializer),
    retrieve=extend_schema(responses=MemberSerializer),
    create=extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer}),
    partial_update=extend_schema(request=MemberUpdateSerializer, responses=MemberSerializer),
    deactivate=extend_schema(request=DeactivateSerializer, responses=MemberSerializer),
    reactivate=extend_schema(request=None, responses=MemberSerializer),
    set_pin=extend_schema(request=SetPinSerializer, responses=MemberSerializer),
    access=extend_schema(request=ModuleAccessSerializer, responses=MemberSerializer),
)
class MemberViewSet(ApiViewSet):
    """Employees of the business. Never shows a PIN or its hash."""

    module = Module.STAFF
    model = Membership
    serializer_class = MemberSerializer

    def scoped_queryset(self, **filters):
        return selectors.member_list(business=self.request.business, **filters)

    def list(self, request):
        filters = self.query(MemberQuerySerializer)
        return self.paginated(MemberSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(MemberSerializer, self.get_object())

    def create(self, request):
        data = self.validated(MemberCreateSerializer)
        membership = services.employee_create(actor_membership=request.membership, **data)
        return self.respond(
            MemberSerializer, self._fresh(membership), status_code=status.HTTP_201_CREATED
        )

    def partial_update(self, request, pk=None):
        membership = self.get_object()
        data = self.validated(MemberUpdateSerializer, partial=True)
        membership = services.employee_update(
            actor_membership=request.membership, membership=membership, data=dict(data)
        )
        return self.respond(MemberSerializer, self._fresh(membership))

    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        membership = self.get_object()
        data = self.validated(DeactivateSerializer)
        membership = services.employee_set_active(
            actor_membership=request.membership,
            membership=membership,
            active=False,
            note=data["note"],
        )
        return self.respond(MemberSerializer, self._fresh(membership))

    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        membership = self.get_object()
        membership = services.employee_set_active(
            actor_membership=request.membership, membership=membership, active=True
        )
        return self.respond(MemberSerializer, self._fresh(membership))

    @action(detail=True, methods=["post"], url_path="set-pin", url_name="set-pin")
    def set_pin(self, request, pk=None):
        membership = self.get_object()
        data = self.validated(SetPinSerializer)
        membership = services.employee_set_pin(
            actor_membership=request.membership, membership=membership, pin=data["pin"]
        )
        return self.respond(MemberSerializer, self._fresh(membership))

    @action(detail=True, methods=["put"])
    def access(self, request, pk=None):
        membership = self.get_object()
        levels = self.validated(ModuleAccessSerializer)
        membership = services.module_access_set(
            actor_membership=request.membership, membership=membership, levels=dict(levels)
        )
        return self.respond(MemberSerializer, self._fresh(membership))

    def _fresh(self, membership: Membership) -> Membership:
        """Re-read after a write so `levels` and `overrides` reflect it."""
        return selectors.member_get(business=self.request.business, pk=membership.pk)


@extend_schema_view(
    list=extend_schema(
        parameters=[PermissionRequestQuerySerializer], responses=PermissionRequestSerializer
    ),
    retrieve=extend_schema(responses=PermissionRequestSerializer),
    create=extend_schema(
        request=PermissionRequestCreateSerializer, responses={201: PermissionRequestSerializer}
    ),
    accept=extend_schema(request=DecisionSerializer, responses=PermissionRequestSerializer),
    reject=extend_schema(request=DecisionSerializer, responses=PermissionRequestSerializer),
)
class PermissionRequestViewSet(ApiViewSet):
    """Requests for more access. Anyone asks for themself; Staff managers decide.

    Without read access to Staff a member sees only their own requests.
    """

    model = PermissionRequest
    serializer_class = PermissionRequestSerializer
    required_levels = {"accept": Level.FULL, "reject": Level.FULL}

    @property
    def module(self):
        return Module.STAFF if getattr(self, "action", None) in ("accept", "reject") else None

    def scoped_queryset(self, **filters):
        membership = self.request.membership
        mine = None if membership.can_read(Module.STAFF) else membership
        return selectors.permission_request_list(
            business=self.request.business, membership=mine, **filters
        )

    def list(self, request):
        filters = self.query(PermissionRequestQuerySerializer)
        return self.paginated(PermissionRequestSerializer, self.scoped_queryset(**filters))

    def retrieve(self, request, pk=None):
        return self.respond(PermissionRequestSerializer, self.get_object())

    def create(self, request):
        data = self.validated(PermissionRequestCreateSerializer)
        req = services.permission_request_create(membership=request.membership, **data)
        return self.respond(PermissionRequestSerializer, req, status_code=status.HTTP_201_CREATED)

    def _decide(self, accept: bool):
        req = self.get_object()
        data = self.validated(DecisionSerializer)
        req = services.permission_request_decide(
            actor_membership=self.request.membership, request=req, accept=accept, note=data["note"]
        )
        return self.respond(PermissionRequestSerializer, req)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(True)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(False)


class MeViewSet(ApiViewSet):
    """The signed-in person, their membership in this business and what they may do."""

    pagination_class = None

    @extend_schema(operation_id="me_retrieve", responses=MeSerializer)
    @action(detail=False, methods=["get"], url_path="me", url_name="me")
    def me(self, request):
        membership = request.membership
        return self.respond(
            MeSerializer,
            {
                "user": request.user,
                "membership": membership,
                "business": request.business,
                "levels": membership.levels,
            },
        )


@extend_schema_view(
    list=extend_schema(responses=ApiTokenSerializer),
    create=extend_schema(
        request=ApiTokenCreateSerializer, responses={201: ApiTokenCreatedSerializer}
    ),
    destroy=extend_schema(responses={204: None}),
)
class TokenViewSet(ApiViewSet):
    """The caller's own API tokens. The secret is shown once, when it is made."""

    model = ApiToken
    serializer_class = ApiTokenSerializer

    def scoped_queryset(self):
        return selectors.token_list(membership=self.request.membership)

    def list(self, request):
        return self.paginated(ApiTokenSerializer, self.get_queryset())

    def create(self, request):
        if isinstance(request.auth, ApiToken):
            # A leaked token must not be able to make itself a successor.
            raise PermissionDenied(
                _(
                    "Create tokens signed in with your password (your profile page), not with a token."
                )
            )
        data = self.validated(ApiTokenCreateSerializer)
        token, raw = services.api_token_create(membership=request.membership, name=data["name"])
        return Response(
            {**ApiTokenSerializer(token).data, "token": raw}, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, pk=None):
        services.api_token_revoke(membership=request.membership, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    router.register("members", MemberViewSet, basename="member")
    router.register("permission-requests", PermissionRequestViewSet, basename="permission-request")
    router.register("", MeViewSet, basename="me")
    router.register("tokens", TokenViewSet, basename="token")
