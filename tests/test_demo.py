"""`make run` loads the demo with `manage.py load_demo`; running it again changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "companies", "events", "programs", "notifications"}
    }


@pytest.mark.django_db
def test_load_demo_fills_every_app_and_is_idempotent():
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _row_counts()
    assert first["companies.Company"] == 150
    assert first["accounts.User"] >= 4
    assert first["events.Event"] > 10
    assert first["events.Registration"] > 0
    assert first["programs.Application"] > 0
    for module in ("companies.demo", "accounts.demo", "events.demo", "programs.demo", "events.demo_series"):
        assert f"{module}:" in out.getvalue()

    call_command("load_demo", stdout=StringIO())
    assert _row_counts() == first


@pytest.mark.django_db
def test_load_demo_dry_run_saves_nothing():
    call_command("load_demo", "--dry-run", stdout=StringIO())
    assert not any(_row_counts()[label] for label in ("companies.Company", "events.Event", "programs.Program"))
