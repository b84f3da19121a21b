from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:grid_id>/profile/", views.profile, name="profile"),
    path("<int:grid_id>/participants/", views.participants, name="participants"),
    path("<int:grid_id>/participants/<int:pk>/request/", views.request_create, name="request_create"),
    path("<int:grid_id>/requests/", views.requests, name="requests"),
    path("<int:grid_id>/schedule/", views.schedule, name="schedule"),
    path("<int:grid_id>/schedule.ics", views.schedule_ics, name="schedule_ics"),
    path("requests/<int:pk>/accept/", views.request_decide, {"decision": "accept"}, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decide, {"decision": "decline"}, name="request_decline"),
    path("requests/<int:pk>/withdraw/", views.request_decide, {"decision": "withdraw"}, name="request_withdraw"),
    path("requests/<int:pk>/outcome/", views.outcome, name="outcome"),
]
