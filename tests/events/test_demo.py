from __future__ import annotations

import pytest
from django.utils import timezone

from events.demo import load_demo
from events.models import Event, Registration
from tests.factories import CompanyFactory, MembershipFactory, RepresentativeFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("event_kinds")]


def test_demo_loads_2019_events_and_is_idempotent():
    robotis = CompanyFactory(slug="robotis", name_ko="로보티즈")
    pharmsville = CompanyFactory(slug="pharmsville", name_ko="팜스빌")
    RepresentativeFactory(company=robotis, user=UserFactory(email="ceo@robotis.example.kr"))
    MembershipFactory(company=robotis, user=UserFactory(email="staff@robotis.example.kr"))
    RepresentativeFactory(company=pharmsville, user=UserFactory(email="ceo@pharmsville.example.kr"))
    load_demo()
    counts = (Event.objects.count(), Registration.objects.count())
    summary = load_demo()
    assert (Event.objects.count(), Registration.objects.count()) == counts
    assert "0 new registrations" in summary
    forum = Event.objects.get(title_ko="M-밸리포럼 (1차)")
    assert timezone.localtime(forum.starts_at).date().isoformat() == "2019-05-30"
    assert forum.venue_ko == "FITI시험연구원" and forum.status == Event.Status.FINISHED
    assert Event.objects.get(title_ko="M-밸리포럼 (2차)").venue_ko == "롯데호텔"
    concert = Event.objects.get(title_ko="2019 마곡 테크콘서트")
    assert {"홍춘욱", "홍성국", "안유화", "김영우"} == set(concert.speakers.values_list("name_ko", flat=True))
    assert Event.objects.filter(starts_at__gt=timezone.now(), status=Event.Status.PUBLISHED).count() >= 8
    assert not Event.objects.filter(starts_at__gt=timezone.now(), kind__slug__in=["ceo-biz-forum", "magok-salon"])
    assert Registration.objects.filter(company=robotis, checked_in_at__isnull=False).exists()


def test_demo_has_public_events_open_for_registration_today():
    from events.models import Audience

    load_demo()
    now = timezone.now()
    upcoming = Event.objects.filter(starts_at__gt=now, status=Event.Status.PUBLISHED, audience=Audience.PUBLIC)
    assert upcoming.exists()
    assert all(event.registration_opens_at <= now < event.registration_closes_at for event in upcoming)


def test_demo_without_accounts_still_loads_events():
    assert "0 demo accounts" in load_demo()
    assert Event.objects.filter(title_ko="CEO비즈포럼 네트워킹 데이").exists()


def test_kind_migration_creates_the_seven_shared_kinds():
    from events.models import EventKind

    slugs = {
        "tech-exchange": "마곡기술교류회",
        "ceo-biz-forum": "CEO비즈포럼",
        "tech-concert": "마곡 테크콘서트",
        "hiring-camp": "M-밸리 기업 채용캠프",
        "mvalley-forum": "M-밸리포럼",
        "magok-salon": "마곡살롱",
        "startup-tech-fair": "LG 스타트업 테크페어",
    }
    kinds = {k.slug: k for k in EventKind.objects.filter(slug__in=slugs)}
    assert {slug: kinds[slug].name_ko for slug in slugs} == slugs
    assert all(k.name_en and k.description_ko and k.description_en for k in kinds.values())
