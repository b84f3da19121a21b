"""The consultations API: a profile, a request, its acceptance and both schedules."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import CompanyFactory, MembershipFactory, RegistrationFactory, SectorFactory, UserFactory

from .factories import make_grid

pytestmark = pytest.mark.django_db


def _auth(user) -> dict[str, str]:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def test_profile_request_accept_and_schedule_through_the_api(client, django_assert_max_num_queries):
    grid, _slots, _tables = make_grid(slots=2, tables=1)
    SectorFactory(slug="bio", name_ko="바이오")
    company = CompanyFactory(name_ko="웰스바이오")
    seller, buyer = UserFactory(), UserFactory()
    MembershipFactory(user=seller, company=company)
    for user in (seller, buyer):
        RegistrationFactory(event=grid.event, user=user, email=user.email)
    base = f"/api/v1/meetings/grids/{grid.pk}"

    assert client.get(f"{base}/profile/", headers=_auth(seller)).status_code == 404  # no profile yet
    profile = {"display_name": "김연구", "role": "company", "offers_keywords": "분자진단", "offers_sectors": ["bio"]}
    answer = client.put(f"{base}/profile/", profile, content_type="application/json", headers=_auth(seller))
    assert answer.status_code == 200, answer.json()
    assert answer.json()["offers_sectors"] == ["bio"]
    bad = client.put(
        f"{base}/profile/", {**profile, "role": "alien"}, content_type="application/json", headers=_auth(seller)
    )
    assert bad.status_code == 400 and "role" in bad.json()
    buyer_profile = {"display_name": "박교수", "role": "hospital", "seeks_keywords": "분자진단 키트"}
    client.put(f"{base}/profile/", buyer_profile, content_type="application/json", headers=_auth(buyer))

    suggestions = client.get(f"{base}/suggestions/", headers=_auth(buyer)).json()
    assert suggestions[0]["participant"]["display_name"] == "김연구"
    assert suggestions[0]["reasons"] == ["분자진단 키트 ↔ 분자진단"]
    seller_id = suggestions[0]["participant"]["id"]
    created = client.post(
        "/api/v1/meetings/requests/",
        {"recipient": seller_id, "message": "만나고 싶습니다"},
        content_type="application/json",
        headers=_auth(buyer),
    )
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    again = client.post(
        "/api/v1/meetings/requests/", {"recipient": seller_id}, content_type="application/json", headers=_auth(buyer)
    )
    assert again.status_code == 409 and again.json()["code"] == "request_duplicate"

    refused = client.post(f"/api/v1/meetings/requests/{request_id}/accept/", headers=_auth(buyer))
    assert refused.status_code == 400 and refused.json()["code"] == "forbidden"
    accepted = client.post(f"/api/v1/meetings/requests/{request_id}/accept/", headers=_auth(seller))
    assert accepted.json()["state"] == "accepted"

    with django_assert_max_num_queries(8):
        schedule = client.get(f"{base}/schedule/", headers=_auth(seller)).json()
    assert [m["with_participants"] for m in schedule] == [["박교수"]]
    buyer_schedule = client.get(f"{base}/schedule/", headers=_auth(buyer)).json()
    assert (
        buyer_schedule[0]["starts_at"] == schedule[0]["starts_at"]
        and buyer_schedule[0]["table"] == schedule[0]["table"]
    )
