from __future__ import annotations

import pytest

from accounts.models import Membership
from tests.factories import CompanyFactory, MembershipFactory, RepresentativeFactory, SectorFactory


@pytest.fixture
def robotics(db):
    return SectorFactory(slug="machinery-robotics", name_ko="기계·로봇", name_en="Machinery & robotics")


@pytest.fixture
def bio(db):
    return SectorFactory(slug="bio-pharma", name_ko="바이오·의약", name_en="Bio & pharmaceuticals")


@pytest.fixture
def robotis(robotics):
    company = CompanyFactory(
        slug="robotis",
        name_ko="로보티즈",
        name_en="Robotis",
        keywords="로봇, 액추에이터, 다이나믹셀",
        business_registration_number="",
        description_ko="로봇 액추에이터를 만듭니다.",
        description_en="Makes robot actuators.",
    )
    company.sectors.add(robotics)
    return company


@pytest.fixture
def representative(robotis):
    return RepresentativeFactory(company=robotis, user__email="ceo@robotis.example.kr").user


@pytest.fixture
def company_staff(robotis):
    return MembershipFactory(company=robotis, role=Membership.Role.STAFF).user
