"""Who may call what: every named URL pattern, how the matrix calls it, and each role's answer.

Roles (tests/authz/world.py): anonymous, a member of another company, a member (staff role) of
company A, A's representative, a reviewer assigned to A's application, SBA staff without any
permission, SBA staff with the working permissions of accounts/companies/events/programmes, and
a superuser. The objects (event, registration, application, ...) belong to company A.
"""

from __future__ import annotations

from .requests import Check
from .world import ANONYMOUS, MEMBER, OTHER, REPRESENTATIVE, REVIEWER, ROLES, STAFF, STAFF_NO_PERMS, SUPERUSER


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, *, anonymous: int = 302) -> dict[str, int]:
    return {**everyone(status), ANONYMOUS: anonymous}


def pk(name: str):
    return lambda world: {"pk": world.objects[name].pk}


def grid(world):
    return {"grid_id": world.objects["grid"].pk}


def slug(world):
    return {"slug": world.company.slug}


def link_token(world) -> str:
    from events.links import registration_link_token

    return registration_link_token(registration=world.registration)


def feed_token(world) -> str:
    from events.feeds import calendar_feed_token

    return calendar_feed_token(user=world.users[MEMBER]).token


def only(allowed: dict[str, int], *, others: int, anonymous: int = 302) -> dict[str, int]:
    """`others` for every role not named, `anonymous` for the visitor."""
    return {**everyone(others), ANONYMOUS: anonymous, **allowed}


GET, POST, DELETE = "get", "post", "delete"
COMPANY_A = (MEMBER, REPRESENTATIVE)
# SBA staff with the permission see every company's registrations, tickets and documents; staff
# without it see nothing that is not theirs (issue 14, least privilege).
WITH_PERMISSION = (STAFF, SUPERUSER)
API_SIGNED_IN = signed_in(200, anonymous=403)

