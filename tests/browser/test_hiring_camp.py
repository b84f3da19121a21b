"""A job seeker writes a profile with a CV and the third-party consent and applies; the company
shortlists; staff confirm the match in the admin; the interview shows on the company's queue page
on a phone, where the table marks the seeker arrived."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hiring.models import JobApplication
from tests.browser.conftest import log_in
from tests.factories import StaffFactory, UserFactory
from tests.hiring.factories import camp_world
from tests.programs.factories import PDF_BYTES

pytestmark = pytest.mark.usefixtures("transactional_db")


def test_application_to_interview_on_the_queue_page(page, browser, screenshot_dir, tmp_path):
    world = camp_world(companies=2, slots=4)
    camp, position = world.camp, world.positions[0]
    seeker_user = UserFactory(name="김구직")
    staff = StaffFactory()
    cv = tmp_path / "김구직_이력서.pdf"
    cv.write_bytes(PDF_BYTES)

    # The seeker writes the profile, uploads the CV, consents, and applies.
    log_in(page, seeker_user)
    page.goto(f"{page.base_url}/hiring/camps/{camp.pk}/me/")
    page.fill("input[name=fields_of_interest]", "바이오 연구개발")
    page.fill("input[name=education]", "마곡대학교 생명공학과 졸업")
    page.set_input_files("input[name=cv_file]", str(cv))
    expect(page.locator(".consent-box")).to_contain_text("제공받는 자")
    page.check("input[name=consent]")
    page.click("#seeker-form button[type=submit]")
    expect(page.locator(".consent-box .badge-ok")).to_be_visible()
    page.goto(f"{page.base_url}/hiring/camps/{camp.pk}/")
    page.locator(f"#position-{position.pk} button[type=submit]").click()
    expect(page.locator("table")).to_contain_text(position.title)
    page.screenshot(path=str(screenshot_dir / "hiring-seeker-applied.png"), full_page=True)
    application = JobApplication.objects.get()

    # The company sees the profile (consent given) and shortlists.
    company_context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    company_page = company_context.new_page()
    company_page.base_url = page.base_url
    log_in(company_page, world.members[0])
    company_page.goto(f"{page.base_url}/hiring/camps/{camp.pk}/company/")
    row = company_page.locator(f"#application-{application.pk}")
    expect(row).to_contain_text("마곡대학교 생명공학과 졸업")
    expect(row.locator("a", has_text="이력서 내려받기")).to_have_count(1)
    row.locator("button", has_text="면접 후보로").click()
    expect(company_page.locator(f"#application-{application.pk}")).to_contain_text("면접 후보")

    # Staff confirm the match in the admin: the interview is placed on the company's table.
    staff_context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    staff_page = staff_context.new_page()
    staff_page.base_url = page.base_url
    log_in(staff_page, staff)
    staff_page.goto(f"{page.base_url}/admin/hiring/jobapplication/")
    staff_page.check(f"input[name=_selected_action][value='{application.pk}']")
    staff_page.select_option("select[name=action]", "confirm_match")
    staff_page.click("button[name=index]")
    expect(staff_page.locator("ul.messagelist")).to_contain_text("1건")
    application.refresh_from_db()
    assert application.status == JobApplication.Status.MATCHED and application.meeting is not None

    # On the day: the company's queue page on a phone shows the seeker as next.
    phone = browser.new_context(
        locale="ko-KR", timezone_id="Asia/Seoul", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    phone_page = phone.new_page()
    phone_page.base_url = page.base_url
    log_in(phone_page, world.members[0])
    participation = camp.companies.get(company=world.companies[0])
    phone_page.goto(f"{page.base_url}/hiring/tables/{participation.pk}/queue/")
    expect(phone_page.locator("#queue-next")).to_contain_text("김구직")
    entry = phone_page.locator(f"#queue-{application.pk}")
    expect(entry).to_contain_text(position.title)
    phone_page.screenshot(path=str(screenshot_dir / "hiring-queue-phone.png"), full_page=True)
    entry.locator("button", has_text="도착").click()
    expect(phone_page.locator(f"#queue-{application.pk} .badge")).to_contain_text("도착")
    application.refresh_from_db()
    assert application.queue_status == JobApplication.Queue.ARRIVED

    # The seeker's schedule shows the same slot.
    page.goto(f"{page.base_url}/hiring/camps/{camp.pk}/me/schedule/")
    expect(page.locator("#schedule")).to_contain_text(participation.table.name)
    page.screenshot(path=str(screenshot_dir / "hiring-seeker-schedule.png"), full_page=True)
    for context in (company_context, staff_context, phone):
        context.close()
