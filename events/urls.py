from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("feed.ics", views.events_feed, name="feed"),
    # A user's private feed (the token is the secret; events/feeds.py) and its rotation.
    path("feed/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("feed/rotate/", views.personal_feed_rotate, name="personal_feed_rotate"),
    path("my/", views.my_registrations, name="my"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics_view, name="ics"),
    path("<int:pk>/register/", views.event_register, name="register"),
    path("<int:pk>/registered/", views.event_registered, name="registered"),
    path("<int:pk>/check-email/", views.event_check_email, name="check_email"),
    path("registrations/confirm/<str:token>/", views.registration_confirm_view, name="confirm"),
    path("<int:pk>/check-in/", views.event_check_in, name="check_in"),
    path("<int:pk>/check-in/scan/", views.event_check_in_scan, name="check_in_scan"),
    path("<int:pk>/check-in/counts/", views.event_check_in_counts, name="check_in_counts"),
    path("registrations/<int:pk>/ticket/", views.registration_ticket, name="ticket"),
    path("registrations/<int:pk>/qr.png", views.registration_qr, name="ticket_qr"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel_view, name="cancel"),
    # The signed links of registration e-mails (no login needed; see events/links.py).
    path("tickets/<str:token>/", views.registration_ticket_link, name="ticket_link"),
    path("tickets/<str:token>/cancel/", views.registration_cancel_link, name="cancel_link"),
]
