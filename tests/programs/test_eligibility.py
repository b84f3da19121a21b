from __future__ import annotations

import pytest
from django.utils import translation

from companies.models import Company
from programs.eligibility import eligibility_check, eligibility_rules
from tests.factories import CompanyFactory, SectorFactory

from .factories import CallFactory

pytestmark = pytest.mark.django_db


def test_call_without_rules_admits_every_company():
    call = CallFactory()
    company = CompanyFactory(size_class=Company.SizeClass.LARGE, move_in_status=Company.MoveInStatus.ALLOTTED)
    assert eligibility_check(call=call, company=company) == []


def test_moved_in_smes_and_startups_only():
    call = CallFactory(
        eligible_size_classes=["sme", "startup"], eligible_move_in_statuses=[Company.MoveInStatus.MOVED_IN]
    )
    assert eligibility_check(call=call, company=CompanyFactory(size_class="startup", move_in_status="moved_in")) == []
    assert eligibility_check(call=call, company=CompanyFactory(size_class="sme", move_in_status="moved_in")) == []


def test_large_company_is_told_its_size_class_in_korean():
    call = CallFactory(eligible_size_classes=["sme", "startup"])
    company = CompanyFactory(size_class=Company.SizeClass.LARGE)
    with translation.override("ko"):
        reasons = eligibility_check(call=call, company=company)
    assert reasons == ["이 공고는 중소기업, 스타트업만 신청할 수 있습니다. 귀사의 기업 규모는 대기업입니다."]


def test_reasons_are_in_english_when_english_is_active():
    call = CallFactory(eligible_size_classes=["sme"], eligible_move_in_statuses=["moved_in"])
    company = CompanyFactory(size_class="large", move_in_status="under_construction")
    with translation.override("en"):
        reasons = eligibility_check(call=call, company=company)
        sme, large = str(Company.SizeClass.SME.label), str(Company.SizeClass.LARGE.label)
        building = str(Company.MoveInStatus.UNDER_CONSTRUCTION.label)
    assert len(reasons) == 2
    assert reasons[0] == f"This call is open only to {sme}. Your company is registered as: {large}."
    assert building in reasons[1] and reasons[1].startswith("This call is open only to companies whose move-in")


def test_not_yet_moved_in_company_gets_its_status():
    call = CallFactory(eligible_move_in_statuses=["moved_in"])
    company = CompanyFactory(move_in_status=Company.MoveInStatus.UNDER_CONSTRUCTION)
    with translation.override("ko"):
        [reason] = eligibility_check(call=call, company=company)
    assert "입주 완료" in reason and "건축 중" in reason


def test_sector_rule_needs_one_matching_sector():
    bio = SectorFactory(slug="bio", name_ko="바이오·의료", name_en="Bio and medical")
    ict = SectorFactory(slug="ict", name_ko="ICT", name_en="ICT")
    call = CallFactory()
    call.eligible_sectors.add(bio)
    matching = CompanyFactory()
    matching.sectors.add(ict, bio)
    other = CompanyFactory()
    other.sectors.add(ict)
    assert eligibility_check(call=call, company=matching) == []
    with translation.override("ko"):
        [reason] = eligibility_check(call=call, company=other)
    assert "바이오·의료" in reason


def test_several_unmet_rules_give_several_reasons():
    bio = SectorFactory(slug="bio")
    call = CallFactory(eligible_size_classes=["startup"], eligible_move_in_statuses=["moved_in"])
    call.eligible_sectors.add(bio)
    company = CompanyFactory(size_class="large", move_in_status="allotted")
    assert len(eligibility_check(call=call, company=company)) == 3


def test_rules_in_plain_words():
    call = CallFactory(eligible_size_classes=["sme", "startup"], eligible_move_in_statuses=["moved_in"])
    with translation.override("ko"):
        rules = eligibility_rules(call=call)
    assert rules == ["기업 규모: 중소기업, 스타트업", "입주 현황: 입주 완료"]
    with translation.override("ko"):
        assert eligibility_rules(call=CallFactory()) == ["마곡산업단지 입주기업이면 누구나 신청할 수 있습니다."]
