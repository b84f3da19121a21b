from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularSwaggerSplitView

from companies.views import home, logo_file
from magok.api import PublicSchemaView, api_not_found
from magok.health import healthz, livez
from magok.i18n import language_switch

api_v1: list[URLPattern | URLResolver] = [
    path("", include("companies.api.urls")),
    path("", include("events.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("meetings.api.urls")),
    path("hiring/", include("hiring.api.urls")),
    re_path(r"^(?P<path>.*)$", api_not_found, name="api-not-found"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("i18n/setlang/", csrf_exempt(language_switch), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", PublicSchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("companies/", include("companies.urls")),
    path("events/", include("events.urls")),
    path("programs/", include("programs.urls")),
    path("legal/", include("legal.urls")),
    path("meetings/", include("meetings.urls")),
    path("hiring/", include("hiring.urls")),
]

# Public uploads (company logos). Programme documents live in PRIVATE_MEDIA_ROOT and are only
# served by views that check permission. A reverse proxy may serve /media/ directly instead.
urlpatterns += [
    re_path(r"^media/(?P<path>logos/.*)$", logo_file, name="media"),
]
