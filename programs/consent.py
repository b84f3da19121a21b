"""The personal-data consent (개인정보 수집·이용 동의) an application asks for, versioned.

A new wording gets a new ``ConsentText`` with a new version (see accounts.consent); each
application records the version and time it was given.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from accounts.consent import ConsentText

PROGRAM_CONSENT = ConsentText(
    version="2027-01",
    title=_("개인정보 수집·이용 동의 (필수)"),
    purpose=_("지원사업 신청 접수, 자격 확인, 심사, 결과 통보와 사업 성과 관리"),
    items=_("신청 담당자의 이름, 이메일, 전화번호"),
    retention=_("사업 종료 후 5년간 보관한 뒤 파기합니다."),
    refusal=_("동의를 거부할 수 있으나, 동의하지 않으면 지원사업에 신청할 수 없습니다."),
    retention_period=timedelta(days=1826),
)
PROGRAM_CONSENTS = [PROGRAM_CONSENT]  # every text ever in force, oldest first
PROGRAM_CONSENT_VERSION = PROGRAM_CONSENT.version
