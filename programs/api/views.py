from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from magok.api import AuthenticatedAPIRequest, error_responses
from magok.idempotency import idempotent

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
    create=extend_schema(
        summary="Start a draft application for the caller's company",
        responses={201: ApplicationSerializer, **error_responses()},
    ),
    retrieve=extend_schema(summary="One application of the caller's company (404 for other companies)"),
)
class ApplicationViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    request: AuthenticatedAPIRequest

    def get_queryset(self) -> QuerySet[Application]:
        # The schema generator calls this without a logged-in user.
        user = self.request.user
        company = user.company if user.is_authenticated else None
        if company is None:
            return Application.objects.none()
        return (
            Application.objects.filter(company=company)
            .select_related("company", "call")
            .prefetch_related(Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "pk")))
            .order_by("-created_at")
        )

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: BaseSerializer[Any]) -> None:
        data: dict[str, Any] = dict(serializer.validated_data)
        call = data.pop("call")
        answers = data.pop("answers", None) or {}
        consent = data.pop("consent", False)
        user = self.request.user
        # One transaction: when the values are refused, no new draft is left behind.
        with transaction.atomic():
            application = services.application_create(call=call, user=user)
            services.application_save(
                application=application,
                by=user,
                fields=data,
                answers={int(k): v for k, v in answers.items()},
                consent=consent,
            )
        serializer.instance = application

    @extend_schema(
        request=None,
        responses={200: ApplicationSerializer, **error_responses()},
        summary="Submit a draft (or resubmit after an information request)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def submit(self, request: AuthenticatedAPIRequest, pk: str | None = None) -> Response:
        application = self.get_object()
        services.application_submit(application=application, by=request.user)
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data)
