"""Privacy rights (issue 12): the legal texts, downloading one's own data, deleting the account,
and the retention task."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts import privacy
from accounts.consent import SIGNUP_CONSENT
from accounts.models import AccountDeletion, Membership, User
from events.consent import REGISTRATION_CONSENT
from events.models import Registration
from events.privacy import erased_email
from legal import policies
from notifications.models import OutboundEmail
from programs.consent import PROGRAM_CONSENT
from tests.events.helpers import register
from tests.factories import (
    PASSWORD,
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    RepresentativeFactory,
    StaffFactory,
)
from tests.programs.factories import ApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


# --- Legal texts ----------------------------------------------------------------------------


def test_every_page_links_the_privacy_policy_terms_and_contact(client):
    html = client.get(reverse("home")).content.decode()
    for name in ("legal:privacy", "legal:terms", "legal:contact"):
        assert f'href="{reverse(name)}"' in html


def test_privacy_policy_names_items_retention_third_parties_and_the_officer(client):
    html = client.get(reverse("legal:privacy")).content.decode()
    assert "개인정보처리방침" in html
    assert f"버전 {policies.CURRENT_PRIVACY_POLICY.version}" in html
    officer = policies.PRIVACY_OFFICER["email"]
    for text in ("처리하는 개인정보 항목", "보유 기간", "제3자 제공", "개인정보 보호책임자", officer):
        assert text in html
    # The rights section leads to the pages that exercise them.
    assert reverse("accounts:my_data") in html
    assert reverse("accounts:delete") in html


def test_policy_versions_stay_readable_and_unknown_ones_are_404(client):
    version = policies.CURRENT_PRIVACY_POLICY.version
    assert client.get(reverse("legal:privacy_version", args=[version])).status_code == 200
    assert client.get(reverse("legal:terms_version", args=[policies.CURRENT_TERMS.version])).status_code == 200
    assert client.get(reverse("legal:privacy_version", args=["1999-01"])).status_code == 404


def test_policy_page_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("legal:privacy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Privacy policy" in html
    assert "Data protection officer" in html


@pytest.mark.parametrize("consent", [SIGNUP_CONSENT, REGISTRATION_CONSENT, PROGRAM_CONSENT])
def test_each_consent_text_points_at_a_published_policy_version(consent):
    assert policies.get("privacy", consent.policy_version) in policies.POLICIES["privacy"]


def test_signup_consent_links_the_policy_version_it_relies_on(client):
    html = client.get(reverse("accounts:signup")).content.decode()
    assert reverse("legal:privacy_version", args=[SIGNUP_CONSENT.policy_version]) in html


# --- Downloading one's own data ---------------------------------------------------------------


@pytest.fixture
def person():
    membership = MembershipFactory(user__email="me@example.kr", user__name="김마곡")
    return membership.user


def test_my_data_json_holds_my_records_and_nobody_elses(client, person):
    mine = RegistrationFactory(user=person, email=person.email, attendee_name="김마곡")
    RegistrationFactory(email="someone@example.kr", attendee_name="남의 신청")
    ApplicationFactory(company=person.company, created_by=person, contact_email=person.email, contact_name="김마곡")
    client.force_login(person)

    response = client.get(reverse("accounts:my_data"), {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "me@example.kr"
    assert [m["company"] for m in data["memberships"]] == [person.company.name]
    assert [r["ticket_code"] for r in data["registrations"]] == [mine.ticket_code]
    assert [a["contact_name"] for a in data["applications"]] == ["김마곡"]
    assert "남의 신청" not in response.content.decode()


def test_my_data_xlsx_has_one_sheet_per_section(client, person):
    RegistrationFactory(user=person, email=person.email)
    client.force_login(person)

    response = client.get(reverse("accounts:my_data"), {"format": "xlsx"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["계정", "기업 소속", "행사 신청", "지원사업 신청", "받은 이메일"]
    account = {row[0]: row[1] for row in workbook["계정"].iter_rows(min_row=2, values_only=True)}
    assert account["email"] == "me@example.kr"
    assert workbook["행사 신청"].max_row == 2  # header + one registration


def test_my_data_page_offers_both_downloads(client, person):
    client.force_login(person)
    html = client.get(reverse("accounts:my_data")).content.decode()
    assert "?format=xlsx" in html and "?format=json" in html


# --- Deleting the account ---------------------------------------------------------------------


def test_a_representative_must_hand_over_before_leaving(client):
    representative = RepresentativeFactory().user
    colleague = MembershipFactory(company=representative.company).user
    client.force_login(representative)

    page = client.get(reverse("accounts:delete")).content.decode()
    assert "대표자 역할을 다른 구성원에게 넘겨야" in page
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert User.objects.filter(pk=representative.pk).exists()

    # The hand-over from the members page, then leaving works.
    membership = Membership.objects.get(user=colleague)
    assert client.post(reverse("accounts:membership_hand_over", args=[membership.pk])).status_code == 302
    assert Membership.objects.get(user=colleague).role == Membership.Role.REPRESENTATIVE
    assert Membership.objects.get(user=representative).role == Membership.Role.STAFF
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=representative.pk).exists()


def test_hand_over_only_to_an_approved_staff_member_of_the_same_company(client):
    representative = RepresentativeFactory().user
    pending = MembershipFactory(company=representative.company, status=Membership.Status.PENDING)
    client.force_login(representative)
    # A pending request is not a member: 404 like another company's membership.
    assert client.post(reverse("accounts:membership_hand_over", args=[pending.pk])).status_code == 404
    assert Membership.objects.get(pk=pending.pk).role == Membership.Role.STAFF


def test_sba_staff_cannot_delete_their_account_on_the_portal(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert User.objects.filter(pk=staff.pk).exists()


def test_wrong_password_or_no_confirmation_deletes_nothing(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert "비밀번호가 맞지 않습니다." in response.content.decode()
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert "탈퇴하려면 확인란을 선택해 주세요." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    assert not AccountDeletion.objects.exists()


def test_deletion_erases_personal_data_and_keeps_anonymous_counts(client, person, django_capture_on_commit_callbacks):
    person.privacy_consent_version = SIGNUP_CONSENT.version
    person.save()
    # A future event where my seat is the last one, with someone waiting for it.
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=False):
        [mine] = register(event, person)
        waiting_user = MembershipFactory().user
        [waiting] = register(event, waiting_user)
    assert (mine.status, waiting.status) == (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    # A past event I attended, and an application where I am the contact.
    past_event = EventFactory(starts_at=timezone.now() - timedelta(days=30))
    past = RegistrationFactory(
        event=past_event, user=person, email=person.email, attendee_name="김마곡", checked_in_at=timezone.now()
    )
    application = ApplicationFactory(company=person.company, created_by=person, contact_email=person.email)
    OutboundEmail.objects.create(to=person.email, subject="보낸 메일", body_text="개인 내용", status="sent")
    client.force_login(person)
    other_browser = client.__class__()
    other_browser.force_login(person)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("accounts:deleted")
    assert not User.objects.filter(pk=person.pk).exists()
    assert not Membership.objects.filter(user_id=person.pk).exists()
    # The future seat went to the waitlisted person, as a cancellation would.
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    # The past attendance still counts, anonymously.
    past.refresh_from_db()
    assert (past.attendee_name, past.email, past.user_id) == ("-", erased_email(past.pk), None)
    assert past.checked_in_at is not None and past.erased_at is not None
    assert Registration.objects.filter(event=past_event, checked_in_at__isnull=False).count() == 1
    application.refresh_from_db()
    assert (application.contact_name, application.contact_email, application.contact_phone) == ("", "", "")
    assert not OutboundEmail.objects.filter(to__iexact="me@example.kr").exists()
    assert not OutboundEmail.objects.filter(body_text__contains="개인 내용").exists()
    # The consent withdrawal is recorded, without personal data.
    record = AccountDeletion.objects.get()
    assert record.former_user_id == person.pk
    assert record.consent_version == SIGNUP_CONSENT.version
    assert record.counts["registrations_cancelled"] == 1
    assert record.counts["registrations_erased"] == 2
    # Logged out everywhere.
    assert not any(s.get_decoded().get("_auth_user_id") == str(person.pk) for s in Session.objects.all())
    assert other_browser.get(reverse("accounts:profile")).status_code == 302


def test_deletion_cancels_a_registration_made_for_my_address_before_i_had_an_account(person):
    event = EventFactory()
    registration = RegistrationFactory(event=event, email=person.email, user=None)
    privacy.account_delete(user=person)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert registration.erased_at is not None


def test_deletion_leaves_other_peoples_registrations_alone(person):
    other = RegistrationFactory(email="colleague@example.kr", attendee_name="동료")
    privacy.account_delete(user=person)
    other.refresh_from_db()
    assert (other.attendee_name, other.erased_at) == ("동료", None)


# --- Retention --------------------------------------------------------------------------------


def test_retention_erases_registrations_past_the_period_their_consent_named_and_is_idempotent():
    now = timezone.now()
    period = REGISTRATION_CONSENT.retention_period
    assert period is not None
    old_event = EventFactory(starts_at=now - period - timedelta(days=2), ends_at=now - period - timedelta(days=1))
    recent_event = EventFactory(starts_at=now - period + timedelta(days=1), ends_at=now - period + timedelta(days=2))
    old = RegistrationFactory(event=old_event, consent_version=REGISTRATION_CONSENT.version, checked_in_at=now)
    recent = RegistrationFactory(event=recent_event, consent_version=REGISTRATION_CONSENT.version)
    company = CompanyFactory()
    old_call = CallFactory(opens_at=now - timedelta(days=2300), closes_at=now - timedelta(days=2200))
    recent_call = CallFactory(opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=365))
    old_application = ApplicationFactory(call=old_call, company=company, consent_version=PROGRAM_CONSENT.version)
    recent_application = ApplicationFactory(call=recent_call, company=company, consent_version=PROGRAM_CONSENT.version)

    assert privacy.personal_data_expire(now=now) == {"registrations": 1, "applications": 1}
    assert privacy.personal_data_expire(now=now) == {"registrations": 0, "applications": 0}

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email == erased_email(old.pk) and old.checked_in_at is not None
    assert recent.erased_at is None and "@example.kr" in recent.email
    old_application.refresh_from_db()
    recent_application.refresh_from_db()
    assert old_application.contact_email == "" and old_application.erased_at is not None
    assert recent_application.contact_email != ""


def test_retention_of_an_unknown_consent_version_follows_the_current_text():
    now = timezone.now()
    event = EventFactory(starts_at=now - timedelta(days=800), ends_at=now - timedelta(days=799))
    registration = RegistrationFactory(event=event, consent_version="legacy")
    assert privacy.personal_data_expire(now=now)["registrations"] == 1
    registration.refresh_from_db()
    assert registration.erased_at is not None


def test_retention_task_is_in_the_periodic_table():
    from magok.periodic import SCHEDULES

    assert "accounts.tasks.expire_personal_data" in {s.task for s in SCHEDULES}
