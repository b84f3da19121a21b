"""Reminder e-mails before an event (e.g. 7 days and 1 day before, per event kind).

Reminders are rows (``EventReminder``), not Celery ETA tasks: the periodic task
``events.tasks.send_due_reminders`` plans them, re-times them when an event moves, and hands
the due ones to the outbox. Decisions:

* Planning: every confirmed registration of a published, upcoming event gets one row per
  offset of its kind. A reminder whose time had already passed when the seat was confirmed
  (``Registration.confirmed_at``: at registration, or when promoted from the waitlist) is
  skipped (the confirmation e-mail just told them everything). One whose time passed
  while the planner was not running is still sent, late; when several are overdue for the
  same registration only the nearest one (smallest offset) goes out.
* Moving: a planned or skipped reminder follows the event (due = new start - offset). One
  already handed to the outbox is sent again only for a large move (``REARM_MIN_SHIFT``)
  and only when its new time is still ahead; for a small move the "event changed" e-mail
  is enough. The outbox key includes the start time, so a re-armed reminder is a new e-mail.
* Cancelling: planned reminders of cancelled registrations or cancelled (unpublished,
  finished) events are cancelled. The claim re-checks the registration and event status in
  its query, so nothing goes to a registration cancelled before the claim even if planning
  has not run since.
* Claiming: due rows are locked together with their registration row
  (``select_for_update(skip_locked=True, of=("self", "registration"))``) in small batches.
  A registration being cancelled (``registration_cancel`` and ``event_cancel`` write the
  registration row) is therefore skipped until that transaction ends, and the next run sees
  it cancelled; a cancel that starts during a claim waits until the claim has committed, so
  the reminder was queued before the cancel. The event row is not locked: an event
  unpublished or moved during a batch still gets the reminders of that batch (the planner's
  "event changed" / cancel e-mails follow). Marking a row queued and writing its outbox
  e-mail happen in one transaction, so a crash either leaves both undone (the next run
  redoes them) or both done.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation

from magok.dates import format_datetime
from notifications.models import OutboundEmail
from notifications.services import DeferredEmail, email_queue_deferred, email_resend, emails_queue_deferred

from .emails import registration_email
from .models import Event, EventReminder, Registration

logger = logging.getLogger(__name__)

# Each batch sorts the due rows once; 200 e-mails' outbox rows commit in well under a second.
BATCH_SIZE = 200
# An event moved by at least this much sends a reminder again that was already sent.
REARM_MIN_SHIFT = timedelta(hours=24)
Status = EventReminder.Status


def reminder_offsets(event: Event) -> list[int]:
    """The event kind's offsets in hours, cleaned (staff edit them as JSON)."""
    offsets = set()
    for value in event.kind.reminder_offsets_hours or []:
        try:
            hours = int(value)
        except (TypeError, ValueError):
            continue
        if hours > 0:
            offsets.add(hours)
    return sorted(offsets)


def live_registrations(*, now: datetime) -> Q:
    """Registrations that are owed reminders (as a filter on Registration)."""
    return Q(
        status=Registration.Status.CONFIRMED,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
    )


def _live_reminders(*, now: datetime) -> Q:
    return Q(
        registration__status=Registration.Status.CONFIRMED,
        registration__event__status=Event.Status.PUBLISHED,
        registration__event__starts_at__gt=now,
    )


