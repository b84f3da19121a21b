from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.pagination import PageNumberPagination

from companies.models import Company
from companies.selectors import company_search

from .serializers import CompanySearchParamsSerializer, CompanySerializer


class CompanyPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


@extend_schema_view(
    list=extend_schema(
        summary="Search the company directory",
        description="Public tenant companies, best match first when `search` is given.",
        parameters=[CompanySearchParamsSerializer],
    ),
    retrieve=extend_schema(summary="One public company by slug"),
)
class CompanyViewSet(viewsets.ReadOnlyModelViewSet):
    """Public, read-only directory of tenant companies."""

    serializer_class = CompanySerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "slug"
    pagination_class = CompanyPagination
    filter_backends: list = []

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
