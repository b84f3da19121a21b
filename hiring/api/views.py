"""The hiring camp API: a seeker's own profile, applications and schedule; a company's own
positions and the applications made to it (its shortlist). Anyone else's object answers 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import APIView

from magok.api import AuthenticatedAPIRequest, error_responses
from magok.idempotency import idempotent
from magok.inputs import JSONParser

from .. import scheduling, selectors, services
from ..models import JobApplication, Position, Seeker
from .serializers import (
    CampSerializer,
    CompanyApplicationSerializer,
    DecisionSerializer,
    PositionSerializer,
    ResultSerializer,
    ScheduleEntrySerializer,
    SeekerApplicationSerializer,
    SeekerSerializer,
)


@extend_schema_view(list=extend_schema(summary="Published hiring camps"))
class CampViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet:
        return selectors.camp_queryset_public().order_by("-event__starts_at")


# --- the seeker's side ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The caller's seeker profiles (one per camp)"),
    retrieve=extend_schema(summary="One of the caller's seeker profiles (404 for anyone else's)"),
    create=extend_schema(
        summary="Create the caller's seeker profile for a camp (multipart for the CV)",
        responses={201: SeekerSerializer, **error_responses()},
    ),
    partial_update=extend_schema(
        summary="Update the caller's seeker profile, CV or consent",
        responses={200: SeekerSerializer, **error_responses()},
    ),
)
class SeekerProfileViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SeekerSerializer
    permission_classes = [permissions.IsAuthenticated]
    # The project's JSON parser (depth-limited, magok.inputs), plus multipart for the CV upload.
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[Seeker]:
        user = self.request.user
        if not user.is_authenticated:
            return Seeker.objects.none()
        return Seeker.objects.filter(user=user).select_related("camp__event").order_by("-created_at")

    def _save(self, serializer: BaseSerializer[Any], camp: Any) -> None:
        data: dict[str, Any] = dict(serializer.validated_data)
        cv = data.pop("cv", None)
        consent = data.pop("consent", False)
        data.pop("camp", None)
        serializer.instance = services.seeker_save(
            camp=camp, user=self.request.user, values=data, cv=cv, consent=consent
        )

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        self._save(serializer, serializer.validated_data["camp"])

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        self._save(serializer, serializer.instance.camp)  # type: ignore[union-attr]

    @extend_schema(
        request=None,
        responses={200: SeekerSerializer, **error_responses()},
        summary="Withdraw the third-party provision consent; open applications are withdrawn",
    )
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: AuthenticatedAPIRequest, pk: str | None = None) -> Response:
        seeker = self.get_object()
        services.seeker_consent_withdraw(seeker=seeker, by=request.user)
        seeker.refresh_from_db()
        return Response(self.get_serializer(seeker).data)


@extend_schema_view(
    list=extend_schema(summary="The caller's applications"),
    retrieve=extend_schema(summary="One of the caller's applications (404 for anyone else's)"),
    create=extend_schema(
        summary="Apply to an approved position (consent, CV and the camp's limit are checked)",
        responses={201: SeekerApplicationSerializer, **error_responses()},
    ),
)
class SeekerApplicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = SeekerApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[JobApplication]:
        user = self.request.user
        if not user.is_authenticated:
            return JobApplication.objects.none()
        return (
            JobApplication.objects.filter(seeker__user=user)
            .select_related("position__company", "meeting__slot", "meeting__table")
            .order_by("-created_at")
        )

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        position: Position = serializer.validated_data["position"]
        seeker = selectors.seeker_for(user=self.request.user, camp=position.camp)
        if seeker is None:
            raise services.HiringError(
                _("먼저 구직자 정보를 작성하고 개인정보 제3자 제공에 동의해 주세요."), "consent_required"
            )
        serializer.instance = services.application_apply(
            seeker=seeker, position=position, by=self.request.user, message=serializer.validated_data.get("message", "")
        )

    @extend_schema(request=None, responses={200: SeekerApplicationSerializer, **error_responses()}, summary="Withdraw")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: AuthenticatedAPIRequest, pk: str | None = None) -> Response:
        application = self.get_object()
        services.application_transition(application=application, to=JobApplication.Status.WITHDRAWN, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)


class SeekerScheduleView(APIView):
    """The caller's interviews and coaching sessions in every camp, in time order."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        responses={200: ScheduleEntrySerializer(many=True)},
        parameters=[OpenApiParameter("camp", int, required=False, description="Only this camp")],
        summary="The caller's interview and coaching schedule",
    )
    def get(self, request: AuthenticatedAPIRequest) -> Response:
        seekers = Seeker.objects.filter(user=request.user).select_related("camp", "participant")
        camp = request.query_params.get("camp", "")
        if camp:
            seekers = seekers.filter(camp_id=int(camp) if camp.isdigit() else 0)
        rows: list[dict[str, Any]] = []
        for seeker in seekers:
            for entry in scheduling.schedule_for_seeker(seeker=seeker):
                rows.append(
                    {
                        "camp": seeker.camp_id,
                        "title": entry.title,
                        "kind": entry.meeting.kind,
                        "starts_at": entry.slot.starts_at,
                        "ends_at": entry.slot.ends_at,
                        "table": entry.meeting.table.name,
                    }
                )
        rows.sort(key=lambda r: r["starts_at"])
        return Response(ScheduleEntrySerializer(rows, many=True).data)


