"""The outbox: queue an e-mail with the change that causes it, send it after commit.

Why nothing is lost and nothing is sent twice:

* ``email_queue`` writes the e-mail as a row in the caller's transaction. If the
  transaction rolls back there is no e-mail; if it commits, the row exists whatever
  happens to the broker. The Celery message sent after commit is only a prompt.
  ``email_queue_deferred`` writes only a kind and a small JSON context (ids): the worker
  renders subject, bodies and attachments when it sends (``notifications.rendering``), so a
  caller holding a lock pays for one small INSERT. A rendering failure is recorded and
  retried like an SMTP failure; the row is never dropped.
* The sender claims its rows with a conditional UPDATE (queued -> sending) before it talks
  to SMTP, so two prompts for the same row send it once.
* E-mails queued in one transaction are prompted after commit in chunks (``emails_prompt``:
  one task per ``PROMPT_CHUNK`` e-mails). ``emails_send`` claims a chunk in one statement,
  renders it together (``rendering_batch``: its rows read in one query), and sends it over
  one SMTP connection, marking each e-mail sent right after its own send. A crash leaves the
  unsent rest of the chunk claimed: the sweeper takes those rows over once the claim is stale
  and sends them once.
* ``outbox_sweep`` (periodic) prompts again whatever is still queued, and takes over rows
  whose claim is older than ``OUTBOX_STALE_CLAIM_SECONDS``: that is longer than the hard
  time limit of the send task, so the claimer is dead, not slow.

A chunk's claims and marks commit without waiting for the disk (``synchronous_commit = off``):
a killed worker loses none of them; a crash of PostgreSQL itself can forget the last fraction
of a second of them, and those e-mails go out again (never lost, perhaps twice).

The one window left is a sender that dies after the SMTP server accepted the message and
before the row is marked sent: that e-mail goes out twice. Each worker process sends one
e-mail at a time and marks it before sending the next (not once per chunk, which would save
a statement per e-mail but widen the window to the whole chunk), so a crash duplicates at
most one e-mail per process that was sending.
Such a duplicate is recognisable: every send of a row carries the row's own Message-ID
(mail systems and clients drop or thread a repeated one), and each claim counts an attempt.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from typing import Any, cast

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Field, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from magok.errors import DomainError

from .models import OutboundEmail
from .rendering import Attachment, RenderedEmail, render_email, render_templates, rendering_batch

__all__ = [
    "Attachment",
    "DeferredEmail",
    "EmailNotResendable",
    "email_claim",
    "emails_claim",
    "email_prompt",
    "email_queue",
    "email_queue_deferred",
    "email_resend",
    "email_send",
    "emails_prompt",
    "emails_queue_deferred",
    "emails_send",
    "encode_attachments",
    "outbox_due",
    "outbox_sweep",
]

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# After one failed publish, this process stops trying the broker for a while: a request
# that queues several e-mails while Redis is down pays the connect timeout once, not each time.
# A hung Redis (accepts, never answers) counts too: the broker's socket timeouts
# (settings.BROKER_SOCKET_TIMEOUT) turn the wait into an error within a few seconds.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0


class EmailNotResendable(DomainError):
    """The e-mail is being sent right now; resending it could send it twice."""

    def __init__(self) -> None:
        super().__init__(_("지금 발송 중인 이메일이라 다시 보내지 않았습니다."), "email_sending")


def stale_claim_age() -> timedelta:
    return timedelta(seconds=settings.OUTBOX_STALE_CLAIM_SECONDS)


def new_message_id() -> str:
    """A globally unique Message-ID in the sender's domain (not the host name, which
    Django would look up and which says nothing to the recipient)."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL or "")[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def encode_attachments(attachments: tuple[Attachment, ...]) -> list[dict[str, str]]:
    """Attachments as the row stores them (JSON, content in base64)."""
    return [
        {
            "filename": a.filename,
            "content_type": a.content_type,
            "content_b64": base64.b64encode(a.content).decode("ascii"),
        }
        for a in attachments
    ]


