from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.models import Company, Sector
from magok.api import BlankableURLField

SLUG_PLACEHOLDER = "slug-placeholder-0"


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name_ko", "name_en"]


class CompanySerializer(serializers.ModelSerializer):
    """A tenant company's public profile."""

    # The business registration number is deliberately absent: it is never public.

    url = serializers.SerializerMethodField(help_text="This company in the API.")
    page_url = serializers.SerializerMethodField(help_text="The company's public page.")
    sectors = SectorSerializer(many=True, read_only=True)
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)
    size_class_display = serializers.CharField(source="get_size_class_display", read_only=True)
    move_in_status_display = serializers.CharField(source="get_move_in_status_display", read_only=True)
    logo = serializers.ImageField(read_only=True, use_url=True, allow_null=True)
    homepage = BlankableURLField(read_only=True)

    class Meta:
        model = Company
        fields = [
            "url",
            "page_url",
            "slug",
            "name_ko",
            "name_en",
            "size_class",
            "size_class_display",
            "sectors",
            "keywords",
            "parcel_code",
            "move_in_status",
            "move_in_status_display",
            "moved_in_on",
            "homepage",
            "employee_count",
            "description_ko",
            "description_en",
            "logo",
            "is_sample",
        ]
        read_only_fields = fields

    def _url_templates(self) -> tuple[str, str]:
        """(API URL, page URL) with ``SLUG_PLACEHOLDER`` for the slug, resolved once per response
        instead of two ``reverse()`` and one ``build_absolute_uri()`` per row. Slugs are ASCII
        ``[-a-zA-Z0-9_]`` (``allow_unicode=False``), which ``reverse`` would not escape either."""
        holder = self.parent if isinstance(self.parent, serializers.ListSerializer) else self
        templates: tuple[str, str] | None = getattr(holder, "_company_url_templates", None)
        if templates is None:
            api = reverse("api-company-detail", kwargs={"slug": SLUG_PLACEHOLDER})
            request = self.context.get("request")
            templates = (
                request.build_absolute_uri(api) if request is not None else api,
                reverse("companies:detail", kwargs={"slug": SLUG_PLACEHOLDER}),
            )
            holder._company_url_templates = templates  # type: ignore[union-attr]
        return templates

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj: Company) -> str:
        return self._url_templates()[0].replace(SLUG_PLACEHOLDER, obj.slug)

    @extend_schema_field(OpenApiTypes.STR)
    def get_page_url(self, obj: Company) -> str:
        return self._url_templates()[1].replace(SLUG_PLACEHOLDER, obj.slug)


class CompanySearchParamsSerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=(
            "Part of the Korean or English name, or a keyword. Forgiving: jamo prefixes (`로ㅂ`), "
            "initial consonants (`ㄹㅂㅌㅈ`), spacing and punctuation ignored, staff-kept aliases, "
            "near spellings (ranked last; see `suggestion`)."
        ),
    )
    size = serializers.ChoiceField(choices=Company.SizeClass.choices, required=False, allow_blank=True)
    sector = serializers.SlugField(required=False, allow_blank=True, help_text="Sector slug.")
    move_in_status = serializers.ChoiceField(choices=Company.MoveInStatus.choices, required=False, allow_blank=True)
