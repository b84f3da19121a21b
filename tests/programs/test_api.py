from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Application, CallQuestion
from programs.services import application_attach

from .factories import PDF_BYTES, ApplicationFactory, CallFactory, CallQuestionFactory

pytestmark = pytest.mark.django_db


def test_public_programs_and_calls(client, open_call):
    response = client.get("/api/v1/programs/")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["results"]] == [open_call.program.slug]
    calls = client.get("/api/v1/calls/").json()["results"]
    assert calls[0]["id"] == open_call.pk
    assert calls[0]["documents"][0]["name_ko"] == "사업계획서"
    assert calls[0]["eligibility"]
    assert client.get(f"/api/v1/calls/{open_call.pk}/").status_code == 200


def test_unpublished_call_is_not_listed(client):
    hidden = CallFactory(is_published=False)
    assert client.get(f"/api/v1/calls/{hidden.pk}/").status_code == 404


def test_list_shows_only_own_company(client, representative, company):
    mine = ApplicationFactory(company=company)
    ApplicationFactory()
    client.force_login(representative)
    results = client.get("/api/v1/applications/").json()["results"]
    assert [r["id"] for r in results] == [mine.pk]


def test_other_companys_application_is_404(client, other_representative, company):
    application = ApplicationFactory(company=company, answers={"1": "비밀"})
    client.force_login(other_representative)
    response = client.get(f"/api/v1/applications/{application.pk}/")
    assert response.status_code == 404
    assert "비밀" not in response.content.decode()
    assert client.post(f"/api/v1/applications/{application.pk}/submit/").status_code == 404


def test_create_makes_a_draft_then_submit(client, representative, open_call):
    question = CallQuestionFactory(call=open_call)
    client.force_login(representative)
    response = client.post(
        "/api/v1/applications/",
        {
            "call": open_call.pk,
            "answers": {str(question.pk): "로봇 기술"},
            "contact_phone": "02-000-0000",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["answers"] == {str(question.pk): "로봇 기술"}
    application = Application.objects.get(pk=data["id"])
    assert application.contact_phone == "02-000-0000"
    assert application.consent_version == "2027-01" and application.consented_at is not None

    refused = client.post(f"/api/v1/applications/{application.pk}/submit/")
    assert refused.status_code == 400 and "사업계획서" in refused.json()["detail"]
    assert refused.json()["code"] == "missing_items"

    application_attach(
        application=application,
        upload=SimpleUploadedFile("plan.pdf", PDF_BYTES),
        by=representative,
        document=open_call.documents.get(),
    )
    submitted = client.post(f"/api/v1/applications/{application.pk}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"


def test_create_for_ineligible_company_is_refused(client, representative):
    call = CallFactory(eligible_size_classes=["large"])
    client.force_login(representative)
    response = client.post("/api/v1/applications/", {"call": call.pk}, content_type="application/json")
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    for path in ["/api/v1/programs/", "/api/v1/calls/", "/api/v1/applications/", "/api/v1/applications/{id}/submit/"]:
        assert path in schema["paths"], path


def test_create_for_a_call_of_an_inactive_programme_is_refused(client, representative, open_call):
    open_call.program.is_active = False
    open_call.program.save()
    client.force_login(representative)
    response = client.post("/api/v1/applications/", {"call": open_call.pk}, content_type="application/json")
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_create_with_a_refused_answer_leaves_no_draft_behind(client, representative, open_call):
    question = CallQuestionFactory(call=open_call, kind=CallQuestion.Kind.NUMBER, label_ko="직원 수")
    client.force_login(representative)
    response = client.post(
        "/api/v1/applications/",
        {"call": open_call.pk, "answers": {str(question.pk): "많음"}, "consent": True},
        content_type="application/json",
    )
    # Refused by the answer check, as invalid input ({field: [messages]}) naming the question.
    assert response.status_code == 400 and "직원 수" in response.content.decode()
    assert not Application.objects.exists()
