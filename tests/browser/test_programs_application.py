"""A representative applies with a PDF, staff request more information in the admin, the
company resubmits and staff select it."""

from __future__ import annotations

import pytest

from programs.models import Application
from tests.browser.conftest import log_in
from tests.factories import RepresentativeFactory, StaffFactory
from tests.programs.factories import PDF_BYTES, CallFactory, CallQuestionFactory, RequiredDocumentFactory

pytestmark = pytest.mark.usefixtures("transactional_db")


def _admin_action(page, application: Application, action: str, message: str) -> None:
    page.goto(f"{page.base_url}/admin/programs/application/")
    page.check(f"input[name=_selected_action][value='{application.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.fill("textarea[name=message]", message)
    page.click(".programs-action-form input[type=submit]")
    page.wait_for_selector("ul.messagelist")


def test_apply_request_information_resubmit_select(page, browser, screenshot_dir, tmp_path):
    representative = RepresentativeFactory().user
    staff = StaffFactory()
    call = CallFactory(title_ko="2027 기술사업화 지원사업 1차")
    question = CallQuestionFactory(call=call, label_ko="기술 개요")
    RequiredDocumentFactory(call=call, name_ko="사업계획서")
    plan = tmp_path / "사업계획서.pdf"
    plan.write_bytes(PDF_BYTES)

    # The representative applies.
    log_in(page, representative)
    page.goto(f"{page.base_url}/programs/")
    page.click(f"text={call.title_ko}")
    page.click("text=신청서 작성")
    page.fill(f"textarea[name=q_{question.pk}]", "다관절 로봇 액추에이터")
    page.set_input_files("input[type=file]", str(plan))
    page.check("input[name=consent]")
    page.click("button[value=submit]")
    page.wait_for_selector("[data-status=submitted]")
    assert page.locator("a", has_text="사업계획서.pdf").count() == 1
    application = Application.objects.get()

    # Staff ask for more information in the admin.
    staff_context = browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    staff_page = staff_context.new_page()
    staff_page.base_url = page.base_url
    log_in(staff_page, staff)
    _admin_action(staff_page, application, "mark_info_requested", "특허 보유 현황을 추가해 주세요.")
    application.refresh_from_db()
    assert application.status == Application.Status.INFO_REQUESTED

    # The company sees the request and resubmits.
    page.reload()
    assert page.locator("[role=alert]", has_text="특허 보유 현황을 추가해 주세요.").count() == 1
    page.fill(f"textarea[name=q_{question.pk}]", "다관절 로봇 액추에이터. 특허 3건 보유.")
    page.click("button[value=submit]")
    page.wait_for_selector("[data-status=resubmitted]")

    # Staff select it.
    _admin_action(staff_page, application, "mark_selected", "선정을 축하합니다.")
    application.refresh_from_db()
    assert application.status == Application.Status.SELECTED
    page.reload()
    page.wait_for_selector("[data-status=selected]")
    assert page.locator(".timeline li").count() == 5  # draft, submitted, info requested, resubmitted, selected
    page.screenshot(path=str(screenshot_dir / "programs_application_selected.png"), full_page=True)
    staff_context.close()
