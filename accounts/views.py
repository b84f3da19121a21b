from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from companies.models import Company
from magok.http import AuthenticatedRequest, client_ip
from magok.ratelimit import attempts_within_limits
from magok.spreadsheets import XLSX_CONTENT_TYPE

from . import privacy, services
from .forms import (
    AccountDeleteForm,
    EmailAuthenticationForm,
    JoinCompanyForm,
    OutboxPasswordResetForm,
    ProfileForm,
    SignupForm,
)
from .models import Membership, User


def _remember_language(response: HttpResponseBase, user: User) -> HttpResponseBase:
    """Show the site in the user's preferred language from the next page on."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "failure_limit": settings.AXES_FAILURE_LIMIT}

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        _remember_language(response, form.get_user())
        return response


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("비밀번호를 바꿨습니다.")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The lockout page sends people here; a fresh password must let them in at once.
        services.user_lockout_clear(user=form.user)
        return response


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` when it is a path on this site to send someone after signing up, else ""."""
    url = (url or "").strip()
    allowed = {request.get_host()}
    if len(url) > 300 or not url.startswith("/"):
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=allowed, require_https=request.is_secure()) else ""


def signup(request: HttpRequest) -> HttpResponseBase:
    """The sign-up form. ``?email=`` pre-fills the address and ``?next=`` (a path on this site)
    is where the account lands once confirmed: an invitation to a consultation links here so."""
    data_in = request.POST if request.method == "POST" else request.GET
    next_url = _safe_next(request, data_in.get("next"))
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url) if next_url else redirect("accounts:profile")
    initial = {"email": request.GET.get("email", "").strip()[:254]} if request.method == "GET" else {}
    form = SignupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _signup_allowed(request, form):
        data = form.cleaned_data
        services.signup_request(
            email=data["email"],
            name=data["name"],
            password=data["password1"],
            phone=data["phone"],
            position=data["position"],
            language=data["language"],
            consent=form.consent_text,
            next_url=next_url,
        )
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form, "consent": form.consent_text, "next": next_url})


# Each sign-up e-mails the typed address (a link, or a notice to its owner): limit the attempts
# per address, and per client (behind a proxy many visitors share one, so that is generous).
SIGNUP_ATTEMPTS_PER_EMAIL_HOUR = 5
SIGNUP_ATTEMPTS_PER_CLIENT_HOUR = 30


def _signup_allowed(request: HttpRequest, form: SignupForm) -> bool:
    """Counts the attempt; when over a limit, says so on the form (the same for any address)."""
    email = form.cleaned_data["email"].strip().lower()
    if attempts_within_limits(
        (f"accounts:signup:email:{email}", SIGNUP_ATTEMPTS_PER_EMAIL_HOUR),
        (f"accounts:signup:client:{client_ip(request)}", SIGNUP_ATTEMPTS_PER_CLIENT_HOUR),
    ):
        return True
    form.add_error(None, _("가입 신청이 너무 많습니다. 한 시간 뒤에 다시 시도해 주세요."))
    return False


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


