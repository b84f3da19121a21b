from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import MeetingRequestViewSet, ParticipantListView, ProfileView, ScheduleView, SuggestionListView

router = SimpleRouter()
router.register("meetings/requests", MeetingRequestViewSet, basename="api-meeting-requests")

urlpatterns = [
    path("meetings/grids/<int:grid_id>/profile/", ProfileView.as_view(), name="api-meetings-profile"),
    path("meetings/grids/<int:grid_id>/participants/", ParticipantListView.as_view(), name="api-meetings-participants"),
    path("meetings/grids/<int:grid_id>/suggestions/", SuggestionListView.as_view(), name="api-meetings-suggestions"),
    path("meetings/grids/<int:grid_id>/schedule/", ScheduleView.as_view(), name="api-meetings-schedule"),
    *router.urls,
]
