"""Demo data: the five programmes the article names, one open and one closed call, applications,
reviews and outcomes (the joint-research MOUs of 팜스빌 and 웰스바이오 with 이화의료원).

Idempotent: rows are found by natural keys. Companies and the staff user come from the
companies and accounts demo; missing ones are skipped. The closed call's history is written
directly (not through the services) because its deadline lies in the past and demo data must
not send e-mail.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from companies.models import Company

from .consent import PROGRAM_CONSENT_VERSION
from .models import (
    Application,
    ApplicationEvent,
    Call,
    CallQuestion,
    Outcome,
    Program,
    RequiredDocument,
    Review,
    ReviewCriterion,
)

SEOUL = ZoneInfo("Asia/Seoul")
S = Application.Status

PROGRAMS = [
    (
        "tech-commercialization",
        Program.Kind.COMMERCIALIZATION,
        "기술사업화 지원사업",
        "Technology commercialisation support",
        "입주기업이 보유한 기술의 시제품 제작, 인증, 시장 검증을 지원합니다.",
        "Prototypes, certification and market validation for technology held by tenant companies.",
    ),
    (
        "export-training",
        Program.Kind.EXPORT,
        "수출역량 강화교육",
        "Export capability training",
        "해외 진출을 준비하는 입주기업을 위한 수출 실무 교육과 상담입니다.",
        "Export practice training and advice for tenant companies preparing to go abroad.",
    ),
    (
        "patent-support",
        Program.Kind.PATENT,
        "특허출원 지원",
        "Patent application support",
        "국내외 특허 출원 비용과 변리 상담을 지원합니다.",
        "Support with the cost of domestic and foreign patent filings and patent attorney advice.",
    ),
    (
        "collaboration",
        Program.Kind.COLLABORATION,
        "마곡 대중소 협력사업",
        "Magok large company / SME collaboration",
        "마곡의 대기업과 중소기업·스타트업, 대학·병원의 공동 연구와 사업화를 연결합니다.",
        "Connects Magok's large companies with SMEs, startups, universities and hospitals for joint "
        "research and commercialisation.",
    ),
    (
        "rnd-activation",
        Program.Kind.RND,
        "R&D 활성화 지원사업",
        "R&D activation support",
        "2018년부터 입주기업의 연구개발 활동을 지원합니다.",
        "Supports tenant companies' research and development since 2018.",
    ),
]

QUESTIONS = [
    ("기술 개요", "Technology overview", CallQuestion.Kind.TEXT, [], True),
    ("최근 연도 매출액 (백만 원)", "Revenue last year (million KRW)", CallQuestion.Kind.NUMBER, [], True),
    ("사업화 단계", "Commercialisation stage", CallQuestion.Kind.CHOICE, ["연구개발", "시제품", "양산"], True),
]
DOCUMENTS = [("사업계획서", "Business plan", True), ("사업자등록증 사본", "Business registration certificate", True)]
CRITERIA = [
    ("기술성", "Technology", 4, 10),
    ("사업성", "Business potential", 3, 10),
    ("협력 효과", "Collaboration", 3, 10),
]

# slug -> (status, scores per criterion, outcome values)
CLOSED_CALL_APPLICATIONS: dict[str, tuple[str, list[int] | None, dict[str, Any] | None]] = {
    "pharmsville": (S.SELECTED, [9, 8, 10], {"mous_signed": 1, "joint_rnd": 1, "partners": "이화의료원", "hires": 2}),
    "wellsbio": (S.SELECTED, [8, 9, 9], {"mous_signed": 1, "joint_rnd": 1, "partners": "이화의료원", "hires": 1}),
    "robotis": (S.SELECTED, [9, 7, 7], {"joint_rnd": 1, "investment_krw": 500_000_000, "hires": 4}),
    "digicap": (S.REJECTED, [6, 6, 5], None),
    "covision": (S.WITHDRAWN, None, None),
}


def _at(day: datetime, hour: int) -> datetime:
    return datetime.combine(day.date(), time(hour, 0), tzinfo=SEOUL)


def _form(call: Call) -> None:
    for order, (label_ko, label_en, kind, choices, required) in enumerate(QUESTIONS):
        CallQuestion.objects.update_or_create(
            call=call,
            label_ko=label_ko,
            defaults={"label_en": label_en, "kind": kind, "choices": choices, "required": required, "order": order},
        )
    for order, (name_ko, name_en, required) in enumerate(DOCUMENTS):
        RequiredDocument.objects.update_or_create(
            call=call, name_ko=name_ko, defaults={"name_en": name_en, "required": required, "order": order}
        )
    for order, (name_ko, name_en, weight, max_score) in enumerate(CRITERIA):
        ReviewCriterion.objects.update_or_create(
            call=call,
            name_ko=name_ko,
            defaults={"name_en": name_en, "weight": weight, "max_score": max_score, "order": order},
        )


@transaction.atomic
def load_demo() -> str:
    programs = {}
    for order, (slug, kind, name_ko, name_en, desc_ko, desc_en) in enumerate(PROGRAMS):
        programs[slug], _created = Program.objects.update_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "name_ko": name_ko,
                "name_en": name_en,
                "description_ko": desc_ko,
                "description_en": desc_en,
                "owner_team": "SBA 마곡사업팀",
                "order": order,
            },
        )

    now = timezone.localtime(timezone.now(), SEOUL)
    open_call, _created = Call.objects.get_or_create(
        program=programs["tech-commercialization"],
        title_ko="2027 기술사업화 지원사업 1차",
        defaults={
            "title_en": "2027 Technology commercialisation support, round 1",
            "description_ko": "마곡산업단지에 입주한 중소기업과 스타트업의 기술사업화를 지원합니다. "
            "기업당 최대 5천만 원.",
            "description_en": "Supports commercialisation by SMEs and startups that have moved in to Magok. "
            "Up to KRW 50 million per company.",
            "opens_at": _at(now - timedelta(days=7), 9),
            "closes_at": _at(now + timedelta(days=21), 18),
            "budget_krw": 500_000_000,
            "selection_count": 10,
            "eligible_size_classes": [Company.SizeClass.SME, Company.SizeClass.STARTUP],
            "eligible_move_in_statuses": [Company.MoveInStatus.MOVED_IN],
        },
    )
    _form(open_call)

    closed_call, _created = Call.objects.get_or_create(
        program=programs["collaboration"],
        title_ko="2026 마곡 대중소 협력사업",
        defaults={
            "title_en": "2026 Magok large company / SME collaboration",
            "description_ko": "대기업·병원과 공동 연구를 추진하는 입주 중소기업을 지원했습니다.",
            "description_en": "Supported tenant SMEs pursuing joint research with large companies and hospitals.",
            "opens_at": datetime(2026, 3, 2, 9, 0, tzinfo=SEOUL),
            "closes_at": datetime(2026, 3, 31, 18, 0, tzinfo=SEOUL),
            "budget_krw": 300_000_000,
            "selection_count": 3,
            "eligible_size_classes": [Company.SizeClass.SME, Company.SizeClass.STARTUP],
        },
    )
    _form(closed_call)

    user_model = get_user_model()
    reviewer = user_model.objects.filter(email="admin@sba.example.kr").first()
    criteria = list(closed_call.criteria.all())
    questions = list(closed_call.questions.all())
    companies = {c.slug: c for c in Company.objects.filter(slug__in=CLOSED_CALL_APPLICATIONS)}
    applications = reviews = outcomes = 0
    for slug, (status, scores, outcome) in CLOSED_CALL_APPLICATIONS.items():
        company = companies.get(slug)
        if company is None:
            continue
        submitted_at = datetime(2026, 3, 20, 14, 0, tzinfo=SEOUL)
        decided_at = datetime(2026, 4, 24, 17, 0, tzinfo=SEOUL)
        application, created = Application.objects.get_or_create(
            call=closed_call,
            company=company,
            defaults={
                "status": status,
                "contact_name": f"{company.name_ko} 담당자",
                "contact_email": f"contact@{slug}.example.kr",
                "answers": {
                    str(questions[0].pk): f"{company.name_ko}의 공동 연구 과제",
                    str(questions[1].pk): 1200,
                    str(questions[2].pk): "시제품",
                },
                "consent_version": PROGRAM_CONSENT_VERSION,
                "consented_at": submitted_at,
                "submitted_at": submitted_at,
                "decided_at": decided_at,
            },
        )
        applications += 1
        if created:
            history: list[tuple[str, str]] = [("", S.DRAFT), (S.DRAFT, S.SUBMITTED)]
            if status == S.WITHDRAWN:
                history.append((S.SUBMITTED, S.WITHDRAWN))
            else:
                history += [(S.SUBMITTED, S.SCREENING), (S.SCREENING, status)]
            for from_status, to_status in history:
                ApplicationEvent.objects.create(
                    application=application,
                    from_status=from_status,
                    to_status=to_status,
                    by=reviewer if to_status in {S.SCREENING, S.SELECTED, S.REJECTED} else None,
                    message="축하합니다. 협약 안내를 곧 보내 드립니다." if to_status == S.SELECTED else "",
                )
        if reviewer is not None and scores is not None:
            Review.objects.get_or_create(
                application=application,
                reviewer=reviewer,
                defaults={
                    "scores": {str(c.pk): s for c, s in zip(criteria, scores, strict=True)},
                    "comment": "데모 심사 의견",
                    "assigned_by": reviewer,
                    "submitted_at": decided_at - timedelta(days=7),
                },
            )
            reviews += 1
        if outcome is not None:
            Outcome.objects.update_or_create(
                company=company,
                program=closed_call.program,
                year=2026,
                defaults={**outcome, "application": application, "source": Outcome.Source.STAFF},
            )
            outcomes += 1

    # A draft on the open call for 로보티즈, so the demo representative sees one in progress.
    robotis_ceo = user_model.objects.filter(email="ceo@robotis.example.kr").first()
    if robotis_ceo is not None and robotis_ceo.company is not None:
        draft, created = Application.objects.get_or_create(
            call=open_call,
            company=robotis_ceo.company,
            defaults={
                "created_by": robotis_ceo,
                "contact_name": robotis_ceo.name,
                "contact_email": robotis_ceo.email,
                "answers": {str(open_call.questions.first().pk): "스마트 액추에이터 다이나믹셀 기반 협동 로봇"},  # type: ignore[union-attr]
            },
        )
        if created:
            ApplicationEvent.objects.create(application=draft, from_status="", to_status=S.DRAFT, by=robotis_ceo)
    return (
        f"programs: {len(programs)} programmes, 2 calls, {applications} applications, "
        f"{reviews} reviews, {outcomes} outcomes"
    )