@transaction.atomic
def reminders_plan(*, now: datetime | None = None) -> dict[str, int]:
    """Create missing reminder rows, re-time rows of moved events and cancel rows nobody is
    owed any more. Idempotent. Returns counts per change."""
    now = now or timezone.now()
    counts = {"planned": 0, "retimed": 0, "cancelled": 0}

    # 1. Cancel what is no longer owed.
    counts["cancelled"] = (
        EventReminder.objects.filter(status=Status.PLANNED)
        .exclude(_live_reminders(now=now))
        .update(status=Status.CANCELLED, updated_at=now)
    )

    # 2. Create missing rows.
    registrations = Registration.objects.filter(live_registrations(now=now)).select_related("event__kind")
    existing: dict[int, set[int]] = defaultdict(set)
    for registration_id, offset in EventReminder.objects.filter(
        registration__in=registrations.values("pk")
    ).values_list("registration_id", "offset_hours"):
        existing[registration_id].add(offset)
    new_rows = []
    for registration in registrations.iterator(chunk_size=500):
        starts_at = registration.event.starts_at
        for offset in reminder_offsets(registration.event):
            if offset in existing[registration.pk]:
                continue
            due_at = starts_at - timedelta(hours=offset)
            # Compared with when the seat was confirmed: someone promoted from the waitlist
            # just got the "you're in" e-mail. Rows from before confirmed_at existed: created_at.
            late_registration = due_at <= (registration.confirmed_at or registration.created_at)
            new_rows.append(
                EventReminder(
                    registration=registration,
                    offset_hours=offset,
                    due_at=due_at,
                    event_starts_at=starts_at,
                    status=Status.SKIPPED if late_registration else Status.PLANNED,
                )
            )
    # The unique constraint (registration, offset) guards against a concurrent planner.
    created = EventReminder.objects.bulk_create(new_rows, batch_size=500, ignore_conflicts=True)
    counts["planned"] = sum(1 for row in created if row.status == Status.PLANNED)

    # 3. Follow events that moved, and revive rows of registrations and events owed again.
    moved = (
        EventReminder.objects.filter(_live_reminders(now=now))
        .filter(~Q(event_starts_at=F("registration__event__starts_at")) | Q(status=Status.CANCELLED))
        .select_related("registration__event")
    )
    changed = []
    for row in moved:
        starts_at = row.registration.event.starts_at
        due_at = starts_at - timedelta(hours=row.offset_hours)
        shift = abs(starts_at - row.event_starts_at)
        if row.status in (Status.PLANNED, Status.CANCELLED, Status.FAILED) or (
            row.status == Status.SKIPPED and due_at > now
        ):
            row.status, row.due_at = Status.PLANNED, due_at
        elif row.status == Status.QUEUED and due_at > now and shift >= REARM_MIN_SHIFT:
            row.status, row.due_at, row.email, row.queued_at = Status.PLANNED, due_at, None, None
        row.event_starts_at, row.updated_at = starts_at, now
        changed.append(row)
    EventReminder.objects.bulk_update(
        changed, ["status", "due_at", "event_starts_at", "email", "queued_at", "updated_at"], batch_size=500
    )
    counts["retimed"] = len(changed)

    # 4. When several reminders of one registration are overdue, only the nearest goes out.
    nearer_due = EventReminder.objects.filter(
        registration=OuterRef("registration"),
        status=Status.PLANNED,
        due_at__lte=now,
        offset_hours__lt=OuterRef("offset_hours"),
    )
    EventReminder.objects.filter(status=Status.PLANNED, due_at__lte=now).filter(Exists(nearer_due)).update(
        status=Status.SKIPPED, updated_at=now
    )
    return counts


