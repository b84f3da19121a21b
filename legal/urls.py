from django.urls import path

from . import views

app_name = "legal"

urlpatterns = [
    path("privacy/", views.policy, {"kind": "privacy"}, name="privacy"),
    path("privacy/<str:version>/", views.policy, {"kind": "privacy"}, name="privacy_version"),
    path("terms/", views.policy, {"kind": "terms"}, name="terms"),
    path("terms/<str:version>/", views.policy, {"kind": "terms"}, name="terms_version"),
    path("contact/", views.contact, name="contact"),
]
