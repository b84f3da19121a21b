"""The hiring pages answer with a bounded number of queries however many applications there are,
and show what each side may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiring import services

from .factories import camp_world, matched, seeker

pytestmark = pytest.mark.django_db


def _world_with(n: int):
    world = camp_world(companies=1, slots=12)
    for _ in range(n):
        matched(world, seeker(world.camp), world.positions[0])
    return world


@pytest.mark.parametrize("page", ["company_home", "company_schedule", "queue"])
def test_company_pages_do_not_grow_with_applications(client, count_queries, page):
    counts = []
    for n in (2, 8):
        world = _world_with(n)
        client.force_login(world.members[0])
        participation = world.camp.companies.get()
        pk = participation.pk if page == "queue" else world.camp.pk
        counts.append(count_queries(client, reverse(f"hiring:{page}", kwargs={"pk": pk})))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12


def test_queue_shows_the_next_seeker_and_marks_no_show(client):
    world = _world_with(2)
    participation = world.camp.companies.get()
    client.force_login(world.members[0])
    url = reverse("hiring:queue", kwargs={"pk": participation.pk})
    page = client.get(url).content.decode()
    first, second = sorted(world.camp.seekers.all(), key=lambda s: s.applications.get().meeting.slot.starts_at)
    assert f"{first.display_name}" in page.split('id="queue-next"')[1].split("</p>")[0]
    application = first.applications.get()
    client.post(reverse("hiring:queue_mark", kwargs={"pk": application.pk}), {"queue_status": "no_show"})
    application.refresh_from_db()
    assert application.queue_status == "no_show" and application.meeting.state == "no_show"
    page = client.get(url).content.decode()
    assert second.display_name in page.split('id="queue-next"')[1].split("</p>")[0]


def test_schedules_and_ics_list_the_interview(client):
    world = _world_with(1)
    person = world.camp.seekers.get()
    application = person.applications.get()
    client.force_login(person.user)
    ics = client.get(reverse("hiring:seeker_schedule_ics", kwargs={"pk": world.camp.pk}))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert f"UID:meeting-{application.meeting.pk}@" in body and "Asia/Seoul" in body
    client.force_login(world.members[0])
    ics = client.get(reverse("hiring:company_schedule_ics", kwargs={"pk": world.camp.pk})).content.decode()
    assert person.display_name in ics


def test_another_seekers_pages_answer_404(client):
    world = _world_with(1)
    stranger = seeker(world.camp)
    application = world.camp.seekers.exclude(pk=stranger.pk).get().applications.get()
    client.force_login(stranger.user)
    assert client.get(reverse("hiring:cv_download", kwargs={"pk": application.pk})).status_code == 404
    assert client.post(reverse("hiring:application_withdraw", kwargs={"pk": application.pk})).status_code == 404
    assert client.post(reverse("hiring:queue_mark", kwargs={"pk": application.pk})).status_code == 404
    # Their own schedule is empty, not the other seeker's.
    page = client.get(reverse("hiring:seeker_schedule", kwargs={"pk": world.camp.pk})).content.decode()
    assert application.position.title not in page


def test_english_page(client):
    world = _world_with(0)
    person = seeker(world.camp)
    client.force_login(person.user)
    response = client.get(reverse("hiring:seeker_home", kwargs={"pk": world.camp.pk}), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "Consent to the provision of personal data to third parties" in body
    assert "Recipients" in body and "제공받는 자" not in body
    services.seeker_consent_withdraw(seeker=person, by=person.user)
