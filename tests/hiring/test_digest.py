"""New applications reach the company as one digest a day (count per position, no applicant's
details), its representatives and the camp's contact; nothing is counted twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hiring import services
from hiring.models import JobApplication
from hiring.notices import new_applications_notify
from hiring.tasks import send_new_application_digests
from tests.factories import RepresentativeFactory
from tests.outbox import rendered_emails

from .factories import camp_world, seeker

pytestmark = pytest.mark.django_db


def _apply(world, position, n: int = 1):
    people = [seeker(world.camp) for _ in range(n)]
    return [services.application_apply(seeker=p, position=position, by=p.user) for p in people]


def _digests():
    return rendered_emails().filter(kind="hiring.new_applications").order_by("to")


def test_one_digest_per_company_with_counts_and_no_applicant_details():
    world = camp_world(companies=2)
    world.camp.event.contact_email = "camp-contact@sba.example.kr"
    world.camp.event.save(update_fields=["contact_email"])
    ceo = RepresentativeFactory(company=world.companies[0]).user
    second_position = services.position_decide(
        position=services.position_save(
            camp=world.camp,
            company_id=world.companies[0].pk,
            values={"title": "품질 관리", "field": "바이오", "hires_planned": 1, "place_of_work": "마곡"},
            by=world.members[0],
        ),
        approve=True,
        by=world.staff,
    )
    first = _apply(world, world.positions[0], 2)
    _apply(world, second_position)
    withdrawn = _apply(world, world.positions[0])[0]
    services.application_transition(application=withdrawn, to="withdrawn", by=withdrawn.seeker.user)
    _apply(world, world.positions[1])

    result = send_new_application_digests()  # the periodic task

    assert result == {"companies": 2, "emails": 3}
    [to_ceo] = _digests().filter(to=ceo.email)
    # The first company has a representative: only they hear; the second has none: its members.
    assert not _digests().filter(to=world.members[0].email).exists()
    assert _digests().filter(to=world.members[1].email).count() == 1
    text = to_ceo.body_text
    assert "3건" in to_ceo.subject
    assert f"{world.positions[0].title}: 2건" in text and "품질 관리: 1건" in text
    assert f"/hiring/camps/{world.camp.pk}/company/" in text
    for application in first:
        assert application.seeker.display_name not in text
        assert application.seeker.user.email not in text
    assert not to_ceo.attachments
    [summary] = rendered_emails().filter(kind="hiring.new_applications_staff")
    assert summary.to == "camp-contact@sba.example.kr"
    assert f"{world.companies[0].name_ko}: 3건" in summary.body_text
    assert f"/admin/hiring/camp/{world.camp.pk}/matches/" in summary.body_text
    assert not JobApplication.objects.filter(company_notified_at__isnull=True).exists()


def test_run_twice_sends_nothing_new_and_a_later_application_waits_for_the_next_day():
    world = camp_world(companies=1)
    _apply(world, world.positions[0])
    now = timezone.localtime().replace(hour=12, minute=0)  # the same Seoul day five minutes later
    assert new_applications_notify(now=now)["emails"] == 1
    assert new_applications_notify(now=now) == {"companies": 0, "emails": 0}

    later = _apply(world, world.positions[0])[0]
    assert new_applications_notify(now=now + timedelta(minutes=5)) == {"companies": 0, "emails": 0}
    later.refresh_from_db()
    assert later.company_notified_at is None  # not lost: tomorrow's digest counts it

    assert new_applications_notify(now=now + timedelta(days=1))["emails"] == 1
    assert "1건" in _digests().order_by("-created_at", "-pk").first().subject
    assert _digests().count() == 2


def test_walk_ins_and_finished_camps_are_not_digested():
    world = camp_world(companies=1, slots=3)
    services.walk_in_add(seeker=seeker(world.camp), position=world.positions[0], by=world.staff)
    assert new_applications_notify()["emails"] == 0

    _apply(world, world.positions[0])
    after_the_camp = world.camp.event.ends_at + timedelta(hours=1)
    assert new_applications_notify(now=after_the_camp)["emails"] == 0
