"""Inviting the confirmed registrants of an event to its consultation session: one e-mail per
address, a login link for those with an account and a sign-up link (address pre-filled, back
to the profile page) for those without; the admin action; the pages that say why someone cannot
take part."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Registration
from magok.dates import format_datetime
from meetings.consultations import participants_invite
from meetings.models import MeetingKind
from meetings.services import MeetingError
from notifications.models import OutboundEmail
from tests.factories import RegistrationFactory, UserFactory, staff_with_permissions

from .factories import ParticipantFactory, make_grid

pytestmark = pytest.mark.django_db


def _link(email: OutboundEmail) -> tuple[str, dict[str, list[str]]]:
    """The path and query of the link in the e-mail's text."""
    match = re.search(r"https?://[^/\s]+(/\S+)", email.body_text)
    assert match, email.body_text
    parts = urlsplit(match.group(1))
    return parts.path, parse_qs(parts.query)


def test_one_invitation_per_confirmed_address_with_the_link_its_account_needs():
    grid, _slots, _tables = make_grid(request_deadline=timezone.now() + timedelta(days=3))
    event = grid.event
    profile = reverse("meetings:profile", kwargs={"grid_id": grid.pk})
    # Public path, no account, English.
    RegistrationFactory(event=event, user=None, email="kim@ewha.example.kr", attendee_name="Kim", language="en")
    # An account exists for this address (registered by a colleague, not linked).
    UserFactory(email="park@pharmsville.example.kr")
    RegistrationFactory(event=event, user=None, email="Park@Pharmsville.example.kr", attendee_name="박연구원")
    # A cancelled earlier registration of the same address does not make a second e-mail.
    RegistrationFactory(event=event, email="kim@ewha.example.kr", status=Registration.Status.CANCELLED)
    # Nobody else is invited: waitlisted, pending, cancelled, erased, another event, or has a profile.
    RegistrationFactory(event=event, email="wait@example.kr", status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=event, email="pending@example.kr", status=Registration.Status.PENDING)
    RegistrationFactory(event=event, email="gone@example.kr", status=Registration.Status.CANCELLED)
    RegistrationFactory(event=event, email="erased-1@invalid.example", erased_at=timezone.now())
    RegistrationFactory(email="elsewhere@example.kr")
    joined = RegistrationFactory(event=event, email="joined@example.kr")
    ParticipantFactory(grid=grid, email="joined@example.kr", registration=joined)

    report = participants_invite(grid=grid, by=None)

    assert (report.queued, report.already_invited, report.joined, report.without_account) == (2, 0, 1, 1)
    emails = {email.to: email for email in OutboundEmail.objects.all()}
    assert set(emails) == {"kim@ewha.example.kr", "park@pharmsville.example.kr"}

    signup = emails["kim@ewha.example.kr"]
    assert signup.language == "en"
    assert "consultation" in signup.subject.lower() and "Kim" in signup.body_text
    with translation.override("en"):
        assert format_datetime(grid.request_deadline) in signup.body_text
    path, query = _link(signup)
    assert path == reverse("accounts:signup")
    assert query == {"email": ["kim@ewha.example.kr"], "next": [profile]}
    assert "accounts/signup/" in signup.body_html and "kim%40ewha.example.kr" in signup.body_html

    login = emails["park@pharmsville.example.kr"]
    assert login.language == "ko" and "비즈니스 상담회 참여 안내" in login.subject
    assert "미팅 신청 마감" in login.body_text and "상담회 프로필" in login.body_text
    path, query = _link(login)
    assert (path, query) == (reverse("accounts:login"), {"next": [profile]})

    # Run again (after new confirmations, say): nobody gets a second e-mail.
    RegistrationFactory(event=event, email="late@example.kr")
    again = participants_invite(grid=grid, by=None)
    assert (again.queued, again.already_invited) == (1, 2)
    assert OutboundEmail.objects.count() == 3
    assert participants_invite(grid=grid, by=None).queued == 0


def test_no_invitations_once_requests_close_or_on_an_interview_grid():
    closed, _slots, _tables = make_grid(request_deadline=timezone.now() - timedelta(minutes=1))
    RegistrationFactory(event=closed.event)
    with pytest.raises(MeetingError) as error:
        participants_invite(grid=closed, by=None)
    assert error.value.code == "requests_closed"
    interviews, _slots, _tables = make_grid(kind=MeetingKind.INTERVIEW)
    RegistrationFactory(event=interviews.event)
    with pytest.raises(MeetingError) as error:
        participants_invite(grid=interviews, by=None)
    assert error.value.code == "not_consultation"
    assert not OutboundEmail.objects.exists()


def test_the_admin_action_invites_and_says_how_many(client):
    grid, _slots, _tables = make_grid()
    RegistrationFactory(event=grid.event, email="a@example.kr")
    RegistrationFactory(event=grid.event, email="b@example.kr")
    url = reverse("admin:meetings_meetinggrid_changelist")
    data = {"action": "invite_participants", "_selected_action": [grid.pk]}

    # Staff who may only look at (or edit) grids are not offered it.
    editor = staff_with_permissions("meetings", "view_meetinggrid", "change_meetinggrid")
    client.force_login(editor)
    assert "invite_participants" not in client.get(url).content.decode()
    client.post(url, data)
    assert not OutboundEmail.objects.exists()

    client.force_login(staff_with_permissions("meetings", "view_meetinggrid", "publish_schedule"))
    response = client.post(url, data)
    assert response.status_code == 302
    assert OutboundEmail.objects.count() == 2
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("참여 안내 2통 발송" in text and "가입 안내 2통" in text for text in texts), texts


def test_the_pages_say_why_someone_cannot_take_part(client):
    grid, _slots, _tables = make_grid()
    user = UserFactory(email="me@other-address.example.kr")
    client.force_login(user)

    index = client.get(reverse("meetings:index"))
    assert index.status_code == 200
    assert "me@other-address.example.kr 주소로 로그인해 있으며" in index.content.decode()

    profile_url = reverse("meetings:profile", kwargs={"grid_id": grid.pk})
    response = client.get(profile_url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "me@other-address.example.kr 주소로 이 행사에 참가가 확정된 신청이 없습니다" in page
    assert grid.event.title_ko in page

    RegistrationFactory(event=grid.event, user=user, email=user.email, status=Registration.Status.WAITLISTED)
    assert "대기자로 접수되어 있습니다" in client.get(profile_url).content.decode()
    index = client.get(reverse("meetings:index")).content.decode()
    assert grid.event.title_ko in index and "대기자로 접수되어 있습니다" in index
