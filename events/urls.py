from django.urls import path

from . import views

app_name = "events"

# Placeholder until the app's pages are built; replace with the real list view.
urlpatterns = [path("", views.placeholder_list, name="list")]
