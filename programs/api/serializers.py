from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from magok.api import BlankableEmailField
from magok.inputs import parse_int

from ..answers import answer_clean
from ..eligibility import eligibility_rules
from ..models import Application, ApplicationEvent, Call, CallQuestion, Program, RequiredDocument, ReviewCriterion
from ..selectors import call_queryset_public


class ProgramSerializer(serializers.ModelSerializer):
    class Meta:
        model = Program
        fields = ["id", "slug", "name_ko", "name_en", "description_ko", "description_en", "kind", "owner_team"]


class CallQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallQuestion
        fields = ["id", "label_ko", "label_en", "help_ko", "help_en", "kind", "choices", "required", "order"]


class RequiredDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequiredDocument
        fields = ["id", "name_ko", "name_en", "required", "order"]


class ReviewCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewCriterion
        fields = ["id", "name_ko", "name_en", "weight", "max_score"]


class CallSerializer(serializers.ModelSerializer):
    program: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    program_name = serializers.CharField(source="program.name", read_only=True)
    eligible_sectors: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    eligibility = serializers.SerializerMethodField(help_text="The eligibility rules in plain words.")
    questions = CallQuestionSerializer(many=True, read_only=True)
    documents = RequiredDocumentSerializer(many=True, read_only=True)
    criteria = ReviewCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Call
        fields = [
            "id",
            "program",
            "program_name",
            "title_ko",
            "title_en",
            "description_ko",
            "description_en",
            "opens_at",
            "closes_at",
            "budget_krw",
            "selection_count",
            "eligible_size_classes",
            "eligible_move_in_statuses",
            "eligible_sectors",
            "eligibility",
            "questions",
            "documents",
            "criteria",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_eligibility(self, obj: Call) -> list[str]:
        return eligibility_rules(call=obj)


class ApplicationEventSerializer(serializers.ModelSerializer):
    # Plain strings (same values as Application.status) so the schema has one status enum.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = ApplicationEvent
        fields = ["from_status", "to_status", "message", "created_at"]


class ApplicationSerializer(serializers.ModelSerializer):
    call = serializers.PrimaryKeyRelatedField(queryset=call_queryset_public())
    company = serializers.CharField(source="company.slug", read_only=True)
    events = ApplicationEventSerializer(many=True, read_only=True)
    consent = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Consent to the personal-data notice."
    )
    contact_email = BlankableEmailField(required=False, allow_blank=True, max_length=254)
    answers = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="Answers keyed by question id."
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "call",
            "company",
            "status",
            "receipt_number",
            "contact_name",
            "contact_email",
            "contact_phone",
            "employee_count",
            "business_registration_number",
            "answers",
            "consent",
            "consent_version",
            "consented_at",
            "submitted_at",
            "decided_at",
            "created_at",
            "events",
        ]
        read_only_fields = [
            "status",
            "receipt_number",
            "consent_version",
            "consented_at",
            "submitted_at",
            "decided_at",
            "created_at",
        ]

    def validate_answers(self, value: dict[str, Any]) -> dict[str, Any]:
        if not all(parse_int(k) is not None for k in value):
            raise serializers.ValidationError("Keys must be question ids.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Each answer checked against its question, as the application page checks it."""
        if attrs.get("answers"):
            questions = {q.pk: q for q in attrs["call"].questions.all()}
            errors: dict[str, list[str]] = {}
            cleaned: dict[str, Any] = {}
            for key, value in attrs["answers"].items():
                question = questions.get(parse_int(key))  # type: ignore[arg-type]
                if question is None or question.kind == CallQuestion.Kind.FILE:
                    continue  # not an answerable question of this call: ignored, as before
                try:
                    cleaned[str(question.pk)] = answer_clean(question=question, value=value)
                except DjangoValidationError as error:
                    errors[key] = error.messages
            if errors:
                raise serializers.ValidationError({"answers": errors})
            attrs["answers"] = cleaned
        return attrs
