"""The hiring camp's part of the authorisation world: a camp with its grid, company A taking part
with an approved position, and a job seeker (none of the eight roles) whose application to A was
matched to an interview slot. The seeker's CV is on disk, under a consent in force."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from events.models import Audience
from hiring import services
from hiring.models import Camp, CampCompany, JobApplication
from meetings.models import MeetingGrid, MeetingKind
from meetings.services import grid_slots_generate
from tests.factories import EventFactory, UserFactory
from tests.programs.factories import PDF_BYTES


def hiring_objects(*, company: Company, representative: User, staff: User) -> dict[str, Any]:
    starts_at = (timezone.now() + timedelta(days=20)).replace(hour=4, minute=0, second=0, microsecond=0)
    event = EventFactory(audience=Audience.PUBLIC, starts_at=starts_at, ends_at=starts_at + timedelta(hours=3))
    camp = Camp.objects.create(event=event, applications_close_at=starts_at - timedelta(days=2))
    grid = MeetingGrid.objects.create(
        event=event,
        kind=MeetingKind.INTERVIEW,
        first_start=starts_at,
        last_start=starts_at + timedelta(minutes=40),
        max_meetings_per_participant=3,
    )
    grid_slots_generate(grid=grid, by=None)
    participation = CampCompany.objects.create(camp=camp, company=company)
    position = services.position_save(
        camp=camp,
        company_id=company.pk,
        values={"title": "연구원", "field": "바이오", "hires_planned": 1, "place_of_work": "마곡"},
        by=representative,
    )
    position = services.position_decide(position=position, approve=True, by=staff)
    seeker_user = UserFactory(email="seeker@example.kr")
    seeker = services.seeker_save(
        camp=camp,
        user=seeker_user,
        values={"display_name": "구직자"},
        cv=SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf"),
        consent=True,
    )
    application = services.application_apply(seeker=seeker, position=position, by=seeker_user)
    services.application_transition(application=application, to=JobApplication.Status.SHORTLISTED, by=representative)
    application = services.application_transition(application=application, to=JobApplication.Status.MATCHED, by=staff)
    participation.refresh_from_db()
    return {
        "camp": camp,
        "camp_company": participation,
        "position": position,
        "seeker": seeker,
        "job_application": application,
    }
