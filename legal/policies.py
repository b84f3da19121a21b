"""The portal's legal texts: the privacy policy (개인정보처리방침), the terms of use (이용약관) and
SBA's contact details, each kept in every version that has ever been in force.

A published version is never edited: add a new ``Policy`` with a new ``version`` and a later
``effective``, and point ``CURRENT_PRIVACY_POLICY`` / ``CURRENT_TERMS`` at it. Earlier versions stay
readable at their own address (``/legal/privacy/<version>/``), because each consent text
(``accounts.consent.ConsentText.policy_version``) names the policy version it relies on.

The body of each version is a template (``legal/<kind>/<version>.html``) so that the whole text is
translatable like the rest of the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Policy:
    kind: str  # "privacy" or "terms"
    version: str
    effective: date
    title: Promise

    @property
    def template_name(self) -> str:
        return f"legal/{self.kind}/{self.version}.html"


PRIVACY_2026_12 = Policy("privacy", "2026-12", date(2026, 12, 1), _("개인정보처리방침"))
TERMS_2026_12 = Policy("terms", "2026-12", date(2026, 12, 1), _("이용약관"))

POLICIES: dict[str, list[Policy]] = {
    "privacy": [PRIVACY_2026_12],
    "terms": [TERMS_2026_12],
}

CURRENT_PRIVACY_POLICY = PRIVACY_2026_12
CURRENT_TERMS = TERMS_2026_12

# The person responsible for personal data (개인정보 보호책임자) and SBA's contact points, shown
# on the policy, the contact page and every page's footer.
PRIVACY_OFFICER = {
    "department": _("서울산업진흥원 정보보안팀"),
    "email": "privacy@sba.example.kr",
    "phone": "02-2222-3800",
}
SBA_CONTACT = {
    "name": _("서울산업진흥원(SBA) 마곡산업단지 지원팀"),
    "address": _("서울특별시 강서구 마곡중앙8로 71 (마곡동)"),
    "phone": "02-2222-3700",
    "email": "magok@sba.example.kr",
    "hours": _("평일 09:00–18:00 (점심 12:00–13:00, 공휴일 제외)"),
}


def current(kind: str) -> Policy:
    return POLICIES[kind][-1]


def get(kind: str, version: str | None) -> Policy:
    """The policy of ``kind`` in ``version`` (the one in force when ``version`` is None)."""
    if kind not in POLICIES:
        raise Http404
    if version is None:
        return current(kind)
    for policy in POLICIES[kind]:
        if policy.version == version:
            return policy
    raise Http404
