from django.db import migrations

KINDS = [
    (
        "tech-exchange",
        "마곡기술교류회",
        "Magok Tech Exchange",
        "입주기업·대학·병원 연구진의 기술발표회와 1:1 비즈니스 상담회.",
        "Technology presentations by tenant companies, university and hospital researchers, "
        "followed by 1:1 business consultations.",
    ),
    (
        "ceo-biz-forum",
        "CEO비즈포럼",
        "CEO Biz Forum",
        "입주기업 CEO 네트워킹. 매월 첫째 주 수요일에 모여 노하우를 나눕니다.",
        "Networking for the CEOs of tenant companies, on the first Wednesday of every month.",
    ),
    (
        "tech-concert",
        "마곡 테크콘서트",
        "Magok Tech Concert",
        "전문가 강연과 관객 토크로 기술 트렌드를 나눕니다.",
        "Expert lectures and an audience talk on technology trends.",
    ),
    (
        "hiring-camp",
        "M-밸리 기업 채용캠프",
        "M-Valley Hiring Camp",
        "입주기업과 청년 구직자의 사전 매칭, 현장 면접, 취업역량 코칭.",
        "Tenant companies meet young job seekers: pre-matching, on-site interviews and job-readiness coaching.",
    ),
    (
        "mvalley-forum",
        "M-밸리포럼",
        "M-Valley Forum",
        "입주기업, 중앙정부, 강서구, 전문가 자문단, SH공사, SBA가 함께하는 민관 협력 거버넌스 포럼.",
        "Public-private governance forum of tenant companies, central government, Gangseo-gu, "
        "an expert advisory group, SH and SBA.",
    ),
    (
        "magok-salon",
        "마곡살롱",
        "Magok Salon",
        "마곡에서 일하는 2030 직장인 네트워킹. 격주로 참여형과 강연형이 번갈아 열립니다.",
        "Networking for people in their 20s and 30s working in Magok, every two weeks: "
        "participatory or lecture sessions.",
    ),
    (
        "startup-tech-fair",
        "LG 스타트업 테크페어",
        "LG Startup Tech Fair",
        "유망 스타트업 발굴, 입주 대기업과의 공동투자·공동 R&D.",
        "Scouting promising startups with LG: joint investment and joint R&D with a large tenant.",
    ),
]


def create_kinds(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    for order, (slug, name_ko, name_en, description_ko, description_en) in enumerate(KINDS, start=1):
        EventKind.objects.update_or_create(
            slug=slug,
            defaults={
                "name_ko": name_ko,
                "name_en": name_en,
                "description_ko": description_ko,
                "description_en": description_en,
                "order": order,
            },
        )


def delete_kinds(apps, schema_editor):
    EventKind = apps.get_model("events", "EventKind")
    EventKind.objects.filter(slug__in=[kind[0] for kind in KINDS], events__isnull=True, series__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, delete_kinds)]
