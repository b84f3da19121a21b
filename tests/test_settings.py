"""magok/settings.py reads the environment through helpers that fail loudly, and production
refuses to start misconfigured. Each case boots Django in a fresh process with a crafted environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x" * 64,
    "DATABASE_URL": "postgres://magok:secret@db.example.kr:5432/magok",
    "REDIS_URL": "redis://redis.example.kr:6379/0",
    "ALLOWED_HOSTS": "magok.example.kr",
    "DEBUG": "0",
}


def _boot(env: dict[str, str], then: str = "print('booted')") -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG", "LC_ALL"}}
    clean["DJANGO_SETTINGS_MODULE"] = "magok.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {then}"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _assert_refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr, result.stderr[-2000:]


def test_development_boots_with_no_environment_at_all():
    result = _boot({})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "booted" in result.stdout


def test_complete_production_environment_boots():
    result = _boot(PRODUCTION)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be a boolean"),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be a whole number"),
        ("DJANGO_ENV", "staging", "DJANGO_ENV must be development, test or production"),
        ("EVENT_LOCK_TIMEOUT_MS", "0", "EVENT_LOCK_TIMEOUT_MS must be at least 1, not 0"),
        ("LOGIN_ACCOUNT_FAILURE_LIMIT", "-3", "LOGIN_ACCOUNT_FAILURE_LIMIT must be at least 1, not -3"),
        ("UPLOAD_MAX_BYTES", "0", "UPLOAD_MAX_BYTES must be at least 1, not 0"),
        ("REQUEST_MAX_BYTES", "1024", "REQUEST_MAX_BYTES must be at least UPLOAD_MAX_BYTES"),
    ],
)
def test_unreadable_values_fail_loudly(name, value, message):
    _assert_refused(_boot({name: value}), message)


def test_production_refuses_to_start_without_a_secret_key():
    _assert_refused(_boot({**PRODUCTION, "SECRET_KEY": ""}), "SECRET_KEY is required")


def test_production_refuses_to_start_on_sqlite():
    _assert_refused(_boot({**PRODUCTION, "DATABASE_URL": "sqlite:////tmp/magok.sqlite3"}), "PostgreSQL")


def test_production_refuses_to_start_without_allowed_hosts():
    env = {key: value for key, value in PRODUCTION.items() if key != "ALLOWED_HOSTS"}
    _assert_refused(_boot(env), "ALLOWED_HOSTS is required")


def test_production_refuses_to_start_with_debug_on():
    _assert_refused(_boot({**PRODUCTION, "DEBUG": "1"}), "DEBUG must be off")


PRINT_DATABASE = (
    "from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


def test_production_keeps_database_connections_and_checks_them_before_use():
    result = _boot(PRODUCTION, PRINT_DATABASE)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["60", "True"]


def test_development_closes_database_connections_after_each_request():
    result = _boot({}, PRINT_DATABASE)
    assert result.stdout.split() == ["0", "True"]
    assert _boot({**PRODUCTION, "DB_CONN_MAX_AGE": "5"}, PRINT_DATABASE).stdout.split() == ["5", "True"]


def test_production_bounds_every_broker_socket_operation():
    result = _boot(PRODUCTION, "from django.conf import settings as s; print(s.CELERY_BROKER_TRANSPORT_OPTIONS)")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "'socket_timeout': 3" in result.stdout and "'socket_connect_timeout': 2" in result.stdout
