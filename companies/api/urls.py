from django.urls import path

from .views import CompanyViewSet

urlpatterns = [
    path("companies/", CompanyViewSet.as_view({"get": "list"}), name="api-company-list"),
    path("companies/<slug:slug>/", CompanyViewSet.as_view({"get": "retrieve"}), name="api-company-detail"),
]
