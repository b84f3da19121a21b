"""A representative registers two colleagues for a nearly full event, one is waitlisted, a
cancellation promotes them, and SBA staff check the ticket in at the door."""

from __future__ import annotations

import pytest

from events.models import Audience, Registration
from events.tickets import ticket_qr_data_uri
from tests.browser.conftest import log_in
from tests.factories import EventFactory, RepresentativeFactory, StaffFactory, UserFactory

FAKE_CAMERA = """
(() => {
  const image = new Image();
  image.src = "QR_DATA_URI";
  const canvas = document.createElement("canvas");
  canvas.width = 480;
  canvas.height = 480;
  const context = canvas.getContext("2d");
  function draw() {
    context.fillStyle = "#fff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (image.complete) context.drawImage(image, 80, 80, 320, 320);
    requestAnimationFrame(draw);
  }
  draw();
  const devices = navigator.mediaDevices || {};
  devices.getUserMedia = () => Promise.resolve(canvas.captureStream(15));
  Object.defineProperty(navigator, "mediaDevices", { value: devices, configurable: true });
})();
"""


@pytest.mark.django_db(transaction=True)
def test_register_colleagues_waitlist_promotion_and_check_in(page, screenshot_dir):
    representative = RepresentativeFactory(user=UserFactory(name="김대표", email="ceo@robotis.test")).user
    event = EventFactory(
        title_ko="마곡 테크콘서트 로봇 워크숍", capacity=1, seat_cap_per_company=3, audience=Audience.TENANTS
    )

    log_in(page, representative)
    page.goto(f"{page.base_url}/events/{event.pk}/")
    assert page.locator("h1").inner_text() == "마곡 테크콘서트 로봇 워크숍"
    assert page.locator(".event-facts .seats").inner_text() == "잔여 1석"
    page.screenshot(path=str(screenshot_dir / "events-detail.png"), full_page=True)

    page.get_by_role("link", name="신청하기").click()
    page.get_by_label("본인 참가").uncheck()
    # The form starts with the person alone; each colleague row comes with "동료 추가".
    page.get_by_role("button", name="동료 추가").click()
    page.get_by_role("button", name="동료 추가").click()
    colleague_1 = page.locator("[data-colleague='1']")
    colleague_1.get_by_label("이름").fill("박연구")
    colleague_1.get_by_label("이메일").fill("park@robotis.test")
    colleague_2 = page.locator("[data-colleague='2']")
    colleague_2.get_by_label("이름").fill("최개발")
    colleague_2.get_by_label("이메일").fill("choi@robotis.test")
    page.get_by_label("위 개인정보 수집·이용에 동의합니다.").check()
    page.get_by_role("button", name="신청하기").click()

    page.wait_for_url(f"**/events/{event.pk}/registered/")
    park_row = page.locator("tr.registration-row", has_text="박연구")
    choi_row = page.locator("tr.registration-row", has_text="최개발")
    assert "참가 확정" in park_row.inner_text()
    assert "대기 1번" in choi_row.inner_text()

    page.get_by_role("link", name="내 신청 내역").last.click()
    page.locator("tr[data-attendee='park@robotis.test'] a.cancel-link").click()
    # The confirmation step says the seat goes to the waitlist, then cancels.
    assert "대기 1번에게 넘어가" in page.locator("main").inner_text()
    page.locator("main form button.danger").click()
    page.wait_for_url("**/events/my/")
    assert "박연구 님의 신청을 취소했습니다." in page.locator(".messages").inner_text()
    assert "참가 확정" in page.locator("tr[data-attendee='choi@robotis.test'] .status-badge").inner_text()
    promoted = Registration.objects.get(email="choi@robotis.test")
    assert promoted.status == Registration.Status.CONFIRMED

    log_in(page, StaffFactory())
    # No camera in CI: getUserMedia answers with a stream of a canvas showing the ticket's QR
    # code, so the vendored jsQR reader decodes a real image and checkin.js posts the code.
    page.add_init_script(FAKE_CAMERA.replace("QR_DATA_URI", ticket_qr_data_uri(registration=promoted)))
    page.goto(f"{page.base_url}/events/{event.pk}/check-in/")
    assert page.locator("[data-count=checked_in]").inner_text() == "0"
    page.get_by_role("button", name="카메라 켜기").click()
    result = page.locator("#check-in-result")
    result.get_by_text("입장 확인 완료").wait_for()
    assert "최개발" in result.inner_text()
    assert page.locator("[data-count=checked_in]").inner_text() == "1"
    assert page.locator("#scan-video").is_visible()
    assert not page.get_by_role("button", name="카메라 켜기").is_visible()
    page.screenshot(path=str(screenshot_dir / "events-check-in.png"), full_page=True)

    # Entering the same ticket again says so clearly.
    page.get_by_label("티켓 번호 직접 입력").fill(promoted.ticket_code)
    page.get_by_role("button", name="입장 확인").first.click()
    result.get_by_text("이미 입장 확인됨").wait_for()
    promoted.refresh_from_db()
    assert promoted.checked_in_at is not None
