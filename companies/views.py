from __future__ import annotations

import posixpath
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.static import serve

from accounts.models import Membership
from events.selectors import events_upcoming_for_home, next_registration, registration_owner_key
from magok.http import AuthenticatedRequest
from magok.pagecache import cache_public_page, kept_values, public_fragments, render_public_fragment, rendered_html
from programs.selectors import application_titles_for_company, calls_open_for_home

from .forms import CompanySearchForm, ProfileEditForm
from .models import PENDING_LOGO_DIR, Company, ProfileChangeRequest
from .selectors import OneQueryPaginator, company_search, complex_statistics, did_you_mean, sector_choices
from .services import company_can_edit_profile, profile_change_pending, profile_change_submit, profile_data_of
from .signals import company_stamp

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 20


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    """What is next for everyone (events, open calls) and, signed in, for me: my next event, my
    company's applications, the join requests waiting for a representative, or the join request
    a new user without a company should make.

    Every block is kept (magok/pagecache.py ``kept_values``), all fetched in one Redis round
    trip, each under a key of everyone it is for:

    - the open calls and the statistics are the same for everyone;
    - the upcoming events differ by audience: a member also sees the members-only ones, a
      representative the executives' ones, and an invited company its invitations, so that
      block is kept per company and role (never shared across companies);
    - the company's applications and the count of join requests (for its representative only)
      are kept per company and role, under the company's stamp, which every application and
      membership write replaces (companies/signals.py);
    - "my next event" is the user's: kept under a key of that user and their company and role
      (which decide which registrations are theirs), until that event ends.

    All of it is under the content version, which every event, registration and call write
    replaces. The join request of a user without a company is read every time."""
    user = request.user if request.user.is_authenticated else None
    company = user.company if user is not None else None
    role = "representative" if user is not None and user.is_representative else "member"
    language = get_language()
    audience = f"company:{company.pk}:{role}" if company is not None else ""

    events_key, calls_key, overview_key = (
        f"home:events:{audience}:{language}",
        f"home:calls:{language}",
        f"home:overview:{language}",
    )
    parts: dict[str, tuple[Callable[[], tuple[Any, datetime | None]], str]] = {
        events_key: (
            lambda: (
                render_public_fragment("companies/_home_events.html", {"events": events_upcoming_for_home(user=user)}),
                None,
            ),
            "",
        ),
        calls_key: (
            lambda: (render_public_fragment("companies/_home_calls.html", {"calls": calls_open_for_home()}), None),
            "",
        ),
        overview_key: (
            lambda: (
                render_public_fragment("companies/_home_overview.html", {"stats": complex_statistics()}),
                None,
            ),
            "",
        ),
    }
    next_key = company_key = ""  # the user's and the company's, signed in
    if user is not None:
        next_key = f"home:next-event:{registration_owner_key(user)}:{language}"
        parts[next_key] = (lambda: _home_next_event(user), "")
    if user is not None and company is not None:
        company_key = f"home:company:{company.pk}:{role}:{language}"
        parts[company_key] = (lambda: _home_company(company, role), company_stamp(company.pk))
    kept = kept_values(parts)
    context: dict[str, object] = {
        "home_events": rendered_html(kept[events_key]),
        "home_calls": rendered_html(kept[calls_key]),
        "home_overview": rendered_html(kept[overview_key]),
        "home_company": company,
    }
    if user is not None:
        context["my_next_event"] = rendered_html(kept[next_key])
        if company is None:
            context["pending_join_request"] = (
                user.memberships.filter(status=Membership.Status.PENDING).select_related("company").first()
            )
        else:
            applications_html, context["join_requests"] = kept[company_key]
            context["company_applications"] = rendered_html(applications_html)
    return render(request, "companies/home.html", context)


def _home_next_event(user: User) -> tuple[str, datetime | None]:
    registration = next_registration(user=user)
    html = render_to_string("companies/_home_next_event.html", {"next_registration": registration})
    # Once that event ends the next one is another: kept only until then.
    return html, registration.event.ends_at if registration else None


def _home_company(company: Company, role: str) -> tuple[tuple[str, int], None]:
    applications = list(application_titles_for_company(company_id=company.pk)[:5])
    join_requests = 0
    if role == "representative":
        join_requests = Membership.objects.filter(company=company, status=Membership.Status.PENDING).count()
    return (render_to_string("companies/_home_company.html", {"applications": applications}), join_requests), None


