"""OpenAPI schema: every endpoint documents its error responses in the one shape."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "error": inline_serializer(
            name="ErrorDetail",
            fields={
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            },
        )
    },
)


class AutoSchema(SpectacularAutoSchema):
    """Documents the error responses every endpoint can give, in the one shape."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        extra = {
            "400": _("Bad input; `fields` names what is wrong."),
            "401": _("Not signed in or bad token."),
            "403": _("Signed in, but the module access level does not allow it."),
            "404": _("Not found (or in another business)."),
            "409": _("Conflicts with the current state."),
        }
        method = self.method.upper()
        for code, description in extra.items():
            if code == "400" and method in ("GET", "DELETE") and not self._is_list_view():
                continue
            if code == "404" and self._is_list_view() and method == "GET":
                continue
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(response=ErrorSerializer, description=description), code
                )
        return responses
