"""Public programme pages, the company's application pages and the reviewer area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from magok.http import AuthenticatedRequest
from magok.inputs import parse_int
from magok.pagecache import cache_public_page

from . import selectors, services
from .consent import PROGRAM_CONSENT
from .eligibility import eligibility_check, eligibility_rules
from .forms import ApplicationForm, OutcomeReportForm, ReviewForm, TransitionMessageForm
from .models import Application, ApplicationAttachment, Outcome, Review, SupersededAttachment

Status = Application.Status


@cache_public_page
def program_list(request: HttpRequest) -> HttpResponse:
    programs = selectors.program_list_public()
    for program in programs:
        for call in program.open_calls:  # type: ignore[attr-defined]
            call.rules = eligibility_rules(call=call)
    has_reviews = request.user.is_authenticated and Review.objects.filter(reviewer_id=request.user.pk).exists()
    return render(
        request,
        "programs/program_list.html",
        {"programs": programs, "now": timezone.now(), "has_reviews": has_reviews},
    )


@cache_public_page
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        call = selectors.call_detail_public(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    context: dict = {"call": call, "rules": eligibility_rules(call=call), "now": timezone.now()}
    company = request.user.company if request.user.is_authenticated else None
    if company is not None:
        context["company"] = company
        context["reasons"] = eligibility_check(call=call, company=company)
        context["existing"] = Application.objects.filter(call=call, company=company).first()
    return render(request, "programs/call_detail.html", context)


@login_required
@require_POST
def call_apply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(selectors.call_queryset_public(), pk=pk)
    try:
        application = services.application_create(call=call, user=request.user)
    except services.ProgramError as exc:
        messages.error(request, exc.message)
        return redirect(call)
    return redirect(application)


@login_required
def application_list(request: AuthenticatedRequest) -> HttpResponse:
    company = request.user.company
    applications = selectors.application_list_for_company(company_id=company.pk) if company else []
    return render(request, "programs/application_list.html", {"applications": applications, "company": company})


def _member_application(request: AuthenticatedRequest, pk: int) -> Application:
    try:
        return selectors.application_for_member(user=request.user, pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


@login_required
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _member_application(request, pk)
    user = request.user
    form = ApplicationForm(application=application) if application.is_editable else None
    if request.method == "POST":
        if not application.is_editable:
            messages.error(request, _("이 신청서는 더 이상 수정할 수 없습니다."))
            return redirect(application)
        form = ApplicationForm(request.POST, request.FILES, application=application)
        if form.is_valid():
            return _application_save(request, application, form)
    attachments = list(application.attachments.select_related("document", "question"))
    context = {
        "application": application,
        "form": form,
        "attachments": attachments,
        "superseded": list(application.superseded_attachments.select_related("document", "question")),
        "can_undo_withdrawal": services.application_withdrawal_undoable(application=application)
        and services.application_can_submit(application=application, user=user),
        "attachments_by_document": {a.document_id: a for a in attachments if a.document_id},
        "attachments_by_question": {a.question_id: a for a in attachments if a.question_id},
        "events": list(application.events.all()),
        "can_submit": services.application_can_submit(application=application, user=user),
        "can_withdraw": Status.WITHDRAWN in services.allowed_transitions(application=application, user=user),
        "missing": services.application_missing_items(application=application) if application.is_editable else [],
        "now": timezone.now(),
        "withdraw_form": TransitionMessageForm(),
        "consent": PROGRAM_CONSENT,
    }
    return render(request, "programs/application_detail.html", context)


def _application_save(request: AuthenticatedRequest, application: Application, form: ApplicationForm) -> HttpResponse:
    """Save the valid form (and with ``action=submit`` submit it), then back to the page with
    what happened."""
    submit = request.POST.get("action", "save") == "submit"
    try:
        problems = services.application_save(
            application=application,
            by=request.user,
            fields=form.contact_values(),
            answers=form.answer_values(),
            consent=form.consent_given(),
            uploads=form.uploads(),
            submit=submit,
        )
    except services.ProgramError as exc:
        problems = [exc.message]
    for problem in problems:
        messages.error(request, problem)
    if not problems and submit:
        messages.success(request, _("신청서를 제출했습니다. 진행 상황은 이 페이지와 이메일로 알려 드립니다."))
    elif not problems:
        messages.success(request, _("저장했습니다."))
    return redirect(application)


@login_required
def application_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The confirmation step (GET) says what withdrawing means; the POST from it withdraws."""
    application = _member_application(request, pk)
    if Status.WITHDRAWN not in services.allowed_transitions(application=application, user=request.user):
        messages.error(request, _("이 신청은 지금 취소할 수 없습니다."))
        return redirect(application)
    # An empty POST (no message) is still a POST: bind the form to it.
    form = TransitionMessageForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.application_transition(
                application=application, to=Status.WITHDRAWN, by=request.user, message=form.cleaned_data["message"]
            )
        except services.ProgramError as exc:
            messages.error(request, exc.message)
        else:
            if services.application_withdrawal_undoable(application=application):
                done = _("신청을 취소했습니다. 접수 마감 전까지는 이 페이지에서 되돌릴 수 있습니다.")
                messages.success(request, done)
            else:
                messages.success(request, _("신청을 취소했습니다."))
        return redirect(application)
    return render(
        request,
        "programs/application_withdraw.html",
        {"application": application, "form": form, "undo_until": application.call.closes_at},
    )


