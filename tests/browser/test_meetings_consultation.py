"""A tenant's representative makes a consultation profile (pre-filled from the company), follows a
suggestion to a hospital researcher who registered on the public path, sends a request; the
researcher accepts it and the meeting lands on a slot in both people's schedules."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from events.models import Audience
from meetings.consultations import ProfileData, participant_profile_save
from tests.browser.conftest import log_in
from tests.factories import (
    CompanyFactory,
    EventFactory,
    RegistrationFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.meetings.factories import make_grid


@pytest.mark.django_db(transaction=True)
def test_consultation_request_to_a_slot_on_both_schedules(page, screenshot_dir):
    company = CompanyFactory(name_ko="로보티즈", keywords="로봇 액추에이터, 재활 로봇")
    representative = RepresentativeFactory(
        company=company, user=UserFactory(name="김대표", email="ceo@robotis.test")
    ).user
    event = EventFactory(title_ko="M-밸리 메디테크 비즈 교류회", audience=Audience.PUBLIC)
    grid, slots, tables = make_grid(event=event, slots=3, tables=2)
    RegistrationFactory(
        event=event, user=representative, email=representative.email, company=company, attendee_name="김대표"
    )
    researcher = UserFactory(name="박교수", email="park@ewha.test")
    RegistrationFactory(event=event, user=None, email="park@ewha.test", attendee_name="박교수")  # public path
    participant_profile_save(
        grid=grid,
        user=researcher,
        data=ProfileData(
            display_name="박교수",
            organization="이화의료원",
            role="hospital",
            is_visible=True,
            offers_keywords="재활의학 임상",
            seeks_keywords="재활 로봇",
        ),
    )

    log_in(page, representative)
    page.goto(f"{page.base_url}/meetings/")
    page.get_by_role("link", name="프로필 만들고 참가하기").click()
    expect(page.get_by_label("제공할 수 있는 기술·역량")).to_have_value("로봇 액추에이터, 재활 로봇")
    page.get_by_label("찾는 기술·협력").fill("재활의학 임상")
    page.get_by_label("다른 참가자에게 내 프로필을 공개합니다.").check()
    page.get_by_role("button", name="저장").click()

    suggestion = page.locator("#suggestions li", has_text="박교수")
    expect(suggestion.locator(".reason")).to_contain_text("재활의학 임상 ↔ 재활의학 임상")
    expect(suggestion.locator(".reason")).to_contain_text("재활 로봇 ↔ 재활 로봇")
    page.screenshot(path=str(screenshot_dir / "meetings-suggestions.png"), full_page=True)
    suggestion.get_by_label("메시지").fill("재활 로봇의 임상 적용을 상의드리고 싶습니다.")
    suggestion.get_by_role("button", name="박교수 님에게 미팅 신청").click()
    expect(page.locator(".messages")).to_contain_text("박교수 님에게 미팅을 신청했습니다.")
    expect(page.locator("#sent li", has_text="박교수")).to_contain_text("응답 대기")

    # A second request to the same person is refused with a message.
    page.goto(f"{page.base_url}/meetings/{grid.pk}/participants/?q=이화")
    page.locator("#participants li", has_text="박교수").get_by_role("button", name="박교수 님에게 미팅 신청").click()
    expect(page.locator(".messages")).to_contain_text("이미 미팅을 신청했습니다")

    log_in(page, researcher)
    page.goto(f"{page.base_url}/meetings/{grid.pk}/requests/")
    received = page.locator("#received li", has_text="김대표")
    expect(received).to_contain_text("재활 로봇의 임상 적용을 상의드리고 싶습니다.")
    received.get_by_role("button", name="수락").click()
    expect(page.locator(".messages")).to_contain_text("미팅이")
    page.get_by_role("link", name="내 일정").click()
    row = page.locator("#schedule tr.meeting-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("김대표")
    researcher_row = row.inner_text()
    page.screenshot(path=str(screenshot_dir / "meetings-schedule-researcher.png"), full_page=True)

    log_in(page, representative)
    page.goto(f"{page.base_url}/meetings/{grid.pk}/schedule/")
    row = page.locator("#schedule tr.meeting-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("박교수 (이화의료원)")
    # Same slot and table on both schedules.
    assert row.inner_text().split("\t")[:2] == researcher_row.split("\t")[:2]
    page.screenshot(path=str(screenshot_dir / "meetings-schedule-company.png"), full_page=True)

    # On the day, SBA staff move the meeting from the grid's board, on a phone.
    log_in(page, StaffFactory(email="desk@sba.test"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/admin/meetings/meetinggrid/{grid.pk}/board/")
    cell = page.locator("#board td.meeting")
    expect(cell).to_have_count(1)
    expect(cell).to_contain_text("박교수 (이화의료원)")
    page.screenshot(path=str(screenshot_dir / "meetings-board-phone.png"), full_page=True)
    cell.get_by_role("link", name="옮기기").click()
    page.get_by_label("옮길 시간대와 테이블").select_option(index=1)
    page.get_by_role("button", name="옮기기").click()
    expect(page.locator(".messagelist")).to_contain_text("미팅을")
    expect(page.locator("#board td.meeting")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "meetings-board-moved.png"), full_page=True)
