from __future__ import annotations

import importlib

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from companies.models import Company, ProfileChangeRequest
from companies.services import (
    ProfileChangeConflict,
    ProfileChangeError,
    profile_change_approve,
    profile_change_reject,
    profile_change_submit,
)
from notifications.models import OutboundEmail
from notifications.services import email_send
from tests.factories import CompanyFactory, RepresentativeFactory, StaffFactory

from .factories import image_upload

pytestmark = pytest.mark.django_db

FORM = {
    "name_en": "ROBOTIS Co., Ltd.",
    "sectors": ["machinery-robotics", "bio-pharma"],
    "keywords": "로봇, 휴머노이드, 로봇",
    "homepage": "https://robotis.example.kr",
    "employee_count": "180",
    "description_ko": "새 소개입니다.",
    "description_en": "The new description.",
}


def edit_url(company) -> str:
    return reverse("companies:profile_edit", args=[company.slug])


def test_anonymous_visitor_is_sent_to_login(client, robotis):
    response = client.get(edit_url(robotis))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_other_company_edit_page_answers_404(client, robotis):
    other_rep = RepresentativeFactory(company=CompanyFactory()).user
    client.force_login(other_rep)
    assert client.get(edit_url(robotis)).status_code == 404
    assert client.post(edit_url(robotis), FORM).status_code == 404
    assert not ProfileChangeRequest.objects.exists()


def test_user_without_company_gets_404(client, robotis, django_user_model):
    client.force_login(StaffFactory())
    assert client.get(edit_url(robotis)).status_code == 404
    assert client.get(reverse("companies:my_profile_edit")).status_code == 404


def test_my_edit_link_goes_to_own_company(client, representative, robotis):
    client.force_login(representative)
    response = client.get(reverse("companies:my_profile_edit"))
    assert response.status_code == 302 and response["Location"] == edit_url(robotis)


def test_company_staff_can_view_but_not_submit(client, company_staff, robotis):
    client.force_login(company_staff)
    response = client.get(edit_url(robotis))
    assert response.status_code == 200
    assert response.context["can_edit"] is False
    assert all(field.disabled for field in response.context["form"].fields.values())
    assert client.post(edit_url(robotis), FORM).status_code == 403
    assert not ProfileChangeRequest.objects.exists()


def test_representative_submission_waits_for_approval(client, representative, robotis, bio):
    client.force_login(representative)
    response = client.post(edit_url(robotis), FORM)
    assert response.status_code == 302
    change = ProfileChangeRequest.objects.get()
    assert change.status == ProfileChangeRequest.Status.PENDING
    assert change.submitted_by == representative
    assert change.data["keywords"] == "로봇, 휴머노이드"
    assert change.data["sectors"] == ["bio-pharma", "machinery-robotics"]
    assert change.data["employee_count"] == 180

    robotis.refresh_from_db()
    assert robotis.name_en == "Robotis"  # the public still sees the approved data
    public = client.get(robotis.get_absolute_url()).content.decode()
    assert "새 소개입니다." not in public

    page = client.get(edit_url(robotis))
    assert page.context["pending"] == change
    assert "승인 대기 중" in page.content.decode()
    assert page.context["form"].initial["name_en"] == "ROBOTIS Co., Ltd."


def test_second_submission_replaces_the_pending_request(representative, robotis):
    first = profile_change_submit(company=robotis, by=representative, data={"name_en": "A"})
    second = profile_change_submit(company=robotis, by=representative, data={"name_en": "B"})
    assert first.pk == second.pk
    assert ProfileChangeRequest.objects.get().data["name_en"] == "B"


def test_staff_member_cannot_submit_through_the_service(company_staff, robotis):
    with pytest.raises(PermissionDenied):
        profile_change_submit(company=robotis, by=company_staff, data={"name_en": "X"})


def test_approval_publishes_and_notifies(client, representative, robotis, bio):
    client.force_login(representative)
    client.post(edit_url(robotis), {**FORM, "logo": image_upload()})
    change = ProfileChangeRequest.objects.get()
    assert change.logo
    reviewer = StaffFactory()
    profile_change_approve(change=change, by=reviewer, note="확인했습니다.")
    robotis.refresh_from_db()
    assert robotis.name_en == "ROBOTIS Co., Ltd."
    assert robotis.employee_count == 180
    assert robotis.description_ko == "새 소개입니다."
    assert sorted(s.slug for s in robotis.sectors.all()) == ["bio-pharma", "machinery-robotics"]
    assert robotis.logo and robotis.logo.name.startswith("logos/")
    change.refresh_from_db()
    assert change.status == ProfileChangeRequest.Status.APPROVED
    assert change.reviewed_by == reviewer and change.reviewed_at is not None

    email = OutboundEmail.objects.get(to=representative.email)
    assert "승인" in email.subject
    assert "확인했습니다." in email.body_text
    email_send(email_id=email.pk)
    assert mail.outbox[-1].to == [representative.email]

    assert "새 소개입니다." in client.get(robotis.get_absolute_url()).content.decode()


