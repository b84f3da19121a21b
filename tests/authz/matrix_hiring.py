"""The hiring camp's URLs in the matrix. The world's seeker is none of the eight roles, so every
seeker-owned object answers 404 to all of them; company A's side answers its members, and the
working staff (with the hiring permissions) where the page is theirs too."""

from __future__ import annotations

from .matrix import API_SIGNED_IN, COMPANY_A, POST, WITH_PERMISSION, everyone, only, pk, signed_in
from .requests import Check

COMPANY_AND_STAFF = (*COMPANY_A, *WITH_PERMISSION)
API_404 = signed_in(404, anonymous=403)


def _api_only(allowed: dict[str, int]) -> dict[str, int]:
    return only(allowed, others=404, anonymous=403)


camp = pk("camp")
application = pk("job_application")

HIRING_MATRIX: dict[str, tuple[Check, ...]] = {
    "hiring:camp_list": (Check(everyone(200)),),
    "hiring:camp_detail": (Check(everyone(200), kwargs=camp),),
    # Anyone signed in gets the seeker page (a company member is told they cannot take part).
    "hiring:seeker_home": (Check(signed_in(200), kwargs=camp),),
    # None of the roles is a seeker of this camp: nothing of theirs exists.
    "hiring:consent_withdraw": (Check(signed_in(404), POST, camp),),
    "hiring:my_cv": (Check(signed_in(404), kwargs=camp),),
    "hiring:seeker_schedule": (Check(signed_in(404), kwargs=camp),),
    "hiring:seeker_schedule_ics": (Check(signed_in(404), kwargs=camp),),
    "hiring:coaching": (Check(signed_in(404), kwargs=camp),),
    "hiring:application_withdraw": (Check(signed_in(404), POST, application),),
    # Without a seeker profile everyone is sent to write one (or to log in).
    "hiring:position_apply": (Check(everyone(302), POST, pk("position")),),
    "hiring:company_home": (Check(only(dict.fromkeys(COMPANY_A, 200), others=404), kwargs=camp),),
    "hiring:company_schedule": (Check(only(dict.fromkeys(COMPANY_A, 200), others=404), kwargs=camp),),
    "hiring:company_schedule_ics": (Check(only(dict.fromkeys(COMPANY_A, 200), others=404), kwargs=camp),),
    "hiring:application_decide": (Check(only(dict.fromkeys(COMPANY_AND_STAFF, 302), others=404), POST, application),),
    "hiring:application_result": (Check(only(dict.fromkeys(COMPANY_AND_STAFF, 302), others=404), POST, application),),
    "hiring:cv_download": (Check(only(dict.fromkeys(COMPANY_AND_STAFF, 200), others=404), kwargs=application),),
    "hiring:queue": (Check(only(dict.fromkeys(COMPANY_AND_STAFF, 200), others=404), kwargs=pk("camp_company")),),
    "hiring:queue_mark": (Check(only(dict.fromkeys(COMPANY_AND_STAFF, 302), others=404), POST, application),),
    # Walk-ins are staff work; the company's own members do not add them.
    "hiring:walk_in": (Check(only(dict.fromkeys(WITH_PERMISSION, 302), others=404), POST, pk("camp_company")),),
    # API
    "hiring-camp-list": (Check(everyone(200)),),
    "hiring-camp-detail": (Check(everyone(200), kwargs=camp),),
    "hiring-seeker-profile-list": (Check(API_SIGNED_IN),),
    "hiring-seeker-profile-detail": (Check(API_404, kwargs=pk("seeker")),),
    "hiring-seeker-profile-withdraw-consent": (Check(API_404, POST, pk("seeker")),),
    "hiring-seeker-application-list": (Check(API_SIGNED_IN),),
    "hiring-seeker-application-detail": (Check(API_404, kwargs=application),),
    "hiring-seeker-application-withdraw": (Check(API_404, POST, application),),
    "hiring-seeker-schedule": (Check(API_SIGNED_IN),),
    "hiring-company-position-list": (Check(API_SIGNED_IN),),
    "hiring-company-position-detail": (Check(_api_only(dict.fromkeys(COMPANY_A, 200)), kwargs=pk("position")),),
    "hiring-company-application-list": (Check(API_SIGNED_IN),),
    "hiring-company-application-detail": (Check(_api_only(dict.fromkeys(COMPANY_A, 200)), kwargs=application),),
    # Matched already: the company gets the workflow's refusal (409), nobody else sees it.
    "hiring-company-application-decide": (
        Check(_api_only(dict.fromkeys(COMPANY_A, 409)), POST, application, data=lambda w: {"to": "shortlisted"}),
    ),
    "hiring-company-application-result": (
        Check(_api_only(dict.fromkeys(COMPANY_A, 200)), POST, application, data=lambda w: {"result": "hired"}),
    ),
}
