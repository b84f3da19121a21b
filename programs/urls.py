from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.program_list, name="list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/apply/", views.call_apply, name="call_apply"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/withdraw/undo/", views.application_withdraw_undo, name="application_withdraw_undo"),
    path("applications/<int:pk>/outcome/", views.outcome_report, name="outcome_report"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/earlier/<int:pk>/", views.superseded_attachment_download, name="superseded_attachment_download"),
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
]
