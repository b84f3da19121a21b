from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from magok.i18n import current_language

from .. import selectors
from ..models import AgendaItem, Event, Registration
from ..services import AttendeeData, EventBusy, RegistrationError, registration_cancel, registration_create
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


class Busy(APIException):
    """409 with Retry-After: the event's seat lock stayed taken for EVENT_LOCK_TIMEOUT_MS. Nothing
    was written; the same request may simply be sent again."""

    status_code = status.HTTP_409_CONFLICT
    wait = 3  # DRF's exception handler turns it into the Retry-After header (seconds)


def _api_error(error: RegistrationError) -> APIException:
    detail = {"detail": str(error.message), "code": error.code}
    return Busy(detail) if isinstance(error, EventBusy) else ValidationError(detail)


BUSY_RESPONSE = OpenApiResponse(
    description="Many registrations at once: the event stayed locked for a few seconds and nothing was "
    "written (`code`: `busy`). Retry after the seconds in the Retry-After header."
)


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
            409: BUSY_RESPONSE,
        },
        summary="Register yourself and/or colleagues for an event",
    )
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
            raise _api_error(error) from None
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
        responses={204: None, 400: OpenApiResponse(description="Too late to cancel."), 404: None, 409: BUSY_RESPONSE},
        summary="Cancel a registration (promotes the first waitlisted attendee)",
    )
    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        registration = self.get_object()
        try:
            assert isinstance(request.user, User)  # IsAuthenticated
            registration_cancel(registration=registration, by=request.user)
        except RegistrationError as error:
            raise _api_error(error) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
