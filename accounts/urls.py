from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    # Django's LogoutView answers POST only (a GET gets 405).
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("signup/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("join/", views.join, name="join"),
    path("join/<int:pk>/withdraw/", views.membership_withdraw, name="membership_withdraw"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/approve/", views.membership_approve, name="membership_approve"),
    path("members/<int:pk>/reject/", views.membership_reject, name="membership_reject"),
    path("members/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("members/<int:pk>/hand-over/", views.membership_hand_over, name="membership_hand_over"),
    path("my-data/", views.my_data, name="my_data"),
    path("delete/", views.account_delete, name="delete"),
    path("deleted/", views.account_deleted, name="deleted"),
]
