from __future__ import annotations

import re

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _korean_by_default(settings):
    settings.LANGUAGE_CODE = "ko"


@pytest.fixture
def requester(db):
    return UserFactory(name="이신청", email="applicant@example.kr")


@pytest.fixture
def pending(requester, company):
    return MembershipFactory(user=requester, company=company, status=Membership.Status.PENDING)


def text_of(response) -> str:
    """The response body with tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
