"""The little world the authorisation matrix runs in: one object of each kind, owned by company A,
and one user per role. Built once per test (the database rolls back after each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from rest_framework.authtoken.models import Token

from accounts.models import Membership, User
from events.models import Audience, Registration
from programs.models import Application, ApplicationAttachment, SupersededAttachment
from tests.factories import (
    CompanyFactory,
    EventFactory,
    MembershipFactory,
    RegistrationFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)
from tests.programs.factories import PDF_BYTES, ApplicationFactory, CallFactory, ReviewFactory

ANONYMOUS = "anonymous"
OTHER = "other_company_member"
MEMBER = "member"
REPRESENTATIVE = "representative"
REVIEWER = "reviewer"
STAFF_NO_PERMS = "staff_without_permissions"
STAFF = "staff_with_role_permissions"
SUPERUSER = "superuser"
ROLES = (ANONYMOUS, OTHER, MEMBER, REPRESENTATIVE, REVIEWER, STAFF_NO_PERMS, STAFF, SUPERUSER)

# The permissions of SBA's working staff: everything about events, companies and programmes,
# nothing of the system screens.
STAFF_APPS = ("accounts", "companies", "events", "programs", "meetings", "hiring")


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


def build_world() -> World:
    company = CompanyFactory(slug="company-a")
    representative = RepresentativeFactory(company=company, user__email="ceo@a.example.kr").user
    member = MembershipFactory(company=company, user__email="staff@a.example.kr").user
    other = MembershipFactory(user__email="staff@b.example.kr").user
    reviewer = UserFactory(email="reviewer@example.kr")
    staff_no_perms = UserFactory(email="new-staff@sba.example.kr", is_staff=True)
    staff = UserFactory(email="events-staff@sba.example.kr", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    superuser = StaffFactory(email="admin@sba.example.kr")

    requester = UserFactory(email="applicant@example.kr")
    join_request = MembershipFactory(user=requester, company=company, status=Membership.Status.PENDING)

    event = EventFactory(audience=Audience.TENANTS, capacity=50)
    registration = RegistrationFactory(
        event=event, user=member, registered_by=member, company=company, status=Registration.Status.CONFIRMED
    )
    call = CallFactory()
    application = ApplicationFactory(
        call=call, company=company, created_by=representative, status=Application.Status.SUBMITTED
    )
    attachment = ApplicationAttachment(
        application=application, original_name="plan.pdf", content_type="application/pdf", size=len(PDF_BYTES)
    )
    attachment.file.save("plan.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    earlier = SupersededAttachment(
        application=application,
        original_name="plan-v1.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_at=attachment.uploaded_at,
    )
    earlier.file.save("plan-v1.pdf", ContentFile(PDF_BYTES), save=False)
    earlier.save()
    review = ReviewFactory(application=application, reviewer=reviewer)

    # The member takes part in the event's consultations and asked an outside researcher.
    from meetings.models import MeetingRequest
    from tests.meetings.factories import ParticipantFactory, make_grid

    grid, _slots, _tables = make_grid(event=event, slots=2, tables=1)
    participant = ParticipantFactory(grid=grid, user=member, company=company, registration=registration)
    researcher = ParticipantFactory(grid=grid, display_name="연구자", organization="이화의료원")
    meeting_request = MeetingRequest.objects.create(grid=grid, sender=participant, recipient=researcher)

    users: dict[str, User | None] = {
        ANONYMOUS: None,
        OTHER: other,
        MEMBER: member,
        REPRESENTATIVE: representative,
        REVIEWER: reviewer,
        STAFF_NO_PERMS: staff_no_perms,
        STAFF: staff,
        SUPERUSER: superuser,
    }
    from .world_hiring import hiring_objects

    objects = {
        **hiring_objects(company=company, representative=representative, staff=superuser),
        "company": company,
        "join_request": join_request,
        "event": event,
        "registration": registration,
        "call": call,
        "application": application,
        "attachment": attachment,
        "superseded_attachment": earlier,
        "review": review,
        "grid": grid,
        "participant": participant,
        "researcher": researcher,
        "meeting_request": meeting_request,
    }
    return World(users=users, objects=objects)


def token_for(user: User) -> str:
    return Token.objects.get_or_create(user=user)[0].key
