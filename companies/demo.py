"""Demo data for the directory, drawn from the December 2019 article on the Magok Industrial
Complex: the companies it names, with plausible (illustrative, not authoritative) profiles,
plus clearly marked fictional sample companies so that the totals match the article's figures:
150 companies allotted land (48 large, 102 SMEs, mid-sized firms and startups), 90 moved in.

Idempotent: everything is keyed by slug.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from .models import Company, ComplexProfile, SearchAlias, Sector

SECTORS: list[tuple[str, str, str]] = [
    ("electronics-it", "전자·IT", "Electronics & IT"),
    ("software", "소프트웨어·플랫폼", "Software & platforms"),
    ("bio-pharma", "바이오·의약", "Bio & pharmaceuticals"),
    ("medical-devices", "의료기기·헬스케어", "Medical devices & healthcare"),
    ("machinery-robotics", "기계·로봇", "Machinery & robotics"),
    ("chemicals-materials", "화학·소재", "Chemicals & materials"),
    ("energy", "에너지", "Energy"),
    ("automotive", "자동차·부품", "Automotive & parts"),
    ("food", "식품", "Food"),
    ("cosmetics", "화장품·뷰티", "Cosmetics & beauty"),
    ("fashion-textiles", "섬유·패션", "Textiles & fashion"),
    ("testing-certification", "시험·인증", "Testing & certification"),
    ("construction-environment", "건설·환경", "Construction & environment"),
    ("telecom", "통신·네트워크", "Telecom & networks"),
    ("security", "보안", "Security"),
    ("content-media", "콘텐츠·미디어", "Content & media"),
]

MOVED_IN = Company.MoveInStatus.MOVED_IN
BUILDING = Company.MoveInStatus.UNDER_CONSTRUCTION
LARGE = Company.SizeClass.LARGE
SME = Company.SizeClass.SME
MIDSIZED = Company.SizeClass.MIDSIZED

# The tenants the article names. Dates, parcels and head counts are illustrative.
NAMED: list[dict[str, Any]] = [
    {
        "slug": "lg-electronics",
        "name_ko": "LG전자",
        "name_en": "LG Electronics",
        "size_class": LARGE,
        "sectors": ["electronics-it", "telecom", "automotive"],
        "keywords": "가전, 인공지능, 전장부품, 로봇, 사물인터넷, 디스플레이, LG사이언스파크, 마곡 R&D",
        "parcel_code": "D3",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2018, 4, 20),
        "homepage": "https://www.lge.co.kr",
        "employee_count": 17000,
        "description_ko": "LG사이언스파크의 중심 기업으로, 가전·전장·인공지능 분야의 융복합 연구개발을 "
        "마곡에서 수행합니다. 스타트업과 함께하는 LG 스타트업 테크페어를 SBA와 운영합니다.",
        "description_en": "The anchor tenant of LG Science Park, running converged R&D in home appliances, vehicle "
        "components and artificial intelligence in Magok. Runs the LG Startup Tech Fair with SBA.",
    },
    {
        "slug": "lotte",
        "name_ko": "롯데",
        "name_en": "Lotte",
        "size_class": LARGE,
        "sectors": ["food", "chemicals-materials"],
        "keywords": "식품 연구, 식품 안전, 포장 소재, 건강기능식품",
        "parcel_code": "C8",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2017, 6, 1),
        "homepage": "https://www.lotte.co.kr",
        "employee_count": 700,
        "description_ko": "롯데중앙연구소가 식품 연구개발과 식품 안전 연구를 수행합니다.",
        "description_en": "Lotte R&D Center carries out food research and development and food-safety research.",
    },
    {
        "slug": "kolon",
        "name_ko": "코오롱",
        "name_en": "Kolon",
        "size_class": LARGE,
        "sectors": ["chemicals-materials", "bio-pharma", "fashion-textiles"],
        "keywords": "고기능 소재, 아라미드, 바이오 신약, 수처리, 패션 소재",
        "parcel_code": "D1",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2018, 6, 1),
        "homepage": "https://www.kolon.com",
        "employee_count": 1000,
        "description_ko": "코오롱 원앤온리타워에서 소재·화학·바이오 계열사의 연구개발 조직이 함께 일합니다.",
        "description_en": "At Kolon One&Only Tower the R&D teams of the group's materials, chemicals and bio "
        "companies work together.",
    },
    {
        "slug": "s-oil",
        "name_ko": "에쓰오일",
        "name_en": "S-Oil",
        "size_class": LARGE,
        "sectors": ["energy", "chemicals-materials"],
        "keywords": "정유, 석유화학, 윤활유, 연료 기술",
        "parcel_code": "B2",
        "move_in_status": BUILDING,
        "moved_in_on": None,
        "homepage": "https://www.s-oil.com",
        "employee_count": 300,
        "description_ko": "기술연구소(TS&D 센터)를 마곡에 짓고 있으며 정유·석유화학 제품의 연구개발을 맡습니다.",
        "description_en": "Building its technology research centre (TS&D Center) in Magok for R&D on refined and "
        "petrochemical products.",
    },
    {
        "slug": "nexen",
        "name_ko": "넥센",
        "name_en": "Nexen",
        "size_class": LARGE,
        "sectors": ["automotive", "chemicals-materials"],
        "keywords": "타이어, 고무 소재, 주행 시험, 자동차 부품",
        "parcel_code": "D12",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2017, 9, 1),
        "homepage": "https://www.nexentire.com",
        "employee_count": 400,
        "description_ko": "넥센타이어 중앙연구소가 타이어와 고무 소재를 연구합니다.",
        "description_en": "Nexen Tire's central research institute develops tyres and rubber compounds.",
    },
    {
        "slug": "digicap",
        "name_ko": "디지캡",
        "name_en": "Digicap",
        "size_class": SME,
        "sectors": ["software", "security", "content-media"],
        "keywords": "디지털 저작권 관리, DRM, 방송 보안, 콘텐츠 보호, 수신제한시스템",
        "parcel_code": "C4-3",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2017, 11, 1),
        "homepage": "https://www.digicaps.com",
        "employee_count": 80,
        "description_ko": "방송·콘텐츠 보안 솔루션(DRM, 수신제한시스템)을 개발하는 소프트웨어 기업입니다.",
        "description_en": "A software company building broadcast and content protection (DRM, conditional access).",
    },
    {
        "slug": "robotis",
        "name_ko": "로보티즈",
        "name_en": "Robotis",
        "size_class": SME,
        "sectors": ["machinery-robotics", "electronics-it"],
        "keywords": "로봇, 액추에이터, 다이나믹셀, 자율주행 로봇, 교육용 로봇, 서비스 로봇",
        "parcel_code": "C4-5",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2018, 3, 1),
        "homepage": "https://www.robotis.com",
        "employee_count": 150,
        "description_ko": "로봇 전용 액추에이터 '다이나믹셀'과 자율주행 서비스 로봇, 교육용 로봇을 "
        "만드는 로봇 기업입니다.",
        "description_en": "A robotics company making the DYNAMIXEL robot actuators, autonomous service robots and "
        "educational robot kits.",
    },
    {
        "slug": "covision",
        "name_ko": "코비젼",
        "name_en": "Covision",
        "size_class": SME,
        "sectors": ["electronics-it", "medical-devices"],
        "keywords": "광학, 렌즈, 카메라 모듈, 영상 진단",
        "parcel_code": "C5-2",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2018, 8, 1),
        "homepage": "",
        "employee_count": 60,
        "description_ko": "광학 부품과 카메라 모듈, 영상 장비를 개발하는 중소기업입니다.",
        "description_en": "An SME developing optical parts, camera modules and imaging equipment.",
    },
    {
        "slug": "pharmsville",
        "name_ko": "팜스빌",
        "name_en": "Pharmsville",
        "size_class": SME,
        "sectors": ["bio-pharma", "food"],
        "keywords": "건강기능식품, 천연물, 개별인정형 원료, 바이오",
        "parcel_code": "C6-1",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2019, 2, 1),
        "homepage": "",
        "employee_count": 40,
        "description_ko": "천연물 기반 건강기능식품 원료를 연구·개발합니다. 2019년 마곡기술교류회에서 이화의료원과 "
        "공동연구 업무협약을 맺었습니다.",
        "description_en": "Researches and develops natural health-food ingredients. Signed a joint-research MOU with "
        "the Ewha medical centre at the 2019 Magok Tech Exchange.",
    },
    {
        "slug": "wellsbio",
        "name_ko": "웰스바이오",
        "name_en": "Wells Bio",
        "size_class": SME,
        "sectors": ["bio-pharma", "medical-devices"],
        "keywords": "체외진단, 분자진단, 진단키트, 바이오",
        "parcel_code": "C6-4",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2019, 5, 1),
        "homepage": "",
        "employee_count": 50,
        "description_ko": "체외진단·분자진단 키트를 개발하는 바이오 기업입니다. 2019년 마곡기술교류회에서 이화의료원과 "
        "공동연구 업무협약을 맺었습니다.",
        "description_en": "A bio company developing in-vitro and molecular diagnostic kits. Signed a joint-research "
        "MOU with the Ewha medical centre at the 2019 Magok Tech Exchange.",
    },
    {
        "slug": "fiti",
        "name_ko": "FITI시험연구원",
        "name_en": "FITI Testing & Research Institute",
        "size_class": MIDSIZED,
        "sectors": ["testing-certification", "fashion-textiles", "bio-pharma"],
        "keywords": "시험, 인증, 분석, 섬유 시험, 의료기기 시험, 바이오 안전성",
        "parcel_code": "D8",
        "move_in_status": MOVED_IN,
        "moved_in_on": dt.date(2018, 10, 1),
        "homepage": "https://www.fitiglobal.com",
        "employee_count": 600,
        "description_ko": "섬유·소재·바이오·의료기기 분야의 시험·인증 기관입니다. 2019년 5월 M-밸리포럼이 이곳에서 "
        "열렸습니다.",
        "description_en": "A testing and certification institute for textiles, materials, bio and medical devices. "
        "Hosted the M-Valley Forum in May 2019.",
    },
]

# Search aliases (staff keep them in the admin): spellings people use for the same company or
# technology, and the English word next to the Korean keyword, so that `robot` finds what `로봇`
# finds. Short Latin terms are avoided: a term matches inside words.
SEARCH_ALIASES: list[tuple[str, str]] = [
    ("엘지, LG", "LG 계열사의 한글 표기"),
    ("에스오일, 에쓰오일, S-Oil", "회사명 표기가 여럿입니다"),
    ("롯데, Lotte", ""),
    ("코오롱, Kolon", ""),
    ("넥센, Nexen", ""),
    ("로봇, robot", "기술 키워드 영문"),
    ("바이오, bio", "기술 키워드 영문"),
    ("인공지능, artificial intelligence", "기술 키워드 영문"),
    ("센서, sensor", "기술 키워드 영문"),
    ("드론, drone", "기술 키워드 영문"),
    ("반도체, semiconductor", "기술 키워드 영문"),
    ("배터리, battery", "기술 키워드 영문"),
    ("의료기기, medical device", "기술 키워드 영문"),
    ("진단, diagnostics", "기술 키워드 영문"),
    ("화장품, cosmetics", "기술 키워드 영문"),
    ("자율주행, autonomous driving", "기술 키워드 영문"),
    ("수소, hydrogen", "기술 키워드 영문"),
    ("디스플레이, display", "기술 키워드 영문"),
    ("클라우드, cloud", "기술 키워드 영문"),
    ("보안, security", "기술 키워드 영문"),
    ("식품, food", "기술 키워드 영문"),
    ("시험, testing", "기술 키워드 영문"),
]

# Article figures.
TOTAL_COMPANIES = 150
LARGE_COMPANIES = 48
MOVED_IN_COMPANIES = 90

SAMPLE_KEYWORDS: dict[str, list[str]] = {
    "electronics-it": ["반도체", "센서", "디스플레이", "사물인터넷"],
    "software": ["인공지능", "빅데이터", "클라우드", "플랫폼"],
    "bio-pharma": ["신약", "바이오", "항체", "세포치료"],
    "medical-devices": ["의료기기", "디지털 헬스케어", "영상 진단", "재활"],
    "machinery-robotics": ["로봇", "자동화", "드론", "정밀기계"],
    "chemicals-materials": ["신소재", "배터리 소재", "고분자", "코팅"],
    "energy": ["수소", "태양광", "에너지 저장", "스마트그리드"],
    "automotive": ["자율주행", "전기차", "차량 부품", "모빌리티"],
    "food": ["식품", "건강기능식품", "발효", "대체 단백질"],
    "cosmetics": ["화장품", "천연 원료", "피부 과학"],
    "fashion-textiles": ["기능성 섬유", "스마트 의류", "패션"],
    "testing-certification": ["시험", "인증", "분석"],
    "construction-environment": ["수처리", "친환경 건축", "대기 환경"],
    "telecom": ["5G", "통신 장비", "네트워크"],
    "security": ["보안", "인증 솔루션", "암호"],
    "content-media": ["콘텐츠", "게임", "가상현실", "미디어"],
}
SAMPLE_SIZES = [SME, SME, SME, Company.SizeClass.STARTUP, Company.SizeClass.STARTUP, MIDSIZED]


def _sample_business_number(seed: int) -> str:
    """A checksum-valid business registration number in a block no real business has (999-)."""
    from .validators import _BRN_WEIGHTS

    digits = [9, 9, 9, 8, 8] + [int(d) for d in f"{seed:04d}"]
    total = sum(n * w for n, w in zip(digits, _BRN_WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    check = (10 - total % 10) % 10
    number = "".join(map(str, digits)) + str(check)
    return f"{number[:3]}-{number[3:5]}-{number[5:]}"


def _samples() -> list[dict[str, Any]]:
    named_large = sum(1 for c in NAMED if c["size_class"] == LARGE)
    named_moved_in = sum(1 for c in NAMED if c["move_in_status"] == MOVED_IN)
    count = TOTAL_COMPANIES - len(NAMED)
    large_left = LARGE_COMPANIES - named_large
    moved_in_left = MOVED_IN_COMPANIES - named_moved_in
    rng = random.Random(2019)  # fixed seed: the same samples on every run
    sector_slugs = [slug for slug, _ko, _en in SECTORS]
    samples = []
    for index in range(1, count + 1):
        size = LARGE if index <= large_left else SAMPLE_SIZES[index % len(SAMPLE_SIZES)]
        # Spread the moved-in companies over both size groups.
        moved_in = (index * moved_in_left) // count != ((index - 1) * moved_in_left) // count
        status = MOVED_IN if moved_in else (BUILDING if index % 3 else Company.MoveInStatus.ALLOTTED)
        sectors = rng.sample(sector_slugs, k=rng.choice([1, 1, 2]))
        keywords = [rng.choice(SAMPLE_KEYWORDS[slug]) for slug in sectors]
        samples.append(
            {
                "slug": f"sample-{index:03d}",
                "name_ko": f"예시기업 {index:02d} (가상)",
                "name_en": f"Sample Co. {index:02d} (fictional)",
                "size_class": size,
                "sectors": sectors,
                "keywords": ", ".join(dict.fromkeys(keywords)),
                "parcel_code": f"{rng.choice('ABCD')}{rng.randint(1, 16)}-{rng.randint(1, 6)}",
                "move_in_status": status,
                "moved_in_on": dt.date(2016 + index % 4, 1 + index % 12, 1) if status == MOVED_IN else None,
                "homepage": "",
                "employee_count": rng.randint(300, 3000) if size == LARGE else rng.randint(5, 250),
                "business_registration_number": _sample_business_number(index),
                "description_ko": "데모용 가상 기업입니다. 실제 입주기업이 아닙니다.",
                "description_en": "A fictional company for the demo. Not a real tenant.",
                "is_sample": True,
            }
        )
    return samples


@transaction.atomic
def load_demo() -> str:
    sectors = {}
    for order, (slug, name_ko, name_en) in enumerate(SECTORS, start=1):
        sectors[slug], _created = Sector.objects.update_or_create(
            slug=slug, defaults={"name_ko": name_ko, "name_en": name_en, "order": order}
        )
    profile = ComplexProfile.load()
    profile.name_ko = "마곡산업단지"
    profile.name_en = "Magok Industrial Complex"
    profile.area_m2 = 1_120_000
    profile.designated_on = dt.date(2008, 12, 1)
    profile.allotted_company_target = TOTAL_COMPANIES
    profile.move_in_target_year = 2024
    profile.save()
    # Aliases first, so that the companies saved below are indexed with them.
    for terms, note in SEARCH_ALIASES:
        SearchAlias.objects.update_or_create(terms=terms, defaults={"note": note})
    created = 0
    for data in [*NAMED, *_samples()]:
        values = dict(data)
        slug = values.pop("slug")
        sector_slugs = values.pop("sectors")
        company, was_created = Company.objects.update_or_create(slug=slug, defaults=values)
        company.sectors.set([sectors[s] for s in sector_slugs])
        created += was_created
    total = Company.objects.count()
    return (
        f"{len(SECTORS)} sectors, {total} companies ({created} new, {len(NAMED)} named in the article), "
        f"{len(SEARCH_ALIASES)} search aliases"
    )
