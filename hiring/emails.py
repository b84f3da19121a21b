"""The hiring camp's e-mails, rendered by the worker when it sends them (like ``events.emails``).

Services queue them with ``seeker_email_queue`` / ``company_email_queue`` (one small INSERT: ids
and a few JSON values), often while holding the application's row lock or the grid lock; the
renderers below (kinds ``hiring.<template>``) read the rows at send time and attach the seeker's
camp schedule as ``.ics`` where it is about an interview.

What they never carry: the CV, or anything the recipient may not see. A seeker's e-mail is about
their own application; a company's digest gives counts per position and a link to its page,
where the consent rules decide what is shown (``selectors.profile_visible_to_company``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from notifications.models import OutboundEmail
from notifications.rendering import (
    Attachment,
    RenderedEmail,
    email_renderer,
    json_context,
    moments_from_json,
    render_templates,
)
from notifications.services import email_queue_deferred

from .models import Camp, CampCompany, JobApplication

# The seeker's e-mails; those about an interview carry the camp schedule (.ics) and its link.
WITH_SCHEDULE = ("match_confirmed", "walk_in_added", "interview_moved")
SEEKER_TEMPLATES = (
    *WITH_SCHEDULE,
    "application_shortlisted",
    "application_declined",
    "interview_cancelled",
    "result_recorded",
)
LANGUAGES = ("ko", "en")


def seeker_email_queue(
    application: JobApplication, template: str, *, dedupe_key: str, **context: Any
) -> OutboundEmail | None:
    """Queue ``hiring/emails/<template>`` to the application's seeker, in their language, once
    per ``dedupe_key``; rendered when sent. ``context`` must be JSON apart from datetimes."""
    user = application.seeker.user
    if not user.email:
        return None
    return email_queue_deferred(
        to=user.email,
        kind=f"hiring.{template}",
        context={"application": application.pk, **json_context(context)},
        language=user.language if user.language in LANGUAGES else "ko",
        dedupe_key=dedupe_key,
    )


def company_email_queue(
    *, to: str, language: str, template: str, dedupe_key: str, **context: Any
) -> OutboundEmail | None:
    """Queue ``hiring/emails/<template>`` to a company representative or the camp's contact."""
    return email_queue_deferred(
        to=to,
        kind=f"hiring.{template}",
        context=json_context(context),
        language=language if language in LANGUAGES else "ko",
        dedupe_key=dedupe_key,
    )


def _url(name: str, **kwargs: Any) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"


def _render_seeker(template: str, context: dict[str, Any]) -> RenderedEmail:
    from .scheduling import schedule_for_seeker, schedule_ics

    application = JobApplication.objects.select_related(
        "seeker__user", "seeker__camp__event", "position__company", "meeting__slot", "meeting__table"
    ).get(pk=context["application"])
    seeker = application.seeker
    camp = seeker.camp
    meeting = application.meeting if application.meeting and application.meeting.is_live else None
    values: dict[str, Any] = {
        **context,
        "application": application,
        "name": seeker.display_name or seeker.user.name,
        "camp": camp,
        "event": camp.event,
        "position": application.position,
        "company": application.position.company,
        "meeting": meeting,
        "camp_url": _url("hiring:seeker_home", pk=camp.pk),
        "schedule_url": _url("hiring:seeker_schedule", pk=camp.pk),
        "coaching_url": _url("hiring:coaching", pk=camp.pk),
    }
    for key in ("before", "cancelled"):
        if isinstance(context.get(key), dict):
            values[key] = moments_from_json(context[key])
    if template == "result_recorded":
        values["result_label"] = JobApplication.Result(context["result"]).label
    attachments: tuple[Attachment, ...] = ()
    if template in WITH_SCHEDULE:
        language = translation.get_language() or "ko"
        ics = schedule_ics(camp=camp, entries=schedule_for_seeker(seeker=seeker), language=language)
        attachments = (Attachment("hiring-schedule.ics", ics, "text/calendar"),)
    return render_templates(f"hiring/emails/{template}", values, attachments=attachments)


for _template in SEEKER_TEMPLATES:
    email_renderer(f"hiring.{_template}")(partial(_render_seeker, _template))


@email_renderer("hiring.new_applications")
def _render_new_applications(context: dict[str, Any]) -> RenderedEmail:
    participation = CampCompany.objects.select_related("camp__event", "company").get(pk=context["participation"])
    values = {
        **context,
        "camp": participation.camp,
        "event": participation.camp.event,
        "company": participation.company,
        "company_url": _url("hiring:company_home", pk=participation.camp_id),
    }
    return render_templates("hiring/emails/new_applications", values)


@email_renderer("hiring.new_applications_staff")
def _render_new_applications_staff(context: dict[str, Any]) -> RenderedEmail:
    camp = Camp.objects.select_related("event").get(pk=context["camp"])
    values = {
        **context,
        "camp": camp,
        "event": camp.event,
        "board_url": _url("admin:hiring_camp_matches", camp_id=camp.pk),
    }
    return render_templates("hiring/emails/new_applications_staff", values)
