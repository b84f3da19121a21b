"""What the hiring camp tells people, besides the e-mails its services queue with each change.

* Interviews moved or cancelled outside the hiring workflow (the meetings admin): the engine
  hands the notice of a meeting with a ``hiring:<application>`` demand key to
  ``interview_notice``, which e-mails the seeker (published grid or not: a camp's grid is often
  published late, but a seeker with a confirmed match already knows the time) and the engine
  sends nothing of its own, so one change makes one e-mail. The hiring services place and
  cancel interviews with ``notify=False`` and queue their own e-mail.
* New applications, once a day, to the company (``new_applications_notify``).

Why a daily digest for the companies rather than an e-mail per application: a popular position
gets dozens of applications in the first days, and the representatives act on them in one
sitting (shortlisting on the company page), so one e-mail a day with the count tells them the
same without teaching them to ignore the portal's mail. It loses nothing: the pending notice is
the application row itself (``company_notified_at`` is empty), written in the application's own
transaction; the digest counts and marks those rows in one transaction with the e-mails it
queues, so a day the task does not run is caught up the next day and no application is counted
twice.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from meetings.models import Meeting, Slot, Table
from meetings.services import meeting_notice_handler
from notifications.models import OutboundEmail

from .emails import company_email_queue, seeker_email_queue
from .models import Camp, JobApplication

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
DIGEST_KEY = "hiring:new-applications"


def _moment(slot: Slot, table: Table) -> dict[str, Any]:
    return {"starts_at": slot.starts_at, "ends_at": slot.ends_at, "table": table.name}


@meeting_notice_handler("hiring")
def interview_notice(*, meeting: Meeting, change: str, before: dict | None, by: User | None) -> bool:
    """The seeker's e-mail about their interview moved or cancelled by someone outside the
    hiring workflow. Called by the engine under the grid lock: it queues a deferred e-mail only."""
    reference = meeting.demand_key.partition(":")[2]
    application = (
        JobApplication.objects.select_related("seeker__user").filter(pk=int(reference)).first()
        if reference.isdigit()
        else None
    )
    if application is None:
        return False  # not one of ours after all: the engine's own notice applies
    key = f"hiring:application:{application.pk}"
    if change == "moved" and before is not None:
        seeker_email_queue(
            application,
            "interview_moved",
            before=_moment(before["slot"], before["table"]),
            # Each move is news, also a move back to an earlier slot.
            dedupe_key=f"{key}:moved:{meeting.pk}:{meeting.updated_at:%Y%m%d%H%M%S%f}",
        )
    elif change == "cancelled":
        seeker_email_queue(
            application,
            "interview_cancelled",
            cancelled=_moment(meeting.slot, meeting.table),
            dedupe_key=f"{key}:cancelled:{meeting.pk}",
        )
    # "placed": the hiring services that place interviews tell the seeker themselves.
    return True


# --- the companies' daily digest ----------------------------------------------------------


def _recipients(company_id: int) -> list[User]:
    """The company's representatives; when it has none, its approved members (someone must hear)."""
    members = User.objects.filter(
        is_active=True,
        memberships__company_id=company_id,
        memberships__status=Membership.Status.APPROVED,
    ).exclude(email="")
    representatives = list(members.filter(memberships__role=Membership.Role.REPRESENTATIVE).order_by("pk"))
    return representatives or list(members.order_by("pk"))


def _position_counts(applications: Iterable[JobApplication]) -> list[list[Any]]:
    counts = Counter(application.position.title for application in applications)
    return [[title, count] for title, count in sorted(counts.items())]


def new_applications_notify(*, now: datetime | None = None) -> dict[str, int]:
    """Queue, for every camp still to come, each participating company's digest of the
    applications that arrived since its last one (the count per position and a link to the
    company page; no applicant's details), to its representatives, and one summary per camp to
    the camp's contact (the event's ``contact_email``) if it has one.

    At most one digest per company, camp and day (Seoul): a second run on the same day leaves
    the new applications for the next day's digest. Withdrawn applications are marked but not
    counted; walk-ins are marked when staff add them. Safe to run twice; a camp another run is
    working on is skipped. Returns the counts of companies told and e-mails queued."""
    now = now or timezone.now()
    day = timezone.localtime(now, SEOUL).date().isoformat()
    camp_ids = list(
        JobApplication.objects.filter(
            company_notified_at__isnull=True,
            position__camp__event__ends_at__gt=now,
            position__camp__purged_at__isnull=True,
        )
        .values_list("position__camp_id", flat=True)
        .distinct()
    )
    totals = {"companies": 0, "emails": 0}
    for camp_id in camp_ids:
        with transaction.atomic():
            camp = (
                Camp.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("event")
                .filter(pk=camp_id)
                .first()
            )
            if camp is None:
                continue  # another run holds this camp right now
            told, queued = _camp_digest(camp=camp, day=day, now=now)
            totals["companies"] += told
            totals["emails"] += queued
    if totals["emails"]:
        logger.info("hiring digests: %(companies)s companies, %(emails)s e-mails", totals)
    return totals


def _camp_digest(*, camp: Camp, day: str, now: datetime) -> tuple[int, int]:
    """One camp's digests. Precondition: inside a transaction holding the camp's row lock."""
    pending: dict[int, list[JobApplication]] = defaultdict(list)
    for application in (
        JobApplication.objects.filter(position__camp=camp, company_notified_at__isnull=True)
        .select_related("position")
        .order_by("pk")
    ):
        pending[application.position.company_id].append(application)
    participations = {row.company_id: row for row in camp.companies.select_related("company")}
    told = queued = 0
    summary = []
    for company_id, applications in pending.items():
        participation = participations.get(company_id)
        counted = [a for a in applications if a.status != JobApplication.Status.WITHDRAWN]
        if participation is not None and counted:
            prefix = f"{DIGEST_KEY}:{participation.pk}:{day}:"
            if OutboundEmail.objects.filter(dedupe_key__startswith=prefix).exists():
                continue  # today's digest went out already: these wait for tomorrow's
            positions = _position_counts(counted)
            for user in _recipients(company_id):
                queued += (
                    company_email_queue(
                        to=user.email,
                        language=user.language,
                        template="new_applications",
                        dedupe_key=f"{prefix}{user.pk}",
                        participation=participation.pk,
                        day=day,
                        positions=positions,
                        total=len(counted),
                    )
                    is not None
                )
            told += 1
            summary.append([participation.company.name_ko, len(counted)])
        JobApplication.objects.filter(pk__in=[a.pk for a in applications], company_notified_at__isnull=True).update(
            company_notified_at=now
        )
    if summary and camp.event.contact_email:
        queued += (
            company_email_queue(
                to=camp.event.contact_email,
                language="ko",
                template="new_applications_staff",
                dedupe_key=f"{DIGEST_KEY}:camp:{camp.pk}:{day}",
                camp=camp.pk,
                day=day,
                companies=summary,
                total=sum(count for _name, count in summary),
            )
            is not None
        )
    return told, queued
