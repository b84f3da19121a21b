from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import EventRegistrationCreateView, EventViewSet, RegistrationViewSet

router = SimpleRouter()
router.register("events", EventViewSet, basename="api-events")
router.register("registrations", RegistrationViewSet, basename="api-registrations")

urlpatterns = [
    path("events/<int:pk>/registrations/", EventRegistrationCreateView.as_view(), name="api-event-registrations"),
    *router.urls,
]
