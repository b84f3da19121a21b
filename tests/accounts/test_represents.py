"""User.represents / User.is_member_of: the one answer to "who may act for a company"."""

from __future__ import annotations

import pytest

from accounts.models import Membership
from tests.factories import MembershipFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_representative_represents_their_company_only(company, other_company):
    user = RepresentativeFactory(company=company).user
    assert user.represents(company) and user.represents(company.pk)
    assert user.is_member_of(company)
    assert not user.represents(other_company) and not user.is_member_of(other_company.pk)
    assert not user.represents(None) and not user.is_member_of(None)


def test_a_staff_member_belongs_but_does_not_represent(company):
    user = MembershipFactory(company=company, role=Membership.Role.STAFF).user
    assert user.is_member_of(company) and not user.represents(company)


def test_a_pending_or_rejected_representative_neither_belongs_nor_represents(company):
    for status in (Membership.Status.PENDING, Membership.Status.REJECTED):
        user = RepresentativeFactory(company=company, status=status).user
        assert not user.is_member_of(company) and not user.represents(company), status
    assert not UserFactory().represents(company)
