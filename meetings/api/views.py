"""The API of the consultations: the caller's own profile, requests, schedule and outcomes.
Another participant's requests and schedules answer 404, as does a grid the caller is not in."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from magok.api import AuthenticatedAPIRequest, error_responses
from magok.idempotency import idempotent

from .. import selectors
from ..consultations import (
    ProfileData,
    confirmed_registration,
    consultation_outcome_record,
    meeting_request_create,
    meeting_request_decide,
    meeting_request_withdraw,
    participant_profile_save,
)
from ..models import MeetingGrid, MeetingRequest, Participant
from .serializers import (
    MeetingRequestCreateSerializer,
    MeetingRequestSerializer,
    OutcomeSerializer,
    ParticipantSerializer,
    ProfileSerializer,
    ScheduleMeetingSerializer,
    SuggestionSerializer,
)

NOT_FOUND = OpenApiResponse(description="No such grid, or the caller takes no part in it.")


def _own_participant(request: AuthenticatedAPIRequest, grid_id: int) -> Participant:
    grid = get_object_or_404(MeetingGrid.objects.select_related("event"), pk=grid_id)
    participant = selectors.participant_for_user(grid=grid, user=request.user)
    if participant is None:
        raise Http404
    return participant


class ProfileView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProfileSerializer

    @extend_schema(responses={200: ProfileSerializer, 404: NOT_FOUND}, summary="Your consultation profile on a grid")
    def get(self, request: AuthenticatedAPIRequest, grid_id: int) -> Response:
        return Response(ProfileSerializer(_own_participant(request, grid_id)).data)

    @extend_schema(
        request=ProfileSerializer,
        responses={200: ProfileSerializer, **error_responses(), 404: NOT_FOUND},
        summary="Create or update your consultation profile (confirmed registrants of the event only)",
    )
    @idempotent
    def put(self, request: AuthenticatedAPIRequest, grid_id: int) -> Response:
        grid = get_object_or_404(MeetingGrid.objects.select_related("event"), pk=grid_id)
        if (
            selectors.participant_for_user(grid=grid, user=request.user) is None
            and confirmed_registration(grid=grid, user=request.user) is None
        ):
            raise Http404
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participant = participant_profile_save(
            grid=grid,
            user=request.user,
            data=ProfileData(
                display_name=data["display_name"],
                organization=data.get("organization", ""),
                role=data["role"],
                is_visible=data.get("is_visible", True),
                offers_keywords=data.get("offers_keywords", ""),
                seeks_keywords=data.get("seeks_keywords", ""),
                offers_sectors=data.get("offers_sectors", []),
                seeks_sectors=data.get("seeks_sectors", []),
                introduction=data.get("introduction", ""),
            ),
        )
        return Response(ProfileSerializer(participant).data)


class ParticipantListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, organisation or keyword (directory search)")],
        responses={200: ParticipantSerializer(many=True), 404: NOT_FOUND},
        summary="Other visible participants of a grid you take part in",
    )
    def get(self, request: AuthenticatedAPIRequest, grid_id: int) -> Response:
        participant = _own_participant(request, grid_id)
        query = str(request.query_params.get("q", ""))[:100].replace("\x00", "")
        rows = selectors.participants_browse(grid=participant.grid, viewer=participant, query=query)
        return Response(ParticipantSerializer(rows, many=True).data)


class SuggestionListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={200: SuggestionSerializer(many=True), 404: NOT_FOUND}, summary="Suggested partners, with why"
    )
    def get(self, request: AuthenticatedAPIRequest, grid_id: int) -> Response:
        participant = _own_participant(request, grid_id)
        suggestions = selectors.consultation_suggestions(viewer=participant)
        return Response(SuggestionSerializer(suggestions, many=True).data)


class ScheduleView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={200: ScheduleMeetingSerializer(many=True), 404: NOT_FOUND}, summary="Your meetings on a grid"
    )
    def get(self, request: AuthenticatedAPIRequest, grid_id: int) -> Response:
        participant = _own_participant(request, grid_id)
        meetings = selectors.participant_meetings(participant=participant)
        return Response(ScheduleMeetingSerializer(meetings, many=True, context={"participant": participant}).data)


class MeetingRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests you sent or received. Anyone else's answer 404."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MeetingRequestSerializer
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[MeetingRequest]:
        if getattr(self, "swagger_fake_view", False):
            return MeetingRequest.objects.none()
        return (
            selectors.request_own_queryset(user=self.request.user)
            .prefetch_related("outcomes__participant", "sender__offers_sectors", "sender__seeks_sectors")
            .prefetch_related("recipient__offers_sectors", "recipient__seeks_sectors")
            .order_by("-created_at", "-pk")
        )

    def _fresh(self, pk: int) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(
        request=MeetingRequestCreateSerializer,
        responses={
            201: MeetingRequestSerializer,
            **error_responses(),
            404: OpenApiResponse(description="No such participant."),
        },
        summary="Ask another participant of the same grid for a meeting",
    )
    @idempotent
    def create(self, request: AuthenticatedAPIRequest) -> Response:
        serializer = MeetingRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recipient = get_object_or_404(Participant, pk=serializer.validated_data["recipient"])
        sender = selectors.participant_for_user(grid=recipient.grid, user=request.user)
        if sender is None:
            raise Http404
        created = meeting_request_create(
            sender=sender, recipient=recipient, message=serializer.validated_data["message"], by=request.user
        )
        return Response(self._fresh(created.pk).data, status=status.HTTP_201_CREATED)

    def _decide(self, request: Request, pk: str | None, decision: str) -> Response:
        meeting_request = self.get_object()
        if decision == "withdraw":
            meeting_request_withdraw(request=meeting_request, by=self.request.user)
        else:
            meeting_request_decide(request=meeting_request, accept=decision == "accept", by=self.request.user)
        return self._fresh(meeting_request.pk)

    @extend_schema(
        request=None,
        responses={200: MeetingRequestSerializer, **error_responses()},
        summary="Accept a request you received (placed at once when a slot is free)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, pk, "accept")

    @extend_schema(
        request=None,
        responses={200: MeetingRequestSerializer, **error_responses()},
        summary="Decline a request you received",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, pk, "decline")

    @extend_schema(
        request=None,
        responses={200: MeetingRequestSerializer, **error_responses()},
        summary="Withdraw a pending request you sent",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, pk, "withdraw")

    @extend_schema(
        request=OutcomeSerializer,
        responses={200: MeetingRequestSerializer, **error_responses()},
        summary="Record what came of an accepted consultation (after the event)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        meeting_request = self.get_object()
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = selectors.participant_for_user(grid=meeting_request.grid, user=self.request.user)
        if participant is None:
            raise Http404
        consultation_outcome_record(
            request=meeting_request,
            participant=participant,
            result=serializer.validated_data["result"],
            occurred_on=serializer.validated_data.get("occurred_on"),
            note=serializer.validated_data.get("note", ""),
            by=self.request.user,
        )
        return self._fresh(meeting_request.pk)
