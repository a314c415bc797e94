"""What every API endpoint shares: pagination, one error shape, the schema, scoping."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response

from hanout.core.errors import DomainError
from hanout.core.money import quantize


class CursorPagination(pagination.CursorPagination):
    """Stable pages at any size: UUIDv7 keys are time-ordered, so order by id.

    `page_size` above the maximum is capped; a cursor that was not made by the
    server is bad input (400), not a missing page.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-id"

    def get_ordering(self, request, queryset, view):
        """The selector's own order when it gave one the cursor can follow, else newest first.

        A list ordered by its selector (expenses by date, people by name) keeps that
        order across pages. The cursor's position is the first field, so it must be
        a plain, non-null column of the model; the id is added as the tie-breaker.
        """
        own = _cursor_ordering(queryset)
        if own is None:
            return super().get_ordering(request, queryset, view)
        return own

    def _bad_cursor(self):
        return exceptions.ValidationError(
            {
                self.cursor_query_param: [
                    _("This cursor is not valid; use the `next` link of a page.")
                ]
            }
        )

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise self._bad_cursor() from exc

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
            # A well-formed cursor whose position is not a valid id.
            raise self._bad_cursor() from exc


def _cursor_ordering(queryset) -> tuple[str, ...] | None:
    """queryset's explicit order_by() as a cursor ordering, or None when it cannot be one."""
    order_by = getattr(getattr(queryset, "query", None), "order_by", ())
    if not order_by or not all(isinstance(term, str) for term in order_by):
        return None
    first = order_by[0].lstrip("-")
    if first == "?" or "__" in first:
        return None
    if first != "pk":
        try:
            field = queryset.model._meta.get_field(first)
        except FieldDoesNotExist:  # an annotation: not a column the cursor can filter on
            return None
        if not field.concrete or field.is_relation or field.null:
            return None
    ordering = tuple(order_by)
    if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
        ordering += ("-id" if order_by[0].startswith("-") else "id",)
    return ordering


NON_FIELD = "non_field_errors"


def _flatten(detail) -> dict[str, list[str]]:
    """{"a": {"b": [msg]}} → {"a.b": [msg]}; an inner non-field error belongs to its parent."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[str(key) if sub == NON_FIELD else f"{key}.{sub}"] = msgs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    for sub, msgs in _flatten(item).items():
                        out[f"{key}[{i}]" if sub == NON_FIELD else f"{key}[{i}].{sub}"] = msgs
            else:
                out[key] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    return {}


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    """Every 4xx has the shape {"error": {"code", "message", "fields"}}."""
    if isinstance(exc, DomainError):
        fields = {
            k: [str(v)] if not isinstance(v, list) else [str(x) for x in v]
            for k, v in exc.fields.items()
        }
        return Response(error_body(exc.code, exc.message, fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail) if isinstance(exc.detail, dict) else {}
        non_field = fields.pop(NON_FIELD, None)
        if isinstance(exc.detail, list):
            non_field = [str(d) for d in exc.detail]
        if non_field:
            message = " ".join(non_field)
        elif fields:
            first = next(iter(fields))
            message = _("%(field)s: %(message)s") % {"field": first, "message": fields[first][0]}
        else:
            message = _("The request is not valid.")
        return Response(
            error_body("invalid", message, fields), status=exc.status_code, headers=headers
        )
    detail = exc.detail
    message = str(detail if not isinstance(detail, dict | list) else exc.default_detail)
    code = exc.get_codes() if not isinstance(exc.get_codes(), dict | list) else exc.default_code
    return Response(error_body(str(code), message), status=exc.status_code, headers=headers)


def not_found(request, *args, **kwargs):
    """Any unknown path under /api/v1/: a 404 in the same error shape as the rest of the API."""
    from django.http import JsonResponse

    return JsonResponse(
        error_body(
            "not_found", _("There is no API endpoint at %(path)s.") % {"path": request.path}
        ),
        status=404,
    )


class MoneyField(serializers.DecimalField):
    """An amount shown at its currency's precision: "1.20" for EUR, "1.200" for KWD.

    Columns keep three decimals for every currency; a reader of the API sees the
    business's own minor unit. Input is accepted with up to three decimals and
    rounded by the service.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 3)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        request = self.context.get("request")
        business = getattr(request, "business", None)
        if business is None:
            return super().to_representation(value)
        return str(quantize(value, business.currency))
