from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from companies.models import Company
from companies.selectors import OneQueryPaginator, company_search, did_you_mean
from magok.api import PublicResponseCache

from .serializers import CompanySearchParamsSerializer, CompanySerializer


class CompanyPagination(PageNumberPagination):
    """Page and total in one query; ``suggestion`` is the "did you mean" company when nothing
    contains the search and only near spellings were found (else null)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = OneQueryPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        suggestion = None
        page = self.page
        searched = self.request is not None and self.request.query_params.get("search")
        if searched and page is not None and page.number == 1:
            company = did_you_mean(list(page.object_list))
            if company is not None:
                suggestion = {"slug": company.slug, "name": company.name}
        response.data["suggestion"] = suggestion
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["suggestion"] = {
            "type": "object",
            "nullable": True,
            "description": "When nothing contains the search and only near spellings match: the nearest company.",
            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
        }
        return paginated


@extend_schema_view(
    list=extend_schema(
        summary="Search the company directory",
        description="Public tenant companies, best match first when `search` is given.",
        parameters=[CompanySearchParamsSerializer],
    ),
    retrieve=extend_schema(summary="One public company by slug"),
)
class CompanyViewSet(PublicResponseCache, viewsets.ReadOnlyModelViewSet):
    """Public, read-only directory of tenant companies."""

    serializer_class = CompanySerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    pagination_class = CompanyPagination
    filter_backends: list = []

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return self.cached_response(request, partial(super().list, request, *args, **kwargs))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        return self.cached_response(request, partial(super().retrieve, request, *args, **kwargs))

    def get_queryset(self) -> QuerySet[Company]:
        if self.action != "list":
            return Company.objects.filter(is_public=True).prefetch_related("sectors")
        params = CompanySearchParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        return company_search(
            query=data.get("search", ""),
            size=data.get("size") or None,
            sector=data.get("sector") or None,
            move_in_status=data.get("move_in_status") or None,
        )
