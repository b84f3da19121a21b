"""Demo data: the business consultations of the July 2019 M-밸리 이화 메디테크 비즈 교류회, with the
joint-research MOUs of 팜스빌 and 웰스바이오 with 이화의료원 (from the article) and a few other,
illustrative consultations. People without a company are sample people, marked "(예시)".
Safe to run again: rows are keyed by name, the planner keeps what it placed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

SEOUL = ZoneInfo("Asia/Seoul")
EVENT_TITLE = "M-밸리 이화 메디테크 비즈 교류회"
MOU_DAY = date(2019, 7, 10)


@dataclass(frozen=True)
class DemoParticipant:
    name: str
    organization: str
    role: str
    offers: str
    seeks: str
    company_slug: str | None = None
    user_email: str | None = None


PARTICIPANTS = [
    DemoParticipant(
        "팜스빌 대표",
        "팜스빌",
        "company",
        "건강기능식품, 천연물 원료, 개별인정형 원료",
        "임상시험, 효능 평가",
        company_slug="pharmsville",
        user_email="ceo@pharmsville.example.kr",
    ),
    DemoParticipant(
        "웰스바이오 연구소장 (예시)",
        "웰스바이오",
        "company",
        "체외진단, 분자진단 키트",
        "임상 검체, 임상 검증",
        company_slug="wellsbio",
    ),
    DemoParticipant(
        "로보티즈 대표",
        "로보티즈",
        "company",
        "로봇 액추에이터, 재활 로봇",
        "재활의학 임상",
        company_slug="robotis",
        user_email="ceo@robotis.example.kr",
    ),
    DemoParticipant(
        "FITI 의료기기팀 (예시)",
        "FITI시험연구원",
        "company",
        "의료기기 시험, 바이오 안전성",
        "진단키트",
        company_slug="fiti",
    ),
    DemoParticipant(
        "이화의료원 임상연구팀 (예시)",
        "이화의료원",
        "hospital",
        "임상시험, 효능 평가, 임상 검체, 재활의학 임상",
        "건강기능식품, 체외진단, 로봇",
    ),
    DemoParticipant(
        "이화여대 메디테크 연구실 (예시)",
        "이화여자대학교",
        "research",
        "바이오마커, 의료영상",
        "진단키트, 분자진단",
    ),
]

# (sender, recipient, state, message, outcome for both sides, note)
REQUESTS = [
    (
        "팜스빌 대표",
        "이화의료원 임상연구팀 (예시)",
        "accepted",
        "천연물 원료의 효능 평가를 함께 하고 싶습니다.",
        "mou_signed",
        "공동연구 업무협약 체결",
    ),
    (
        "웰스바이오 연구소장 (예시)",
        "이화의료원 임상연구팀 (예시)",
        "accepted",
        "분자진단 키트의 임상 검증을 논의하고 싶습니다.",
        "mou_signed",
        "공동연구 업무협약 체결",
    ),
    (
        "로보티즈 대표",
        "이화의료원 임상연구팀 (예시)",
        "accepted",
        "재활 로봇의 임상 적용을 상의드립니다.",
        "follow_up",
        "9월 후속 미팅",
    ),
    (
        "이화여대 메디테크 연구실 (예시)",
        "웰스바이오 연구소장 (예시)",
        "accepted",
        "바이오마커 기반 진단 협력",
        "joint_research",
        "",
    ),
    ("FITI 의료기기팀 (예시)", "웰스바이오 연구소장 (예시)", "accepted", "진단키트 시험·인증 안내", "no_interest", ""),
    ("팜스빌 대표", "이화여대 메디테크 연구실 (예시)", "declined", "", None, ""),
]


@transaction.atomic
def load_demo() -> str:
    from accounts.models import User
    from companies.models import Company
    from events.models import Event, Registration

    from .consultations import consultation_schedule_plan
    from .models import ConsultationOutcome, MeetingGrid, MeetingRequest, Participant, Table
    from .services import grid_slots_generate

    event = Event.objects.filter(title_ko=EVENT_TITLE, series=None).first()
    if event is None:
        return f"no event {EVENT_TITLE!r}: load events.demo first"
    start = datetime(2019, 7, 10, 15, 30, tzinfo=SEOUL)
    grid, _created = MeetingGrid.objects.update_or_create(
        event=event,
        defaults={
            "slot_minutes": 20,
            "first_start": start,
            "last_start": start + timedelta(minutes=20 * 5),
            "request_deadline": start - timedelta(days=1),
            "max_meetings_per_participant": 6,
            "published_at": start - timedelta(days=2),
        },
    )
    grid_slots_generate(grid=grid, by=None)
    for order in range(4):
        Table.objects.get_or_create(grid=grid, name=f"상담 테이블 {order + 1}", defaults={"order": order})

    companies = {
        c.slug: c for c in Company.objects.filter(slug__in=[p.company_slug for p in PARTICIPANTS if p.company_slug])
    }
    people: dict[str, Participant] = {}
    for spec in PARTICIPANTS:
        user = User.objects.filter(email=spec.user_email).first() if spec.user_email else None
        registration = (
            Registration.objects.filter(event=event, user=user, status=Registration.Status.CONFIRMED).first()
            if user
            else None
        )
        company = companies.get(spec.company_slug or "")
        participant, _ = Participant.objects.update_or_create(
            grid=grid,
            display_name=spec.name,
            defaults={
                "user": user,
                "registration": registration,
                "company": company,
                "organization": spec.organization,
                "role": spec.role,
                "email": user.email if user else "",
                "offers_keywords": spec.offers,
                "seeks_keywords": spec.seeks,
                "is_visible": True,
            },
        )
        if company is not None:
            participant.offers_sectors.set(company.sectors.all())
        people[spec.name] = participant

    outcomes = []
    for sender, recipient, state, message, result, note in REQUESTS:
        request, _ = MeetingRequest.objects.get_or_create(
            grid=grid,
            sender=people[sender],
            recipient=people[recipient],
            defaults={"state": state, "message": message, "decided_at": start - timedelta(days=3)},
        )
        if result:
            outcomes.append((request, result, note))
    report = consultation_schedule_plan(grid=grid, by=None)
    for request, result, note in outcomes:
        for side in (request.sender, request.recipient):
            ConsultationOutcome.objects.update_or_create(
                request=request,
                participant=side,
                defaults={
                    "result": result,
                    "occurred_on": MOU_DAY if result == "mou_signed" else None,
                    "note": note,
                },
            )
    return (
        f"{EVENT_TITLE}: {grid.slots.count()} slots, {len(people)} participants, {len(REQUESTS)} requests; "
        f"{report.summary()}"
    )
