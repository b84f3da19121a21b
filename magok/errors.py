"""The one error type for business rules, and the table of its codes.

A service that refuses an action raises a ``DomainError`` (or an app's subclass of it) with a
message for the person and a stable code. HTML views and admin actions show ``error.message``;
the API answers ``{"detail": message, "code": code}`` through ``magok.api.exception_handler``
with the status this table gives the code.
"""

from __future__ import annotations

BAD_REQUEST = 400
CONFLICT = 409

# Every code a DomainError carries: the status the API answers with, and what it means (for the
# OpenAPI description). 409 when the request is well formed but the current state of the data
# refuses it (taken, full, decided or changed meanwhile); 400 for everything else.
CODES: dict[str, tuple[int, str]] = {
    # shared
    "forbidden": (BAD_REQUEST, "The caller may not do this to this object."),
    "already_decided": (CONFLICT, "The request was approved or rejected before."),
    # accounts
    "email_taken": (CONFLICT, "Another account already uses this e-mail address."),
    "already_member": (CONFLICT, "The user already belongs to a company."),
    "request_pending": (CONFLICT, "The user's request to join a company is still pending."),
    "not_approved": (CONFLICT, "Only an approved membership can be removed."),
    "signup_link_invalid": (BAD_REQUEST, "The sign-up confirmation link is unknown, used or expired."),
    "not_staff_member": (CONFLICT, "The representative role can only be handed to an approved staff member."),
    "deletion_refused": (
        CONFLICT,
        "The account cannot be deleted yet (staff account, or a representative who has not handed over the role).",
    ),
    # companies
    "profile_changed": (CONFLICT, "Staff changed a proposed field after the request was sent."),
    "spreadsheet_encoding": (BAD_REQUEST, "The CSV file is not UTF-8."),
    "spreadsheet_unreadable": (BAD_REQUEST, "The file cannot be opened as XLSX."),
    "spreadsheet_empty": (BAD_REQUEST, "The file has no rows."),
    "spreadsheet_columns": (BAD_REQUEST, "Required columns are missing."),
    "spreadsheet_format": (BAD_REQUEST, "Only CSV and XLSX files can be imported."),
    # events
    "consent_required": (BAD_REQUEST, "Consent to the personal-data notice is missing."),
    "no_attendees": (BAD_REQUEST, "No attendee was given."),
    "not_allowed": (BAD_REQUEST, "The event does not take this registration (audience, period or status)."),
    "duplicate": (CONFLICT, "An attendee is registered already (or given twice)."),
    "colleagues": (BAD_REQUEST, "Only an approved company member may register colleagues."),
    "executives_self_only": (BAD_REQUEST, "An executives' event takes the representative only."),
    "seat_cap": (CONFLICT, "The company's seats for the event are taken."),
    "other_company": (BAD_REQUEST, "An attendee belongs to another company."),
    "busy": (CONFLICT, "Many registrations at once: nothing was written; retry after the Retry-After seconds."),
    "link_expired": (BAD_REQUEST, "The confirmation link has expired; register again."),
    "link_invalid": (BAD_REQUEST, "The confirmation link is not valid (altered, cancelled or replaced)."),
    "started": (BAD_REQUEST, "The event has started; the registration can no longer be cancelled."),
    "throttled": (BAD_REQUEST, "Too many registrations from this address; try again later."),
    "capacity_override_required": (CONFLICT, "The event is full; staff may confirm beyond it only with a reason."),
    "seat_cap_override_required": (CONFLICT, "The company's seats are taken; staff may exceed it only with a reason."),
    "not_published": (BAD_REQUEST, "Attendees can be added to published events only."),
    "not_cancelled": (CONFLICT, "Only a cancelled registration can be restored."),
    "not_waitlisted": (CONFLICT, "Only a waitlisted registration can be promoted."),
    "not_confirmed": (CONFLICT, "Only a confirmed registration has a ticket."),
    "not_checked_in": (CONFLICT, "The registration is not checked in."),
    # programs
    "not_withdrawn": (CONFLICT, "Only a withdrawn application can have its withdrawal undone."),
    "not_member": (BAD_REQUEST, "Only an approved member of a tenant company may apply."),
    "call_not_open": (BAD_REQUEST, "The call does not take applications yet."),
    "call_closed": (BAD_REQUEST, "The call's deadline has passed."),
    "not_eligible": (BAD_REQUEST, "The company does not meet the call's eligibility rules."),
    "not_editable": (CONFLICT, "The application was submitted or decided and can no longer be edited."),
    "invalid_answer": (BAD_REQUEST, "An answer does not fit its question."),
    "wrong_slot": (BAD_REQUEST, "The document or question belongs to another call."),
    "illegal_transition": (CONFLICT, "The application's status does not allow this move (now)."),
    "missing_items": (BAD_REQUEST, "Answers or documents are missing."),
    "message_required": (BAD_REQUEST, "A request for information needs a message."),
    "reviewer_is_member": (BAD_REQUEST, "A member of the applying company cannot review it."),
    "already_submitted": (CONFLICT, "The review was submitted before."),
    "invalid_score": (BAD_REQUEST, "A score is missing or out of range."),
    "not_selected": (BAD_REQUEST, "Outcomes are reported for selected applications only."),
    "upload_too_large": (BAD_REQUEST, "The file is larger than allowed."),
    "upload_empty": (BAD_REQUEST, "The file is empty."),
    "upload_archive_too_large": (BAD_REQUEST, "An archive (HWPX, OOXML) unpacks too large or too well."),
    "upload_type": (BAD_REQUEST, "The file type is not allowed."),
    "upload_content": (BAD_REQUEST, "The file's content does not match its type."),
    # meetings
    "slot_taken": (CONFLICT, "The table holds another meeting in that slot."),
    "participant_busy": (CONFLICT, "A participant has another meeting in that slot."),
    "unavailable": (CONFLICT, "A participant or the table is marked unavailable in that slot."),
    "meeting_limit": (CONFLICT, "A participant has the grid's maximum of meetings."),
    "wrong_grid": (BAD_REQUEST, "The slot, table or participants belong to another event's grid."),
    "no_sides": (BAD_REQUEST, "A meeting needs distinct participants."),
    "demand_placed": (CONFLICT, "The request already has a live meeting."),
    "meeting_cancelled": (CONFLICT, "The meeting was cancelled."),
    "slot_in_use": (CONFLICT, "A slot that live meetings use cannot be removed."),
    "not_participant": (BAD_REQUEST, "Only a confirmed registrant of the event with a profile may do this."),
    "requests_closed": (BAD_REQUEST, "The grid takes no more profiles or meeting requests."),
    "self_request": (BAD_REQUEST, "A participant cannot request a meeting with themselves."),
    "request_duplicate": (CONFLICT, "A live request between the two participants exists already."),
    "not_visible": (BAD_REQUEST, "The other participant is hidden or unknown."),
    "outcome_too_early": (BAD_REQUEST, "Outcomes are recorded after the event's meetings."),
    "mou_date_required": (BAD_REQUEST, "A signed MOU needs its date."),
    "not_consultation": (BAD_REQUEST, "The grid is not a business consultation session (interviews, coaching)."),
    # hiring
    "seeker_has_company": (BAD_REQUEST, "A member of a company cannot take part as a job seeker."),
    "camp_closed": (BAD_REQUEST, "The camp no longer takes applications (deadline passed or data purged)."),
    "position_not_open": (BAD_REQUEST, "The position is not approved for the camp."),
    "cv_required": (BAD_REQUEST, "A CV must be uploaded before applying."),
    "application_limit": (CONFLICT, "The seeker has applied to as many positions as the camp allows."),
    "already_applied": (CONFLICT, "The seeker applied to this position before."),
    "not_company_member": (BAD_REQUEST, "Only a member of the position's company may do this."),
    "no_free_slot": (CONFLICT, "No free interview or coaching slot is left for both sides."),
    "not_interviewed": (BAD_REQUEST, "Results are recorded for matched applications only."),
    # notifications
    "email_sending": (CONFLICT, "The e-mail is being sent right now."),
}


class DomainError(Exception):
    """A business rule refused an action. ``message`` is for the person (already translated);
    ``code`` is a stable snake_case name from ``CODES`` that API clients may branch on."""

    # Seconds after which the same request may succeed (a busy lock); the API sends Retry-After.
    retry_after: int | None = None

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def http_status(self) -> int:
        return CODES.get(self.code, (BAD_REQUEST, ""))[0]
