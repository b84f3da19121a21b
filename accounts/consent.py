"""Personal-data consent texts (개인정보 수집·이용 동의), as Korean privacy law asks for them.

Each text states the purpose, the items collected, the retention period and the right to
refuse. A text is never edited once people have agreed to it: write a new constant with a new
``version`` and point the ``CURRENT`` name at it, so that the version stored next to each
consent keeps saying exactly what was agreed to. The events and programmes apps use the same
type for their own purpose-specific consent (event registration, programme application).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ConsentText:
    version: str
    title: Promise
    purpose: Promise
    items: Promise
    retention: Promise
    refusal: Promise
    # The privacy policy version (legal.policies) this consent relies on.
    policy_version: str = "2026-12"
    # How long the data is kept after the end of the thing consented to (an event, a call),
    # in machine-readable form for the retention task; None: until the account is deleted.
    retention_period: timedelta | None = None


def by_version(texts: list[ConsentText], version: str) -> ConsentText:
    """The text among ``texts`` with ``version``; the latest (last) one for an unknown version,
    so that a row that recorded no or a mistyped version is kept as long as today's text says."""
    for text in texts:
        if text.version == version:
            return text
    return texts[-1]


SIGNUP_CONSENT_2027_01 = ConsentText(
    version="signup-2027-01",
    title=_("개인정보 수집·이용 동의 (필수)"),
    purpose=_("회원 식별과 로그인, 입주기업 소속 확인, 행사·지원사업 신청과 그 결과 안내, 서비스 관련 공지 발송"),
    items=_("이메일, 이름, 비밀번호(암호화 저장), 전화번호(선택), 직위, 선호 언어, 소속 기업"),
    retention=_("회원 탈퇴 시까지. 단, 관계 법령에 따라 보존해야 하는 정보는 해당 기간 동안 보관합니다."),
    refusal=_("동의를 거부할 권리가 있습니다. 다만 동의하지 않으면 회원가입을 할 수 없습니다."),
)

# Every text ever in force, oldest first; the last is the one new sign-ups agree to.
SIGNUP_CONSENTS = [SIGNUP_CONSENT_2027_01]
SIGNUP_CONSENT = SIGNUP_CONSENTS[-1]
