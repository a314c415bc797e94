"""Registering a store from an app (the desktop): step one, the store.

The web's two steps (accounts/views_register.py) for a client with no browser
session:

1. `GET /api/v1/signup/` lists what step one offers (currencies, countries in
   the asker's language, time zones, languages and the defaults);
   `POST /api/v1/signup/` checks the store with the web's own form and keeps it
   in a new sign-up session, whose key it answers as `session_token`.
2. The app then signs the manager up on allauth's headless API,
   `POST /_allauth/app/v1/auth/signup` with `X-Session-Token: <session_token>`
   and `{email, password, full_name, phone}`. allauth applies the same password
   rules, rate limit and email confirmation as the web; AccountAdapter.save_user
   creates the user, the business and its first shop in one transaction, and
   the answer (401, flow `verify_email` pending) means "confirm your email".

Nothing is written to the database by step one: an abandoned sign-up leaves
only an expiring session behind.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from hanout.accounts.forms import StoreForm
from hanout.accounts.forms_signup import REFERRAL_SESSION_KEY, STORE_SESSION_KEY
from hanout.core.forms import _country_choices, _currency_choices, _tz_choices
from hanout.core.schema import ErrorSerializer

TOO_MANY = {
    429: OpenApiResponse(
        ErrorSerializer,
        description=_("Too many sign-ups from this address: wait Retry-After seconds."),
    )
}


class StoreStepSerializer(serializers.Serializer):
    """Step one's fields. The web's StoreForm decides what is valid, so both agree."""

    name = serializers.CharField(max_length=120)
    currency = serializers.CharField()
    country = serializers.CharField()
    time_zone = serializers.CharField()
    shop_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    language = serializers.CharField(required=False, allow_blank=True)
    referral_code = serializers.CharField(max_length=24, required=False, allow_blank=True)

    def to_internal_value(self, data):
        # The form, not the fields above (which document the shape), so that every
        # mistake is named at once, in the web's words.
        if not hasattr(data, "get"):
            raise serializers.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        data = dict(data.items())
        if not data.get("language"):  # the asker's language, as on the web's first step
            request = self.context.get("request")
            data["language"] = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
        form = StoreForm(data=data)
        if not form.is_valid():
            raise serializers.ValidationError({k: list(v) for k, v in form.errors.items()})
        return form.cleaned_data


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class SignupChoicesSerializer(serializers.Serializer):
    currencies = ChoiceSerializer(many=True)
    countries = ChoiceSerializer(many=True)
    time_zones = ChoiceSerializer(many=True)
    languages = ChoiceSerializer(many=True)
    defaults = inline_serializer(
        name="SignupDefaults",
        fields={
            "currency": serializers.CharField(),
            "time_zone": serializers.CharField(),
            "language": serializers.CharField(),
        },
    )


class StoreStepAnswerSerializer(serializers.Serializer):
    session_token = serializers.CharField(
        help_text=_("Send it as X-Session-Token to /_allauth/app/v1/auth/signup (step two).")
    )
    store = inline_serializer(
        name="SignupStore",
        fields={
            "name": serializers.CharField(),
            "currency": serializers.CharField(),
            "country": serializers.CharField(),
            "time_zone": serializers.CharField(),
            "shop_name": serializers.CharField(),
            "address": serializers.CharField(),
            "language": serializers.CharField(),
        },
    )
    sponsor = serializers.CharField(
        allow_null=True, help_text=_("The name of the business whose referral code was given.")
    )


class SignupThrottle(AnonRateThrottle):
    """The same pace as allauth's signup limit (ACCOUNT_RATE_LIMITS["signup"])."""

    scope = "signup"
    rate = "20/min"


def _choices(pairs) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in pairs if value]


def _new_signup_session(store: dict, referral_code: str) -> SessionBase:
    """A session like the web's after step one, in the store allauth's headless
    API reads X-Session-Token from (the token is the session key)."""
    from allauth.headless.internal.sessionkit import new_session

    session = new_session()
    session[STORE_SESSION_KEY] = store
    if referral_code:
        session[REFERRAL_SESSION_KEY] = referral_code
    session.save()
    return session


@extend_schema_view(
    list=extend_schema(
        summary="What step one of registering a store offers",
        responses={200: SignupChoicesSerializer, **TOO_MANY},
        auth=[],
    ),
    create=extend_schema(
        summary="Step one of registering a store: check it and open the sign-up",
        request=StoreStepSerializer,
        responses={201: StoreStepAnswerSerializer, **TOO_MANY},
        auth=[],
    ),
)
class SignupViewSet(viewsets.ViewSet):
    """Not an ApiViewSet: there is no business (nor any model) to scope to yet."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SignupThrottle]

    def list(self, request):
        data = {
            "currencies": _choices(_currency_choices()),
            "countries": _choices(_country_choices()),
            "time_zones": _choices(_tz_choices()),
            "languages": _choices(settings.LANGUAGES),
            "defaults": {
                "currency": StoreForm.base_fields["currency"].initial,
                "time_zone": StoreForm.base_fields["time_zone"].initial,
                "language": getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE,
            },
        }
        return Response(SignupChoicesSerializer(data).data)

    def create(self, request):
        from hanout.referrals.selectors import referral_code_find

        serializer = StoreStepSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        store = dict(serializer.validated_data)
        code = store.pop("referral_code", "")
        session = _new_signup_session(store, code)
        found = referral_code_find(code) if code else None
        answer = {
            "session_token": session.session_key,
            "store": store,
            "sponsor": found.business.name if found else None,
        }
        return Response(StoreStepAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("signup", SignupViewSet, basename="signup")
