"""A hiring camp ready to use: an event with its meetings grid and slots, participating
companies, approved positions, and seekers who consented and uploaded a CV."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from events.models import Audience
from hiring import services
from hiring.models import Camp, CampCompany, JobApplication, Position, Seeker
from meetings.models import MeetingGrid, MeetingKind
from meetings.services import grid_slots_generate
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, UserFactory
from tests.programs.factories import PDF_BYTES


def cv_file(name: str = "이력서.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class CampWorld:
    camp: Camp
    grid: MeetingGrid
    companies: list[Company]
    positions: list[Position]
    members: list[User]
    staff: User
    participations: list[CampCompany] = field(default_factory=list)


def camp_world(*, companies: int = 2, slots: int = 6, starts_in_days: int = 14, **camp: Any) -> CampWorld:
    starts_at = (timezone.now() + timedelta(days=starts_in_days)).replace(hour=4, minute=0, second=0, microsecond=0)
    event = EventFactory(
        title_ko="M-밸리 기업 채용캠프 (테스트)",
        audience=Audience.PUBLIC,
        capacity=100,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=4),
    )
    camp_row = Camp.objects.create(
        event=event,
        applications_close_at=camp.pop("applications_close_at", starts_at - timedelta(days=3)),
        **camp,
    )
    grid = MeetingGrid.objects.create(
        event=event,
        kind=MeetingKind.INTERVIEW,
        slot_minutes=20,
        first_start=starts_at,
        last_start=starts_at + timedelta(minutes=20 * (slots - 1)),
        max_meetings_per_participant=slots,
    )
    grid_slots_generate(grid=grid, by=None)
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    # After a transactional test's flush the content types have new ids: no stale cache.
    ContentType.objects.clear_cache()
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="hiring"))
    world = CampWorld(camp=camp_row, grid=grid, companies=[], positions=[], members=[], staff=staff)
    for index in range(companies):
        company = CompanyFactory()
        member = MembershipFactory(company=company).user
        participation = CampCompany.objects.create(camp=camp_row, company=company)
        position = services.position_save(
            camp=camp_row,
            company_id=company.pk,
            values={"title": f"연구원 {index}", "field": "바이오", "hires_planned": 1, "place_of_work": "마곡"},
            by=member,
        )
        position = services.position_decide(position=position, approve=True, by=staff)
        world.companies.append(company)
        world.members.append(member)
        world.positions.append(position)
        world.participations.append(participation)
    return world


def seeker(camp: Camp, *, consent: bool = True, cv: bool = True, user: User | None = None) -> Seeker:
    user = user or UserFactory()
    return services.seeker_save(
        camp=camp,
        user=user,
        values={"display_name": user.name, "fields_of_interest": "바이오 연구", "education": "마곡대학교 졸업"},
        cv=cv_file() if cv else None,
        consent=consent,
    )


def matched(world: CampWorld, seeker_row: Seeker, position: Position) -> JobApplication:
    """Apply, shortlist (the company) and confirm the match (staff): the interview is placed."""
    application = services.application_apply(seeker=seeker_row, position=position, by=seeker_row.user)
    member = world.members[world.positions.index(position)]
    services.application_transition(application=application, to=JobApplication.Status.SHORTLISTED, by=member)
    return services.application_transition(application=application, to=JobApplication.Status.MATCHED, by=world.staff)
