from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.admin import MembershipInline
from accounts.models import Membership, User
from companies.models import Company
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(email="admin@sba.example.kr")
    client.force_login(staff)
    client.staff = staff
    return client


def test_user_admin_adds_a_user_by_email_without_a_username(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.kr",
            "name": "새 사용자",
            "usable_password": "true",
            "password1": "마곡-관리-2027!",
            "password2": "마곡-관리-2027!",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="new@example.kr")
    assert user.check_password("마곡-관리-2027!")


def test_user_admin_pages_load(staff_client, pending):
    assert staff_client.get(reverse("admin:accounts_user_changelist") + "?q=applicant").status_code == 200
    assert staff_client.get(reverse("admin:accounts_user_change", args=[pending.user_id])).status_code == 200
    assert staff_client.get(reverse("admin:accounts_membership_changelist") + "?status=pending").status_code == 200
    assert staff_client.get(reverse("admin:accounts_membership_change", args=[pending.pk])).status_code == 200


def test_admin_approve_action_calls_the_service(staff_client, pending):
    already = MembershipFactory(status="rejected")
    response = staff_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk, already.pk]},
        follow=True,
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    already.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("approved", staff_client.staff)
    assert already.status == "rejected"
    assert OutboundEmail.objects.filter(to=pending.user.email).exists()
    texts = [str(m) for m in response.context["messages"]]
    assert any("1건을 승인했습니다" in t for t in texts)
    assert any("이미 처리된 요청입니다" in t for t in texts)


def test_admin_reject_action_calls_the_service(staff_client, pending):
    staff_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "reject_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.status == "rejected"


def test_staff_sets_a_companys_first_representative_in_the_admin(staff_client, company):
    user = UserFactory()
    response = staff_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": user.pk, "company": company.pk, "role": "representative", "status": "approved", "message": ""},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).is_representative


def test_admin_refuses_a_second_approved_company_with_a_message(staff_client, company, other_company):
    user = MembershipFactory(company=other_company).user
    response = staff_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": user.pk, "company": company.pk, "role": "staff", "status": "approved", "message": ""},
    )
    assert response.status_code == 200
    assert "이미 다른 기업에 소속되어 있습니다" in response.content.decode()
    assert Membership.objects.filter(user=user).count() == 1


def test_membership_inline_fits_a_company_admin():
    class CompanyAdminWithMembers(admin.ModelAdmin):
        inlines = [MembershipInline]

    assert CompanyAdminWithMembers(Company, admin.site).check() == []


def test_admin_login_takes_the_email_in_any_letter_case(client):
    staff = StaffFactory(email="admin@sba.example.kr")
    response = client.post(
        reverse("admin:login"), {"username": "Admin@SBA.example.kr", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