# --- the company's side ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The positions of the caller's company"),
    retrieve=extend_schema(summary="One position of the caller's company (404 for other companies)"),
    create=extend_schema(
        summary="Post a position for a camp the company takes part in (staff approve it)",
        responses={201: PositionSerializer, **error_responses()},
    ),
    partial_update=extend_schema(
        summary="Edit a position while it awaits approval", responses={200: PositionSerializer, **error_responses()}
    ),
)
class CompanyPositionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PositionSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "post", "patch", "head", "options"]
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[Position]:
        user = self.request.user
        company = user.company if user.is_authenticated else None
        if company is None:
            return Position.objects.none()
        return Position.objects.filter(company=company).select_related("company", "camp").order_by("-created_at")

    def _company_id(self) -> int:
        company = self.request.user.company
        if company is None:
            raise Http404
        return company.pk

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        camp = data.pop("camp")
        serializer.instance = services.position_save(
            camp=camp, company_id=self._company_id(), values=data, by=self.request.user
        )

    def perform_update(self, serializer: BaseSerializer[Any]) -> None:
        position: Position = serializer.instance  # type: ignore[assignment]
        data = dict(serializer.validated_data)
        data.pop("camp", None)
        serializer.instance = services.position_save(
            camp=position.camp, company_id=position.company_id, values=data, by=self.request.user, position=position
        )


@extend_schema_view(
    list=extend_schema(
        summary="Applications to the caller's company (filter status=shortlisted for the shortlist)",
        parameters=[OpenApiParameter("status", str, required=False, enum=JobApplication.Status.values)],
    ),
    retrieve=extend_schema(summary="One application to the caller's company (404 for other companies)"),
)
class CompanyApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CompanyApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[JobApplication]:
        user = self.request.user
        company = user.company if user.is_authenticated else None
        if company is None:
            return JobApplication.objects.none()
        queryset = selectors.applications_for_company(company_id=company.pk)
        status = self.request.query_params.get("status", "")
        if status in JobApplication.Status.values:
            queryset = queryset.filter(status=status)
        return queryset

    @extend_schema(
        request=DecisionSerializer,
        responses={200: CompanyApplicationSerializer, **error_responses()},
        summary="Shortlist, decline, take back from the shortlist, or call a confirmed interview off (declined)",
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: AuthenticatedAPIRequest, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_transition(application=application, to=serializer.validated_data["to"], by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(
        request=ResultSerializer,
        responses={200: CompanyApplicationSerializer, **error_responses()},
        summary="Record the interview's result (hired / next round / not selected)",
    )
    @action(detail=True, methods=["post"])
    def result(self, request: AuthenticatedAPIRequest, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = ResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_result_record(
            application=application,
            result=serializer.validated_data["result"],
            note=serializer.validated_data.get("note", ""),
            by=request.user,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)
