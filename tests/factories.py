"""Factories shared by every app's tests. App-specific ones live in tests/<app>/factories.py."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Membership, User
from companies.models import Company, Sector
from events.models import Audience, Event, EventKind, Registration

PASSWORD = "magok-test-pass-2027!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.kr")
    name = factory.Sequence(lambda n: f"사용자{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"sector-{n}")
    name_ko = factory.Sequence(lambda n: f"업종{n}")
    name_en = factory.Sequence(lambda n: f"Sector {n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name_ko = factory.Sequence(lambda n: f"테스트기업{n}")
    name_en = factory.Sequence(lambda n: f"Test Company {n}")
    slug = factory.Sequence(lambda n: f"test-company-{n}")
    size_class = Company.SizeClass.SME
    move_in_status = Company.MoveInStatus.MOVED_IN


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.STAFF
    status = Membership.Status.APPROVED


class RepresentativeFactory(MembershipFactory):
    role = Membership.Role.REPRESENTATIVE


class EventKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventKind
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"kind-{n}")
    name_ko = factory.Sequence(lambda n: f"행사유형{n}")
    name_en = factory.Sequence(lambda n: f"Event kind {n}")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = factory.SubFactory(EventKindFactory)
    title_ko = factory.Sequence(lambda n: f"마곡 행사 {n}")
    title_en = factory.Sequence(lambda n: f"Magok event {n}")
    venue_ko = "마곡 R&D센터"
    venue_en = "Magok R&D Center"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 10
    audience = Audience.TENANTS
    status = Event.Status.PUBLISHED
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(hours=1))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    attendee_name = factory.Sequence(lambda n: f"참석자{n}")
    email = factory.Sequence(lambda n: f"attendee{n}@example.kr")
    status = Registration.Status.CONFIRMED
    consent_version = "2027-01"
    consented_at = factory.LazyFunction(timezone.now)


def staff_with_permissions(app_label: str, *codenames: str) -> User:
    """An SBA staff account (not a superuser) holding only the named permissions of ``app_label``."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return user
