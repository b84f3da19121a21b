from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from .. import selectors, services
from ..models import Application, ApplicationEvent, Program
from .serializers import ApplicationSerializer, CallSerializer, ProgramSerializer


@extend_schema_view(list=extend_schema(summary="Active support programmes"))
class ProgramViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgramSerializer
    permission_classes = [permissions.AllowAny]
    queryset = Program.objects.filter(is_active=True)


@extend_schema_view(list=extend_schema(summary="Published calls for applications"))
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CallSerializer
    permission_classes = [permissions.AllowAny]
    filterset_fields = ["program"]

    def get_queryset(self) -> QuerySet:
        return (
            selectors.call_queryset_public()
            .prefetch_related("questions", "documents", "criteria")
            .order_by("-closes_at")
        )


@extend_schema_view(
    list=extend_schema(summary="Applications of the caller's company"),
    create=extend_schema(summary="Start a draft application for the caller's company"),
    retrieve=extend_schema(summary="One application of the caller's company (404 for other companies)"),
)
class ApplicationViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Application]:
        user = self.request.user
        company = user.company if user.is_authenticated else None  # type: ignore[union-attr]
        if company is None:
            return Application.objects.none()
        return (
            Application.objects.filter(company=company)
            .select_related("company", "call")
            .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk")))
            .order_by("-created_at")
        )

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data: dict[str, Any] = dict(serializer.validated_data)
        call = data.pop("call")
        answers = data.pop("answers", None) or {}
        consent = data.pop("consent", False)
        user = self.request.user
        try:
            # One transaction: when the values are refused, no new draft is left behind.
            with transaction.atomic():
                application = services.application_create(call=call, user=user)  # type: ignore[arg-type]
                services.application_save(
                    application=application,
                    by=user,  # type: ignore[arg-type]
                    fields=data,
                    answers={int(k): v for k, v in answers.items()},
                    consent=consent,
                )
        except services.ProgramError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        serializer.instance = application

    @extend_schema(
        request=None,
        responses={200: ApplicationSerializer, 400: OpenApiResponse(description="Deadline passed or items missing")},
        summary="Submit a draft (or resubmit after an information request)",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        try:
            services.application_submit(application=application, by=request.user)  # type: ignore[arg-type]
        except services.ProgramError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data)
