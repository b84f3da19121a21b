"""Helpers for the bilingual (ko/en) fields the models carry as ``<name>_ko`` / ``<name>_en``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language


def current_language() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def localized(obj: Any, field: str) -> str:
    """The English value when the active language is English and it is filled in, else the Korean one."""
    korean = getattr(obj, f"{field}_ko", "") or ""
    if current_language() == "en":
        return getattr(obj, f"{field}_en", "") or korean
    return korean


class Localized:
    """A read-only attribute for the language-dependent value of ``<name>_ko`` / ``<name>_en``:
    ``title = Localized()`` on a model reads ``title_en`` on English pages (when filled in)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    def __get__(self, obj: Any, owner: type | None = None) -> str:
        return localized(obj, self.field)


def language_switch(request: HttpRequest) -> HttpResponseRedirect:
    """Switch the language (cookie) and go back to ``next``. Answers GET as well as POST.

    Django's ``set_language`` wants a POST, so every page carried a CSRF token for the switch,
    and a page with a token in it cannot be served from a shared cache (magok/pagecache.py).
    Choosing a language is no state worth protecting from a cross-site request (it changes how
    the site reads for that browser and nothing else), so a link or a GET form does it; POST
    keeps working for old pages and API clients. ``next`` must be a path on this site."""
    data = request.POST if request.method == "POST" else request.GET
    next_url = data.get("next") or request.META.get("HTTP_REFERER") or "/"
    allowed = {request.get_host()}
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts=allowed, require_https=request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    language = data.get("language")
    if language and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
