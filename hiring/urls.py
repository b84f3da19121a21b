from django.urls import path

from . import views

app_name = "hiring"

urlpatterns = [
    path("", views.camp_list, name="camp_list"),
    path("camps/<int:pk>/", views.camp_detail, name="camp_detail"),
    # The seeker's side
    path("camps/<int:pk>/me/", views.seeker_home, name="seeker_home"),
    path("camps/<int:pk>/me/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("camps/<int:pk>/me/cv/", views.my_cv, name="my_cv"),
    path("camps/<int:pk>/me/schedule/", views.seeker_schedule, name="seeker_schedule"),
    path("camps/<int:pk>/me/schedule.ics", views.seeker_schedule_ics, name="seeker_schedule_ics"),
    path("camps/<int:pk>/coaching/", views.coaching, name="coaching"),
    path("positions/<int:pk>/apply/", views.position_apply, name="position_apply"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    # The company's side
    path("camps/<int:pk>/company/", views.company_home, name="company_home"),
    path("camps/<int:pk>/company/schedule/", views.company_schedule, name="company_schedule"),
    path("camps/<int:pk>/company/schedule.ics", views.company_schedule_ics, name="company_schedule_ics"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("applications/<int:pk>/result/", views.application_result, name="application_result"),
    path("applications/<int:pk>/cv/", views.cv_download, name="cv_download"),
    path("applications/<int:pk>/queue/", views.queue_mark, name="queue_mark"),
    # On the day
    path("tables/<int:pk>/queue/", views.queue, name="queue"),
    path("tables/<int:pk>/walk-in/", views.walk_in, name="walk_in"),
]