MATRIX: dict[str, tuple[Check, ...]] = {
    # Project
    "healthz": (Check(everyone(200)),),
    "livez": (Check(everyone(200)),),
    "set_language": (
        Check(everyone(302), POST, data=lambda w: {"language": "en", "next": "/"}),
        Check(everyone(302), path="/i18n/setlang/?language=en&next=/"),
    ),
    "home": (Check(everyone(200)),),
    "media": (Check(everyone(404), path="/media/logos/none.png"),),
    # API: public reads
    "schema": (Check(everyone(200)),),
    "api-docs": (Check(everyone(200)),),
    "api-company-list": (Check(everyone(200)),),
    "api-company-detail": (Check(everyone(200), kwargs=slug),),
    "api-events-list": (Check(everyone(200)),),
    "api-events-detail": (Check(everyone(200), kwargs=pk("event")),),
    "program-list": (Check(everyone(200)),),
    "program-detail": (Check(everyone(200), kwargs=lambda w: {"pk": w.call.program_id}),),
    "call-list": (Check(everyone(200)),),
    "call-detail": (Check(everyone(200), kwargs=pk("call")),),
    # API: the caller's own objects; anyone else's answers 404
    "api-registrations-list": (Check(API_SIGNED_IN),),
    "api-registrations-detail": (
        Check(only(dict.fromkeys(COMPANY_A, 200), others=404, anonymous=403), kwargs=pk("registration")),
        Check(only(dict.fromkeys(COMPANY_A, 204), others=404, anonymous=403), DELETE, pk("registration")),
    ),
    # The attendee list is invalid (400) for everyone signed in: authorisation comes first.
    "api-event-registrations": (
        Check(signed_in(400, anonymous=403), POST, pk("event"), data=lambda w: {"attendees": []}),
    ),
    "application-list": (Check(API_SIGNED_IN),),
    "application-detail": (
        Check(only(dict.fromkeys(COMPANY_A, 200), others=404, anonymous=403), kwargs=pk("application")),
    ),
    # Already submitted: the company gets the state machine's refusal (409), others cannot see it.
    "application-submit": (
        Check(only(dict.fromkeys(COMPANY_A, 409), others=404, anonymous=403), POST, pk("application")),
    ),
    # Meetings API: the caller's own profile, requests and schedule; anyone else's answers 404.
    "api-meetings-profile": (Check(only({MEMBER: 200}, others=404, anonymous=403), kwargs=grid),),
    "api-meetings-participants": (Check(only({MEMBER: 200}, others=404, anonymous=403), kwargs=grid),),
    "api-meetings-suggestions": (Check(only({MEMBER: 200}, others=404, anonymous=403), kwargs=grid),),
    "api-meetings-schedule": (Check(only({MEMBER: 200}, others=404, anonymous=403), kwargs=grid),),
    "api-meeting-requests-list": (
        Check(API_SIGNED_IN),
        # Asking the researcher again: a duplicate (409) for the member, no participant for anyone else.
        Check(only({MEMBER: 409}, others=404, anonymous=403), POST, data=lambda w: {"recipient": w.researcher.pk}),
    ),
    "api-meeting-requests-detail": (
        Check(only({MEMBER: 200}, others=404, anonymous=403), kwargs=pk("meeting_request")),
    ),
    # The member sent the request: only the recipient may answer it (400 forbidden); others 404.
    "api-meeting-requests-accept": (
        Check(only({MEMBER: 400}, others=404, anonymous=403), POST, pk("meeting_request")),
    ),
    "api-meeting-requests-decline": (
        Check(only({MEMBER: 400}, others=404, anonymous=403), POST, pk("meeting_request")),
    ),
    "api-meeting-requests-withdraw": (
        Check(only({MEMBER: 200}, others=404, anonymous=403), POST, pk("meeting_request")),
    ),
    # Not accepted yet: no outcome (409 illegal_transition) for the member.
    "api-meeting-requests-outcome": (
        Check(
            only({MEMBER: 409}, others=404, anonymous=403),
            POST,
            pk("meeting_request"),
            data=lambda w: {"result": "follow_up"},
        ),
    ),
    # A path under /api/v1/ that matches no endpoint: the API's JSON 404 for everyone.
    "api-not-found": (Check(everyone(404), path="/api/v1/no-such-endpoint/"),),
    # Accounts
    "accounts:login": (Check(signed_in(302, anonymous=200)),),
    "accounts:logout": (Check(everyone(302), POST),),
    "accounts:signup": (Check(signed_in(302, anonymous=200)),),
    "accounts:profile": (Check(signed_in(200)),),
    "accounts:password_change": (Check(signed_in(200)),),
    "accounts:password_reset": (Check(everyone(200)),),
    "accounts:password_reset_done": (Check(everyone(200)),),
    "accounts:password_reset_confirm": (
        Check(everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"}),
    ),
    "accounts:password_reset_complete": (Check(everyone(200)),),
    "accounts:signup_sent": (Check(everyone(200)),),
    # The link in the sign-up e-mail: GET only shows the button (mail scanners open links).
    "accounts:signup_confirm": (Check(everyone(200), kwargs=lambda w: {"token": "not-a-real-token"}),),
    "accounts:join": (Check(signed_in(200)),),
    # Only the requester may withdraw a join request; none of the roles made this one.
    "accounts:membership_withdraw": (Check(signed_in(404), POST, pk("join_request")),),
    # The representative manages the company's members; for everyone else the page does not exist.
    "accounts:members": (Check(only({REPRESENTATIVE: 200}, others=403)),),
    "accounts:membership_approve": (Check(only({REPRESENTATIVE: 302}, others=403), POST, pk("join_request")),),
    "accounts:membership_reject": (Check(only({REPRESENTATIVE: 302}, others=403), POST, pk("join_request")),),
    "accounts:membership_remove": (
        Check(
            only({REPRESENTATIVE: 302}, others=403),
            POST,
            lambda w: {"pk": w.users[MEMBER].memberships.get().pk},
        ),
    ),
    "accounts:membership_hand_over": (
        Check(
            only({REPRESENTATIVE: 302}, others=403),
            POST,
            lambda w: {"pk": w.users[MEMBER].memberships.get().pk},
        ),
    ),
    "accounts:my_data": (Check(signed_in(200)),),
    "accounts:delete": (Check(signed_in(200)),),
    "accounts:deleted": (Check(everyone(200)),),
    # Legal texts: public, in every version
    "legal:privacy": (Check(everyone(200)),),
    "legal:privacy_version": (Check(everyone(200), kwargs=lambda w: {"version": "2026-12"}),),
    "legal:terms": (Check(everyone(200)),),
    "legal:terms_version": (Check(everyone(200), kwargs=lambda w: {"version": "2026-12"}),),
    "legal:contact": (Check(everyone(200)),),
    # Companies
    "companies:list": (Check(everyone(200)),),
    "companies:detail": (Check(everyone(200), kwargs=slug),),
    # Sends a member to their company's edit page; someone without a company finds none.
    "companies:my_profile_edit": (Check(only({OTHER: 302, MEMBER: 302, REPRESENTATIVE: 302}, others=404)),),
    "companies:profile_edit": (Check(only(dict.fromkeys(COMPANY_A, 200), others=404), kwargs=slug),),
    # Events
    "events:list": (Check(everyone(200)),),
    "events:calendar": (Check(everyone(200)),),
    "events:feed": (Check(everyone(200)),),
    "events:detail": (Check(everyone(200), kwargs=pk("event")),),
    # A user's private feed: the token is the credential (calendar apps have no session).
    "events:personal_feed": (
        Check(everyone(200), kwargs=lambda w: {"token": feed_token(w)}),
        Check(everyone(404), kwargs=lambda w: {"token": "not-a-real-token"}),
    ),
    "events:personal_feed_rotate": (Check(signed_in(302), POST),),
    "events:ics": (Check(everyone(200), kwargs=pk("event")),),
    "events:my": (Check(signed_in(200)),),
    # A tenants-only event: tenant members get the form, everyone else is sent on (login, join).
    "events:register": (Check(only({OTHER: 200, MEMBER: 200, REPRESENTATIVE: 200}, others=302), kwargs=pk("event")),),
    # Without a registration just made in this session, the page sends the visitor back.
    "events:registered": (Check(everyone(302), kwargs=pk("event")),),
    # After a registration without an account: the same "check your e-mail" page for anyone.
    "events:check_email": (Check(everyone(200), kwargs=pk("event")),),
    # The link in the registration e-mail; a forged token is refused for anyone.
    "events:confirm": (Check(everyone(400), kwargs=lambda w: {"token": "not-a-real-token"}),),
    "events:ticket": (
        Check(only(dict.fromkeys(COMPANY_A + WITH_PERMISSION, 200), others=404), kwargs=pk("registration")),
    ),
    "events:ticket_qr": (
        Check(only(dict.fromkeys(COMPANY_A + WITH_PERMISSION, 200), others=404), kwargs=pk("registration")),
    ),
    "events:cancel": (
        # The confirmation step, then the cancellation.
        Check(only(dict.fromkeys(COMPANY_A + WITH_PERMISSION, 200), others=404), kwargs=pk("registration")),
        Check(only(dict.fromkeys(COMPANY_A + WITH_PERMISSION, 302), others=404), POST, pk("registration")),
    ),
    # The signed ticket and cancel links of registration e-mails: whoever holds the e-mail, no
    # login; a forged token is refused for anyone. (The cancel's POST is tested in
    # tests/events/test_email_links.py, not here, where it would cancel the shared registration.)
    "events:ticket_link": (
        Check(everyone(200), kwargs=lambda w: {"token": link_token(w)}),
        Check(everyone(400), kwargs=lambda w: {"token": "not-a-real-token"}),
    ),
    "events:cancel_link": (
        Check(everyone(200), kwargs=lambda w: {"token": link_token(w)}),
        Check(everyone(400), POST, lambda w: {"token": "not-a-real-token"}),
    ),
    # Check-in is staff work: the admin login for non-staff, 403 for staff without the permission.
    "events:check_in": (
        Check(only({STAFF_NO_PERMS: 403, STAFF: 200, SUPERUSER: 200}, others=302), kwargs=pk("event")),
    ),
    "events:check_in_scan": (
        Check(
            only({STAFF_NO_PERMS: 403, STAFF: 200, SUPERUSER: 200}, others=302),
            POST,
            pk("event"),
            data=lambda w: {"code": w.registration.ticket_code},
        ),
    ),
    "events:check_in_counts": (
        Check(only({STAFF_NO_PERMS: 403, STAFF: 200, SUPERUSER: 200}, others=302), kwargs=pk("event")),
    ),
    # Meetings (business consultations): only the participant's own pages; everyone else 404.
    "meetings:index": (Check(signed_in(200)),),
    # Signed-in people who may not take part are told why (403 with the reason), not a bare 404.
    "meetings:profile": (Check(only({MEMBER: 200}, others=403), kwargs=grid),),
    "meetings:participants": (Check(only({MEMBER: 200}, others=404), kwargs=grid),),
    "meetings:request_create": (
        Check(
            only({MEMBER: 302}, others=404),
            POST,
            lambda w: {"grid_id": w.grid.pk, "pk": w.researcher.pk},
            data=lambda w: {"message": "안녕하세요"},
        ),
    ),
    "meetings:requests": (Check(only({MEMBER: 200}, others=404), kwargs=grid),),
    "meetings:schedule": (Check(only({MEMBER: 200}, others=404), kwargs=grid),),
    "meetings:schedule_ics": (Check(only({MEMBER: 200}, others=404), kwargs=grid),),
    "meetings:request_accept": (Check(only({MEMBER: 302}, others=404), POST, pk("meeting_request")),),
    "meetings:request_decline": (Check(only({MEMBER: 302}, others=404), POST, pk("meeting_request")),),
    "meetings:request_withdraw": (Check(only({MEMBER: 302}, others=404), POST, pk("meeting_request")),),
    "meetings:outcome": (
        Check(only({MEMBER: 302}, others=404), POST, pk("meeting_request"), data=lambda w: {"result": "follow_up"}),
    ),
    # Programmes
    "programs:list": (Check(everyone(200)),),
    "programs:call_detail": (Check(everyone(200), kwargs=pk("call")),),
    # Everyone is sent on: to login, to the draft, or back with a message (no company of theirs is
    # eligible here).
    "programs:call_apply": (Check(everyone(302), POST, pk("call")),),
    "programs:application_list": (Check(signed_in(200)),),
    "programs:application_detail": (Check(only(dict.fromkeys(COMPANY_A, 200), others=404), kwargs=pk("application")),),
    "programs:application_withdraw": (
        # The confirmation step: the representative (who may withdraw) sees it; a member who may
        # not is sent back to the application with a message.
        Check(only({MEMBER: 302, REPRESENTATIVE: 200}, others=404), kwargs=pk("application")),
        Check(only(dict.fromkeys(COMPANY_A, 302), others=404), POST, pk("application")),
    ),
    "programs:application_withdraw_undo": (
        Check(only(dict.fromkeys(COMPANY_A, 302), others=404), POST, pk("application")),
    ),
    # Outcomes are reported for selected applications only; this one is merely submitted.
    "programs:outcome_report": (Check(signed_in(404), kwargs=pk("application")),),
    "programs:attachment_download": (
        Check(only(dict.fromkeys((*COMPANY_A, REVIEWER, *WITH_PERMISSION), 200), others=404), kwargs=pk("attachment")),
    ),
    "programs:superseded_attachment_download": (
        Check(
            only(dict.fromkeys((*COMPANY_A, REVIEWER, *WITH_PERMISSION), 200), others=404),
            kwargs=pk("superseded_attachment"),
        ),
    ),
    "programs:review_list": (Check(signed_in(200)),),
    "programs:review_detail": (Check(only({REVIEWER: 200}, others=404), kwargs=pk("review")),),
}

# The hiring camp's entries live next door (tests/authz/matrix_hiring.py).
from .matrix_hiring import HIRING_MATRIX  # noqa: E402

MATRIX.update(HIRING_MATRIX)
