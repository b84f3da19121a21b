"""Writes for companies: profile change requests from representatives, reviewed by SBA staff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import record
from magok.errors import DomainError
from notifications.services import email_queue

from .models import Company, ProfileChangeRequest, Sector, logo_file_name

if TYPE_CHECKING:
    from accounts.models import User


class ProfileChangeError(DomainError):
    """A change request cannot be decided (it was decided before)."""


class ProfileChangeConflict(ProfileChangeError):
    """SBA staff changed some of the proposed fields after the request was sent: approving would
    silently overwrite their edit. Staff reject the request and ask for a new one."""

    def __init__(self, change: ProfileChangeRequest, fields: list[str]) -> None:
        super().__init__(profile_change_conflict_message(change=change, fields=fields), "profile_changed")
        self.fields = fields


def profile_field_label(name: str) -> str:
    """The company field's verbose name ("sectors" and "logo" included)."""
    try:
        field = Company._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def profile_change_conflict_message(*, change: ProfileChangeRequest, fields: list[str]) -> str:
    return _(
        "%(company)s: 요청 이후에 바뀐 항목이 있어 승인하지 않았습니다 (%(fields)s). "
        "관리자 수정을 덮어쓰지 않도록, 요청을 반려하고 새 요청을 받아 주세요."
    ) % {"company": change.company, "fields": ", ".join(profile_field_label(name) for name in fields)}


def _logo_delete_on_commit(name: str) -> None:
    """Delete the logo file ``name`` once the transaction that let go of it has committed (a
    rollback keeps it). A file that a company or a pending request still names is kept, so that
    the live logo is never lost, whatever happened in between."""
    if not name:
        return

    def delete() -> None:
        if (
            Company.objects.filter(logo=name).exists()
            or ProfileChangeRequest.objects.filter(logo=name, status=ProfileChangeRequest.Status.PENDING).exists()
        ):
            return
        Company._meta.get_field("logo").storage.delete(name)  # type: ignore[attr-defined]

    transaction.on_commit(delete)


def company_can_edit_profile(*, company: Company, user: User) -> bool:
    """Only the company's approved representative proposes profile changes."""
    return user.is_authenticated and user.represents(company)


def profile_change_pending(*, company: Company) -> ProfileChangeRequest | None:
    return company.change_requests.filter(status=ProfileChangeRequest.Status.PENDING).first()


def profile_data_of(*, company: Company) -> dict[str, Any]:
    """The company's current values in the shape of ``ProfileChangeRequest.data``."""
    data: dict[str, Any] = {name: getattr(company, name) for name in ProfileChangeRequest.EDITABLE_FIELDS}
    data["sectors"] = sorted(sector.slug for sector in company.sectors.all())
    return data


