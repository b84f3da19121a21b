"""Pages of the hiring camp: the camp and its positions, the seeker's page, the company's page,
the schedules, the CV download and the queue at a company's table on the day."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from magok.errors import DomainError
from magok.http import AuthenticatedRequest

from . import scheduling, selectors, services
from .consent import SEEKER_CONSENT
from .forms import ApplyForm, PositionForm, QueueForm, ResultForm, SeekerForm, WalkInForm
from .models import Camp, CampCompany, JobApplication, Position, Seeker

Status = JobApplication.Status


def _camp(pk: int) -> Camp:
    return get_object_or_404(selectors.camp_queryset_public(), pk=pk)


def camp_list(request: HttpRequest) -> HttpResponse:
    camps = selectors.camp_queryset_public().order_by("-event__starts_at")
    return render(request, "hiring/camp_list.html", {"camps": camps})


def camp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)  # type: ignore[arg-type]
    applied = (
        set(seeker.applications.exclude(status=Status.WITHDRAWN).values_list("position_id", flat=True))
        if seeker
        else set()
    )
    company = request.user.company if request.user.is_authenticated else None
    context = {
        "camp": camp,
        "positions": selectors.positions_open(camp=camp),
        "seeker": seeker,
        "applied": applied,
        "is_participant_company": bool(company and camp.companies.filter(company=company).exists()),
        "apply_form": ApplyForm(),
        "now": timezone.now(),
    }
    return render(request, "hiring/camp_detail.html", context)


# --- the seeker's side ----------------------------------------------------------------------


@login_required
def seeker_home(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The seeker's profile (with CV and consent) and applications for one camp."""
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)
    form = SeekerForm(instance=seeker or Seeker(display_name=request.user.name, phone=request.user.phone))
    if request.method == "POST":
        form = SeekerForm(request.POST, request.FILES, instance=seeker or Seeker(camp=camp, user=request.user))
        if form.is_valid():
            try:
                services.seeker_save(
                    camp=camp,
                    user=request.user,
                    values=form.values(),
                    cv=form.cleaned_data.get("cv_file"),
                    consent=bool(form.cleaned_data.get("consent")),
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("구직자 정보를 저장했습니다."))
                return redirect("hiring:seeker_home", pk=camp.pk)
    context = {
        "camp": camp,
        "seeker": seeker,
        "form": form,
        "consent": SEEKER_CONSENT,
        "has_company": request.user.company is not None,
        "applications": selectors.applications_of_seeker(seeker=seeker) if seeker else [],
    }
    return render(request, "hiring/seeker_home.html", context)


@login_required
@require_POST
def consent_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)
    if seeker is None:
        raise Http404
    withdrawn = services.seeker_consent_withdraw(seeker=seeker, by=request.user)
    messages.success(
        request,
        _("제3자 제공 동의를 철회했습니다. 이제 어느 기업도 회원님의 정보를 볼 수 없습니다. 취소된 지원: %(n)d건")
        % {"n": withdrawn},
    )
    return redirect("hiring:seeker_home", pk=camp.pk)


@login_required
def my_cv(request: AuthenticatedRequest, pk: int) -> FileResponse:
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)
    if seeker is None or not seeker.cv:
        raise Http404
    return _cv_response(seeker)


@login_required
@require_POST
def position_apply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    position = get_object_or_404(Position.objects.select_related("camp"), pk=pk, status=Position.Status.APPROVED)
    seeker = selectors.seeker_for(user=request.user, camp=position.camp)
    if seeker is None:
        messages.error(request, _("먼저 구직자 정보를 작성하고 개인정보 제3자 제공에 동의해 주세요."))
        return redirect("hiring:seeker_home", pk=position.camp_id)
    form = ApplyForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        services.application_apply(seeker=seeker, position=position, by=request.user, message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("hiring:camp_detail", pk=position.camp_id)
    messages.success(request, _("%(position)s에 지원했습니다.") % {"position": position.title})
    return redirect("hiring:seeker_home", pk=position.camp_id)


@login_required
@require_POST
def application_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(JobApplication.objects.select_related("seeker"), pk=pk, seeker__user=request.user)
    try:
        services.application_transition(application=application, to=Status.WITHDRAWN, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("지원을 취소했습니다."))
    return redirect("hiring:seeker_home", pk=application.seeker.camp_id)


@login_required
def seeker_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)
    if seeker is None:
        raise Http404
    entries = scheduling.schedule_for_seeker(seeker=seeker)
    return render(request, "hiring/schedule.html", {"camp": camp, "entries": entries, "who": seeker, "side": "seeker"})


