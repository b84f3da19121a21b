from __future__ import annotations

import pytest

from accounts.models import Membership
from programs.demo import load_demo
from programs.models import Application, Call, Outcome, Program, Review
from programs.selectors import call_ranking
from tests.factories import CompanyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_has_the_articles_programmes():
    for slug in ["pharmsville", "wellsbio", "robotis", "digicap", "covision"]:
        CompanyFactory(slug=slug, name_ko=slug)
    StaffFactory(email="admin@sba.example.kr")
    ceo = UserFactory(email="ceo@robotis.example.kr")
    Membership.objects.create(
        user=ceo,
        company_id=CompanyFactory._meta.model.objects.get(slug="robotis").pk,
        role=Membership.Role.REPRESENTATIVE,
        status=Membership.Status.APPROVED,
    )
    first = load_demo()
    counts = [
        Program.objects.count(),
        Call.objects.count(),
        Application.objects.count(),
        Review.objects.count(),
        Outcome.objects.count(),
    ]
    assert load_demo() == first
    assert [
        Program.objects.count(),
        Call.objects.count(),
        Application.objects.count(),
        Review.objects.count(),
        Outcome.objects.count(),
    ] == counts
    assert counts == [5, 2, 6, 4, 3]
    mous = Outcome.objects.filter(partners="이화의료원", mous_signed=1)
    assert sorted(mous.values_list("company__slug", flat=True)) == ["pharmsville", "wellsbio"]
    closed = Call.objects.get(title_ko="2026 마곡 대중소 협력사업")
    _criteria, rows = call_ranking(call=closed)
    assert rows[0].rank == 1 and rows[0].application.company.slug == "pharmsville"
    open_call = Call.objects.get(title_ko="2027 기술사업화 지원사업 1차")
    assert open_call.is_open()


def test_demo_skips_missing_companies_and_users():
    summary = load_demo()
    assert "0 applications" in summary
    assert Program.objects.count() == 5
