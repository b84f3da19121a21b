"""Issue 12 in the browser: cancel asks first, withdraw and undo, a draft's upload shown and
replaced, the registration form's "add colleague" button, and the join form's type-ahead."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from events.models import Registration
from programs.models import Application
from tests.browser.conftest import log_in
from tests.events.helpers import register
from tests.factories import CompanyFactory, EventFactory, MembershipFactory, RepresentativeFactory, UserFactory
from tests.programs.factories import PDF_BYTES, CallFactory, RequiredDocumentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_cancel_a_registration_with_its_confirmation_step(page, screenshot_dir):
    event = EventFactory(capacity=1, title_ko="마곡 CEO 조찬 포럼")
    owner = MembershipFactory().user
    [mine] = register(event, owner)
    [waiting] = register(event, MembershipFactory().user)
    log_in(page, owner)

    page.goto(f"{page.base_url}/events/my/")
    page.click("a.cancel-link")
    expect(page.locator("h1")).to_have_text("참가 신청을 취소할까요?")
    expect(page.locator("text=대기 1번에게 넘어가")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "events_cancel_confirmation.png"), full_page=True)
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
    page.click("form button.danger")
    expect(page.locator(".message-success")).to_be_visible()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "confirmed")


def test_add_colleague_button_and_already_registered(page, screenshot_dir):
    event = EventFactory(capacity=20, seat_cap_per_company=5)
    representative = RepresentativeFactory().user
    log_in(page, representative)
    page.goto(f"{page.base_url}/events/{event.pk}/register/")
    rows = page.locator("[data-colleague]")
    expect(rows.first).to_be_hidden()  # starts with the person alone
    page.click("button.add-colleague")
    expect(rows.nth(0)).to_be_visible()
    expect(rows.nth(1)).to_be_hidden()
    page.fill("input[name=colleagues-0-name]", "이동료")
    page.fill("input[name=colleagues-0-email]", "colleague@example.kr")
    page.check("input[name=consent]")
    page.click("form.registration-form button[type=submit]")
    expect(page.locator("text=이동료").first).to_be_visible()
    assert Registration.objects.filter(event=event).count() == 2

    page.goto(f"{page.base_url}{event.get_absolute_url()}")
    expect(page.locator("text=동료 추가 신청")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "events_already_registered.png"), full_page=True)


def test_withdraw_and_undo_and_a_draft_upload_shown_and_replaced(page, screenshot_dir, tmp_path):
    representative = RepresentativeFactory().user
    call = CallFactory(title_ko="2027 특허 출원 지원")
    RequiredDocumentFactory(call=call, name_ko="사업계획서")
    first, second = tmp_path / "계획서-초안.pdf", tmp_path / "계획서-수정.pdf"
    first.write_bytes(PDF_BYTES)
    second.write_bytes(PDF_BYTES)
    log_in(page, representative)

    page.goto(f"{page.base_url}{call.get_absolute_url()}")
    page.click("text=신청서 작성")
    page.set_input_files("input[type=file]", str(first))
    page.click("button[value=save]")
    expect(page.locator(".uploaded-file a")).to_have_text("계획서-초안.pdf")
    page.set_input_files("input[type=file]", str(second))
    page.click("button[value=save]")
    expect(page.locator(".uploaded-file a")).to_have_text("계획서-수정.pdf")
    page.screenshot(path=str(screenshot_dir / "programs_draft_upload_shown.png"), full_page=True)

    page.click("text=신청 취소…")
    expect(page.locator("h1")).to_have_text("신청을 취소할까요?")
    page.screenshot(path=str(screenshot_dir / "programs_withdraw_confirmation.png"), full_page=True)
    page.click("form button.danger")
    page.wait_for_selector("[data-status=withdrawn]")
    page.click("text=신청 취소 되돌리기")
    page.wait_for_selector("[data-status=draft]")
    assert Application.objects.get().status == Application.Status.DRAFT


def test_join_form_company_picker_searches_as_you_type(page):
    CompanyFactory(name_ko="로보티즈", name_en="Robotis", slug="robotis")
    CompanyFactory(name_ko="로봇랜드", name_en="Robotland", slug="robotland")
    CompanyFactory(name_ko="팜스빌", name_en="Pharmsville", slug="pharmsville")
    log_in(page, UserFactory())
    page.goto(f"{page.base_url}/accounts/join/")
    page.fill("input.select-search", "robotis")
    assert page.locator("select[name=company]").input_value() == "robotis"
    page.fill("input.select-search", "로봇")
    visible = page.locator("select[name=company] option:not([hidden])").all_inner_texts()
    assert [text for text in visible if "(" in text] == ["로봇랜드 (Robotland)"]
