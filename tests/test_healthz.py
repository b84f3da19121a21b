import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


@pytest.mark.django_db
def test_healthz_503_when_broker_is_down(client):
    from magok.celery import app
    from tests.celery.processes import use_broker

    original = app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        use_broker(original)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "error"


@pytest.mark.django_db
def test_healthz_503_when_the_cache_is_down(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"


@pytest.mark.django_db
def test_healthz_is_never_cached_and_needs_no_login(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response.status_code == 200, response.json()


@pytest.mark.django_db
def test_healthz_answers_a_host_that_is_not_allowed(client, settings):
    # The balancer and the container health checks ask by the container's address.
    settings.ALLOWED_HOSTS = ["magok.example.kr"]
    response = client.get("/healthz", HTTP_HOST="10.89.0.7:8000")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ok"
    # Any other page still refuses that Host.
    assert client.get("/", HTTP_HOST="10.89.0.7:8000").status_code == 400


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert client.get("/").status_code == 301
