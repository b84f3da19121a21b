"""Logo files that no row needs any more are deleted after commit: the one of a replaced or
rejected proposal, and the company's previous logo once a new one is approved. The live logo is
never deleted, and a rollback deletes nothing."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from companies.services import profile_change_approve, profile_change_reject, profile_change_submit
from tests.factories import StaffFactory

from .factories import image_upload

pytestmark = pytest.mark.django_db


def _exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def test_replaced_proposal_logo_is_deleted(representative, robotis, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = profile_change_submit(company=robotis, by=representative, data={}, logo=image_upload()).logo.name
    assert _exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        second = profile_change_submit(company=robotis, by=representative, data={}, logo=image_upload()).logo.name
    assert _exists(second) and not _exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_submit(company=robotis, by=representative, data={}, remove_logo=True)
    assert not _exists(second)


def test_rejected_logo_is_deleted(representative, robotis, django_capture_on_commit_callbacks):
    change = profile_change_submit(company=robotis, by=representative, data={}, logo=image_upload())
    pending = change.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_reject(change=change, by=StaffFactory(), note="no")
    assert not _exists(pending)


def test_approval_keeps_the_new_logo_and_deletes_the_old_and_the_pending_file(
    representative, robotis, django_capture_on_commit_callbacks
):
    robotis.logo.save("old.png", image_upload("old.png"))
    old = robotis.logo.name
    change = profile_change_submit(company=robotis, by=representative, data={}, logo=image_upload())
    pending = change.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_approve(change=change, by=StaffFactory())
    robotis.refresh_from_db()
    assert _exists(robotis.logo.name) and robotis.logo.name.startswith("logos/")
    assert not robotis.logo.name.startswith("logos/pending/")
    assert not _exists(old) and not _exists(pending)


def test_approved_removal_deletes_the_old_logo(representative, robotis, django_capture_on_commit_callbacks):
    robotis.logo.save("old.png", image_upload("old.png"))
    old = robotis.logo.name
    change = profile_change_submit(company=robotis, by=representative, data={}, remove_logo=True)
    with django_capture_on_commit_callbacks(execute=True):
        profile_change_approve(change=change, by=StaffFactory())
    robotis.refresh_from_db()
    assert not robotis.logo and not _exists(old)


def test_nothing_is_deleted_when_the_decision_rolls_back(representative, robotis, django_capture_on_commit_callbacks):
    robotis.logo.save("old.png", image_upload("old.png"))
    old = robotis.logo.name
    change = profile_change_submit(company=robotis, by=representative, data={}, logo=image_upload())
    pending = change.logo.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            profile_change_approve(change=change, by=StaffFactory())
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert _exists(old) and _exists(pending)