@cache_public_page
def company_list(request: HttpRequest) -> HttpResponse:
    """The directory is the same for everyone: signed-in visitors get its search form and results
    as a cached fragment (magok/pagecache.py), only the page around it is theirs."""

    def directory() -> str:
        form = CompanySearchForm(request.GET or None, sectors=sector_choices())
        search = form.search_arguments()
        page = OneQueryPaginator(company_search(**search), PAGE_SIZE).get_page(request.GET.get("page"))
        query_without_page = request.GET.copy()
        query_without_page.pop("page", None)
        return render_public_fragment(
            "companies/_directory.html",
            {
                "form": form,
                "page": page,
                "companies": page.object_list,
                "suggestion": did_you_mean(list(page.object_list)) if search["query"] and page.number == 1 else None,
                "searching": any(search.values()),
                "query_without_page": query_without_page.urlencode(),
                "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
                "stats": complex_statistics(),
            },
        )

    return render(request, "companies/company_list.html", public_fragments(request, {"directory": directory}))


@cache_public_page
def company_detail(request: HttpRequest, slug: str) -> HttpResponse:
    company = get_object_or_404(Company.objects.prefetch_related("sectors"), slug=slug, is_public=True)
    can_edit = request.user.is_authenticated and company_can_edit_profile(company=company, user=request.user)
    return render(request, "companies/company_detail.html", {"company": company, "can_edit": can_edit})


@login_required
def my_profile_edit(request: AuthenticatedRequest) -> HttpResponse:
    company = request.user.company
    if company is None:
        raise Http404
    return redirect("companies:profile_edit", slug=company.slug)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The company's own people see the profile form; only the representative may submit it.
    Anyone else gets 404, so that the page does not reveal which companies exist."""
    membership = request.user.membership
    if membership is None or membership.company.slug != slug:
        raise Http404
    company = get_object_or_404(Company.objects.prefetch_related("sectors"), pk=membership.company_id)
    can_edit = company_can_edit_profile(company=company, user=request.user)
    pending = profile_change_pending(company=company)
    last_decision = (
        company.change_requests.exclude(status=ProfileChangeRequest.Status.PENDING).order_by("-reviewed_at").first()
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ProfileEditForm(request.POST, request.FILES)
        if form.is_valid():
            profile_change_submit(
                company=company,
                by=request.user,
                data=form.proposed_data(),
                logo=form.cleaned_data.get("logo"),
                remove_logo=form.cleaned_data.get("remove_logo", False),
            )
            messages.success(request, _("변경 요청을 보냈습니다. SBA 담당자가 승인하면 공개 페이지에 반영됩니다."))
            return redirect("companies:profile_edit", slug=company.slug)
    else:
        # A pending request holds only the changed fields: show them over the current values.
        initial = {**profile_data_of(company=company), **(pending.data if pending else {})}
        form = ProfileEditForm(initial=initial)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "companies/profile_edit.html",
        {"company": company, "form": form, "pending": pending, "last_decision": last_decision, "can_edit": can_edit},
    )


def logo_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """Company logos. A logo proposed in a pending change request is not public yet: only SBA
    staff who may view change requests and the members of the company that proposed it may see it.

    The decision is made on the path that ``serve`` opens: it normalises the path, so that
    ``logos//pending/x`` or ``logos/a/../pending/x`` open ``logos/pending/x``. A path that is not
    already in that form is refused, so that the one checked is the one served."""
    segments = path.split("/")
    if posixpath.normpath(path) != path or "\\" in path or any(s in ("", ".", "..") for s in segments):
        raise Http404
    # Lower case: on a case-insensitive file system LOGOS/PENDING/ is the same folder.
    if path.lower().startswith(PENDING_LOGO_DIR):
        user = request.user
        allowed = user.is_authenticated and (
            (user.is_staff and user.has_perm("companies.view_profilechangerequest"))
            or ProfileChangeRequest.objects.filter(
                logo=path, company__memberships__user=user, company__memberships__status=Membership.Status.APPROVED
            ).exists()
        )
        if not allowed:
            raise Http404
        response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
        response["Cache-Control"] = "private, no-store"
        return response
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))