@transaction.atomic
def profile_change_submit(
    *,
    company: Company,
    by: User,
    data: dict[str, Any],
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> ProfileChangeRequest:
    """Propose new profile values for SBA approval. A pending request of the company is
    replaced by the new proposal (one pending request per company: a database constraint).

    ``data`` holds cleaned values of some of ``ProfileChangeRequest.EDITABLE_FIELDS`` and
    ``sectors`` (sector slugs); ``logo`` a validated image.
    """
    if not company_can_edit_profile(company=company, user=by):
        raise PermissionDenied
    # Lock the company row so that two submissions cannot both create a pending request.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    # Only the fields whose value differs from the company's are proposed (the form posts every
    # field), each with the value it replaces, so that approval changes nothing else.
    current = profile_data_of(company=company)
    submitted = {name: data[name] for name in ProfileChangeRequest.EDITABLE_FIELDS if name in data}
    if "sectors" in data:
        submitted["sectors"] = sorted(str(slug) for slug in data["sectors"])
    proposed = {name: value for name, value in submitted.items() if value != current[name]}
    change = profile_change_pending(company=company) or ProfileChangeRequest(company=company)
    change.submitted_by = by
    change.data = proposed
    change.before = {name: current[name] for name in proposed}
    change.remove_logo = remove_logo and not logo
    superseded = change.logo.name or ""
    if logo:
        change.logo = logo
    elif remove_logo and change.logo:
        change.logo = ""
    if superseded and change.logo.name != superseded:
        # The logo of the replaced proposal is nobody's any more.
        _logo_delete_on_commit(superseded)
    if change.logo or change.remove_logo:
        change.before["logo"] = company.logo.name or ""
    change.save()
    return change


def profile_change_conflicts(*, change: ProfileChangeRequest) -> list[str]:
    """The proposed fields (and "logo") that SBA staff changed since the request was sent, to
    a value other than the proposed one. A field without a recorded "before" value (a request
    not made by ``profile_change_submit``) is not checked."""
    company = change.company
    current = profile_data_of(company=company)
    conflicts = [
        name
        for name, value in change.data.items()
        if name in change.before and name in current and current[name] not in (change.before[name], value)
    ]
    if (change.logo or change.remove_logo) and "logo" in change.before:
        logo_now = company.logo.name or ""
        removed_meanwhile = change.remove_logo and not logo_now
        if logo_now != change.before["logo"] and not removed_meanwhile:
            conflicts.append("logo")
    return conflicts


def _lock_pending(change: ProfileChangeRequest) -> ProfileChangeRequest:
    """The request, re-read with its company; both rows locked, the company first (the order of
    ``profile_change_submit``, so that the two cannot deadlock)."""
    company = Company.objects.select_for_update().get(pk=change.company_id)
    locked = ProfileChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != ProfileChangeRequest.Status.PENDING:
        raise ProfileChangeError(_("이미 처리된 요청입니다."), "already_decided")
    locked.company = company
    return locked


def _notify_decision(change: ProfileChangeRequest) -> None:
    submitter = change.submitted_by
    if submitter is None or not submitter.email:
        return
    email_queue(
        to=submitter.email,
        template="companies/emails/profile_change_decided",
        context={"change": change, "company": change.company, "user": submitter},
        language=submitter.language or "ko",
        dedupe_key=f"profile-change-{change.pk}-{change.status}",
    )


def _record_decision(change: ProfileChangeRequest, *, status: str, by: User, note: str) -> ProfileChangeRequest:
    """Precondition: ``change`` is locked (``_lock_pending``) inside the caller's transaction."""
    change.status = status
    change.reviewed_by = by
    change.reviewed_at = timezone.now()
    change.note = note or change.note
    change.save()
    approved = status == ProfileChangeRequest.Status.APPROVED
    record(
        action=AuditAction.PROFILE_CHANGE_APPROVE if approved else AuditAction.PROFILE_CHANGE_REJECT,
        obj=change.company,
        by=by,
        # What the company's profile held before and what it holds now (unchanged when rejected).
        before=change.before,
        after=change.data if approved else change.before,
        reason=change.note,
    )
    _notify_decision(change)
    return change


@transaction.atomic
def profile_change_approve(*, change: ProfileChangeRequest, by: User, note: str = "") -> ProfileChangeRequest:
    """Publish the proposed values on the company and notify the representative. The proposed
    logo is copied to the company; the pending file and the company's previous logo are deleted
    after commit (the row keeps the pending name as a record).

    Raises ``ProfileChangeConflict`` (nothing is changed) when SBA staff edited a proposed field
    since the request was sent: the request is then rejected and the representative sends a
    new one, instead of the staff edit being overwritten silently.
    """
    # Both rows are locked: an admin save or a new submission cannot slip in between the check
    # and the write.
    change = _lock_pending(change)
    company = change.company
    conflicts = profile_change_conflicts(change=change)
    if conflicts:
        raise ProfileChangeConflict(change, conflicts)
    for name in ProfileChangeRequest.EDITABLE_FIELDS:
        if name in change.data:
            setattr(company, name, change.data[name])
    previous_logo = company.logo.name or ""
    if change.logo:
        # A copy under a new random name: the pending file is deleted below.
        company.logo.save(logo_file_name(change.logo.name), change.logo.file, save=False)
        _logo_delete_on_commit(change.logo.name)
    elif change.remove_logo:
        company.logo = ""
    if previous_logo and previous_logo != company.logo.name:
        _logo_delete_on_commit(previous_logo)
    company.save()
    if "sectors" in change.data:
        company.sectors.set(Sector.objects.filter(slug__in=change.data["sectors"]))
    return _record_decision(change, status=ProfileChangeRequest.Status.APPROVED, by=by, note=note)


@transaction.atomic
def profile_change_reject(*, change: ProfileChangeRequest, by: User, note: str = "") -> ProfileChangeRequest:
    """Turn the proposal down (the company keeps its data) and tell the representative why.
    The proposed logo file is deleted (the row keeps its name as a record)."""
    change = _lock_pending(change)
    change = _record_decision(change, status=ProfileChangeRequest.Status.REJECTED, by=by, note=note)
    _logo_delete_on_commit(change.logo.name or "")
    return change
