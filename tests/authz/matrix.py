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


def slug(world):
    return {"slug": world.company.slug}


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
        Check(only(dict.fromkeys(COMPANY_A + WITH_PERMISSION, 302), others=404), POST, pk("registration")),
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
    # Programmes
    "programs:list": (Check(everyone(200)),),
    "programs:call_detail": (Check(everyone(200), kwargs=pk("call")),),
    # Everyone is sent on: to login, to the draft, or back with a message (no company of theirs is
    # eligible here).
    "programs:call_apply": (Check(everyone(302), POST, pk("call")),),
    "programs:application_list": (Check(signed_in(200)),),
    "programs:application_detail": (Check(only(dict.fromkeys(COMPANY_A, 200), others=404), kwargs=pk("application")),),
    "programs:application_withdraw": (Check(only(dict.fromkeys(COMPANY_A, 302), others=404), POST, pk("application")),),
    # Outcomes are reported for selected applications only; this one is merely submitted.
    "programs:outcome_report": (Check(signed_in(404), kwargs=pk("application")),),
    "programs:attachment_download": (
        Check(only(dict.fromkeys((*COMPANY_A, REVIEWER, *WITH_PERMISSION), 200), others=404), kwargs=pk("attachment")),
    ),
    "programs:review_list": (Check(signed_in(200)),),
    "programs:review_detail": (Check(only({REVIEWER: 200}, others=404), kwargs=pk("review")),),
}