@login_required
def seeker_schedule_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)
    if seeker is None:
        raise Http404
    body = scheduling.schedule_ics(camp=camp, entries=scheduling.schedule_for_seeker(seeker=seeker))
    return _ics_response(body, f"hiring-{camp.pk}-me.ics")


@login_required
def coaching(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Free coaching slots of the camp; a seeker with a profile books one (POST ``slot``, ``table``)."""
    camp = _camp(pk)
    seeker = selectors.seeker_for(user=request.user, camp=camp)
    if seeker is None:
        raise Http404
    if request.method == "POST":
        try:
            scheduling.coaching_book(
                seeker=seeker,
                table_id=int(request.POST.get("table", "0") or 0),
                slot_id=int(request.POST.get("slot", "0") or 0),
                by=request.user,
            )
        except ValueError:
            messages.error(request, _("시간대를 다시 골라 주세요."))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("취업 코칭을 예약했습니다."))
        return redirect("hiring:coaching", pk=camp.pk)
    context = {"camp": camp, "free": scheduling.coaching_free(camp=camp, seeker=seeker), "seeker": seeker}
    return render(request, "hiring/coaching.html", context)


# --- the company's side ---------------------------------------------------------------------


def _camp_company(request: AuthenticatedRequest, camp: Camp) -> CampCompany:
    """The user's company in this camp; 404 for anyone whose company does not take part."""
    company = request.user.company
    if company is None:
        raise Http404
    try:
        return CampCompany.objects.select_related("company").get(camp=camp, company=company)
    except CampCompany.DoesNotExist:
        raise Http404 from None


@login_required
def company_home(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The company's positions (post a new one), applications and shortlist for one camp."""
    camp = _camp(pk)
    participation = _camp_company(request, camp)
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_save(
                camp=camp, company_id=participation.company_id, values=form.values(), by=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("채용 포지션을 등록했습니다. SBA 담당자가 승인하면 구직자에게 공개됩니다."))
            return redirect("hiring:company_home", pk=camp.pk)
    applications = list(selectors.applications_for_company(company_id=participation.company_id, camp=camp))
    now = timezone.now()
    for application in applications:
        application.profile_visible = selectors.profile_visible_to_company(application=application, now=now)  # type: ignore[attr-defined]
        application.actions = services.allowed_transitions(application=application, user=request.user)  # type: ignore[attr-defined]
    context = {
        "camp": camp,
        "participation": participation,
        "positions": Position.objects.filter(camp=camp, company_id=participation.company_id),
        "applications": applications,
        "form": form,
        "result_form": ResultForm(),
    }
    return render(request, "hiring/company_home.html", context)


def _company_application(request: AuthenticatedRequest, pk: int) -> JobApplication:
    try:
        return selectors.application_for_company_member(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@login_required
@require_POST
def application_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The company shortlists, declines or un-shortlists (``to``); staff confirm a match."""
    application = _company_application(request, pk)
    to = request.POST.get("to", "")
    if to not in (Status.SHORTLISTED, Status.DECLINED, Status.APPLIED, Status.MATCHED):
        messages.error(request, _("처리할 수 없는 요청입니다."))
    else:
        try:
            services.application_transition(application=application, to=to, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("처리했습니다."))
    return redirect("hiring:company_home", pk=application.position.camp_id)


@login_required
@require_POST
def application_result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _company_application(request, pk)
    form = ResultForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("채용 결과를 선택해 주세요."))
    else:
        try:
            services.application_result_record(
                application=application,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("채용 결과를 저장했습니다."))
    return redirect("hiring:company_home", pk=application.position.camp_id)


def _cv_response(seeker: Seeker) -> FileResponse:
    try:
        handle = seeker.cv.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=seeker.cv_original_name or "cv", content_type=seeker.cv_content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def cv_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A seeker's CV for the application ``pk``: only for the company applied to (and hiring
    staff with the permission to view seekers), only under a consent in force and before the
    retention period ends. Everyone else, and everyone after that, gets 404."""
    application = _company_application(request, pk)
    if not selectors.cv_visible(application=application, user=request.user):
        raise Http404
    return _cv_response(application.seeker)


@login_required
def company_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    camp = _camp(pk)
    participation = _camp_company(request, camp)
    entries = scheduling.schedule_for_company(participation=participation)
    context = {"camp": camp, "entries": entries, "who": participation.company, "side": "company"}
    return render(request, "hiring/schedule.html", context)


@login_required
def company_schedule_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    camp = _camp(pk)
    participation = _camp_company(request, camp)
    body = scheduling.schedule_ics(camp=camp, entries=scheduling.schedule_for_company(participation=participation))
    return _ics_response(body, f"hiring-{camp.pk}-company.ics")


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- on the day -----------------------------------------------------------------------------


def _queue_participation(user: User, pk: int) -> CampCompany:
    participation = get_object_or_404(CampCompany.objects.select_related("camp__event", "company"), pk=pk)
    if not (user.is_member_of(participation.company_id) or services.is_hiring_staff(user)):
        raise Http404
    return participation


@login_required
def queue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The phone-friendly queue at a company's table: the interviews in slot order, who is next."""
    participation = _queue_participation(request.user, pk)
    entries = scheduling.queue_for_company(participation=participation)
    next_entry = next(
        (
            e
            for e in entries
            if e.application is not None and e.application.queue_status in ("waiting", "arrived", "late")
        ),
        None,
    )
    walk_in_form = None
    if services.is_hiring_staff(request.user):
        walk_in_form = WalkInForm(
            positions=Position.objects.filter(
                camp=participation.camp, company=participation.company, status=Position.Status.APPROVED
            )
        )
    context = {
        "participation": participation,
        "camp": participation.camp,
        "entries": entries,
        "next_entry": next_entry,
        "queue_form": QueueForm(),
        "walk_in_form": walk_in_form,
    }
    return render(request, "hiring/queue.html", context)


@login_required
@require_POST
def queue_mark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _company_application(request, pk)
    form = QueueForm(request.POST)
    if form.is_valid():
        try:
            services.queue_mark(
                application=application, queue_status=form.cleaned_data["queue_status"], by=request.user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    participation = CampCompany.objects.get(
        camp_id=application.position.camp_id, company_id=application.position.company_id
    )
    return redirect("hiring:queue", pk=participation.pk)


@login_required
@require_POST
def walk_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Staff add a seeker who came without a pre-match into the table's first free slot."""
    participation = _queue_participation(request.user, pk)
    if not services.is_hiring_staff(request.user):
        raise Http404
    form = WalkInForm(
        request.POST,
        positions=Position.objects.filter(camp=participation.camp, company=participation.company, status="approved"),
    )
    if not form.is_valid():
        messages.error(request, _("구직자 이메일과 포지션을 확인해 주세요."))
        return redirect("hiring:queue", pk=participation.pk)
    seeker = Seeker.objects.filter(camp=participation.camp, user__email__iexact=form.cleaned_data["email"]).first()
    if seeker is None:
        messages.error(
            request, _("이 이메일로 이 캠프에 등록한 구직자가 없습니다. 먼저 구직자 정보 작성과 동의를 받아 주세요.")
        )
        return redirect("hiring:queue", pk=participation.pk)
    try:
        application = services.walk_in_add(seeker=seeker, position=form.cleaned_data["position"], by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        slot = application.meeting.slot if application.meeting else None  # type: ignore[attr-defined]
        messages.success(request, _("%(name)s 님을 %(slot)s에 배정했습니다.") % {"name": seeker, "slot": slot})
    return redirect("hiring:queue", pk=participation.pk)
