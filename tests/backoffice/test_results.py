"""The complex's yearly results: each figure against data built for it, the XLSX report, and
the public statistics agreeing with their own bars."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from backoffice.selectors import yearly_results
from companies.models import Company, ComplexProfile, ComplexYearTarget
from companies.selectors import complex_statistics
from events.models import Event, Registration
from programs.models import Application
from tests.factories import CompanyFactory, EventFactory, RegistrationFactory, StaffFactory, staff_with_permissions
from tests.programs.factories import ApplicationFactory, CallFactory, OutcomeFactory, ProgramFactory

pytestmark = pytest.mark.django_db

YEAR = 2026
NOW = datetime(YEAR, 12, 2, 12, 0, tzinfo=timezone.get_fixed_timezone(540))


def at(year: int, month: int = 6, day: int = 1) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=timezone.get_fixed_timezone(540))


def results():
    return yearly_results(year=YEAR, now=NOW)


def test_companies_allotted_against_the_profile_target():
    CompanyFactory.create_batch(3, move_in_status=Company.MoveInStatus.ALLOTTED)
    profile = ComplexProfile.load()
    profile.allotted_company_target = 120
    profile.save()

    figure = results().figure("companies_allotted")

    assert (figure.previous, figure.current, figure.target) == (3, 3, 120)


def test_companies_moved_in_by_year_end_against_the_yearly_target():
    CompanyFactory(moved_in_on=date(YEAR - 2, 3, 1))
    CompanyFactory(moved_in_on=date(YEAR - 1, 3, 1))
    CompanyFactory(moved_in_on=date(YEAR, 3, 1))
    CompanyFactory(moved_in_on=None)  # moved in, date unknown: before both years
    CompanyFactory(move_in_status=Company.MoveInStatus.UNDER_CONSTRUCTION)
    ComplexYearTarget.objects.create(profile=ComplexProfile.load(), year=YEAR, moved_in_companies=10)

    r = results()

    moved = r.figure("companies_moved_in")
    assert (moved.previous, moved.current, moved.target) == (3, 4, 10)
    arrived = r.figure("companies_arrived")
    assert (arrived.previous, arrived.current) == (1, 1)


def test_events_held_excludes_drafts_cancelled_and_future_events():
    EventFactory(starts_at=at(YEAR - 1))
    EventFactory(starts_at=at(YEAR, 3), status=Event.Status.FINISHED)
    EventFactory(starts_at=at(YEAR, 4))
    EventFactory(starts_at=at(YEAR, 5), status=Event.Status.CANCELLED)
    EventFactory(starts_at=at(YEAR, 5), status=Event.Status.DRAFT)
    EventFactory(starts_at=at(YEAR, 12, 20))  # after NOW: not held yet

    figure = results().figure("events_held")

    assert (figure.previous, figure.current) == (1, 2)


def test_registrations_and_attendance_rate():
    last_year = EventFactory(starts_at=at(YEAR - 1))
    RegistrationFactory(event=last_year, checked_in_at=at(YEAR - 1))
    RegistrationFactory(event=last_year)
    this_year = EventFactory(starts_at=at(YEAR))
    RegistrationFactory.create_batch(3, event=this_year, checked_in_at=at(YEAR))
    RegistrationFactory(event=this_year)
    RegistrationFactory(event=this_year, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=this_year, status=Registration.Status.CANCELLED)

    r = results()

    registrations = r.figure("registrations")
    assert (registrations.previous, registrations.current) == (2, 4)
    attended = r.figure("attended")
    assert (attended.previous, attended.current) == (1, 3)
    rate = r.figure("attendance_rate")
    assert (rate.previous, rate.current) == (50.0, 75.0)


def test_applications_and_selections_per_programme():
    tech = ProgramFactory(name_ko="기술사업화")
    export = ProgramFactory(name_ko="수출역량")
    ApplicationFactory(call=CallFactory(program=tech), status=Application.Status.SELECTED, submitted_at=at(YEAR))
    ApplicationFactory(call=CallFactory(program=tech), status=Application.Status.REJECTED, submitted_at=at(YEAR))
    ApplicationFactory(call=CallFactory(program=tech), status=Application.Status.SELECTED, submitted_at=at(YEAR - 1))
    ApplicationFactory(call=CallFactory(program=tech), status=Application.Status.DRAFT)  # never submitted
    ApplicationFactory(call=CallFactory(program=export), status=Application.Status.SUBMITTED, submitted_at=at(YEAR))

    rows = {row.program.pk: row for row in results().programmes}

    assert (rows[tech.pk].applications.previous, rows[tech.pk].applications.current) == (1, 2)
    assert (rows[tech.pk].selections.previous, rows[tech.pk].selections.current) == (1, 1)
    assert (rows[export.pk].applications.current, rows[export.pk].selections.current) == (1, 0)


@pytest.mark.parametrize(
    "field",
    ["mous_signed", "joint_rnd", "investment_krw", "export_contracts", "export_amount_krw", "patents_filed", "hires"],
)
def test_outcome_figures_are_summed_per_year(field):
    OutcomeFactory(year=YEAR, **{field: 3})
    OutcomeFactory(year=YEAR, **{field: 4})
    OutcomeFactory(year=YEAR - 1, **{field: 5})
    OutcomeFactory(year=YEAR - 2, **{field: 100})

    figure = results().figure(field)

    assert (figure.previous, figure.current) == (5, 7)


def test_results_page_draws_each_figure_and_a_table(client, django_assert_max_num_queries):
    CompanyFactory(moved_in_on=date(YEAR, 3, 1))
    OutcomeFactory(year=YEAR, mous_signed=2)
    client.force_login(StaffFactory())
    # 16 before the consultation MOUs (two queries) and the camp hires (two queries) were added.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("admin:backoffice_results"), {"year": YEAR})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<g transform="translate') == sum(
        len(figures) for _k, _s, figures in response.context["results"].sections
    )
    assert '<tr data-figure="mous_signed">' in html


def test_results_need_the_view_permissions(client):
    client.force_login(staff_with_permissions("companies", "view_company"))
    assert client.get(reverse("admin:backoffice_results")).status_code == 403
    assert client.get(reverse("admin:backoffice_results_xlsx", args=[YEAR])).status_code == 403


def test_yearly_report_downloads_as_xlsx_with_the_figures(client):
    OutcomeFactory(year=YEAR, hires=7)
    OutcomeFactory(year=YEAR - 1, hires=2)
    client.force_login(StaffFactory())

    response = client.get(reverse("admin:backoffice_results_xlsx", args=[YEAR]))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2:4] == (str(YEAR - 1), str(YEAR))
    hires = next(row for row in rows if row[1] == "신규 채용 · 지원사업 성과 (명)")
    assert hires[2:4] == (2, 7)
    labels = [row[1] for row in rows]
    # The consultation MOUs and camp hires sit next to the programme figures, with the totals.
    assert labels.index("MOU 체결 · 비즈니스 상담 (건)") == labels.index("MOU 체결 · 지원사업 성과 (건)") + 1
    assert labels.index("MOU 체결 합계 (건)") == labels.index("MOU 체결 · 비즈니스 상담 (건)") + 1
    assert labels.index("신규 채용 · 채용캠프 (명)") == labels.index("신규 채용 · 지원사업 성과 (명)") + 1
    total = next(row for row in rows if row[1] == "신규 채용 합계 (명)")
    assert total[2:4] == (2, 7)  # no camp hires in this data


def test_public_headline_figures_agree_with_their_bars(client):
    CompanyFactory.create_batch(2, size_class=Company.SizeClass.LARGE)
    CompanyFactory.create_batch(3, move_in_status=Company.MoveInStatus.ALLOTTED)
    CompanyFactory(moved_in_on=timezone.localdate() - timedelta(days=30))

    stats = complex_statistics()

    assert (
        stats.total == sum(bar.count for bar in stats.by_size) == sum(bar.count for bar in stats.by_move_in_status) == 6
    )
    moved_bar = next(bar for bar in stats.by_move_in_status if bar.key == Company.MoveInStatus.MOVED_IN)
    assert stats.moved_in == moved_bar.count == 3
    # The dashboard counts the same companies for this year as the public page does.
    assert yearly_results(year=timezone.localdate().year).figure("companies_moved_in").current == stats.moved_in
    assert yearly_results(year=timezone.localdate().year).figure("companies_allotted").current == stats.total
    html = client.get(reverse("home")).content.decode()
    assert '<dd data-figure="total">6' in html
    assert '<dd data-figure="moved_in">3' in html


@pytest.mark.parametrize("year", [0, 1999, 9999])
def test_report_of_an_impossible_year_is_404(client, year):
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:backoffice_results_xlsx", args=[year])).status_code == 404


def _consultation(grid, sender_company, recipient_company=None):
    from meetings.models import MeetingRequest
    from tests.meetings.factories import ParticipantFactory

    sender = ParticipantFactory(grid=grid, company=sender_company)
    recipient = ParticipantFactory(grid=grid, company=recipient_company)
    request = MeetingRequest.objects.create(grid=grid, sender=sender, recipient=recipient, state="accepted")
    return request, sender, recipient


def test_mous_signed_in_consultations_next_to_the_programme_mous_without_double_counting():
    from meetings.models import ConsultationOutcome
    from tests.meetings.factories import GridFactory

    signed = ConsultationOutcome.Result.MOU_SIGNED
    grid = GridFactory(event=EventFactory(starts_at=at(YEAR, 3)))
    tenant, other_tenant = CompanyFactory(), CompanyFactory()
    # Both sides record the same MOU (tenant with a research institute): one MOU.
    request, sender, recipient = _consultation(grid, tenant)
    ConsultationOutcome.objects.create(request=request, participant=sender, result=signed, occurred_on=date(YEAR, 4, 1))
    ConsultationOutcome.objects.create(
        request=request, participant=recipient, result=signed, occurred_on=date(YEAR, 4, 2)
    )
    # Two tenants sign with each other: one MOU for each company, as each would report it.
    request, sender, _recipient = _consultation(grid, tenant, other_tenant)
    ConsultationOutcome.objects.create(request=request, participant=sender, result=signed, occurred_on=date(YEAR, 5, 1))
    # Planned only, and signed the year before.
    request, sender, _recipient = _consultation(grid, CompanyFactory())
    ConsultationOutcome.objects.create(
        request=request, participant=sender, result=ConsultationOutcome.Result.MOU_PLANNED
    )
    request, sender, _recipient = _consultation(grid, CompanyFactory())
    ConsultationOutcome.objects.create(
        request=request, participant=sender, result=signed, occurred_on=date(YEAR - 1, 11, 1)
    )
    OutcomeFactory(year=YEAR, mous_signed=4)
    OutcomeFactory(year=YEAR - 1, mous_signed=1)

    figures = results()

    assert (figures.figure("mous_signed").previous, figures.figure("mous_signed").current) == (1, 4)
    assert (figures.figure("consultation_mous").previous, figures.figure("consultation_mous").current) == (1, 3)
    assert (figures.figure("mous_total").previous, figures.figure("mous_total").current) == (2, 7)


def test_hiring_camp_hires_next_to_the_programme_hires():
    from hiring.models import JobApplication
    from tests.hiring.factories import camp_world, matched, seeker

    def camp_in(year: int, hired: int, not_selected: int = 0) -> None:
        world = camp_world(companies=1)
        Event.objects.filter(pk=world.camp.event_id).update(
            starts_at=at(year, 10), ends_at=at(year, 10) + timedelta(hours=4)
        )
        for index in range(hired + not_selected):
            application = matched(world, seeker(world.camp), world.positions[0])
            result = JobApplication.Result.HIRED if index < hired else JobApplication.Result.NOT_SELECTED
            JobApplication.objects.filter(pk=application.pk).update(result=result)

    camp_in(YEAR, hired=2, not_selected=1)
    camp_in(YEAR - 1, hired=1)
    OutcomeFactory(year=YEAR, hires=5)

    figures = results()

    assert (figures.figure("hires").previous, figures.figure("hires").current) == (0, 5)
    assert (figures.figure("camp_hires").previous, figures.figure("camp_hires").current) == (1, 2)
    assert (figures.figure("hires_total").previous, figures.figure("hires_total").current) == (1, 7)
