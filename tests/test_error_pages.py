"""The site-wide error pages: in the site's frame and language, and a 500 page that needs nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied, server_error


@pytest.mark.django_db
def test_404_page_uses_the_site_frame_in_korean(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ko">' in html
    assert "페이지를 찾을 수 없습니다" in html
    assert 'href="#main"' in html  # the skip link of base.html


@pytest.mark.django_db
def test_404_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/no-such-page/").content.decode()
    assert "Page not found" in html


@pytest.mark.django_db
def test_403_page_offers_login_to_anonymous_visitors():
    request = RequestFactory().get("/accounts/members/")
    request.user = AnonymousUser()
    with translation.override("ko"):
        response = permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "접근할 수 없습니다" in html
    assert "/accounts/login/?next=/accounts/members/" in html


def test_500_page_renders_without_database_or_context_in_both_languages():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "일시적인 오류가 발생했습니다" in html
    assert '<div lang="en">' in html and "Something went wrong" in html
