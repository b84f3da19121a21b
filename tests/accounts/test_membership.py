from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Membership
from notifications.models import OutboundEmail
from tests.factories import MembershipFactory, RepresentativeFactory, StaffFactory, UserFactory

from .conftest import text_of

pytestmark = pytest.mark.django_db


# --- services -----------------------------------------------------------------------------


def test_request_creates_a_pending_staff_membership_and_tells_the_representative(requester, company, representative):
    membership = services.membership_request(user=requester, company=company, message="연구소 로봇팀입니다")
    assert (membership.status, membership.role, membership.message) == ("pending", "staff", "연구소 로봇팀입니다")
    email = OutboundEmail.objects.get()
    assert email.to == representative.email
    assert "소속 요청" in email.subject
    assert "applicant@example.kr" in email.body_text
    assert "/accounts/members/" in email.body_text


def test_a_second_open_request_is_refused(requester, company, other_company):
    services.membership_request(user=requester, company=company)
    with pytest.raises(services.MembershipError, match="승인 대기 중"):
        services.membership_request(user=requester, company=company)
    with pytest.raises(services.MembershipError, match="승인 대기 중"):
        services.membership_request(user=requester, company=other_company)
    assert Membership.objects.count() == 1


def test_a_user_approved_elsewhere_cannot_request(requester, company, other_company):
    MembershipFactory(user=requester, company=other_company)
    with pytest.raises(services.MembershipError, match="이미 팜스빌 소속입니다"):
        services.membership_request(user=requester, company=company)


def test_after_a_rejection_the_user_may_ask_again(pending, representative):
    services.membership_reject(membership=pending, by=representative)
    again = services.membership_request(user=pending.user, company=pending.company, message="다시 요청합니다")
    assert again.pk == pending.pk
    assert (again.status, again.decided_by, again.message) == ("pending", None, "다시 요청합니다")


def test_approve_makes_the_user_a_member_and_tells_them(pending, representative):
    services.membership_approve(membership=pending, by=representative)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == ("approved", representative)
    assert pending.decided_at is not None
    user = type(pending.user).objects.get(pk=pending.user_id)
    assert user.company == pending.company
    email = OutboundEmail.objects.get(to=pending.user.email)
    assert "승인되었습니다" in email.subject


def test_reject_tells_the_requester_in_their_language(pending, representative):
    pending.user.language = "en"
    pending.user.save()
    services.membership_reject(membership=pending, by=representative)
    pending.refresh_from_db()
    assert pending.status == "rejected"
    email = OutboundEmail.objects.get(to=pending.user.email)
    assert email.language == "en"
    assert "rejected" in email.subject.lower()


def test_only_the_companys_representative_or_sba_staff_may_decide(pending, other_representative):
    with pytest.raises(services.MembershipError):
        services.membership_approve(membership=pending, by=other_representative)
    staff_member = MembershipFactory(company=pending.company).user
    with pytest.raises(services.MembershipError):
        services.membership_approve(membership=pending, by=staff_member)
    services.membership_approve(membership=pending, by=StaffFactory())
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_a_decided_request_cannot_be_decided_again(pending, representative):
    services.membership_approve(membership=pending, by=representative)
    with pytest.raises(services.MembershipError, match="이미 처리된"):
        services.membership_reject(membership=pending, by=representative)


def test_approve_refuses_when_the_user_was_approved_elsewhere_meanwhile(pending, representative, other_company):
    MembershipFactory(user=pending.user, company=other_company)
    with pytest.raises(services.MembershipError, match="다른 기업"):
        services.membership_approve(membership=pending, by=representative)


# --- views --------------------------------------------------------------------------------