def test_rejection_keeps_the_data_and_notifies(representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"name_en": "Wrong"})
    profile_change_reject(change=change, by=StaffFactory(), note="영문명이 등록 정보와 다릅니다.")
    robotis.refresh_from_db()
    assert robotis.name_en == "Robotis"
    email = OutboundEmail.objects.get(to=representative.email)
    assert "반려" in email.subject and "영문명이 등록 정보와 다릅니다." in email.body_text


def test_notification_is_in_the_representatives_language(representative, robotis):
    representative.language = "en"
    representative.save()
    change = profile_change_submit(company=robotis, by=representative, data={"name_en": "Robotis"})
    profile_change_approve(change=change, by=StaffFactory())
    email = OutboundEmail.objects.get(to=representative.email)
    assert email.language == "en"
    assert "approved" in email.subject


def test_a_request_is_decided_only_once(representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"name_en": "Once"})
    staff = StaffFactory()
    profile_change_approve(change=change, by=staff)
    with pytest.raises(ProfileChangeError):
        profile_change_approve(change=change, by=staff)
    with pytest.raises(ProfileChangeError):
        profile_change_reject(change=change, by=staff)
    assert OutboundEmail.objects.count() == 1


def test_invalid_logo_is_refused_by_the_form(client, representative, robotis):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(representative)
    fake = SimpleUploadedFile("logo.png", b"not an image", content_type="image/png")
    response = client.post(edit_url(robotis), {**FORM, "logo": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert not ProfileChangeRequest.objects.exists()


def test_admin_approve_button_publishes(client, representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"name_en": "Admin Approved"})
    client.force_login(StaffFactory())
    url = reverse("admin:companies_profilechangerequest_change", args=[change.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Admin Approved" in page.content.decode()
    response = client.post(url, {"note": "좋습니다", "_approve": "1"})
    assert response.status_code == 302
    robotis.refresh_from_db()
    assert robotis.name_en == "Admin Approved"
    change.refresh_from_db()
    assert change.status == "approved" and change.note == "좋습니다"


def test_admin_reject_action(client, representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"name_en": "Nope"})
    client.force_login(StaffFactory())
    response = client.post(
        reverse("admin:companies_profilechangerequest_changelist"),
        {"action": "reject_selected", "_selected_action": [change.pk]},
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "rejected"


def test_approval_applies_only_the_changed_fields(client, representative, robotis, robotics):
    # The form posts every field; only the homepage differs from the company's values.
    client.force_login(representative)
    unchanged = {**FORM, "name_en": "Robotis", "keywords": robotis.keywords, "employee_count": ""}
    unchanged.update(description_ko=robotis.description_ko, description_en=robotis.description_en)
    client.post(edit_url(robotis), {**unchanged, "sectors": ["machinery-robotics"]})
    change = ProfileChangeRequest.objects.get()
    assert change.data == {"homepage": "https://robotis.example.kr"}
    assert change.before == {"homepage": ""}
    # SBA staff fix the English name and the description in the admin before deciding.
    Company.objects.filter(pk=robotis.pk).update(name_en="ROBOTIS (fixed by SBA)", description_en="Fixed.")
    robotis.sectors.clear()

    profile_change_approve(change=change, by=StaffFactory())
    robotis.refresh_from_db()
    assert robotis.homepage == "https://robotis.example.kr"
    assert robotis.name_en == "ROBOTIS (fixed by SBA)"
    assert robotis.description_en == "Fixed."
    assert not robotis.sectors.exists()


def test_approval_refused_when_staff_changed_the_same_field_meanwhile(representative, robotis):
    change = profile_change_submit(
        company=robotis, by=representative, data={"name_en": "ROBOTIS Inc.", "homepage": "https://r.example.kr"}
    )
    Company.objects.filter(pk=robotis.pk).update(name_en="ROBOTIS (fixed by SBA)")
    with pytest.raises(ProfileChangeConflict) as excinfo:
        profile_change_approve(change=change, by=StaffFactory())
    assert excinfo.value.fields == ["name_en"]
    robotis.refresh_from_db()
    assert robotis.name_en == "ROBOTIS (fixed by SBA)" and robotis.homepage == ""
    change.refresh_from_db()
    assert change.status == ProfileChangeRequest.Status.PENDING
    assert not OutboundEmail.objects.exists()
    # Staff can still turn it down (and ask for a new request).
    profile_change_reject(change=change, by=StaffFactory(), note="새로 요청해 주세요.")


def test_approval_allowed_when_staff_made_the_same_change_meanwhile(representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"name_en": "ROBOTIS Inc."})
    Company.objects.filter(pk=robotis.pk).update(name_en="ROBOTIS Inc.")
    profile_change_approve(change=change, by=StaffFactory())
    robotis.refresh_from_db()
    assert robotis.name_en == "ROBOTIS Inc."


def test_approval_refused_when_staff_changed_the_sectors_meanwhile(representative, robotis, bio):
    change = profile_change_submit(company=robotis, by=representative, data={"sectors": ["bio-pharma"]})
    assert change.before == {"sectors": ["machinery-robotics"]}
    robotis.sectors.add(bio)
    with pytest.raises(ProfileChangeConflict) as excinfo:
        profile_change_approve(change=change, by=StaffFactory())
    assert excinfo.value.fields == ["sectors"]
    assert sorted(robotis.sectors.values_list("slug", flat=True)) == ["bio-pharma", "machinery-robotics"]


def test_approval_refused_when_staff_replaced_the_logo_meanwhile(representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={}, logo=image_upload())
    robotis.logo.save("sba.png", image_upload("sba.png"))
    with pytest.raises(ProfileChangeConflict) as excinfo:
        profile_change_approve(change=change, by=StaffFactory())
    assert excinfo.value.fields == ["logo"]
    robotis.refresh_from_db()
    assert robotis.logo.name.endswith("sba.png")


def test_edit_form_shows_the_pending_proposal_over_the_current_values(client, representative, robotis):
    profile_change_submit(company=robotis, by=representative, data={"homepage": "https://r.example.kr"})
    client.force_login(representative)
    initial = client.get(edit_url(robotis)).context["form"].initial
    assert initial["homepage"] == "https://r.example.kr"
    assert initial["name_en"] == "Robotis" and initial["sectors"] == ["machinery-robotics"]


def test_admin_approve_button_explains_a_conflict(client, representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"homepage": "https://r.example.kr"})
    Company.objects.filter(pk=robotis.pk).update(homepage="https://sba-fixed.example.kr")
    client.force_login(StaffFactory())
    url = reverse("admin:companies_profilechangerequest_change", args=[change.pk])
    page = client.get(url).content.decode()
    assert "https://sba-fixed.example.kr" in page and "https://r.example.kr" in page
    response = client.post(url, {"note": "", "_approve": "1"}, follow=True)
    text = response.content.decode()
    assert "요청 이후에 바뀐 항목" in text and "홈페이지" in text
    change.refresh_from_db()
    assert change.status == ProfileChangeRequest.Status.PENDING
    robotis.refresh_from_db()
    assert robotis.homepage == "https://sba-fixed.example.kr"


def test_admin_approve_action_reports_conflicts(client, representative, robotis):
    change = profile_change_submit(company=robotis, by=representative, data={"homepage": "https://r.example.kr"})
    Company.objects.filter(pk=robotis.pk).update(homepage="https://sba-fixed.example.kr")
    client.force_login(StaffFactory())
    response = client.post(
        reverse("admin:companies_profilechangerequest_changelist"),
        {"action": "approve_selected", "_selected_action": [change.pk]},
        follow=True,
    )
    assert "요청 이후에 바뀐 항목" in response.content.decode()
    change.refresh_from_db()
    assert change.status == ProfileChangeRequest.Status.PENDING


def test_migration_turns_pending_snapshots_into_changes(representative, robotis):
    from django.apps import apps

    migration = importlib.import_module("companies.migrations.0005_profilechangerequest_before")
    snapshot = {
        "name_en": "Robotis",
        "keywords": robotis.keywords,
        "homepage": "https://r.example.kr",
        "employee_count": None,
        "description_ko": robotis.description_ko,
        "description_en": robotis.description_en,
        "sectors": ["machinery-robotics"],
    }
    pending = ProfileChangeRequest.objects.create(company=robotis, submitted_by=representative, data=snapshot)
    decided = ProfileChangeRequest.objects.create(
        company=CompanyFactory(), data=snapshot, status=ProfileChangeRequest.Status.APPROVED
    )
    migration.pending_snapshots_to_changes(apps, None)
    pending.refresh_from_db()
    decided.refresh_from_db()
    assert pending.data == {"homepage": "https://r.example.kr"} and pending.before == {"homepage": ""}
    assert decided.data == snapshot and decided.before == {}
