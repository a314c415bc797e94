"""REST API of paired registers: the desktop app acting as a counter computer.

- `/api/v1/register-devices/`: list (`?active=`), `POST` pairs a device
  {register, label} and answers its raw token once (201), `POST {id}/revoke/`.
  Owners and managers (or Settings: full) only, as on the /pos/ page.
- `POST /api/v1/register-devices/sign-in/`: no user authentication, the device is
  the credential (`X-Register-Device: <device token>`); {code, pin} as on the
  register's keypad. Answers a personal API token for that member, which then
  carries every request of the till (sales, product lookup, /pos/catalog.json).
- `POST /api/v1/register-devices/sign-out/`: with that token and the device
  header: the token is revoked and the sign-out recorded (204).
- `POST /api/v1/register-devices/forget/`: the device header only: the device
  unpairs itself (the desktop app paired again or unpaired), as a manager's revoke
  would, recorded with the device as the actor (204).

The rules (wrong tries, the pause, opening hours, who manages registers) live in
services_register.py, the same for the web register and the desktop app.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from hanout.accounts.authentication import ApiTokenAuthentication
from hanout.core.api import error_body
from hanout.core.errors import PermissionDenied
from hanout.core.permissions import Level
from hanout.core.schema import ErrorSerializer
from hanout.pos import selectors, services, services_register
from hanout.pos.api import NOT_FOUND_IN_BODY, _PosViewSet
from hanout.pos.models import RegisterDevice

DEVICE_HEADER = "X-Register-Device"

# --- serializers ---------------------------------------------------------------------------


class RegisterDeviceSerializer(serializers.ModelSerializer):
    register = serializers.UUIDField(source="register_id", read_only=True)
    register_name = serializers.CharField(source="register.name", read_only=True)

    class Meta:
        model = RegisterDevice
        fields = [
            "id",
            "register",
            "register_name",
            "label",
            "last_seen_at",
            "revoked_at",
            "created_at",
        ]
        read_only_fields = fields


class PairedDeviceSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    register = serializers.UUIDField(source="register_id", read_only=True)
    register_name = serializers.CharField(source="register.name", read_only=True)
    shop = serializers.UUIDField(source="register.shop_id", read_only=True)
    shop_name = serializers.CharField(source="register.shop.name", read_only=True)
    business = serializers.UUIDField(source="register.business_id", read_only=True)
    business_name = serializers.CharField(source="register.business.name", read_only=True)
    label = serializers.CharField(read_only=True)
    token = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy(
            "The device's secret, shown only in this answer: send it as the "
            "X-Register-Device header to sign in at this register."
        ),
    )


class DevicePairSerializer(serializers.Serializer):
    register = serializers.UUIDField(help_text=gettext_lazy("A register of this business."))
    label = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class DeviceQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("true: still paired; false: revoked; absent: both."),
    )


class SignInSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=8,
        error_messages={
            "required": gettext_lazy("Type your employee code."),
            "blank": gettext_lazy("Type your employee code."),
        },
    )
    pin = serializers.CharField(
        max_length=6,
        trim_whitespace=False,
        error_messages={
            "required": gettext_lazy("Type your PIN."),
            "blank": gettext_lazy("Type your PIN."),
        },
    )


class SignedInMemberSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    role = serializers.CharField()


class SignedInRegisterSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    shop = serializers.UUIDField()
    shop_name = serializers.CharField()
    idle_lock_seconds = serializers.IntegerField(
        help_text=gettext_lazy(
            "Lock the register (sign the cashier out) after this long without a touch "
            "or a key; 0 never locks."
        )
    )


class SignedInSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy(
            "A personal API token of the member: `Authorization: Token …` on every "
            "request of the till, until sign-out revokes it."
        )
    )
    member = SignedInMemberSerializer()
    register = SignedInRegisterSerializer()
    session = serializers.UUIDField(
        allow_null=True, help_text=gettext_lazy("The register's open cash session, if any.")
    )
    currency = serializers.CharField()


DEVICE_PARAMETER = OpenApiParameter(
    DEVICE_HEADER,
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=gettext_lazy("The raw device token answered when the device was paired."),
)
NOT_PAIRED = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy(
        "No device header, or the device is unknown or unpaired, or its register "
        "or business is switched off (code device_not_paired)."
    ),
)
ALREADY_FORGOTTEN = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy(
        "No device header, or the device is unknown or already unpaired (code device_not_paired)."
    ),
)

# --- the viewset ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[DeviceQuerySerializer], responses={200: RegisterDeviceSerializer}
    ),
    create=extend_schema(
        request=DevicePairSerializer,
        responses={201: PairedDeviceSerializer, **NOT_FOUND_IN_BODY},
    ),
    revoke=extend_schema(request=None, responses=RegisterDeviceSerializer),
    sign_in=extend_schema(
        request=SignInSerializer,
        parameters=[DEVICE_PARAMETER],
        responses={
            200: SignedInSerializer,
            401: NOT_PAIRED,
            403: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy(
                    "Right code and PIN, but no Register: full, or the shop is closed "
                    "for cashiers and staff (code shop_closed)."
                ),
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy(
                    "Too many wrong tries on this device: wait Retry-After seconds."
                ),
            ),
        },
        description=gettext_lazy(
            "Sign in at a paired register with an employee code and PIN. No user "
            "authentication: the device header is the credential."
        ),
    ),
    sign_out=extend_schema(
        request=None,
        parameters=[DEVICE_PARAMETER],
        responses={
            204: None,
            401: NOT_PAIRED,
            404: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy("The device is a register of another business."),
            ),
        },
        description=gettext_lazy("Leave the register: the API token of this request is revoked."),
    ),
    forget=extend_schema(
        request=None,
        parameters=[DEVICE_PARAMETER],
        responses={204: None, 401: ALREADY_FORGOTTEN},
        description=gettext_lazy(
            "The device unpairs itself: its token stops working at once, as when a "
            "manager revokes it. No user authentication: the device header is the "
            "credential, and only that device is unpaired."
        ),
    ),
)
class RegisterDeviceViewSet(_PosViewSet):
    """Devices paired to act as a register, and signing in and out at them."""

    model = RegisterDevice
    serializer_class = RegisterDeviceSerializer
    http_method_names = ["get", "post", "head", "options"]
    # Anyone signed in may leave the register, even after losing Register: full.
    required_levels = {"sign_out": Level.NONE}

    def scoped_queryset(self, **filters):
        return selectors.register_devices(business=self.request.business, **filters)

    def _managers_only(self) -> None:
        if not services_register.can_manage_registers(self.request.membership):
            raise PermissionDenied(services_register.manage_denied_message())

    def _device(self, *, in_use: bool = True):
        """The device named by the X-Register-Device header, usable now (or, `in_use`
        False, merely paired: a switched-off register may still unpair); else a 401."""
        raw = self.request.headers.get(DEVICE_HEADER, "").strip()
        find = services.device_in_use if in_use else services.device_for_token
        device = find(raw=raw) if raw else None
        if device is None:
            raise services_register.device_not_paired()
        return device

    def list(self, request):
        self._managers_only()
        query = self.query(DeviceQuerySerializer)
        return self.paginated(
            RegisterDeviceSerializer, self.scoped_queryset(active=query["active"])
        )

    def create(self, request):
        self._managers_only()
        data = self.validated(DevicePairSerializer)
        register = self._register(data["register"])
        device, raw = services.device_pair(
            register=register, actor=request.user, label=data["label"].strip()
        )
        device.token = raw
        return self.respond(PairedDeviceSerializer, device, status_code=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        self._managers_only()
        device = services.device_revoke(device=self.get_object(), actor=request.user)
        return self.respond(RegisterDeviceSerializer, device)

    @action(
        detail=False,
        methods=["post"],
        url_path="sign-in",
        url_name="sign-in",
        authentication_classes=[],
        permission_classes=[AllowAny],
    )
    def sign_in(self, request):
        device = self._device()
        wait = services_register.sign_in_wait_seconds(device=device)
        if wait:
            return self._locked(wait)
        data = self.validated(SignInSerializer)
        try:
            membership, _token, raw = services_register.register_token_sign_in(
                device=device, code=data["code"].strip(), pin=data["pin"]
            )
        except services_register.SignInLocked:
            return self._locked(services_register.sign_in_wait_seconds(device=device))
        register = device.register
        session = selectors.session_current(register=register)
        answer = {
            "token": raw,
            "member": {
                "id": membership.pk,
                "name": membership.user.get_full_name(),
                "role": membership.role,
            },
            "register": {
                "id": register.pk,
                "name": register.name,
                "shop": register.shop_id,
                "shop_name": register.shop.name,
                "idle_lock_seconds": register.idle_lock_seconds,
            },
            "session": session.pk if session is not None else None,
            "currency": device.business.currency,
        }
        return Response(SignedInSerializer(answer).data)

    def _locked(self, wait: int) -> Response:
        wait = max(1, wait)
        message = services_register.locked_message(wait)
        return Response(
            error_body(services_register.SignInLocked.code, message),
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )

    @action(
        detail=False,
        methods=["post"],
        url_path="sign-out",
        url_name="sign-out",
        authentication_classes=[ApiTokenAuthentication],
    )
    def sign_out(self, request):
        device = self._device()
        services_register.register_token_sign_out(
            device=device, membership=request.membership, token=request.auth
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(
        detail=False,
        methods=["post"],
        url_path="forget",
        url_name="forget",
        authentication_classes=[],
        permission_classes=[AllowAny],
    )
    def forget(self, request):
        # Any device not yet revoked, even of a switched-off register or business:
        # unpairing itself is always allowed. Only the device the header names.
        device = self._device(in_use=False)
        services.device_revoke(device=device, actor=device)
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router) -> None:
    router.register("register-devices", RegisterDeviceViewSet, basename="register-device")
