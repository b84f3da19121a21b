"""The hiring API: a seeker's own profile, applications and schedule; a company's own positions
and shortlist. Anyone else's object answers 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from hiring import services
from hiring.models import JobApplication, Position

from .factories import camp_world, cv_file, matched, seeker

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_seeker_creates_profile_with_cv_and_consent_then_applies():
    from tests.factories import UserFactory

    world = camp_world()
    user = UserFactory()
    client = api(user)
    response = client.post(
        "/api/v1/hiring/seeker/profiles/",
        {"camp": world.camp.pk, "display_name": "김구직", "education": "마곡대", "consent": True, "cv": cv_file()},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["has_consent"] is True and response.json()["cv_original_name"] == "이력서.pdf"

    response = client.post("/api/v1/hiring/seeker/applications/", {"position": world.positions[0].pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "applied"
    again = client.post("/api/v1/hiring/seeker/applications/", {"position": world.positions[0].pk}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_applied"


def test_a_bad_cv_is_refused_with_a_message():
    from tests.factories import UserFactory

    world = camp_world()
    client = api(UserFactory())
    response = client.post(
        "/api/v1/hiring/seeker/profiles/",
        {"camp": world.camp.pk, "display_name": "김구직", "cv": cv_file("cv.pdf", b"GIF89a")},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["code"] == "upload_type"


def test_others_profiles_applications_and_schedule_answer_404():
    world = camp_world()
    mine, theirs = seeker(world.camp), seeker(world.camp)
    application = matched(world, theirs, world.positions[0])
    client = api(mine.user)
    assert client.get(f"/api/v1/hiring/seeker/profiles/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/hiring/seeker/profiles/{theirs.pk}/withdraw-consent/").status_code == 404
    assert client.get(f"/api/v1/hiring/seeker/applications/{application.pk}/").status_code == 404
    assert client.post(f"/api/v1/hiring/seeker/applications/{application.pk}/withdraw/").status_code == 404
    assert client.get("/api/v1/hiring/seeker/schedule/").json() == []
    own = api(theirs.user).get("/api/v1/hiring/seeker/schedule/").json()
    assert len(own) == 1 and own[0]["kind"] == "interview"


def test_company_positions_and_applications_of_others_answer_404():
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    other = api(world.members[1])
    assert other.get(f"/api/v1/hiring/company/positions/{world.positions[0].pk}/").status_code == 404
    assert other.patch(f"/api/v1/hiring/company/positions/{world.positions[0].pk}/", {"title": "x"}).status_code == 404
    assert other.get(f"/api/v1/hiring/company/applications/{application.pk}/").status_code == 404
    decide = other.post(f"/api/v1/hiring/company/applications/{application.pk}/decide/", {"to": "shortlisted"})
    assert decide.status_code == 404
    assert other.get("/api/v1/hiring/company/applications/").json()["results"] == []


def test_company_shortlists_and_sees_the_profile_only_under_consent():
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    client = api(world.members[0])
    response = client.post(
        f"/api/v1/hiring/company/applications/{application.pk}/decide/", {"to": "shortlisted"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "shortlisted"
    assert response.json()["seeker"]["education"] == "마곡대학교 졸업"
    shortlist = client.get("/api/v1/hiring/company/applications/?status=shortlisted").json()["results"]
    assert [a["id"] for a in shortlist] == [application.pk]

    services.seeker_consent_withdraw(seeker=person, by=person.user)
    detail = client.get(f"/api/v1/hiring/company/applications/{application.pk}/").json()
    assert detail["seeker"] is None and detail["status"] == "withdrawn"


def test_company_posts_a_position_pending_approval():
    world = camp_world()
    client = api(world.members[0])
    response = client.post(
        "/api/v1/hiring/company/positions/",
        {"camp": world.camp.pk, "title": "임상 연구원", "field": "바이오", "hires_planned": 2, "place_of_work": "마곡"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    position = Position.objects.get(pk=response.json()["id"])
    assert position.company == world.companies[0] and position.created_by == world.members[0]
    # A company that does not take part in the camp cannot post.
    from tests.factories import MembershipFactory

    outsider = api(MembershipFactory().user)
    refused = outsider.post(
        "/api/v1/hiring/company/positions/",
        {"camp": world.camp.pk, "title": "x", "field": "y", "hires_planned": 1, "place_of_work": "z"},
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_company_member"


def test_company_records_a_result():
    world = camp_world()
    application = matched(world, seeker(world.camp), world.positions[0])
    client = api(world.members[0])
    response = client.post(
        f"/api/v1/hiring/company/applications/{application.pk}/result/", {"result": "hired"}, format="json"
    )
    assert response.status_code == 200 and response.json()["result"] == "hired"
    assert JobApplication.objects.get(pk=application.pk).result_by == world.members[0]


def test_company_application_list_query_count(django_assert_max_num_queries):
    world = camp_world(slots=12)
    for _ in range(8):
        person = seeker(world.camp)
        matched(world, person, world.positions[0])
    client = api(world.members[0])
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/hiring/company/applications/")
    rows = response.json()["results"]
    assert len(rows) == 8 and all(row["seeker"]["name"] and row["interview"] for row in rows)
