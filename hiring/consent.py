"""The consent a job seeker gives before any company sees their profile (개인정보 제3자 제공 동의).

Korean privacy law (개인정보 보호법 제17조) asks a third-party provision notice to name the
recipients, the items, the purpose, the retention period of the recipient and the right to refuse.
The recipients are exactly the companies the seeker applies to in that camp, nobody else. Each
seeker row records the version and time it was given; a new wording gets a new ``ConsentText``
with a new version (see accounts.consent).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.consent import ConsentText


@dataclass(frozen=True, kw_only=True)
class ThirdPartyConsentText(ConsentText):
    # Keyword-only: ConsentText's last fields have defaults (policy version, retention period).
    recipients: Promise


SEEKER_CONSENT = ThirdPartyConsentText(
    version="hiring-2027-01",
    title=_("개인정보 제3자 제공 동의 (필수)"),
    recipients=_("이 채용캠프에서 본인이 지원한 참여 기업 (지원하지 않은 기업에는 제공하지 않습니다)"),
    purpose=_("지원한 채용 포지션의 서류 검토, 면접 일정 조율, 채용 여부 결정과 결과 안내"),
    items=_("이름, 이메일, 전화번호, 관심 분야, 학력, 이력서 파일"),
    retention=_(
        "채용캠프 종료 후 캠프에 정한 보유 기간(기본 90일)까지. 기간이 지나면 이력서와 구직자 정보를 파기하며, "
        "동의를 철회하면 그때부터 어느 기업도 열람할 수 없습니다."
    ),
    refusal=_("동의를 거부할 권리가 있습니다. 다만 동의하지 않으면 채용 포지션에 지원할 수 없습니다."),
)
