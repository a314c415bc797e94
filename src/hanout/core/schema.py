"""OpenAPI schema: every endpoint documents its error responses in the one shape."""

import uritemplate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(
                    help_text=_("Stable, for programs: `invalid`, `not_found` …")
                ),
                "message": serializers.CharField(help_text=_("A sentence for a person.")),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    help_text=_("What is wrong with each input field, by field name."),
                ),
            },
        )
    },
)

# A request that moves money or stock may name its idempotency key in this standard header
# instead of the body's `client_uuid` (the same UUID; sending it again changes nothing).
IDEMPOTENCY_KEY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "A client-made UUID: the same key again returns the first result (200) and changes "
        "nothing. The same as the body's `client_uuid`, used when that is absent; both sent "
        "and different, or a header that is not a UUID, is a 400."
    ),
)

ERROR_DESCRIPTIONS = {
    "400": _("Bad input; `fields` names what is wrong."),
    "401": _("Not signed in, or a bad or revoked token."),
    "403": _("Signed in, but the module access level does not allow it."),
    "404": _("Not found (or in another business)."),
    "409": _("Conflicts with the current state."),
    "415": _("The body is not JSON, a form or multipart form data."),
}
WRITE_METHODS = {"POST", "PUT", "PATCH"}


class AutoSchema(SpectacularAutoSchema):
    """Documents the error responses every endpoint can give, in the one shape.

    401 and 403 everywhere; 400 where there is a body or query parameters; 404
    where the path names an object; 409 on writes; 415 where there is a body.
    """

    def _error_codes(self) -> list[str]:
        method = self.method.upper()
        has_path_object = bool(uritemplate.variables(self.path))
        has_query = method == "GET" and self._is_list_view()
        codes = ["401", "403"]
        if method in WRITE_METHODS or has_query:
            codes.append("400")
        if has_path_object:
            codes.append("404")
        if method in WRITE_METHODS or method == "DELETE":
            codes.append("409")
        if method in WRITE_METHODS:
            codes.append("415")
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code]),
                    code,
                )
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """`Authorization: Token hnt_…` in the schema and in Swagger UI's Authorize button."""

    target_class = "hanout.accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(
                _("A personal API token, sent as `Token hnt_…`. Make one on your profile page.")
            ),
        }


class AppSessionScheme(OpenApiAuthenticationExtension):
    """`X-Session-Token` from the app sign-in at /_allauth/app/v1/ (the desktop app)."""

    target_class = "hanout.accounts.authentication.AppSessionAuthentication"
    name = "appSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Session-Token",
            "description": str(
                _(
                    "The session of an app sign-in (/_allauth/app/v1/auth/login). Use it to make a personal token with POST /api/v1/tokens/."
                )
            ),
        }


class OneObjectListSchema(AutoSchema):
    """For a viewset whose `list` route answers one object (a summary, a wallet, a profile)."""

    def _is_list_view(self, serializer=None) -> bool:
        if getattr(self.view, "action", None) == "list":
            return False
        return super()._is_list_view(serializer)

    def _error_codes(self) -> list[str]:
        codes = super()._error_codes()
        if self.method.upper() == "GET" and "400" not in codes:
            codes = sorted([*codes, "400"])  # its query parameters can be wrong, as a list's can
        return codes
