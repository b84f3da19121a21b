"""A company sees a seeker's profile and CV only for an application made to it under a consent
in force; after a withdrawal or the retention period nobody (but the seeker) does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring import selectors, services
from hiring.models import JobApplication
from tests.factories import MembershipFactory

from .factories import camp_world, seeker

pytestmark = pytest.mark.django_db


def test_applying_needs_the_third_party_consent():
    world = camp_world()
    person = seeker(world.camp, consent=False)
    with pytest.raises(services.HiringError) as error:
        services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    assert error.value.code == "consent_required"
    assert not JobApplication.objects.exists()


def test_company_sees_cv_only_for_an_application_to_it(client):
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    url = reverse("hiring:cv_download", kwargs={"pk": application.pk})

    client.force_login(world.members[0])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"

    # The other participating company, to which the seeker did not apply: 404.
    client.force_login(world.members[1])
    assert client.get(url).status_code == 404
    page = client.get(reverse("hiring:company_home", kwargs={"pk": world.camp.pk}))
    assert person.display_name not in page.content.decode()


def test_after_withdrawal_nobody_sees_the_cv_or_profile(client):
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    url = reverse("hiring:cv_download", kwargs={"pk": application.pk})
    client.force_login(person.user)
    client.post(reverse("hiring:consent_withdraw", kwargs={"pk": world.camp.pk}))

    application.refresh_from_db()
    assert application.status == JobApplication.Status.WITHDRAWN
    for viewer in (world.members[0], world.staff):
        client.force_login(viewer)
        assert client.get(url).status_code == 404
    client.force_login(world.members[0])
    page = client.get(reverse("hiring:company_home", kwargs={"pk": world.camp.pk})).content.decode()
    assert person.display_name not in page and "마곡대학교" not in page
    # The seeker still has their own CV.
    client.force_login(person.user)
    assert client.get(reverse("hiring:my_cv", kwargs={"pk": world.camp.pk})).status_code == 200


def test_consent_given_again_does_not_revive_old_applications():
    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    services.seeker_consent_withdraw(seeker=person, by=person.user)
    person = services.seeker_save(camp=world.camp, user=person.user, values={}, consent=True)
    application.refresh_from_db()
    assert person.has_consent
    assert not selectors.profile_visible_to_company(application=application)


def test_after_the_retention_period_nobody_sees_the_cv(client):
    world = camp_world(retention_days=30)
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    later = world.camp.retention_ends_at + timedelta(seconds=1)
    application = JobApplication.objects.select_related("seeker", "position__camp__event").get(pk=application.pk)
    assert selectors.cv_visible(application=application, user=world.members[0])
    assert not selectors.cv_visible(application=application, user=world.members[0], now=later)
    assert not selectors.cv_visible(application=application, user=world.staff, now=later)


def test_staff_without_the_seeker_permission_do_not_see_cvs(client):
    from tests.factories import UserFactory

    world = camp_world()
    person = seeker(world.camp)
    application = services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("hiring:cv_download", kwargs={"pk": application.pk})).status_code == 404


def test_company_members_cannot_take_part_as_seekers():
    world = camp_world()
    member = MembershipFactory().user
    with pytest.raises(services.HiringError) as error:
        seeker(world.camp, user=member)
    assert error.value.code == "seeker_has_company"


def test_cv_is_checked_by_content():
    from programs.uploads import UploadRejected

    from .factories import cv_file

    world = camp_world()
    person = seeker(world.camp, cv=False)
    with pytest.raises(UploadRejected):
        services.seeker_save(
            camp=world.camp, user=person.user, values={}, cv=cv_file("cv.pdf", b"MZ\x90\x00 not a pdf"), consent=True
        )
    person.refresh_from_db()
    assert not person.cv


def test_cv_is_stored_privately(settings):
    world = camp_world()
    person = seeker(world.camp)
    path = person.cv.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert "이력서" not in path  # random name; the original is on the row only
    assert person.cv_original_name == "이력서.pdf"
    with pytest.raises(ValueError):
        person.cv.url  # noqa: B018


def test_applying_after_the_deadline_is_refused():
    world = camp_world(applications_close_at=timezone.now() - timedelta(minutes=1))
    person = seeker(world.camp)
    with pytest.raises(services.HiringError) as error:
        services.application_apply(seeker=person, position=world.positions[0], by=person.user)
    assert error.value.code == "camp_closed"
