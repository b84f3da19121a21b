from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from companies.models import Sector

from ..models import ConsultationOutcome, Meeting, MeetingRequest, Participant


class ParticipantSerializer(serializers.ModelSerializer):
    """Another participant as participants see them (no e-mail, no account)."""

    offers_sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)  # type: ignore[var-annotated]
    seeks_sectors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Participant
        fields = [
            "id",
            "display_name",
            "organization",
            "role",
            "offers_keywords",
            "seeks_keywords",
            "offers_sectors",
            "seeks_sectors",
            "introduction",
        ]


class ProfileSerializer(serializers.ModelSerializer):
    """The caller's own consultation profile on a grid."""

    offers_sectors = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False
    )
    seeks_sectors = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="slug", many=True, queryset=Sector.objects.all(), required=False
    )
    role = serializers.ChoiceField(choices=[c for c in Participant.Role.choices if c[0] != "seeker"])

    class Meta:
        model = Participant
        fields = [
            "id",
            "grid",
            "display_name",
            "organization",
            "role",
            "is_visible",
            "offers_keywords",
            "seeks_keywords",
            "offers_sectors",
            "seeks_sectors",
            "introduction",
        ]
        read_only_fields = ["id", "grid"]


class SuggestionSerializer(serializers.Serializer):
    participant = ParticipantSerializer()
    reasons = serializers.ListField(child=serializers.CharField(), help_text='e.g. "로봇 액추에이터 ↔ 로봇"')


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsultationOutcome
        fields = ["result", "occurred_on", "note", "updated_at"]
        read_only_fields = ["updated_at"]


class MeetingRequestSerializer(serializers.ModelSerializer):
    sender = ParticipantSerializer(read_only=True)
    recipient = ParticipantSerializer(read_only=True)
    my_outcome = serializers.SerializerMethodField()

    class Meta:
        model = MeetingRequest
        fields = ["id", "grid", "sender", "recipient", "message", "state", "created_at", "decided_at", "my_outcome"]

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_my_outcome(self, obj: MeetingRequest) -> dict | None:
        user = self.context["request"].user
        for outcome in obj.outcomes.all():
            if outcome.participant.user_id == user.pk:
                return dict(OutcomeSerializer(outcome).data)
        return None


class MeetingRequestCreateSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(help_text="The other participant's id (same grid).")
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ScheduleMeetingSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    table = serializers.CharField(source="table.name")
    with_participants = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "kind", "state", "starts_at", "ends_at", "table", "with_participants"]

    def get_with_participants(self, obj: Meeting) -> list[str]:
        me = self.context["participant"]
        return [str(seat.participant) for seat in obj.seats.all() if seat.participant_id != me.pk]
