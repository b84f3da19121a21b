"""The staff pages of the admin site: the yearly results (and their XLSX report) and the
page of one company. Registered by ``StaffAdminSite.get_urls`` behind ``admin_view``
(staff only); each checks the model permissions it reads with."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company
from magok.http import AuthenticatedRequest
from magok.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes

from .selectors import company_overview as company_overview_of
from .selectors import yearly_report_rows, yearly_results

RESULTS_PERMISSIONS = (
    "companies.view_company",
    "events.view_event",
    "programs.view_application",
    "programs.view_outcome",
)
COMPANY_PERMISSIONS = (
    "companies.view_company",
    "accounts.view_membership",
    "events.view_registration",
    "programs.view_application",
    "programs.view_outcome",
)

# The complex was designated in 2008; no result is older than the portal's data.
FIRST_YEAR = 2000


def can_view_results(user: Any) -> bool:
    return bool(user.has_perms(RESULTS_PERMISSIONS))


def _year(request: AuthenticatedRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= default + 1 else default


def _context(request: AuthenticatedRequest, title: str) -> dict[str, Any]:
    from django.contrib import admin

    return {**admin.site.each_context(request), "title": title}


def results(request: AuthenticatedRequest) -> TemplateResponse:
    if not can_view_results(request.user):
        raise PermissionDenied
    this_year = timezone.localdate().year
    year = _year(request, this_year)
    context = {
        **_context(request, _("연간 성과")),
        "results": yearly_results(year=year),
        "years": list(range(this_year, this_year - 6, -1)),
    }
    return TemplateResponse(request, "backoffice/results.html", context)


def results_xlsx(request: AuthenticatedRequest, year: int) -> HttpResponse:
    if not can_view_results(request.user):
        raise PermissionDenied
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    results = yearly_results(year=year)
    content = xlsx_bytes(yearly_report_rows(results), title=str(year), freeze_header=True)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="magok-results-{year}.xlsx"'
    return response


def company_overview(request: AuthenticatedRequest, pk: int) -> TemplateResponse:
    if not request.user.has_perms(COMPANY_PERMISSIONS):
        raise PermissionDenied
    company = get_object_or_404(Company, pk=pk)
    context = {
        **_context(request, _("%(company)s 한눈에 보기") % {"company": company.name}),
        "overview": company_overview_of(company=company),
        "opts": Company._meta,
    }
    return TemplateResponse(request, "backoffice/company_overview.html", context)
