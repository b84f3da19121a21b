"""One company, all in one place: the staff page per company."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from companies.models import ProfileChangeRequest
from events.models import Registration
from programs.models import Application
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    StaffFactory,
    staff_with_permissions,
)
from tests.programs.factories import ApplicationFactory, OutcomeFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _build(company, n=1):
    past = EventFactory(starts_at=timezone.now() - timedelta(days=3))
    for _ in range(n):
        MembershipFactory(company=company)
        MembershipFactory(company=company, status=Membership.Status.PENDING)
        ProfileChangeRequest.objects.create(company=company, data={"keywords": "로봇"}, status="approved")
        RegistrationFactory(event=past, company=company, checked_in_at=timezone.now() - timedelta(days=3))
        RegistrationFactory(event=past, company=company)  # confirmed, not checked in: a no-show
        RegistrationFactory(event=EventFactory(), company=company)  # upcoming: not a no-show yet
        RegistrationFactory(event=past, company=company, status=Registration.Status.CANCELLED)
        ApplicationFactory(company=company, status=Application.Status.SUBMITTED)
        OutcomeFactory(company=company, program=ProgramFactory(), year=2025, mous_signed=1, hires=2)


def test_overview_shows_members_requests_history_events_applications_and_outcomes(client):
    company = CompanyFactory()
    _build(company)
    other = CompanyFactory()
    MembershipFactory(company=other, status=Membership.Status.PENDING)
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:backoffice_company_overview", args=[company.pk]))

    overview = response.context["overview"]
    assert len(overview.members) == 1 and len(overview.pending_members) == 1
    assert len(overview.change_requests) == 1
    assert len(overview.registrations) == 4
    assert overview.attended_count == 1 and overview.no_show_count == 1
    assert [a.status for a in overview.applications] == [Application.Status.SUBMITTED]
    assert overview.outcomes_by_year[0][0] == 2025 and overview.outcomes_by_year[0][1]["hires"] == 2
    assert 'class="no-show"' in response.content.decode()


def test_overview_query_count_does_not_grow_with_the_company(client, count_queries):
    company = CompanyFactory()
    _build(company)
    client.force_login(StaffFactory())
    url = reverse("admin:backoffice_company_overview", args=[company.pk])
    few = count_queries(client, url)
    _build(company, n=4)
    assert count_queries(client, url) == few
    assert few <= 14


def test_overview_is_linked_from_the_change_page_and_the_search(client):
    company = CompanyFactory(name_ko="로보티즈")
    url = reverse("admin:backoffice_company_overview", args=[company.pk])
    client.force_login(StaffFactory())
    assert url in client.get(reverse("admin:companies_company_change", args=[company.pk])).content.decode()
    assert url in client.get(reverse("admin:companies_company_changelist"), {"q": "로보"}).content.decode()


def test_overview_needs_the_view_permissions(client):
    company = CompanyFactory()
    client.force_login(staff_with_permissions("companies", "view_company"))
    assert client.get(reverse("admin:backoffice_company_overview", args=[company.pk])).status_code == 403


def test_unknown_company_is_404(client):
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:backoffice_company_overview", args=[999999])).status_code == 404