def signup_confirm(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link in the sign-up e-mail. Opening it shows a button; only the button (a POST)
    makes the account, so mail scanners that fetch links do not sign anybody up."""
    if request.method != "POST":
        return render(request, "accounts/signup_confirm.html")
    try:
        user, stored_next = services.signup_confirm(token=token)
    except services.SignupLinkError as error:
        return render(request, "accounts/signup_confirm.html", {"error": error.message}, status=400)
    except services.EmailTakenError:
        messages.info(request, _("이 이메일로 이미 가입되어 있습니다. 로그인해 주세요."))
        return redirect("accounts:login")
    login(request, user, backend="accounts.backends.ModelBackend")
    return _remember_language(_after_signup(request, user, _safe_next(request, stored_next)), user)


def _after_signup(request: HttpRequest, user: User, next_url: str) -> HttpResponseBase:
    """Where a new account lands: where the sign-up asked; else the consultation profile of an
    event the address is confirmed for, while it takes requests (an outside participant who
    signed up without the invitation's link); else the page to join a company."""
    from meetings.selectors import consultation_grid_open_for

    if next_url:
        messages.success(request, _("가입을 환영합니다."))
        return HttpResponseRedirect(next_url)
    grid = consultation_grid_open_for(email=user.email, now=timezone.now())
    if grid is not None:
        messages.success(
            request,
            _("가입을 환영합니다. %(title)s의 비즈니스 상담회에 참여할 수 있습니다. 상담회 프로필을 작성해 주세요.")
            % {"title": grid.event.title},
        )
        return redirect("meetings:profile", grid_id=grid.pk)
    messages.success(request, _("가입을 환영합니다. 소속 기업이 있다면 소속 요청을 보내 주세요."))
    return redirect("accounts:join")


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.user_profile_update(
            user=user, name=data["name"], phone=data["phone"], position=data["position"], language=data["language"]
        )
        messages.success(request, _("내 정보를 저장했습니다."))
        return _remember_language(redirect("accounts:profile"), user)
    memberships = user.memberships.select_related("company").order_by("-created_at")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def join(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    initial = {}
    if request.method == "GET" and request.GET.get("company"):
        initial["company"] = request.GET["company"]
    form = JoinCompanyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(
                user=user, company=form.cleaned_data["company"], message=form.cleaned_data["message"]
            )
        except services.MembershipError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("소속 요청을 보냈습니다. 기업 대표자나 SBA 담당자가 승인하면 이메일로 알려 드립니다.")
            )
            return redirect("accounts:profile")
    memberships = user.memberships.select_related("company").order_by("-created_at")
    return render(request, "accounts/join.html", {"form": form, "memberships": memberships})


@require_POST
@login_required
def membership_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    membership = get_object_or_404(Membership, pk=pk, user=request.user, status=Membership.Status.PENDING)
    services.membership_withdraw(membership=membership, by=request.user)
    messages.success(request, _("소속 요청을 취소했습니다."))
    return redirect("accounts:profile")


def _representative_company(request: AuthenticatedRequest) -> Company:
    user = request.user
    if not user.is_representative:
        raise PermissionDenied
    membership = user.membership
    assert membership is not None
    return membership.company


@login_required
def members(request: AuthenticatedRequest) -> HttpResponse:
    company = _representative_company(request)
    memberships = list(
        Membership.objects.filter(company=company)
        .exclude(status=Membership.Status.REJECTED)
        .select_related("user")
        .order_by("status", "-created_at")
    )
    return render(
        request,
        "accounts/members.html",
        {
            "company": company,
            "pending": [m for m in memberships if m.status == Membership.Status.PENDING],
            "approved": [m for m in memberships if m.status == Membership.Status.APPROVED],
        },
    )


def _company_membership(request: AuthenticatedRequest, pk: int, status: str) -> Membership:
    company = _representative_company(request)
    # Another company's request answers 404: its existence is not ours to reveal.
    return get_object_or_404(Membership.objects.select_related("user"), pk=pk, company=company, status=status)


def _membership_decide(
    request: AuthenticatedRequest, pk: int, *, status: str, service: Callable[..., object], done: str
) -> HttpResponseBase:
    """Run a representative's decision on one of their company's memberships; ``done`` is the
    success message with a ``%(name)s`` placeholder."""
    membership = _company_membership(request, pk, status)
    try:
        service(membership=membership, by=request.user)
    except services.MembershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": membership.user.name})
    return redirect("accounts:members")


@require_POST
@login_required
def membership_approve(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _membership_decide(
        request,
        pk,
        status=Membership.Status.PENDING,
        service=services.membership_approve,
        done=_("%(name)s 님의 소속 요청을 승인했습니다."),
    )


@require_POST
@login_required
def membership_reject(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _membership_decide(
        request,
        pk,
        status=Membership.Status.PENDING,
        service=services.membership_reject,
        done=_("%(name)s 님의 소속 요청을 반려했습니다."),
    )


@require_POST
@login_required
def membership_remove(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _membership_decide(
        request,
        pk,
        status=Membership.Status.APPROVED,
        service=services.membership_remove,
        done=_("%(name)s 님을 구성원에서 삭제했습니다."),
    )


@require_POST
@login_required
def membership_hand_over(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _membership_decide(
        request,
        pk,
        status=Membership.Status.APPROVED,
        service=services.membership_hand_over,
        done=_("%(name)s 님에게 대표자 역할을 넘겼습니다."),
    )


@login_required
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """The page that offers one's own data for download, and the downloads themselves."""
    fmt = request.GET.get("format")
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "json":
        data = privacy.personal_data_json(request.user)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="magok-my-data-{stamp}.json"'
    elif fmt == "xlsx":
        response = HttpResponse(privacy.personal_data_xlsx(request.user), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="magok-my-data-{stamp}.xlsx"'
    else:
        return render(request, "accounts/my_data.html", {"data": privacy.personal_data(request.user)})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request: AuthenticatedRequest) -> HttpResponseBase:
    user = request.user
    refusal = privacy.account_deletion_refusal(user)
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            privacy.account_delete(user=user)
        except privacy.AccountDeletionRefused as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            return redirect("accounts:deleted")
    upcoming = privacy.upcoming_registrations(user)
    return render(
        request, "accounts/account_delete.html", {"form": form, "refusal": refusal, "upcoming": upcoming}
    )


def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account_deleted.html")