def _save_queued(row: OutboundEmail) -> OutboundEmail | None:
    """Insert ``row`` and prompt its send after commit; None when its dedupe key was queued before.

    A row with a dedupe key is inserted with ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING id``: one statement, where a savepoint around a plain INSERT (to survive the unique
    violation) costs two more round trips, and this runs under the event lock for every
    registration's e-mail (PostgreSQL and SQLite alike)."""
    if row.dedupe_key is None:
        row.save()
        _prompt_after_commit(row.pk)
        return row
    meta = OutboundEmail._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(row, add=True), db_connection) for field in fields]
    quote = db_connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # nosec B608 - our columns
            f"ON CONFLICT ({quote(meta.get_field('dedupe_key').column)}) DO NOTHING "
            f"RETURNING {quote(meta.pk.column)}",  # type: ignore[union-attr]
            values,
        )
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    row.pk = inserted[0]
    row._state.adding, row._state.db = False, db_connection.alias
    _prompt_after_commit(row.pk)
    return row


# E-mails queued in one transaction (a reminder batch, a schedule) go to the workers in chunks
# of this many per task: one broker message and one SMTP connection per chunk, not per e-mail.
PROMPT_CHUNK = 25


class _Batch:
    """The e-mails queued in one transaction, prompted together by one on-commit callback."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def flush(self) -> None:
        ids, self.ids = self.ids, []
        if len(ids) == 1:
            email_prompt(email_id=ids[0])
        elif ids:
            emails_prompt(email_ids=ids)


_current = threading.local()


def _prompt_after_commit(email_id: int) -> None:
    """Prompt the send once the transaction commits, together with the other e-mails queued in
    it. A batch whose callback is no longer registered (committed, or dropped with a rolled-back
    savepoint or transaction) is never reused; the id of a row rolled back with a savepoint
    inside a live batch only prompts a claim that finds no row."""
    batch: _Batch | None = getattr(_current, "batch", None)
    registered = transaction.get_connection().run_on_commit
    if batch is None or not any(entry[1] == batch.flush for entry in registered):
        batch = _current.batch = _Batch()
        batch.ids.append(email_id)
        transaction.on_commit(batch.flush)  # outside a transaction: runs now
    else:
        batch.ids.append(email_id)


def email_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    language: str = "ko",
    attachments: tuple[Attachment, ...] = (),
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Render ``<template>_subject.txt``, ``<template>.txt`` (and ``<template>.html``, or the
    text in the base e-mail layout) in ``language`` now and queue the e-mail; the send task is
    prompted after commit. Under a lock, use ``email_queue_deferred`` instead.

    Returns None when ``dedupe_key`` was queued before.
    """
    with translation.override(language):
        rendered = render_templates(template, context, attachments=attachments)
    row = OutboundEmail(
        to=to,
        language=language,
        dedupe_key=dedupe_key,
        message_id=new_message_id(),
        rendered_at=timezone.now(),
    )
    _apply_rendered(row, rendered)
    return _save_queued(row)


