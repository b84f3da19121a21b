from __future__ import annotations

import re

import pytest

from accounts.models import Membership
from tests.factories import CompanyFactory, MembershipFactory, RepresentativeFactory, UserFactory


@pytest.fixture(autouse=True)
def _korean_by_default(settings):
    settings.LANGUAGE_CODE = "ko"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # These tests log in hundreds of times; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def company(db):
    return CompanyFactory(name_ko="로보티즈", name_en="Robotis", slug="robotis")


@pytest.fixture
def other_company(db):
    return CompanyFactory(name_ko="팜스빌", name_en="Pharmsville", slug="pharmsville")


@pytest.fixture
def representative(company):
    return RepresentativeFactory(company=company, user__name="김대표").user


@pytest.fixture
def other_representative(other_company):
    return RepresentativeFactory(company=other_company, user__name="박대표").user


@pytest.fixture
def requester(db):
    return UserFactory(name="이신청", email="applicant@example.kr")


@pytest.fixture
def pending(requester, company):
    return MembershipFactory(user=requester, company=company, status=Membership.Status.PENDING)


def text_of(response) -> str:
    """The response body with tags removed and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
