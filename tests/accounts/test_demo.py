from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts.demo import load_demo
from accounts.models import Membership, User
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _can_log_in(email: str, password: str) -> bool:
    return authenticate(RequestFactory().post("/accounts/login/"), username=email, password=password) is not None


def test_demo_accounts_are_created_once_with_the_stated_passwords():
    robotis = CompanyFactory(slug="robotis", name_ko="로보티즈")
    pharmsville = CompanyFactory(slug="pharmsville", name_ko="팜스빌")
    first = load_demo()
    second = load_demo()
    assert "skipped" not in first and first == second.replace("(0 new)", "(4 new)")
    assert User.objects.count() == 4
    admin = User.objects.get(email="admin@sba.example.kr")
    assert admin.is_staff and admin.is_superuser
    assert _can_log_in("admin@sba.example.kr", "magok-admin-2027")
    assert _can_log_in("ceo@robotis.example.kr", "magok-demo-2027")
    assert _can_log_in("staff@robotis.example.kr", "magok-demo-2027")
    assert _can_log_in("ceo@pharmsville.example.kr", "magok-demo-2027")
    ceo = User.objects.get(email="ceo@robotis.example.kr")
    assert ceo.company == robotis and ceo.is_representative
    staff = User.objects.get(email="staff@robotis.example.kr")
    assert staff.company == robotis and not staff.is_representative
    assert User.objects.get(email="ceo@pharmsville.example.kr").company == pharmsville
    assert Membership.objects.count() == 3


def test_demo_skips_memberships_of_missing_companies_and_says_so():
    summary = load_demo()
    assert "no company 'robotis'" in summary and "no company 'pharmsville'" in summary
    assert User.objects.count() == 4
    assert not Membership.objects.exists()


def test_demo_restores_a_changed_password():
    load_demo()
    user = User.objects.get(email="ceo@robotis.example.kr")
    user.set_password("something-else-2027")
    user.save()
    load_demo()
    assert _can_log_in("ceo@robotis.example.kr", "magok-demo-2027")
