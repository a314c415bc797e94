"""The base of every viewset (kept apart from `hanout.core.api`, which DRF's
settings import while `rest_framework.viewsets` is still loading)."""

from __future__ import annotations

from rest_framework import status, viewsets
from rest_framework.response import Response


class ApiViewSet(viewsets.GenericViewSet):
    """Base of every viewset: input serializer → one service → output serializer.

    `get_queryset` must go through a selector scoped to `request.business`, so
    another business's id is a 404. Writes never happen here: `validated()`
    only checks the shape of the input; the service does the rest.

    Subclasses name their `model` (for the schema) and implement
    `scoped_queryset()` with a selector.
    """

    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request.business
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self, **filters):
        raise NotImplementedError

    def validated(self, serializer_class, *, data=None, partial=False, many=False):
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            partial=partial,
            many=many,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def query(self, serializer_class) -> dict:
        """Validated query-string filters (bad values are a 400 naming the parameter)."""
        return self.validated(serializer_class, data=self.request.query_params.dict())

    def respond(self, serializer_class, instance, *, status_code=status.HTTP_200_OK, many=False):
        data = serializer_class(instance, many=many, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def paginated(self, serializer_class, queryset):
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)
