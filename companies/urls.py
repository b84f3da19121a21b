from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("my/edit/", views.my_profile_edit, name="my_profile_edit"),
    path("<slug:slug>/", views.company_detail, name="detail"),
    path("<slug:slug>/edit/", views.profile_edit, name="profile_edit"),
]
