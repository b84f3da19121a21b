"""Factories for the programmes app."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from programs.models import (
    Application,
    Call,
    CallQuestion,
    Outcome,
    Program,
    RequiredDocument,
    Review,
    ReviewCriterion,
)
from tests.factories import CompanyFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"program-{n}")
    name_ko = factory.Sequence(lambda n: f"지원사업{n}")
    name_en = factory.Sequence(lambda n: f"Programme {n}")
    kind = Program.Kind.COMMERCIALIZATION


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    program = factory.SubFactory(ProgramFactory)
    title_ko = factory.Sequence(lambda n: f"2027년 {n}차 공고")
    title_en = factory.Sequence(lambda n: f"2027 round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    budget_krw = 100_000_000
    selection_count = 5


class CallQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallQuestion

    call = factory.SubFactory(CallFactory)
    label_ko = factory.Sequence(lambda n: f"질문 {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    kind = CallQuestion.Kind.TEXT
    required = True


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    call = factory.SubFactory(CallFactory)
    name_ko = "사업계획서"
    name_en = "Business plan"
    required = True


class ReviewCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCriterion

    call = factory.SubFactory(CallFactory)
    name_ko = factory.Sequence(lambda n: f"평가항목{n}")
    name_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    max_score = 10


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    company = factory.SubFactory(CompanyFactory)
    created_by = factory.SubFactory(UserFactory)
    contact_name = "홍길동"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.kr")
    status = Application.Status.DRAFT
    consent_version = "2027-01"
    consented_at = factory.LazyFunction(timezone.now)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    company = factory.SubFactory(CompanyFactory)
    program = factory.SubFactory(ProgramFactory)
    year = 2027
