"""Writes for companies: profile change requests from representatives, reviewed by SBA staff."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from notifications.services import email_queue

from .models import Company, ProfileChangeRequest, Sector

if TYPE_CHECKING:
    from accounts.models import User


class ProfileChangeError(Exception):
    """A change request cannot be decided (it was decided before)."""


def company_can_edit_profile(*, company: Company, user: User) -> bool:
    """Only the company's approved representative proposes profile changes."""
    membership = user.membership if user.is_authenticated else None
    return bool(membership and membership.company_id == company.pk and user.is_representative)


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
    # Fields left out of ``data`` keep their current values.
    proposed = profile_data_of(company=company)
    proposed.update({name: data[name] for name in ProfileChangeRequest.EDITABLE_FIELDS if name in data})
    if "sectors" in data:
        proposed["sectors"] = sorted(str(slug) for slug in data["sectors"])
    request = profile_change_pending(company=company) or ProfileChangeRequest(company=company)
    request.submitted_by = by
    request.data = proposed
    request.remove_logo = remove_logo and not logo
    if logo:
        request.logo = logo
    elif remove_logo and request.logo:
        request.logo = ""
    request.save()
    return request


def _lock_pending(request: ProfileChangeRequest) -> ProfileChangeRequest:
    locked = ProfileChangeRequest.objects.select_for_update().select_related("company").get(pk=request.pk)
    if locked.status != ProfileChangeRequest.Status.PENDING:
        raise ProfileChangeError("already decided")
    return locked


def _notify_decision(request: ProfileChangeRequest) -> None:
    submitter = request.submitted_by
    if submitter is None or not submitter.email:
        return
    email_queue(
        to=submitter.email,
        template="companies/emails/profile_change_decided",
        context={"request": request, "company": request.company, "user": submitter},
        language=submitter.language or "ko",
        dedupe_key=f"profile-change-{request.pk}-{request.status}",
    )


@transaction.atomic
def profile_change_approve(*, request: ProfileChangeRequest, by: User, note: str = "") -> ProfileChangeRequest:
    """Publish the proposed values on the company and notify the representative."""
    request = _lock_pending(request)
    company = request.company
    for name in ProfileChangeRequest.EDITABLE_FIELDS:
        if name in request.data:
            setattr(company, name, request.data[name])
    if request.logo:
        company.logo.save(request.logo.name.rsplit("/", 1)[-1], request.logo.file, save=False)
    elif request.remove_logo:
        company.logo = ""
    company.save()
    if "sectors" in request.data:
        company.sectors.set(Sector.objects.filter(slug__in=request.data["sectors"]))
    request.status = ProfileChangeRequest.Status.APPROVED
    request.reviewed_by = by
    request.reviewed_at = timezone.now()
    request.note = note or request.note
    request.save()
    _notify_decision(request)
    return request


@transaction.atomic
def profile_change_reject(*, request: ProfileChangeRequest, by: User, note: str = "") -> ProfileChangeRequest:
    """Turn the proposal down (the company keeps its data) and tell the representative why."""
    request = _lock_pending(request)
    request.status = ProfileChangeRequest.Status.REJECTED
    request.reviewed_by = by
    request.reviewed_at = timezone.now()
    request.note = note or request.note
    request.save()
    _notify_decision(request)
    return request
