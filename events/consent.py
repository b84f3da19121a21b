"""The personal-data consent shown on the event registration form (개인정보 수집·이용 동의).

Each registration records the version it agreed to and when. Change the text → a new
``ConsentText`` with a new version (see accounts.consent).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from accounts.consent import ConsentText

REGISTRATION_CONSENT = ConsentText(
    version="events-2026-11",
    title=_("개인정보 수집·이용 동의 (필수)"),
    purpose=_("행사 참가 신청 접수, 참가 확정·대기 안내, 입장 확인, 행사 변경·취소 안내"),
    items=_("참석자 이름, 이메일, 전화번호, 소속 기업, 직위"),
    retention=_("행사 종료 후 1년간 보관한 뒤 파기합니다."),
    refusal=_("동의를 거부할 수 있으나, 동의하지 않으면 행사 참가 신청을 할 수 없습니다."),
    retention_period=timedelta(days=365),
)
REGISTRATION_CONSENTS = [REGISTRATION_CONSENT]  # every text ever in force, oldest first
REGISTRATION_CONSENT_VERSION = REGISTRATION_CONSENT.version
