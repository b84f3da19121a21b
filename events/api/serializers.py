from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from magok.api import BlankableEmailField

from .. import selectors
from ..models import AgendaItem, Event, Registration, Speaker

# An id no event has, reversed once per response and replaced by each row's id.
PK_PLACEHOLDER = 2147483647


class SpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["name_ko", "name_en", "affiliation_ko", "affiliation_en", "topic_ko", "topic_en"]


class AgendaItemSerializer(serializers.ModelSerializer):
    speaker = serializers.CharField(source="speaker.name_ko", default=None, read_only=True, allow_null=True)
    starts_at = serializers.SerializerMethodField(
        help_text="Local time of day in Seoul, with its UTC offset (RFC 3339 full-time)."
    )

    class Meta:
        model = AgendaItem
        fields = ["starts_at", "title_ko", "title_en", "speaker"]

    @extend_schema_field(OpenApiTypes.TIME)
    def get_starts_at(self, obj: AgendaItem) -> str:
        # A bare "09:30:00" is no RFC 3339 time: it needs the offset of the day it is on.
        day = timezone.localtime(obj.event.starts_at).date()
        return datetime.combine(day, obj.starts_at, tzinfo=timezone.get_current_timezone()).isoformat()[11:]


class EventSerializer(serializers.ModelSerializer):
    contact_email = BlankableEmailField(read_only=True)
    kind = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    seats_left = serializers.SerializerMethodField()
    waitlist_open = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The event's page.")

    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title_ko",
            "title_en",
            "venue_ko",
            "venue_en",
            "venue_address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "starts_at",
            "ends_at",
            "capacity",
            "seat_cap_per_company",
            "registration_opens_at",
            "registration_closes_at",
            "audience",
            "status",
            "seats_left",
            "waitlist_open",
            "url",
        ]

    def get_seats_left(self, obj: Event) -> int:
        return selectors.seats_left(obj)

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj: Event) -> str:
        """``Event.get_absolute_url`` without a ``reverse()`` per row."""
        holder = self.parent if isinstance(self.parent, serializers.ListSerializer) else self
        template: str | None = getattr(holder, "_event_url_template", None)
        if template is None:
            template = reverse("events:detail", kwargs={"pk": PK_PLACEHOLDER})
            holder._event_url_template = template  # type: ignore[union-attr]
        return template.replace(str(PK_PLACEHOLDER), str(obj.pk))

    def get_waitlist_open(self, obj: Event) -> bool:
        return obj.status == Event.Status.PUBLISHED and self.get_seats_left(obj) == 0


class EventDetailSerializer(EventSerializer):
    speakers = SpeakerSerializer(many=True, read_only=True)
    agenda_items = AgendaItemSerializer(many=True, read_only=True)

    class Meta(EventSerializer.Meta):
        fields = [*EventSerializer.Meta.fields, "description_ko", "description_en", "speakers", "agenda_items"]


class AttendeeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    position = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class RegistrationCreateSerializer(serializers.Serializer):
    attendees = AttendeeSerializer(
        many=True,
        required=False,
        help_text="Attendees to register. Omit to register yourself; colleagues need an approved company membership.",
    )
    consent = serializers.BooleanField(
        help_text="Personal-data consent (개인정보 수집·이용 동의); required to be true."
    )


class RegistrationSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)  # type: ignore[var-annotated]
    waitlist_position = serializers.IntegerField(read_only=True, allow_null=True, default=None)
    ticket_code = serializers.CharField(read_only=True, allow_null=True, help_text="Only for a confirmed registration.")

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "company",
            "attendee_name",
            "email",
            "phone",
            "position",
            "status",
            "waitlist_position",
            "ticket_code",
            "checked_in_at",
            "consent_version",
            "consented_at",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Registration) -> dict[str, object]:
        data = super().to_representation(instance)
        if instance.status != Registration.Status.WAITLISTED:
            data["waitlist_position"] = None
        if instance.status != Registration.Status.CONFIRMED:
            data["ticket_code"] = None
        return data


# One serializer for every answer of the registration endpoint. A ModelSerializer builds its
# fields from the model each time it is made (0.7 ms, a tenth of a registration's cost in a
# rush); these fields keep no state between rows or requests (no request in the context, no
# hyperlinks), so they are built once per process.
_REGISTRATION = RegistrationSerializer()


def registrations_data(registrations: list[Registration]) -> list[dict[str, object]]:
    """``RegistrationSerializer(registrations, many=True).data``, with the fields built once."""
    return [_REGISTRATION.to_representation(registration) for registration in registrations]