def reminders_queue_due(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Hand every due reminder to the outbox. Safe to run concurrently: each batch is
    claimed with SKIP LOCKED, so two runs never take the same row. The registration row is
    locked too, so a registration being cancelled meanwhile is skipped, and a cancel waits
    for the claim to commit. Returns how many."""
    now = now or timezone.now()
    total = 0
    # Rows of a moved event wait for the planner to re-time them. They are told apart in Python,
    # not by comparing the row's start with the event's in SQL: with fresh rows the planner's
    # statistics are stale (the planner just inserted them) and PostgreSQL then joined events to
    # reminders on that start time, 5 s per batch at 200,000 registrations (bench/README.md).
    waiting: list[int] = []
    while True:
        with transaction.atomic():
            claimed = list(
                EventReminder.objects.select_for_update(skip_locked=True, of=("self", "registration"))
                .filter(_live_reminders(now=now), status=Status.PLANNED, due_at__lte=now)
                .exclude(pk__in=waiting)
                .select_related("registration__event__kind")
                .order_by("due_at", "id")[:batch_size]
            )
            if not claimed:
                return total
            rows = []
            for row in claimed:
                if row.event_starts_at != row.registration.event.starts_at:
                    waiting.append(row.pk)
                else:
                    rows.append(row)
            queued, failed = [], []
            try:
                with transaction.atomic():
                    for row, email_id in zip(rows, _queue_emails(rows), strict=True):
                        row.email_id = email_id
                queued = rows
            except Exception:
                # One at a time, so that one reminder that cannot be queued does not hold up the rest.
                logger.exception("a batch of %s reminders could not be queued together", len(rows))
                for row in rows:
                    try:
                        with transaction.atomic():
                            row.email = _queue_email(row)
                    except Exception as exc:
                        logger.exception("reminder %s could not be queued", row.pk)
                        row.status, row.last_error = Status.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
                        row.updated_at = now
                        failed.append(row)
                        continue
                    queued.append(row)
            if queued:
                _mark_queued(queued, now=now)
            if failed:
                EventReminder.objects.bulk_update(failed, ["status", "last_error", "updated_at"])
            total += len(rows)


def _mark_queued(rows: list[EventReminder], *, now: datetime) -> None:
    """Mark ``rows`` queued, each with its e-mail: one UPDATE joined to a VALUES list of (id,
    e-mail id). ``bulk_update`` writes a CASE with a branch per row, whose compiling was most of
    the batch's time. (VALUES columns are column1, column2 in PostgreSQL and SQLite alike.)"""
    table = connection.ops.quote_name(EventReminder._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(rows))
    moment = EventReminder._meta.get_field("queued_at").get_db_prep_value(now, connection)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET email_id = v.column2, status = %s, queued_at = %s, last_error = '', "  # nosec B608 - our table
            f"updated_at = %s FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
            [Status.QUEUED, moment, moment, *(value for row in rows for value in (row.pk, row.email_id))],
        )


def format_when(moment: datetime, language: str) -> str:
    """2027년 5월 6일 (목) 07:30 in Korean, Thu, May 6, 2027, 07:30 in English (Seoul time)."""
    with translation.override(language):
        return format_datetime(moment)


def reminder_dedupe_key(reminder: EventReminder) -> str:
    return f"reminder:{reminder.registration_id}:{reminder.offset_hours}:{reminder.event_starts_at.isoformat()}"


def _reminder_email(reminder: EventReminder) -> DeferredEmail:
    """The reminder's outbox e-mail: only the registration and the offset. The worker renders the
    text, the HTML, the QR ticket and the calendar file when it sends it (``events/emails.py``),
    so a claimed batch commits quickly."""
    return registration_email(
        reminder.registration,
        "event_reminder",
        dedupe_key=reminder_dedupe_key(reminder),
        offset_hours=reminder.offset_hours,
    )


def _queue_emails(reminders: list[EventReminder]) -> list[int]:
    """The outbox rows of a batch of reminders, in two statements (``emails_queue_deferred``)."""
    return emails_queue_deferred(emails=[_reminder_email(reminder) for reminder in reminders])


def _queue_email(reminder: EventReminder) -> OutboundEmail:
    """The outbox row of one reminder (when its batch could not be queued together)."""
    email = _reminder_email(reminder)
    row = email_queue_deferred(
        to=email.to, kind=email.kind, context=email.context, language=email.language, dedupe_key=email.dedupe_key
    )
    return row or OutboundEmail.objects.get(dedupe_key=email.dedupe_key)


@transaction.atomic
def reminder_resend(*, reminder: EventReminder) -> EventReminder:
    """Staff action: send the reminder again now. Its e-mail is requeued if it has one;
    otherwise the reminder is planned for now and the next run sends it (still only to a
    confirmed registrant of a published event)."""
    if reminder.email_id:
        email_resend(email=reminder.email)  # type: ignore[arg-type]
        return reminder
    reminder.status, reminder.due_at, reminder.last_error = Status.PLANNED, timezone.now(), ""
    reminder.save(update_fields=["status", "due_at", "last_error", "updated_at"])
    return reminder
