"""The periodic task deletes CVs and seeker details of camps past their retention period, and
running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from hiring import services, tasks
from hiring.models import Camp, JobApplication, Seeker
from magok.periodic import SCHEDULES
from meetings.models import Participant

from .factories import camp_world, matched, seeker

pytestmark = pytest.mark.django_db


def _past_camp():
    world = camp_world(retention_days=30)
    people = [seeker(world.camp) for _ in range(2)]
    application = matched(world, people[0], world.positions[0])
    services.application_result_record(application=application, result="hired", by=world.members[0])
    # The camp happened long ago.
    event = world.camp.event
    event.starts_at -= timedelta(days=120)
    event.ends_at -= timedelta(days=120)
    event.save()
    return world, people


def test_purge_runs_twice_and_deletes_files_and_details():
    world, people = _past_camp()
    files = [Path(p.cv.path) for p in people]
    assert all(f.exists() for f in files)
    current = camp_world(retention_days=30)
    keeper = seeker(current.camp)

    assert tasks.purge_expired_seekers() == {"camps": 1, "seekers": 2}
    assert tasks.purge_expired_seekers() == {"camps": 0, "seekers": 0}

    assert not any(f.exists() for f in files)
    for person in Seeker.objects.filter(camp=world.camp):
        assert person.purged_at is not None
        assert not person.cv and person.display_name == "" and person.education == "" and person.phone == ""
    assert Camp.objects.get(pk=world.camp.pk).purged_at is not None
    participant = Participant.objects.get(pk=Seeker.objects.get(pk=people[0].pk).participant_id)
    assert participant.email == "" and participant.user_id is None
    assert people[0].display_name not in participant.display_name
    # The result stays and keeps counting as a hire.
    assert JobApplication.objects.filter(result="hired").count() == 1
    # A camp still within its period is untouched.
    keeper.refresh_from_db()
    assert keeper.purged_at is None and Path(keeper.cv.path).exists()


def test_a_file_already_gone_does_not_stop_the_purge():
    world, people = _past_camp()
    Path(people[0].cv.path).unlink()
    assert services.camps_purge_expired(now=timezone.now())["seekers"] == 2


def test_the_task_is_in_the_periodic_table():
    assert any(s.task == "hiring.tasks.purge_expired_seekers" for s in SCHEDULES)
