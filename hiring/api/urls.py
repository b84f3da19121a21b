from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    CampViewSet,
    CompanyApplicationViewSet,
    CompanyPositionViewSet,
    SeekerApplicationViewSet,
    SeekerProfileViewSet,
    SeekerScheduleView,
)

router = SimpleRouter()
router.register("camps", CampViewSet, basename="hiring-camp")
router.register("seeker/profiles", SeekerProfileViewSet, basename="hiring-seeker-profile")
router.register("seeker/applications", SeekerApplicationViewSet, basename="hiring-seeker-application")
router.register("company/positions", CompanyPositionViewSet, basename="hiring-company-position")
router.register("company/applications", CompanyApplicationViewSet, basename="hiring-company-application")

urlpatterns = [
    path("seeker/schedule/", SeekerScheduleView.as_view(), name="hiring-seeker-schedule"),
    *router.urls,
]
