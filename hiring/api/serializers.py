from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Camp, JobApplication, Position, Seeker
from ..selectors import profile_visible_to_company


class CampSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="event.title", read_only=True)
    starts_at = serializers.DateTimeField(source="event.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="event.ends_at", read_only=True)
    venue = serializers.CharField(source="event.venue", read_only=True)

    class Meta:
        model = Camp
        fields = ["id", "title", "starts_at", "ends_at", "venue", "applications_close_at", "applications_per_seeker"]


class PositionSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name_ko", read_only=True)
    camp = serializers.PrimaryKeyRelatedField(queryset=Camp.objects.all())

    class Meta:
        model = Position
        fields = [
            "id",
            "camp",
            "company_name",
            "title",
            "field",
            "requirements",
            "hires_planned",
            "place_of_work",
            "status",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["camp"].read_only = True
        return fields


class SeekerSerializer(serializers.ModelSerializer):
    camp = serializers.PrimaryKeyRelatedField(queryset=Camp.objects.all())
    cv = serializers.FileField(write_only=True, required=False, help_text="PDF, HWP, DOCX...; checked by content.")
    consent = serializers.BooleanField(
        write_only=True, required=False, help_text="The third-party provision consent (GET /api/v1/hiring/consent/)."
    )
    has_consent = serializers.BooleanField(read_only=True)

    class Meta:
        model = Seeker
        fields = [
            "id",
            "camp",
            "display_name",
            "phone",
            "fields_of_interest",
            "education",
            "cv",
            "consent",
            "cv_original_name",
            "cv_size",
            "has_consent",
            "consent_version",
            "consented_at",
            "consent_withdrawn_at",
            "purged_at",
        ]
        read_only_fields = [
            "cv_original_name",
            "cv_size",
            "consent_version",
            "consented_at",
            "consent_withdrawn_at",
            "purged_at",
        ]

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None:
            fields["camp"].read_only = True
        return fields


class InterviewSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    table = serializers.CharField(source="table.name")


class SeekerApplicationSerializer(serializers.ModelSerializer):
    position: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.filter(status=Position.Status.APPROVED)
    )
    position_title = serializers.CharField(source="position.title", read_only=True)
    company_name = serializers.CharField(source="position.company.name_ko", read_only=True)
    interview = InterviewSerializer(source="meeting", read_only=True, allow_null=True)

    class Meta:
        model = JobApplication
        fields = [
            "id",
            "position",
            "position_title",
            "company_name",
            "message",
            "status",
            "interview",
            "queue_status",
            "result",
            "created_at",
        ]
        read_only_fields = ["status", "queue_status", "result", "created_at"]


class CompanyApplicationSerializer(serializers.ModelSerializer):
    """An application as the company sees it: the seeker's profile only while it may
    (consent in force, not withdrawn, within the retention period); otherwise nulls."""

    position_title = serializers.CharField(source="position.title", read_only=True)
    seeker = serializers.SerializerMethodField()
    interview = InterviewSerializer(source="meeting", read_only=True, allow_null=True)

    class Meta:
        model = JobApplication
        fields = [
            "id",
            "position",
            "position_title",
            "status",
            "seeker",
            "message",
            "interview",
            "queue_status",
            "result",
            "result_note",
            "is_walk_in",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "name": {"type": "string"},
                "phone": {"type": "string"},
                "fields_of_interest": {"type": "string"},
                "education": {"type": "string"},
                "cv_url": {"type": "string", "nullable": True},
            },
        }
    )
    def get_seeker(self, application: JobApplication) -> dict[str, Any] | None:
        if not profile_visible_to_company(application=application):
            return None
        seeker = application.seeker
        return {
            "name": seeker.display_name,
            "phone": seeker.phone,
            "fields_of_interest": seeker.fields_of_interest,
            "education": seeker.education,
            "cv_url": reverse("hiring:cv_download", kwargs={"pk": application.pk}) if seeker.cv else None,
        }


class DecisionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=[JobApplication.Status.SHORTLISTED, JobApplication.Status.DECLINED, JobApplication.Status.APPLIED]
    )


class ResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=JobApplication.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ScheduleEntrySerializer(serializers.Serializer):
    camp = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    table = serializers.CharField()
