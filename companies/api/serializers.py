from __future__ import annotations

from rest_framework import serializers

from companies.models import Company, Sector
from magok.api import BlankableURLField


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name_ko", "name_en"]


class CompanySerializer(serializers.ModelSerializer):
    """A tenant company's public profile."""

    # The business registration number is deliberately absent: it is never public.

    url = serializers.HyperlinkedIdentityField(view_name="api-company-detail", lookup_field="slug")
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)
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