@login_required
@require_POST
def application_withdraw_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _member_application(request, pk)
    try:
        services.application_withdraw_undo(application=application, by=request.user)
    except services.ProgramError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("신청 취소를 되돌렸습니다."))
    return redirect(application)


@login_required
def outcome_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _member_application(request, pk)
    if application.status != Status.SELECTED:
        raise Http404
    year = parse_int(request.GET.get("year"), minimum=2000, maximum=2100) or timezone.localdate().year
    instance = Outcome.objects.filter(company=application.company, program=application.call.program, year=year).first()
    form = OutcomeReportForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_report(
                application=application,
                by=request.user,
                year=form.cleaned_data["year"],
                values=form.values(),
            )
        except services.ProgramError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("성과를 보고했습니다. 감사합니다."))
            return redirect(application)
    return render(request, "programs/outcome_form.html", {"application": application, "form": form})


def _private_file(
    request: AuthenticatedRequest, attachment: ApplicationAttachment | SupersededAttachment
) -> FileResponse:
    """Only the company's members, SBA staff with the right to view documents and the
    application's reviewers get the file; anyone else gets 404, as for a file that does not exist."""
    user = request.user
    allowed = (
        (user.is_staff and user.has_perm("programs.view_applicationattachment"))
        or services.application_can_edit(application=attachment.application, user=user)
        or Review.objects.filter(application_id=attachment.application_id, reviewer_id=user.pk).exists()
    )
    if not allowed:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def attachment_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    return _private_file(request, get_object_or_404(ApplicationAttachment.objects.select_related("application"), pk=pk))


@login_required
def superseded_attachment_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """An earlier version of a file, replaced after a submission: the same people may get it."""
    return _private_file(request, get_object_or_404(SupersededAttachment.objects.select_related("application"), pk=pk))


# --- reviewer area --------------------------------------------------------------------------


@login_required
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    reviews = selectors.review_list_for_reviewer(user=request.user)
    return render(request, "programs/review_list.html", {"reviews": reviews})


@login_required
def review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        Review.objects.select_related("application__call__program", "application__company"),
        pk=pk,
        reviewer=request.user,
    )
    application = review.application
    criteria = list(application.call.criteria.all())
    form = ReviewForm(request.POST or None, review=review, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.review_submit(
                    review=review,
                    by=request.user,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                )
        except services.ProgramError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("심사를 제출했습니다."))
        return redirect(review)
    # Blind review: the others' scores only once this reviewer has submitted.
    see_others = review.submitted_at is not None or services.review_can_see_all(user=request.user)
    others = (
        [r for r in application.reviews.select_related("reviewer") if r.pk != review.pk and r.submitted_at]
        if see_others
        else []
    )
    context = {
        "review": review,
        "application": application,
        "questions": list(application.call.questions.all()),
        "attachments": list(application.attachments.select_related("document", "question")),
        "criteria": criteria,
        "form": form if review.submitted_at is None else None,
        "see_others": see_others,
        "others": [(r, r.weighted_score(criteria)) for r in others],
        "own_score": review.weighted_score(criteria),
    }
    return render(request, "programs/review_detail.html", context)
