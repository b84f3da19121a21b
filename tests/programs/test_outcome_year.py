from __future__ import annotations

import pytest
from django.utils import timezone

from programs.models import Application
from programs.services import application_create

pytestmark = pytest.mark.django_db


# "²".isdigit() is true and int("²") raises; a huge year is no year either.
@pytest.mark.parametrize("year", ["²", "²⁰²⁶", "٢٠٢٦", "9" * 40, "1999", "2101"])
def test_outcome_page_falls_back_to_this_year_for_a_year_that_is_not_one(client, representative, open_call, year):
    application = application_create(call=open_call, user=representative)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SELECTED)
    client.force_login(representative)
    response = client.get(f"/programs/applications/{application.pk}/outcome/", {"year": year})
    assert response.status_code == 200
    assert response.context["form"]["year"].value() == timezone.localdate().year
