from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("<int:grid_id>/schedule/", views.schedule, name="schedule"),
    path("<int:grid_id>/schedule.ics", views.schedule_ics, name="schedule_ics"),
]
