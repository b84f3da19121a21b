from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from magok.i18n import current_language
from magok.idempotency import idempotent

from .. import selectors
from ..models import AgendaItem, Event, Registration
from ..services import AttendeeData, RegistrationError, registration_cancel, registration_create
from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__slug", help_text="Event kind slug, e.g. tech-concert")
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    audience = django_filters.CharFilter()

    class Meta:
        model = Event
        fields = ["kind", "starts_after", "starts_before", "status", "audience"]


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Published, finished and cancelled events (public)."""

    permission_classes = [permissions.AllowAny]
    filterset_class = EventFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        queryset = selectors.events_with_counts(selectors.event_visible_queryset()).order_by("starts_at", "id")
        if self.action == "retrieve":
            from django.db.models import Prefetch

            queryset = queryset.prefetch_related(
                "speakers", Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("speaker"))
            )
        return queryset

    def get_serializer_class(self):  # type: ignore[no-untyped-def]
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer


class EventRegistrationCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={
            201: RegistrationSerializer(many=True),
            400: OpenApiResponse(description="A rule refused the registration (message in `detail`, `code`)."),
            404: OpenApiResponse(description="No such event."),
        },
        summary="Register yourself and/or colleagues for an event",
    )
    @idempotent
    def post(self, request: Request, pk: int) -> Response:
        event = get_object_or_404(selectors.event_visible_queryset(), pk=pk)
        serializer = RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, User)  # IsAuthenticated
        attendees = [AttendeeData(**a) for a in serializer.validated_data.get("attendees") or []] or [
            AttendeeData(name=user.name or user.email, email=user.email, phone=user.phone, position=user.position)
        ]
        try:
            created = registration_create(
                event=event,
                by=user,
                attendees=attendees,
                consent=serializer.validated_data["consent"],
                language=user.language or current_language(),
            )
        except RegistrationError as error:
            raise ValidationError({"detail": str(error.message), "code": error.code}) from None
        rows = selectors.registrations_with_position(Registration.objects.filter(pk__in=[r.pk for r in created]))
        return Response(RegistrationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's own registrations (and, for a representative, their company's). Others answer 404."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RegistrationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        return selectors.registrations_with_position(
            selectors.registration_own_queryset(user=self.request.user)  # type: ignore[arg-type]
        ).order_by("-created_at", "-id")

    @extend_schema(
        responses={204: None, 400: OpenApiResponse(description="Too late to cancel."), 404: None},
        summary="Cancel a registration (promotes the first waitlisted attendee)",
    )
    @idempotent
    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        registration = self.get_object()
        try:
            assert isinstance(request.user, User)  # IsAuthenticated
            registration_cancel(registration=registration, by=request.user)
        except RegistrationError as error:
            raise ValidationError({"detail": str(error.message), "code": error.code}) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