def test_join_page_sends_a_request(client, requester, company):
    client.force_login(requester)
    response = client.post(reverse("accounts:join"), {"company": company.slug, "message": "안녕하세요"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "소속 요청을 보냈습니다" in text_of(response)
    assert Membership.objects.get(user=requester).status == "pending"


def test_join_page_shows_the_rule_that_refused_the_request(client, pending, other_company):
    client.force_login(pending.user)
    response = client.post(reverse("accounts:join"), {"company": other_company.slug})
    assert response.status_code == 200
    assert "승인 대기 중입니다" in text_of(response)


def test_join_page_preselects_the_company_from_the_query(client, requester, company):
    client.force_login(requester)
    response = client.get(reverse("accounts:join") + f"?company={company.slug}")
    assert f'<option value="{company.slug}" selected>' in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, pending):
    for url in [
        reverse("accounts:join"),
        reverse("accounts:members"),
        reverse("accounts:profile"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    response = client.post(reverse("accounts:membership_approve", args=[pending.pk]))
    assert response["Location"].startswith(reverse("accounts:login"))
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_members_page_lists_pending_requests_for_the_representative(client, representative, pending):
    client.force_login(representative)
    response = client.get(reverse("accounts:members"))
    assert response.status_code == 200
    page = text_of(response)
    assert "이신청" in page and "applicant@example.kr" in page
    assert reverse("accounts:membership_approve", args=[pending.pk]) in response.content.decode()


def test_members_page_is_forbidden_to_non_representatives(client, company):
    client.force_login(MembershipFactory(company=company).user)
    assert client.get(reverse("accounts:members")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:members")).status_code == 403


@pytest.mark.parametrize("rows", [1, 20])
def test_members_page_query_count_does_not_grow_with_rows(
    client, representative, company, rows, django_assert_max_num_queries
):
    MembershipFactory.create_batch(rows, company=company, status="pending")
    MembershipFactory.create_batch(rows, company=company)
    client.force_login(representative)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:members")).status_code == 200


def test_representative_approves_through_the_page(client, representative, pending):
    client.force_login(representative)
    response = client.post(reverse("accounts:membership_approve", args=[pending.pk]), follow=True)
    assert "승인했습니다" in text_of(response)
    pending.refresh_from_db()
    assert pending.status == "approved"


def test_representative_rejects_through_the_page(client, representative, pending):
    client.force_login(representative)
    client.post(reverse("accounts:membership_reject", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == "rejected"


def test_another_companys_request_answers_404(client, other_representative, pending):
    client.force_login(other_representative)
    for name in ["accounts:membership_approve", "accounts:membership_reject"]:
        assert client.post(reverse(name, args=[pending.pk])).status_code == 404
    pending.refresh_from_db()
    assert pending.status == "pending"
    assert not OutboundEmail.objects.filter(to=pending.user.email).exists()


def test_decide_views_are_post_only(client, representative, pending):
    client.force_login(representative)
    assert client.get(reverse("accounts:membership_approve", args=[pending.pk])).status_code == 405


def test_representative_removes_a_staff_member_but_not_a_representative(client, representative, company):
    member = MembershipFactory(company=company)
    co_representative = RepresentativeFactory(company=company)
    client.force_login(representative)
    client.post(reverse("accounts:membership_remove", args=[member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()
    response = client.post(reverse("accounts:membership_remove", args=[co_representative.pk]), follow=True)
    assert "대표자는 SBA 담당자만 변경할 수 있습니다" in text_of(response)
    assert Membership.objects.filter(pk=co_representative.pk).exists()


def test_another_companys_member_cannot_be_removed(client, other_representative, company):
    member = MembershipFactory(company=company)
    client.force_login(other_representative)
    assert client.post(reverse("accounts:membership_remove", args=[member.pk])).status_code == 404
    assert Membership.objects.filter(pk=member.pk).exists()


def test_requester_withdraws_their_own_pending_request_only(client, pending):
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:membership_withdraw", args=[pending.pk])).status_code == 404
    client.force_login(pending.user)
    client.post(reverse("accounts:membership_withdraw", args=[pending.pk]))
    assert not Membership.objects.filter(pk=pending.pk).exists()
