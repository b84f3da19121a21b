"""Demo: the November 2019 M-Valley hiring camp with 5 tenant companies and 90 generated sample
job seekers ("예시 구직자 001 (가상)"), their applications, interviews, coaching and results.

Everything is keyed so that a second run changes nothing. The camp's history is written
directly (its deadlines are in 2019, and demo data must not send e-mail): applications are
created as rows; interviews and coaching still go through the engine's ``meeting_place`` while
the grid is unpublished (nobody is e-mailed), and the grid is marked published afterwards.
Coaching tables are set up with ``scheduling.coaching_table_add``, as staff do in the admin.
The demo camp keeps its seekers for ten years (``retention_days``) so that the retention task
does not purge the sample at once; real camps use the default 90 days.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db.models import Q

from .consent import SEEKER_CONSENT
from .models import Camp, CampCompany, CoachingTable, JobApplication, Position, Seeker

SEOUL = ZoneInfo("Asia/Seoul")
CAMP_TITLE = "M-밸리 기업 채용캠프 (11월)"
SEEKERS = 90
DEMO_SEEKER_EMAIL = "seeker@example.kr"  # can log in (README); the other 89 cannot
DEMO_PASSWORD = "magok-demo-2027"

COMPANIES = {
    "robotis": [("로봇 제어 소프트웨어 엔지니어", "로봇·임베디드"), ("기구 설계 연구원", "기계설계")],
    "digicap": [("보안 솔루션 개발자", "정보보안"), ("QA 엔지니어", "소프트웨어 품질")],
    "covision": [("그룹웨어 백엔드 개발자", "웹 서비스"), ("기술 영업", "영업·마케팅")],
    "pharmsville": [("제제 연구원", "바이오·제약"), ("품질관리(QC) 담당", "품질관리")],
    "wellsbio": [("진단키트 연구원", "바이오·진단"), ("임상 데이터 분석가", "데이터 분석")],
}
INTERESTS = [
    "바이오 연구개발",
    "품질관리",
    "임베디드 소프트웨어",
    "웹 개발",
    "데이터 분석",
    "정보보안",
    "기계설계",
    "기술 영업",
]
SCHOOLS = ["예시대학교", "마곡대학교(가상)", "한강대학교(가상)", "서울예시대학교"]
MAJORS = ["생명공학과", "화학공학과", "컴퓨터공학과", "기계공학과", "통계학과", "경영학과"]

# A one-page PDF that says it is a sample.
SAMPLE_CV = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"% Sample CV generated for the Magok portal demo. Not a real person.\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), tzinfo=SEOUL)


def load_demo() -> str:
    from accounts.models import User
    from companies.models import Company
    from events.models import Event
    from meetings.models import MeetingGrid, MeetingKind
    from meetings.services import grid_slots_generate

    from . import scheduling

    event = Event.objects.filter(title_ko=CAMP_TITLE, starts_at__year=2019, series=None).first()
    if event is None:
        return "skipped: the 2019 hiring camp event is missing (run events.demo first)"
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    starts = event.starts_at.astimezone(SEOUL)
    camp, _created = Camp.objects.get_or_create(
        event=event,
        defaults={
            "applications_close_at": _at(starts - timedelta(days=6), 18),
            "applications_per_seeker": 3,
            "retention_days": 3650,
        },
    )
    grid, _created = MeetingGrid.objects.get_or_create(
        event=event,
        defaults={
            "kind": MeetingKind.INTERVIEW,
            "slot_minutes": 20,
            "first_start": _at(starts, 13),
            "last_start": _at(starts, 17, 20),
            "breaks": ["15:00-15:20"],
            "max_meetings_per_participant": 13,
            "request_deadline": camp.applications_close_at,
        },
    )
    grid_slots_generate(grid=grid, by=admin)

    companies = {c.slug: c for c in Company.objects.filter(slug__in=COMPANIES)}
    participations = []
    positions: list[Position] = []
    for slug, jobs in COMPANIES.items():
        company = companies.get(slug)
        if company is None:
            continue
        participation, _created = CampCompany.objects.get_or_create(camp=camp, company=company)
        participations.append(scheduling.camp_company_seat(participation=participation))
        for title, field in jobs:
            position, _created = Position.objects.get_or_create(
                camp=camp,
                company=company,
                title=title,
                defaults={
                    "field": field,
                    "requirements": "관련 전공 학사 이상 (신입 가능). 예시 공고입니다.",
                    "hires_planned": 2,
                    "place_of_work": f"마곡산업단지 {company.name_ko}",
                    "status": Position.Status.APPROVED,
                    "decided_by": admin,
                    "decided_at": _at(starts - timedelta(days=20), 10),
                },
            )
            positions.append(position)
    # Coaching tables the way staff add them (the Camp admin's inline): by coach and topic.
    for number, topic in ((1, "자기소개서 첨삭"), (2, "모의 면접")):
        if not CoachingTable.objects.filter(camp=camp, topic=topic).exists():
            scheduling.coaching_table_add(camp=camp, coach_name=f"취업 코치 {number} (가상)", topic=topic, by=None)

    if Seeker.objects.filter(camp=camp, is_sample=True).count() >= SEEKERS or not positions:
        return f"hiring camp present ({camp.seekers.count()} seekers)"
    return _generate(camp=camp, grid=grid, positions=positions, admin=admin, starts=starts)


def _generate(*, camp: Camp, grid: Any, positions: list[Position], admin: Any, starts: datetime) -> str:
    from accounts.models import User

    from . import scheduling

    rng = random.Random(20191120)
    consented_at = _at(starts - timedelta(days=14), 10)
    seekers = []
    for index in range(1, SEEKERS + 1):
        email = DEMO_SEEKER_EMAIL if index == 1 else f"sample-seeker-{index:03d}@example.kr"
        name = f"예시 구직자 {index:03d} (가상)"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email, name=name, privacy_consent_version="signup-2027-01", privacy_consented_at=consented_at
            )
            if index == 1:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save()
        seeker, created = Seeker.objects.get_or_create(
            camp=camp,
            user=user,
            defaults={
                "display_name": name,
                "fields_of_interest": ", ".join(rng.sample(INTERESTS, k=2)),
                "education": f"{rng.choice(SCHOOLS)} {rng.choice(MAJORS)} 졸업 예정",
                "consent_version": SEEKER_CONSENT.version,
                "consented_at": consented_at,
                "is_sample": True,
            },
        )
        if created:
            seeker.cv.save(f"sample-cv-{index:03d}.pdf", ContentFile(SAMPLE_CV), save=False)
            seeker.cv_original_name = f"예시_이력서_{index:03d}.pdf"
            seeker.cv_content_type = "application/pdf"
            seeker.cv_size = len(SAMPLE_CV)
            seeker.save()
        seekers.append(seeker)

    applications = []
    for seeker in seekers:
        for position in rng.sample(positions, k=rng.choice([1, 2, 2, 3])):
            application, _created = JobApplication.objects.get_or_create(
                seeker=seeker,
                position=position,
                defaults={"consent_version": seeker.consent_version, "consented_at": seeker.consented_at},
            )
            applications.append(application)

    # Companies shortlisted about half; staff confirmed most of those; each got an interview.
    placed = hired = 0
    for application in applications:
        roll = rng.random()
        if roll < 0.35:
            application.status = JobApplication.Status.DECLINED
        elif roll < 0.45:
            application.status = JobApplication.Status.SHORTLISTED
        elif roll < 0.95:
            application.status = JobApplication.Status.MATCHED
        application.decided_by, application.decided_at = admin, _at(starts - timedelta(days=3), 11)
        application.save()
        if application.status != JobApplication.Status.MATCHED:
            continue
        try:
            scheduling.interview_place(application=application, by=admin)
        except Exception:  # noqa: BLE001 - a full table leaves the match unscheduled, as on the day
            application.status = JobApplication.Status.SHORTLISTED
            application.save(update_fields=["status"])
            continue
        placed += 1
        outcome = rng.random()
        application.queue_status = JobApplication.Queue.NO_SHOW if outcome < 0.08 else JobApplication.Queue.DONE
        if application.queue_status == JobApplication.Queue.DONE:
            application.result = (
                JobApplication.Result.HIRED
                if outcome < 0.3
                else JobApplication.Result.NEXT_ROUND
                if outcome < 0.5
                else JobApplication.Result.NOT_SELECTED
            )
            application.result_by, application.result_at = admin, _at(starts + timedelta(days=7), 17)
            hired += application.result == JobApplication.Result.HIRED
        application.save()
        scheduling.interview_mark(application=application, by=admin)

    booked = 0
    for seeker in seekers[::4]:
        free = scheduling.coaching_free(camp=camp, seeker=seeker)
        if free:
            choice = free[rng.randrange(len(free))]
            scheduling.coaching_book(seeker=seeker, table_id=choice.coaching.table_id, slot_id=choice.slot.pk, by=admin)
            booked += 1
    type(grid).objects.filter(pk=grid.pk, published_at__isnull=True).update(
        published_at=_at(starts - timedelta(days=2), 10)
    )
    JobApplication.objects.filter(Q(position__camp=camp)).update(created_at=consented_at + timedelta(days=1))
    return (
        f"hiring camp: {len(seekers)} sample seekers, {len(applications)} applications, {placed} interviews, "
        f"{booked} coaching sessions, {hired} hires"
    )
