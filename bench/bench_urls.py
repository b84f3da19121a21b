"""The portal's URLs plus ``/bench/bare``: ``{"ok": true}`` through the whole middleware stack."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from magok.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare", bare), *portal_urlpatterns]
