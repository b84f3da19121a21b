"""Demo events: the 2019 events of the article (past) and a year of upcoming ones.

Source for 2019: /work/shared/seed/magok-article-2019.txt. The article gives the months and, for
some events, the day and venue; where it does not (the exact July/September/November days,
venues of the tech exchange, hiring camps and salons), the demo picks plausible values and says
so in the description. The Tech Concert speakers are the ones the article names.
Upcoming CEO Biz Forum and Magok Salon occurrences come from their series (Celery work), not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from .consent import REGISTRATION_CONSENT_VERSION
from .models import AgendaItem, Audience, Event, EventKind, Registration, Speaker

if TYPE_CHECKING:
    from accounts.models import User
    from companies.models import Company

SEOUL = ZoneInfo("Asia/Seoul")
DEMO_ACCOUNTS = ["ceo@robotis.example.kr", "staff@robotis.example.kr", "ceo@pharmsville.example.kr"]
ILLUSTRATIVE_KO = "(데모: 정확한 날짜·장소는 기사에 없어 예시로 정했습니다.)"
ILLUSTRATIVE_EN = "(Demo: the article gives no exact date or venue; these are illustrative.)"


@dataclass
class DemoEvent:
    kind: str
    title_ko: str
    title_en: str
    day: date
    start: time
    hours: float
    venue_ko: str
    venue_en: str
    capacity: int
    audience: str
    description_ko: str
    description_en: str
    seat_cap: int | None = None
    format: str = ""
    speakers: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)
    agenda: list[tuple[str, str, str, int | None]] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)  # demo account e-mails
    checked_in: list[str] = field(default_factory=list)


TECH_CONCERT_SPEAKERS = [
    # (name_ko, name_en, affiliation_ko, affiliation_en, topic_ko, topic_en): named in the article.
    (
        "홍춘욱",
        "Hong Choon-wook",
        "경제학 박사, '밀레니얼 이코노미' 저자",
        "PhD in economics, author of 'Millennial Economy'",
        "밀레니얼 세대와 4차산업혁명의 경제",
        "The millennial generation and the economy of the fourth industrial revolution",
    ),
    (
        "홍성국",
        "Hong Sung-kook",
        "'수축사회' 저자",
        "Author of 'Contracting Society'",
        "수축사회와 기업의 생존 전략",
        "A contracting society and how companies survive",
    ),
    (
        "안유화",
        "Ahn Yoo-hwa",
        "성균관대 중국대학원 교수",
        "Professor, Sungkyunkwan University Graduate School of China",
        "중국의 4차산업혁명",
        "China's fourth industrial revolution",
    ),
    (
        "김영우",
        "Kim Young-woo",
        "SK증권 수석연구위원",
        "Chief research fellow, SK Securities",
        "기술 트렌드와 투자",
        "Technology trends and investment",
    ),
]


def _past_events() -> list[DemoEvent]:
    return [
        DemoEvent(
            "mvalley-forum",
            "M-밸리포럼 (1차)",
            "M-Valley Forum (1st)",
            date(2019, 5, 30),
            time(14),
            3,
            "FITI시험연구원",
            "FITI Testing & Research Institute",
            80,
            Audience.INVITED,
            "마곡산업단지 R&D 활성화를 위한 민관 협력 거버넌스 포럼. 입주기업, 중앙정부, 강서구, 전문가 자문단, "
            "SH공사, SBA가 참여해 마곡 발전을 위한 미래 비전과 해결과제를 공유했습니다.",
            "Public-private governance forum for R&D in the Magok Industrial Complex: tenant companies, central "
            "government, Gangseo-gu, an expert advisory group, SH and SBA shared a vision and open issues.",
            invited=["lg-electronics", "lotte", "kolon", "robotis", "fiti", "pharmsville"],
            attendees=["ceo@robotis.example.kr", "ceo@pharmsville.example.kr"],
            checked_in=["ceo@robotis.example.kr"],
        ),
        DemoEvent(
            "tech-exchange",
            "M-밸리 이화 메디테크 비즈 교류회",
            "M-Valley Ewha Meditech Biz Exchange",
            date(2019, 7, 10),
            time(14),
            4,
            "이화의료원 (마곡)",
            "Ewha Womans University Medical Center (Magok)",
            100,
            Audience.TENANTS,
            "첫 마곡기술교류회. 서울 의약·바이오 중소기업, 이화여대 메디테크 연구진, 유관기관 등 100여 명이 참석해 "
            "기술발표회와 비즈니스 상담회를 열었습니다. 팜스빌·웰스바이오와 이화의료원 간 공동연구 업무협약을 "
            f"체결했습니다. {ILLUSTRATIVE_KO}",
            "The first Magok Tech Exchange: about 100 people from Seoul pharma/bio SMEs, Ewha meditech researchers "
            "and agencies; technology presentations and 1:1 business consultations. Pharmsville and Wells Bio signed "
            f"joint-research MOUs with the Ewha medical centre. {ILLUSTRATIVE_EN}",
            seat_cap=5,
            agenda=[
                ("14:00", "개회 및 인사", "Opening", None),
                ("14:20", "기술발표회: 메디테크 연구 성과", "Technology presentations: meditech research", None),
                ("15:30", "비즈니스 상담회 (1:1)", "Business consultations (1:1)", None),
                ("17:30", "공동연구 업무협약 체결", "Signing of joint-research MOUs", None),
            ],
            attendees=["ceo@pharmsville.example.kr", "ceo@robotis.example.kr", "staff@robotis.example.kr"],
            checked_in=["ceo@pharmsville.example.kr", "ceo@robotis.example.kr"],
        ),
        DemoEvent(
            "startup-tech-fair",
            "2019 LG 스타트업 테크페어",
            "2019 LG Startup Tech Fair",
            date(2019, 9, 19),
            time(10),
            7,
            "LG사이언스파크",
            "LG Science Park",
            200,
            Audience.PUBLIC,
            "신산업 분야 유망 스타트업 발굴. 입주 대기업 LG와 스타트업 간 공동투자, 공동 R&D 협력 채널을 "
            f"만들었습니다. {ILLUSTRATIVE_KO}",
            "Scouting promising startups in new industries with LG: joint investment and joint R&D between "
            f"startups and a large tenant. {ILLUSTRATIVE_EN}",
            attendees=["staff@robotis.example.kr"],
            checked_in=["staff@robotis.example.kr"],
        ),
        DemoEvent(
            "hiring-camp",
            "M-밸리 기업 채용캠프 (9월)",
            "M-Valley Hiring Camp (September)",
            date(2019, 9, 25),
            time(13),
            5,
            "마곡 R&D센터",
            "Magok R&D Center",
            90,
            Audience.PUBLIC,
            "입주 중견·중소기업 5개사와 청년 구직자 90여 명. 사전 매칭 기반 현장 면접과 취업역량 강화 코칭. "
            f"{ILLUSTRATIVE_KO}",
            "Five mid-sized and small tenants meet about 90 young job seekers: pre-matched on-site interviews "
            f"and job-readiness coaching. {ILLUSTRATIVE_EN}",
        ),
        DemoEvent(
            "hiring-camp",
            "M-밸리 기업 채용캠프 (11월)",
            "M-Valley Hiring Camp (November)",
            date(2019, 11, 20),
            time(13),
            5,
            "마곡 R&D센터",
            "Magok R&D Center",
            90,
            Audience.PUBLIC,
            f"입주기업 R&D 전문인력 구인난 해소와 청년 일자리 창출을 위한 두 번째 채용캠프. {ILLUSTRATIVE_KO}",
            f"The second hiring camp of the year, for R&D staff and young job seekers. {ILLUSTRATIVE_EN}",
        ),
        DemoEvent(
            "magok-salon",
            "마곡살롱: 취미 공유의 밤 (참여형)",
            "Magok Salon: hobby night (participatory)",
            date(2019, 10, 16),
            time(19),
            2,
            "마곡 커뮤니티 라운지",
            "Magok community lounge",
            30,
            Audience.TENANTS,
            f"2030 밀레니얼 직장인이 개인 취미를 나누는 참여형 마곡살롱. {ILLUSTRATIVE_KO}",
            f"Participatory Magok Salon for millennial workers sharing hobbies. {ILLUSTRATIVE_EN}",
            format=Event.Format.PARTICIPATORY,
            attendees=["staff@robotis.example.kr"],
        ),
        DemoEvent(
            "magok-salon",
            "마곡살롱: 인문학 강연 (강연형)",
            "Magok Salon: humanities lecture (lecture)",
            date(2019, 10, 30),
            time(19),
            2,
            "마곡 커뮤니티 라운지",
            "Magok community lounge",
            40,
            Audience.TENANTS,
            f"인문학 소양과 자기계발을 위한 강연형 마곡살롱. {ILLUSTRATIVE_KO}",
            f"Lecture-format Magok Salon on the humanities and self-development. {ILLUSTRATIVE_EN}",
            format=Event.Format.LECTURE,
        ),
        DemoEvent(
            "mvalley-forum",
            "M-밸리포럼 (2차)",
            "M-Valley Forum (2nd)",
            date(2019, 12, 9),
            time(15),
            3,
            "롯데호텔",
            "Lotte Hotel",
            80,
            Audience.INVITED,
            "올해 두 번째 M-밸리포럼. 마곡 발전을 위한 미래 비전을 제시하고 해결과제를 공유했습니다.",
            "The second M-Valley Forum of the year: a vision for Magok and the issues to solve.",
            invited=["lg-electronics", "lotte", "kolon", "robotis", "fiti", "pharmsville"],
            attendees=["ceo@robotis.example.kr"],
            checked_in=["ceo@robotis.example.kr"],
        ),
        DemoEvent(
            "ceo-biz-forum",
            "CEO비즈포럼 네트워킹 데이",
            "CEO Biz Forum networking day",
            date(2019, 12, 11),
            time(18),
            3,
            "마곡 R&D센터",
            "Magok R&D Center",
            60,
            Audience.EXECUTIVES,
            "한 해를 마감하는 CEO비즈포럼. 입주기업 간 협력 비즈니스 모델과 내년도 마곡산업단지 활성화 사업을 "
            "논의했습니다.",
            "The year-end CEO Biz Forum: collaborative business models between tenants and next year's plans "
            "for the complex.",
            attendees=["ceo@robotis.example.kr", "ceo@pharmsville.example.kr"],
            checked_in=["ceo@robotis.example.kr"],
        ),
        DemoEvent(
            "tech-concert",
            "2019 마곡 테크콘서트",
            "2019 Magok Tech Concert",
            date(2019, 12, 17),
            time(14),
            4,
            "마곡 R&D센터 대강당",
            "Magok R&D Center auditorium",
            150,
            Audience.PUBLIC,
            "'경제의 신과 함께 하는 4차산업혁명 이야기'. 전문가 강연과 관객 토크로 기술 트렌드를 나눴습니다.",
            "'The fourth industrial revolution with the gods of economics': expert lectures and an audience talk "
            "on technology trends.",
            speakers=TECH_CONCERT_SPEAKERS,
            agenda=[
                ("14:00", "개회", "Opening", None),
                ("14:10", "강연 1", "Lecture 1", 0),
                ("14:50", "강연 2", "Lecture 2", 1),
                ("15:30", "강연 3", "Lecture 3", 2),
                ("16:10", "강연 4", "Lecture 4", 3),
                ("16:50", "관객 토크", "Audience talk", None),
            ],
            attendees=["staff@robotis.example.kr", "ceo@pharmsville.example.kr"],
            checked_in=["staff@robotis.example.kr"],
        ),
    ]


def _upcoming_events(today: date) -> list[DemoEvent]:
    def month_ahead(months: int, weekday: int = 2) -> date:
        first = (today.replace(day=1) + timedelta(days=32 * months)).replace(day=1)
        # The second week's given weekday, clear of the first-Wednesday CEO Biz Forum.
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7)

    return [
        DemoEvent(
            "tech-exchange",
            "마곡기술교류회: 메디·바이오 오픈이노베이션",
            "Magok Tech Exchange: medical & bio open innovation",
            month_ahead(1, 3),
            time(14),
            4,
            "이화의료원 (마곡)",
            "Ewha Womans University Medical Center (Magok)",
            100,
            Audience.TENANTS,
            "입주 의약·바이오 기업과 병원·대학 연구진의 기술발표회, 이어서 1:1 비즈니스 상담회.",
            "Technology presentations by tenant pharma/bio companies and hospital and university researchers, "
            "followed by 1:1 business consultations.",
            seat_cap=3,
            agenda=[
                ("14:00", "기술발표회", "Technology presentations", None),
                ("15:30", "1:1 비즈니스 상담회", "1:1 business consultations", None),
            ],
            attendees=["ceo@robotis.example.kr", "staff@robotis.example.kr", "ceo@pharmsville.example.kr"],
        ),
        DemoEvent(
            "tech-concert",
            "마곡 테크콘서트: AI와 일하는 법",
            "Magok Tech Concert: working with AI",
            month_ahead(2, 1),
            time(15),
            3,
            "마곡 R&D센터 대강당",
            "Magok R&D Center auditorium",
            150,
            Audience.PUBLIC,
            "전문가 강연과 관객 토크. 누구나 신청할 수 있습니다.",
            "Expert lectures and an audience talk. Open to everyone.",
            attendees=["staff@robotis.example.kr"],
        ),
        DemoEvent(
            "tech-concert",
            "마곡 테크콘서트 소규모 워크숍: 로봇 제어 실습",
            "Magok Tech Concert workshop: robot control lab",
            month_ahead(1, 4),
            time(10),
            3,
            "로보티즈 교육장",
            "Robotis training room",
            3,
            Audience.TENANTS,
            "정원이 적은 실습형 워크숍입니다 (대기 신청 예시).",
            "A small hands-on workshop (shows the waitlist).",
            attendees=["ceo@robotis.example.kr", "staff@robotis.example.kr", "ceo@pharmsville.example.kr"],
        ),
        DemoEvent(
            "hiring-camp",
            "M-밸리 기업 채용캠프 (상반기)",
            "M-Valley Hiring Camp (spring)",
            month_ahead(3),
            time(13),
            5,
            "마곡 R&D센터",
            "Magok R&D Center",
            90,
            Audience.PUBLIC,
            "입주기업과 청년 구직자의 사전 매칭, 현장 면접, 취업역량 코칭. 구직자는 회원가입 없이 신청할 수 있습니다.",
            "Pre-matching, on-site interviews and coaching. Job seekers can register without an account.",
        ),
        DemoEvent(
            "mvalley-forum",
            "M-밸리포럼 (상반기)",
            "M-Valley Forum (spring)",
            month_ahead(4, 3),
            time(14),
            3,
            "FITI시험연구원",
            "FITI Testing & Research Institute",
            80,
            Audience.INVITED,
            "민관 협력 거버넌스 포럼.",
            "Public-private governance forum.",
            invited=["lg-electronics", "lotte", "kolon", "robotis", "fiti", "pharmsville"],
            attendees=["ceo@robotis.example.kr"],
        ),
        DemoEvent(
            "startup-tech-fair",
            "LG 스타트업 테크페어",
            "LG Startup Tech Fair",
            month_ahead(6, 3),
            time(10),
            7,
            "LG사이언스파크",
            "LG Science Park",
            200,
            Audience.PUBLIC,
            "유망 스타트업 발굴과 대기업 공동투자·공동 R&D 상담.",
            "Startup scouting, joint investment and joint R&D.",
        ),
        DemoEvent(
            "tech-exchange",
            "마곡기술교류회: 로봇·모빌리티",
            "Magok Tech Exchange: robotics & mobility",
            month_ahead(7, 3),
            time(14),
            4,
            "마곡 R&D센터",
            "Magok R&D Center",
            100,
            Audience.TENANTS,
            "로봇·모빌리티 기업의 기술발표회와 1:1 상담회.",
            "Presentations and 1:1 consultations on robotics and mobility.",
            seat_cap=3,
        ),
        DemoEvent(
            "hiring-camp",
            "M-밸리 기업 채용캠프 (하반기)",
            "M-Valley Hiring Camp (autumn)",
            month_ahead(9),
            time(13),
            5,
            "마곡 R&D센터",
            "Magok R&D Center",
            90,
            Audience.PUBLIC,
            "하반기 채용캠프.",
            "The autumn hiring camp.",
        ),
        DemoEvent(
            "mvalley-forum",
            "M-밸리포럼 (하반기)",
            "M-Valley Forum (autumn)",
            month_ahead(10, 0),
            time(15),
            3,
            "롯데호텔",
            "Lotte Hotel",
            80,
            Audience.INVITED,
            "민관 협력 거버넌스 포럼.",
            "Public-private governance forum.",
            invited=["lg-electronics", "lotte", "kolon", "robotis", "fiti", "pharmsville"],
        ),
    ]


def _save(spec: DemoEvent, *, past: bool, users: Mapping[str, User], companies: Mapping[str, Company]) -> int:
    starts_at = datetime.combine(spec.day, spec.start, tzinfo=SEOUL)
    ends_at = starts_at + timedelta(hours=spec.hours)
    opens_at = starts_at - timedelta(days=45)
    if not past:  # upcoming demo events take registrations from today, so every flow can be tried
        opens_at = min(opens_at, timezone.now())
    kind = EventKind.objects.get(slug=spec.kind)
    event, _created = Event.objects.update_or_create(
        kind=kind,
        title_ko=spec.title_ko,
        series=None,
        defaults={
            "title_en": spec.title_en,
            "description_ko": spec.description_ko,
            "description_en": spec.description_en,
            "format": spec.format,
            "venue_ko": spec.venue_ko,
            "venue_en": spec.venue_en,
            "venue_address": "서울특별시 강서구 마곡동",
            "starts_at": starts_at,
            "ends_at": ends_at,
            "capacity": spec.capacity,
            "seat_cap_per_company": spec.seat_cap,
            "audience": spec.audience,
            "status": Event.Status.FINISHED if past else Event.Status.PUBLISHED,
            "registration_opens_at": opens_at,
            "registration_closes_at": starts_at - timedelta(days=1),
        },
    )
    event.invited_companies.set([companies[slug] for slug in spec.invited if slug in companies])
    speakers: list[Speaker] = []
    for order, (name_ko, name_en, aff_ko, aff_en, topic_ko, topic_en) in enumerate(spec.speakers):
        speaker, _ = Speaker.objects.update_or_create(
            event=event,
            name_ko=name_ko,
            defaults={
                "name_en": name_en,
                "affiliation_ko": aff_ko,
                "affiliation_en": aff_en,
                "topic_ko": topic_ko,
                "topic_en": topic_en,
                "order": order,
            },
        )
        speakers.append(speaker)
    for order, (at, title_ko, title_en, speaker_index) in enumerate(spec.agenda):
        AgendaItem.objects.update_or_create(
            event=event,
            order=order,
            defaults={
                "starts_at": at,
                "title_ko": title_ko,
                "title_en": title_en,
                "speaker": speakers[speaker_index] if speaker_index is not None else None,
            },
        )
    created = 0
    for email in spec.attendees:
        user = users.get(email)
        if user is None:
            continue
        if Registration.objects.filter(event=event, email=email).exclude(status="cancelled").exists():
            continue
        confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
        Registration.objects.create(
            event=event,
            user=user,
            registered_by=user,
            company=user.company,
            attendee_name=user.name,
            email=email,
            phone=user.phone,
            position=user.position,
            language=user.language,
            status=Registration.Status.CONFIRMED if confirmed < event.capacity else Registration.Status.WAITLISTED,
            consent_version=REGISTRATION_CONSENT_VERSION,
            consented_at=min(timezone.now(), starts_at - timedelta(days=7)),
            checked_in_at=starts_at + timedelta(minutes=5) if email in spec.checked_in else None,
        )
        created += 1
    return created


@transaction.atomic
def load_demo() -> str:
    from accounts.models import User
    from companies.models import Company

    # Created by accounts.demo; registrations are skipped for any account that is missing.
    users = {u.email: u for u in User.objects.filter(email__in=DEMO_ACCOUNTS)}
    companies = {c.slug: c for c in Company.objects.all()}
    today = timezone.localdate()
    past = _past_events()
    upcoming = _upcoming_events(today)
    registrations = 0
    for spec in past:
        registrations += _save(spec, past=True, users=users, companies=companies)
    for spec in upcoming:
        registrations += _save(spec, past=False, users=users, companies=companies)
    return (
        f"{len(past)} past (2019) and {len(upcoming)} upcoming events, {registrations} new registrations"
        f" ({len(users)} demo accounts found)"
    )
