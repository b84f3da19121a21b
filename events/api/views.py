from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

import django_filters
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from magok.api import AuthenticatedAPIRequest, PublicResponseCache, error_responses
from magok.i18n import current_language
from magok.idempotency import idempotent
from magok.inputs import IsoDateTimeFilter
from magok.pagecache import cached_public_value

from .. import selectors
from ..models import AgendaItem, Event, Registration
from ..services import AttendeeData, registration_cancel, registration_create
from .serializers import (
    EventDetailSerializer,
    EventSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    registrations_data,
)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__slug", help_text="Event kind slug, e.g. tech-concert")
    starts_after = IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    audience = django_filters.CharFilter()

    class Meta:
        model = Event
        fields = ["kind", "starts_after", "starts_before", "status", "audience"]


class CachedCountPaginator(Paginator):
    """The total of a filtered list, kept with the public content (``cached_public_value``)
    until an event changes, as the directory's (companies.selectors.OneQueryPaginator). Keyed by
    the SQL of the ids alone: the seat counts' subquery holds the current time."""

    @cached_property
    def count(self) -> int:
        queryset: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        try:
            sql = str(queryset.values("pk").query)
        except EmptyResultSet:
            return 0
        digest = hashlib.sha256(sql.encode()).hexdigest()[:24]
        return cached_public_value(f"api-event-count:{digest}", queryset.count, per_language=False)


class EventPagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator


class ShortListPaginator(Paginator):
    """The first page is read with one row more than it shows: when that row is not there, the
    page holds the whole list, its length is the count and the COUNT query is not run (most
    people have fewer registrations than a page holds). Otherwise the count is queried when the
    answer reads it, as usual."""

    def page(self, number: Any) -> Any:
        if str(number) != "1" or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)  # the cached_property's value
        return Page(rows[: self.per_page], 1, self)


class RegistrationPagination(PageNumberPagination):
    django_paginator_class = ShortListPaginator


class EventViewSet(PublicResponseCache, viewsets.ReadOnlyModelViewSet):
    """Published, finished and cancelled events (public)."""

    permission_classes = [permissions.AllowAny]
    filterset_class = EventFilter
    pagination_class = EventPagination

    def list(self, request: Request, *args: object, **kwargs: object) -> HttpResponseBase:  # type: ignore[override]
        return self.cached_response(request, partial(super().list, request, *args, **kwargs))

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> HttpResponseBase:  # type: ignore[override]
        return self.cached_response(request, partial(super().retrieve, request, *args, **kwargs))

    def get_queryset(self) -> QuerySet[Event]:
        queryset = selectors.events_with_counts(selectors.event_visible_queryset()).order_by("starts_at", "id")
        if self.action == "retrieve":
            from django.db.models import Prefetch

            queryset = queryset.prefetch_related(
                "speakers", Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("speaker"))
            )
        return queryset

    def get_serializer_class(self) -> type[EventSerializer]:
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer


class EventRegistrationCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        request=RegistrationCreateSerializer,
        responses={
            201: RegistrationSerializer(many=True),
            **error_responses(),
            404: OpenApiResponse(description="No such event."),
        },
        summary="Register yourself and/or colleagues for an event",
    )
    @idempotent
    def post(self, request: AuthenticatedAPIRequest, pk: int) -> Response:
        event = get_object_or_404(selectors.event_visible_queryset(), pk=pk)
        serializer = RegistrationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        attendees = [AttendeeData(**a) for a in serializer.validated_data.get("attendees") or []] or [
            AttendeeData(name=user.name or user.email, email=user.email, phone=user.phone, position=user.position)
        ]
        created = registration_create(
            event=event,
            by=user,
            attendees=attendees,
            consent=serializer.validated_data["consent"],
            language=user.language or current_language(),
        )
        # The rows as written: the service set each one's company and waitlist position, which
        # is all the serializer reads beyond the row itself (no query).
        return Response(registrations_data(created), status=status.HTTP_201_CREATED)


class RegistrationViewSet(
    PublicResponseCache,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's own registrations (and, for a representative, their company's). Others answer 404.

    The list is kept rendered (magok/api.py ``PublicResponseCache``) under a key of the user, their
    company and role (``registration_owner_key``: what decides which registrations are theirs),
    under the content version that every registration and event write replaces."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RegistrationSerializer
    pagination_class = RegistrationPagination
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[Registration]:
        if getattr(self, "swagger_fake_view", False):
            return Registration.objects.none()
        # The serializer reads the event's id only: no join of the event and its kind.
        return selectors.registrations_for_api(selectors.registration_own_queryset(user=self.request.user)).order_by(
            "-created_at", "-id"
        )

    def cache_audience(self, request: Request) -> str:
        return f"registrations:{selectors.registration_owner_key(self.request.user)}"

    def list(self, request: Request, *args: object, **kwargs: object) -> HttpResponseBase:  # type: ignore[override]
        return self.cached_response(request, partial(self._list, request))

    def _list(self, request: Request) -> Response:
        # The page's waitlist positions are read after it (selectors.waitlist_positions_set), not
        # by a subquery per row; the serializer's fields are built once per process.
        queryset = (
            selectors.registration_own_queryset(user=self.request.user)
            .select_related("company")
            .order_by("-created_at", "-id")
        )
        page = list(self.paginate_queryset(queryset) or [])
        selectors.waitlist_positions_set(page)
        return self.get_paginated_response(registrations_data(page))

    @extend_schema(
        responses={204: None, **error_responses(), 404: None},
        summary="Cancel a registration (promotes the first waitlisted attendee)",
    )
    @idempotent
    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        registration = self.get_object()
        registration_cancel(registration=registration, by=self.request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
