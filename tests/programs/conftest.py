from __future__ import annotations

from typing import Any

import pytest

from accounts.models import Membership
from tests.factories import CompanyFactory, MembershipFactory, RepresentativeFactory, StaffFactory

from .factories import CallFactory, RequiredDocumentFactory


@pytest.fixture
def company() -> Any:
    return CompanyFactory()


@pytest.fixture
def representative(company: Any) -> Any:
    return RepresentativeFactory(company=company).user


@pytest.fixture
def member(company: Any) -> Any:
    return MembershipFactory(company=company, role=Membership.Role.STAFF).user


@pytest.fixture
def other_representative() -> Any:
    return RepresentativeFactory().user


@pytest.fixture
def staff() -> Any:
    return StaffFactory()


@pytest.fixture
def open_call() -> Any:
    call = CallFactory()
    RequiredDocumentFactory(call=call)
    return call
