from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from programs.models import Application
from programs.selectors import call_ranking
from programs.services import ProgramError, review_assign, review_submit
from tests.factories import MembershipFactory, UserFactory

from .factories import ApplicationFactory, CallFactory, ReviewCriterionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    call = CallFactory()
    ReviewCriterionFactory(call=call, name_ko="기술성", weight=3, max_score=10)
    ReviewCriterionFactory(call=call, name_ko="사업성", weight=1, max_score=20)
    return call


def _scores(call, *values):
    return {c.pk: v for c, v in zip(call.criteria.all(), values, strict=True)}


def test_weighted_total_and_ranking(call, staff):
    a = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    b = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    c = ApplicationFactory(call=call, status=Application.Status.SUBMITTED)
    r1, r2 = UserFactory(), UserFactory()
    # a: (10/10*100*3 + 10/20*100*1)/4 = 87.5 and (5/10*100*3 + 20/20*100)/4 = 62.5 -> 75.00
    review_submit(review=review_assign(application=a, reviewer=r1, by=staff), by=r1, scores=_scores(call, 10, 10))
    review_submit(review=review_assign(application=a, reviewer=r2, by=staff), by=r2, scores=_scores(call, 5, 20))
    # b: (8/10*100*3 + 20/20*100)/4 = 85.00
    review_submit(review=review_assign(application=b, reviewer=r1, by=staff), by=r1, scores=_scores(call, 8, 20))
    # c: assigned but not submitted -> unranked
    review_assign(application=c, reviewer=r2, by=staff)
    criteria, rows = call_ranking(call=call)
    assert [(r.application, r.average, r.rank) for r in rows] == [
        (b, Decimal("85.00"), 1),
        (a, Decimal("75.00"), 2),
        (c, None, None),
    ]


def test_equal_averages_share_a_rank(call, staff):
    reviewer = UserFactory()
    apps = [ApplicationFactory(call=call, status=Application.Status.SCREENING) for _ in range(3)]
    for app, values in zip(apps, [(5, 10), (5, 10), (1, 2)], strict=True):
        review = review_assign(application=app, reviewer=reviewer, by=staff)
        review_submit(review=review, by=reviewer, scores=_scores(call, *values))
    _criteria, rows = call_ranking(call=call)
    assert [r.rank for r in rows] == [1, 1, 3]


def test_scores_out_of_range_or_missing_are_refused(call, staff):
    reviewer = UserFactory()
    review = review_assign(application=ApplicationFactory(call=call), reviewer=reviewer, by=staff)
    with pytest.raises(ProgramError):
        review_submit(review=review, by=reviewer, scores=_scores(call, 11, 5))
    with pytest.raises(ProgramError):
        review_submit(review=review, by=reviewer, scores={})
    with pytest.raises(ProgramError):
        review_submit(review=review, by=UserFactory(), scores=_scores(call, 1, 1))


def test_submitted_review_cannot_be_changed(call, staff):
    reviewer = UserFactory()
    review = review_assign(application=ApplicationFactory(call=call), reviewer=reviewer, by=staff)
    review_submit(review=review, by=reviewer, scores=_scores(call, 1, 1))
    with pytest.raises(ProgramError):
        review_submit(review=review, by=reviewer, scores=_scores(call, 9, 9))


def test_member_of_the_applicant_cannot_review_it(call, staff):
    application = ApplicationFactory(call=call)
    insider = MembershipFactory(company=application.company).user
    with pytest.raises(ProgramError):
        review_assign(application=application, reviewer=insider, by=staff)


def test_blind_review_hides_other_scores_until_own_is_submitted(client, call, staff):
    application = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    first, second = UserFactory(name="심사위원가"), UserFactory(name="심사위원나")
    review_first = review_assign(application=application, reviewer=first, by=staff)
    review_second = review_assign(application=application, reviewer=second, by=staff)
    review_submit(review=review_first, by=first, scores=_scores(call, 7, 13))  # 68.75

    client.force_login(second)
    page = client.get(review_second.get_absolute_url()).content.decode()
    assert "68.75" not in page and "심사위원가" not in page
    assert "blind-notice" in page

    client.post(review_second.get_absolute_url(), {f"c_{c.pk}": 5 for c in call.criteria.all()})
    page = client.get(review_second.get_absolute_url()).content.decode()
    assert "심사위원가: 68.75" in page


def test_review_manager_sees_all_scores(client, call, staff):
    application = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    first, manager = UserFactory(name="심사위원가"), UserFactory(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="manage_reviews"))
    review_submit(
        review=review_assign(application=application, reviewer=first, by=staff), by=first, scores=_scores(call, 7, 13)
    )
    own = review_assign(application=application, reviewer=manager, by=staff)
    client.force_login(manager)
    assert "심사위원가: 68.75" in client.get(own.get_absolute_url()).content.decode()


def test_admin_review_list_is_blind_for_staff_without_manager_right(client, call, staff):
    application = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    other = UserFactory()
    hidden = review_assign(application=application, reviewer=other, by=staff)
    limited = UserFactory(is_staff=True)
    limited.user_permissions.add(Permission.objects.get(codename="view_review"))
    mine = review_assign(application=application, reviewer=limited, by=staff)
    client.force_login(limited)
    page = client.get("/admin/programs/review/").content.decode()
    assert f"/admin/programs/review/{mine.pk}/change/" in page
    assert f"/admin/programs/review/{hidden.pk}/change/" not in page


def test_staff_reviewer_without_manager_right_cannot_see_scores_in_admin(client, call, staff):
    application = ApplicationFactory(call=call, status=Application.Status.SCREENING)
    other = UserFactory(name="다른심사위원")
    review_submit(
        review=review_assign(application=application, reviewer=other, by=staff), by=other, scores=_scores(call, 7, 13)
    )
    limited = UserFactory(is_staff=True)
    limited.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_application", "change_application", "view_call"])
    )
    review_assign(application=application, reviewer=limited, by=staff)
    client.force_login(limited)
    page = client.get(f"/admin/programs/application/{application.pk}/change/").content.decode()
    assert "다른심사위원" not in page
    assert client.get(f"/admin/programs/call/{call.pk}/ranking/").status_code == 403
    assert client.get(f"/admin/programs/call/{call.pk}/export.xlsx").status_code == 403
    client.force_login(staff)  # a superuser sees everything
    assert "다른심사위원" in client.get(f"/admin/programs/application/{application.pk}/change/").content.decode()
    assert client.get(f"/admin/programs/call/{call.pk}/ranking/").status_code == 200