def email_queue_deferred(
    *,
    to: str,
    kind: str,
    context: dict[str, Any],
    language: str = "ko",
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Queue an e-mail that the worker renders when it sends it: the renderer registered as
    ``kind`` (``notifications.rendering.email_renderer``) gets ``context``, which must be
    JSON (ids and small values, not rows: the rows are read at send time). Costs one INSERT,
    nothing is rendered here. Returns None when ``dedupe_key`` was queued before."""
    json.dumps(context)  # fail here, in the caller's transaction, not in the worker
    row = OutboundEmail(
        to=to, kind=kind, context=context, language=language, dedupe_key=dedupe_key, message_id=new_message_id()
    )
    return _save_queued(row)


@dataclass(frozen=True)
class DeferredEmail:
    """One e-mail for ``emails_queue_deferred`` (the arguments of ``email_queue_deferred``)."""

    to: str
    kind: str
    context: dict[str, Any]
    dedupe_key: str
    language: str = "ko"


def emails_queue_deferred(*, emails: list[DeferredEmail]) -> list[int]:
    """Queue many deferred e-mails at once (a reminder batch): one INSERT that skips the
    dedupe keys queued before, one SELECT of the ids; as ``email_queue_deferred`` each, but two
    statements instead of a savepoint and an INSERT per e-mail. Returns the id of each e-mail's
    row, in order: the one queued now, or the one queued before under its key. Only those
    queued now are prompted after commit."""
    if not emails:
        return []
    rows = []
    for email in emails:
        json.dumps(email.context)  # fail here, in the caller's transaction, not in the worker
        rows.append(
            OutboundEmail(
                to=email.to,
                kind=email.kind,
                context=email.context,
                language=email.language,
                dedupe_key=email.dedupe_key,
                message_id=new_message_id(),
            )
        )
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    stored = {
        key: (pk, message_id)
        for key, pk, message_id in OutboundEmail.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in rows]
        ).values_list("dedupe_key", "pk", "message_id")
    }
    ids = {key: pk for key, (pk, _) in stored.items()}
    for row in rows:
        # Message-IDs are unique: a row that carries ours was inserted now, not before.
        if stored[row.dedupe_key][1] == row.message_id:
            _prompt_after_commit(ids[row.dedupe_key])
    return [ids[row.dedupe_key] for row in rows]


def _apply_rendered(row: OutboundEmail, rendered: RenderedEmail) -> None:
    row.subject = rendered.subject[:300]
    row.body_text = rendered.body_text
    row.body_html = rendered.body_html
    row.attachments = encode_attachments(rendered.attachments)


def _publish(task: Any, argument: Any) -> bool:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        task.delay(argument)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweeper sends it later
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("could not enqueue e-mail %s (%s); the sweeper will send it", argument, exc)
        return False
    return True


def email_prompt(*, email_id: int) -> bool:
    """Ask a worker to send the e-mail now. Never raises: when the broker is down the row
    stays queued and the sweeper prompts it again once the broker is back."""
    from .tasks import send_email

    return _publish(send_email, email_id)


def emails_prompt(*, email_ids: list[int]) -> int:
    """Ask the workers to send these e-mails, ``PROMPT_CHUNK`` per task. Never raises (as
    ``email_prompt``). Returns how many e-mails were prompted."""
    from .tasks import send_emails

    prompted = 0
    for start in range(0, len(email_ids), PROMPT_CHUNK):
        chunk = email_ids[start : start + PROMPT_CHUNK]
        if _publish(send_emails, chunk):
            prompted += len(chunk)
    return prompted


def _field(name: str) -> Field[Any, Any]:
    return cast("Field[Any, Any]", OutboundEmail._meta.get_field(name))


def _db_moment(moment: datetime | None) -> Any:
    """A datetime as a raw statement's parameter, stored as the ORM stores it (SQLite: naive UTC text)."""
    return _field("claimed_at").get_db_prep_value(moment, db_connection)


def emails_claim(*, email_ids: list[int], now: datetime | None = None) -> list[OutboundEmail]:
    """Claim for sending those of ``email_ids`` that are queued (or whose claim is stale), in
    one statement; only one caller can win each. Returns them in the order of ``email_ids``;
    rows sent, failed or claimed by a live sender are left out.

    Each claim counts as an attempt, before anything is sent: a sender killed mid-send
    leaves its attempt on the row, so a row sent twice says so.
    """
    if not email_ids:
        return []
    now = now or timezone.now()
    # UPDATE ... RETURNING, PostgreSQL and SQLite alike (IN, not = ANY).
    table = db_connection.ops.quote_name(OutboundEmail._meta.db_table)
    Status = OutboundEmail.Status
    placeholders = ", ".join(["%s"] * len(email_ids))
    claimed_at, stale = _db_moment(now), _db_moment(now - stale_claim_age())
    claimed = {
        email.pk: email
        for email in OutboundEmail.objects.raw(
            f"UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1 "  # nosec B608 - the table name is ours
            f"WHERE id IN ({placeholders}) AND (status = %s OR (status = %s AND claimed_at < %s)) RETURNING *",
            [Status.SENDING, claimed_at, *email_ids, Status.QUEUED, Status.SENDING, stale],
        )
    }
    for email in claimed.values():
        if not email.message_id:
            # Queued before Message-IDs were stored: its own one, kept from its first claim on.
            email.message_id = new_message_id()
            OutboundEmail.objects.filter(pk=email.pk, message_id="").update(message_id=email.message_id)
    return [claimed[pk] for pk in dict.fromkeys(email_ids) if pk in claimed]


def email_claim(*, email_id: int, now: datetime | None = None) -> OutboundEmail | None:
    """Claim one queued (or stale) e-mail for sending (``emails_claim``)."""
    claimed = emails_claim(email_ids=[email_id], now=now)
    return claimed[0] if claimed else None


def _message(email: OutboundEmail, connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # The same on every send of this row, so that a duplicate is recognisable.
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for item in email.attachments:
        message.attach(item["filename"], base64.b64decode(item["content_b64"]), item["content_type"])
    return message


def _render_claimed(emails: list[OutboundEmail]) -> tuple[set[int], dict[int, Exception]]:
    """Render the deferred ones of ``emails`` (claimed by us) in place, as one batch
    (``notifications.rendering.rendering_batch``: rows read once, values shared by many e-mails
    computed once). Returns the ids rendered now and the rendering failures by id."""
    deferred = [email for email in emails if email.kind and email.rendered_at is None]
    rendered: set[int] = set()
    failures: dict[int, Exception] = {}
    with rendering_batch((email.kind, email.context) for email in deferred):
        for email in deferred:
            try:
                content = render_email(kind=email.kind, context=email.context, language=email.language)
            except Exception as exc:  # noqa: BLE001 - recorded on the row and retried like an SMTP failure
                failures[email.pk] = exc
                continue
            _apply_rendered(email, content)
            email.rendered_at = timezone.now()
            rendered.add(email.pk)
    return rendered, failures


def _finish(email: OutboundEmail, *, error: Exception | None, rendered: bool) -> None:
    """Record the outcome of our claim on ``email``: sent, or queued again (failed after
    ``MAX_ATTEMPTS``) with the error. Content rendered under this claim is stored with it, so a
    retry sends the same. Only our own claim is finished: if it went stale and someone else
    took the row over, their outcome stands (the statement matches nothing).

    One statement per e-mail, right after its send, on purpose: the outcomes of a chunk are not
    collected into one UPDATE, because an e-mail accepted by SMTP and not yet marked sent is
    sent again after a crash. Marked one by one, a killed process duplicates at most one."""
    Status = OutboundEmail.Status
    values: dict[str, Any]
    if error is None:
        values = {"status": Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    else:
        values = {
            "status": Status.FAILED if email.attempts >= MAX_ATTEMPTS else Status.QUEUED,
            "claimed_at": None,
            "last_error": f"{type(error).__name__}: {error}"[:2000],
        }
    if rendered:
        values.update(
            subject=email.subject,
            body_text=email.body_text,
            body_html=email.body_html,
            attachments=email.attachments,
            rendered_at=email.rendered_at,
        )
    # Raw SQL: the ORM's UPDATE compiler cost more than the statement itself, once per e-mail.
    fields = [_field(name) for name in values]
    table = db_connection.ops.quote_name(OutboundEmail._meta.db_table)
    assignments = ", ".join(f"{db_connection.ops.quote_name(field.column)} = %s" for field in fields)
    params = [field.get_db_prep_save(values[field.name], db_connection) for field in fields]
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s AND status = %s AND claimed_at = %s",  # nosec B608 - our columns
            [*params, email.pk, Status.SENDING, _db_moment(email.claimed_at)],
        )


def _release(emails: list[OutboundEmail]) -> None:
    """Give back our claims on ``emails`` untried (queued again, the attempt not counted)."""
    for email in emails:
        OutboundEmail.objects.filter(
            pk=email.pk, status=OutboundEmail.Status.SENDING, claimed_at=email.claimed_at
        ).update(status=OutboundEmail.Status.QUEUED, claimed_at=None, attempts=F("attempts") - 1)


def _send_claimed(emails: list[OutboundEmail], mail: BaseEmailBackend | None, *, started: float, budget: float) -> int:
    """Render and send ``emails`` (claimed by us) one after another over ``mail`` (reopened
    after a failure; None: a connection per e-mail), each marked right after its send. After
    ``budget`` seconds since ``started`` the rest is given back and prompted again."""
    rendered, failures = _render_claimed(emails)
    sent = 0
    for index, email in enumerate(emails):
        if email.pk in failures:
            error: Exception | None = failures[email.pk]
            step = "rendering"
        elif time.monotonic() - started > budget:
            rest = [e for e in emails[index:] if e.pk not in failures]
            _release(rest)
            emails_prompt(email_ids=[e.pk for e in rest])
            for e in emails[index:]:
                if e.pk in failures:
                    _finish(e, error=failures[e.pk], rendered=False)
            break
        else:
            step, error = "sending", None
            if mail is not None:
                try:
                    mail.open()  # once; again after a failure closed it
                except Exception:  # noqa: BLE001 - the send below fails and is recorded on the row
                    mail.close()
            try:
                _message(email, mail).send()
            except Exception as exc:  # noqa: BLE001 - any SMTP failure is recorded and retried later
                error = exc
                if mail is not None:
                    mail.close()  # after a failure the SMTP session may be half-way through a message
        _finish(email, error=error, rendered=email.pk in rendered)
        if error is None:
            sent += 1
        else:
            logger.warning("%s e-mail %s failed (attempt %s): %s", step, email.pk, email.attempts, error)
    return sent


def email_send(*, email_id: int, connection: BaseEmailBackend | None = None) -> bool:
    """Send one e-mail if it can be claimed, rendering it first if it was queued deferred.
    ``connection``: an open e-mail connection to reuse, else one for this e-mail.
    Returns True when it was sent now."""
    claimed = emails_claim(email_ids=[email_id])
    return bool(claimed) and _send_claimed(claimed, connection, started=time.monotonic(), budget=float("inf")) == 1


def emails_send(*, email_ids: list[int], time_budget: float | None = None) -> int:
    """Send a chunk of e-mails over one SMTP connection: claim them all in one statement,
    render the deferred ones together (rows read once per chunk), then send each and mark it
    sent right after (``_finish``). Rows claimed by someone else are skipped. Stops sending
    after ``time_budget`` seconds (half the task's time limit by default): the rest is given
    back and prompted again. A crash leaves the unsent rest claimed: the sweeper sends it once
    the claim is stale. Returns how many were sent."""
    started = time.monotonic()
    budget = settings.OUTBOX_SEND_TIME_LIMIT / 2 if time_budget is None else time_budget
    if time.monotonic() - started > budget:
        emails_prompt(email_ids=list(email_ids))
        return 0
    with _commits_without_waiting_for_the_disk():
        claimed = emails_claim(email_ids=list(email_ids))
        if not claimed:
            return 0
        mail = get_connection()
        try:
            return _send_claimed(claimed, mail, started=started, budget=budget)
        finally:
            mail.close()


@contextmanager
def _commits_without_waiting_for_the_disk() -> Iterator[None]:
    """PostgreSQL's ``synchronous_commit = off`` for the claims and marks of a chunk: each
    commit returns before its WAL reaches the disk (about 5 ms per e-mail on a loaded disk,
    bench/profile_hotspots.py). A killed worker loses nothing by it (the database has the
    commit); only a crash of PostgreSQL itself (not a restart, which flushes) can forget the
    last fraction of a second of marks, and those e-mails are then sent again: at least once
    still holds, and a lost claim only frees its row."""
    if db_connection.vendor != "postgresql":
        yield
        return
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except Exception:  # noqa: BLE001 - a broken connection is dropped, and its setting with it
            logger.warning("could not reset synchronous_commit", exc_info=True)


def outbox_due(*, now: datetime | None = None, older_than: timedelta | None = None, limit: int = 500) -> list[int]:
    """Ids of e-mails nobody is sending: queued for a while (``OUTBOX_SWEEP_AFTER_SECONDS``
    unless given), or claimed by a dead sender."""
    now = now or timezone.now()
    if older_than is None:
        older_than = timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    return list(
        OutboundEmail.objects.filter(
            Q(status=OutboundEmail.Status.QUEUED, created_at__lt=now - older_than)
            | Q(status=OutboundEmail.Status.SENDING, claimed_at__lt=now - stale_claim_age())
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_sweep(*, older_than: timedelta | None = None, limit: int = 500) -> int:
    """Prompt a send for every e-mail the send task never got to (broker down, worker killed,
    SMTP failure). Each send runs as its own task, under its own time limit; a prompt for a
    row that is sent by then does nothing. Returns how many were prompted."""
    return sum(email_prompt(email_id=pk) for pk in outbox_due(older_than=older_than, limit=limit))


@transaction.atomic
def email_resend(*, email: OutboundEmail) -> OutboundEmail:
    """Queue an e-mail again (staff action): a failed one gets a fresh set of attempts, a
    sent one goes out once more. One being sent right now (a live claim) cannot be resent."""
    email = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    if (
        email.status == OutboundEmail.Status.SENDING
        and email.claimed_at
        and email.claimed_at >= timezone.now() - (stale_claim_age())
    ):
        raise EmailNotResendable()
    email.status = OutboundEmail.Status.QUEUED
    email.attempts = 0
    email.claimed_at = None
    email.save(update_fields=["status", "attempts", "claimed_at"])
    transaction.on_commit(lambda: email_prompt(email_id=email.pk))
    return email
