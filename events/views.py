from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from legal.policies import SBA_CONTACT
from magok.http import AuthenticatedRequest, client_ip
from magok.i18n import current_language
from magok.inputs import parse_int, parse_json, parse_month, parse_text
from magok.pagecache import (
    cache_public_page,
    kept_values,
    public_fragments,
    render_public_fragment,
    rendered_html,
)
from magok.ratelimit import attempts_within_limits

from . import selectors
from .consent import REGISTRATION_CONSENT
from .feeds import calendar_feed_rotate, calendar_feed_user, personal_feed_events
from .forms import EventFilterForm, RegistrationForm
from .ics import event_ics, events_feed_ics, personal_feed_ics
from .links import registration_cancel_by_link, registration_from_link
from .models import Audience, Event, EventKind, Registration
from .recurrence import holiday_names
from .services import (
    EventBusy,
    RegistrationError,
    event_registration_refusal,
    registration_cancel,
    registration_check_in,
    registration_check_in_undo,
    registration_confirm,
    registration_create,
    registration_pending_from_token,
)
from .tickets import ticket_qr_data_uri, ticket_qr_png

LAST_REGISTRATIONS_KEY = "events_last_registrations"
UPCOMING_SHOWN = 30
# Registering without an account sends an e-mail to any address: limit the attempts per
# recipient (behind a proxy many visitors share one address, so that limit is generous).
ANONYMOUS_ATTEMPTS_PER_EMAIL_HOUR = 5
ANONYMOUS_ATTEMPTS_PER_CLIENT_HOUR = 60


def _anonymous_registration_allowed(request: HttpRequest, email: str) -> bool:
    return attempts_within_limits(
        (f"events:anonymous-registrations:email:{email.strip().lower()}", ANONYMOUS_ATTEMPTS_PER_EMAIL_HOUR),
        (f"events:anonymous-registrations:client:{client_ip(request)}", ANONYMOUS_ATTEMPTS_PER_CLIENT_HOUR),
    )


def _user(request: HttpRequest) -> User | None:
    """The logged-in user, or None for an anonymous visitor."""
    return request.user if isinstance(request.user, User) else None


def _vary(user: User | None) -> str:
    """What the public parts of the events pages differ by: staff also see drafts."""
    return "staff" if user is not None and user.is_staff else ""


@cache_public_page
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """The filters and the cards are the same for every visitor (staff aside): signed-in visitors
    get them as a cached fragment (magok/pagecache.py)."""
    user = _user(request)

    def cards() -> str:
        form = EventFilterForm(request.GET or None)
        kind = month = None
        if form.is_valid():
            kind = form.cleaned_data["kind"].slug if form.cleaned_data["kind"] else None
            month = form.cleaned_data["month"]
        # The next events only (a bounded read and a short page); the calendar shows the rest.
        upcoming_events = selectors.event_list(user=user, kind=kind, month=month, upcoming=True)
        upcoming = list(upcoming_events[: UPCOMING_SHOWN + 1])
        more_upcoming = len(upcoming) > UPCOMING_SHOWN
        upcoming = upcoming[:UPCOMING_SHOWN]
        past_page = Paginator(selectors.event_list(user=user, kind=kind, month=month, upcoming=False), 20).get_page(
            request.GET.get("page")
        )
        return render_public_fragment(
            "events/_event_list_cards.html",
            {"form": form, "upcoming": upcoming, "more_upcoming": more_upcoming, "past_page": past_page},
        )

    return render(
        request, "events/event_list.html", public_fragments(request, {"event_cards": cards}, vary=_vary(user))
    )


@cache_public_page
@require_GET
def event_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    month = parse_month(request.GET.get("month")) or today.replace(day=1)
    kind = parse_text(request.GET.get("kind")) or None
    # Sunday-first, as Korean calendars are. The grid's days of the months around this one
    # show their events too.
    grid = calendar.Calendar(firstweekday=6).monthdatescalendar(month.year, month.month)
    in_grid = selectors.event_calendar(user=_user(request), first_day=grid[0][0], last_day=grid[-1][-1], kind=kind)
    by_day: dict[date, list[Event]] = {}
    for event in in_grid:
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    language = current_language()
    years = {grid[0][0].year, grid[-1][-1].year}
    holidays = {day: name for year in years for day, name in holiday_names(year, language).items()}
    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == month.month,
                "events": by_day.get(day, []),
                "holiday": holidays.get(day, ""),
            }
            for day in week
        ]
        for week in grid
    ]
    events = [event for event in in_grid if timezone.localtime(event.starts_at).month == month.month]
    previous_month = (month.replace(day=1) - date.resolution).replace(day=1)
    next_month = (month.replace(day=28) + 4 * date.resolution).replace(day=1)
    return render(
        request,
        "events/event_calendar.html",
        {
            "month": month,
            "events": events,
            "weeks": weeks,
            "month_holidays": sorted((day, name) for day, name in holidays.items() if day.month == month.month),
            "today": today,
            "previous_month": previous_month,
            "next_month": next_month,
            "kind": kind,
            "kinds": EventKind.objects.filter(is_active=True),
            "weekdays": [
                pgettext("weekday", "일"),
                pgettext("weekday", "월"),
                pgettext("weekday", "화"),
                pgettext("weekday", "수"),
                pgettext("weekday", "목"),
                pgettext("weekday", "금"),
                pgettext("weekday", "토"),
            ],
        },
    )


def _get_event(request: HttpRequest, pk: int) -> Event:
    try:
        return selectors.event_detail(user=_user(request), pk=pk)
    except Event.DoesNotExist:
        raise Http404 from None


@cache_public_page
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Three kept values (magok/pagecache.py ``kept_values``), fetched in one Redis round trip:

    - the event row (its seats left included), the same for everyone who may see the event
      (staff also see drafts; to others a draft is a 404);
    - the page's public fragments (facts, programme, summaries) for that audience and language;
    - the visitor's own registrations for the event, under a key of the user, their company and
      role (``registration_owner_key``: who decides which registrations are theirs).

    All are under the content version, which every event or registration write replaces, so an
    edit, a registration, a cancellation or a waitlist move shows at once. The registration box
    is rendered around them on every request (the refusal depends on the time and the user)."""
    user = _user(request)
    vary = _vary(user)
    found: list[Event] = []

    def event() -> Event:
        # Read once, and only when a part is not kept; a 404 raises out of kept_values before
        # anything is stored: no entry per made-up id.
        if not found:
            row = selectors.event_for_page(user=user, pk=pk)
            if row is None:
                raise Http404
            found.append(row)
        return found[0]

    def fragments() -> tuple[dict[str, str], None]:
        row = event()
        return {
            "event_facts": render_public_fragment(
                "events/_event_facts.html",
                {
                    "event": row,
                    "seats_left": selectors.seats_left(row),
                    "sba_contact": SBA_CONTACT,
                    "staff": bool(vary),
                },
            ),
            "event_program": render_public_fragment(
                "events/_event_program.html", {"event": selectors.event_program(row)}
            ),
            "event_summary": render_public_fragment("events/_event_summary.html", {"event": row}),
            "event_preview": render_public_fragment(
                "events/_event_summary.html", {"event": row, "with_description": True}
            ),
        }, None

    def own() -> tuple[list[Registration], None]:
        row = event()
        # The kept event says whether it has any live registration: if not, nobody's are read.
        if not row.has_registrations:  # type: ignore[attr-defined]
            return [], None
        return selectors.registrations_own_for_event(user=user, event=row), None  # type: ignore[arg-type]

    event_key = f"events:detail:{pk}:{vary}"
    fragments_key = f"events:detail-fragments:{pk}:{vary}:{current_language()}"
    parts: dict[str, tuple[Callable[[], tuple[Any, None]], str]] = {
        event_key: (lambda: (event(), None), ""),
        fragments_key: (fragments, ""),
    }
    own_key = ""
    if user is not None:
        own_key = f"events:own:{pk}:{selectors.registration_owner_key(user)}"
        parts[own_key] = (own, "")
    kept = kept_values(parts)
    row = kept[event_key]
    own_registrations: list[Registration] = kept[own_key] if own_key else []
    refusal = event_registration_refusal(event=row, user=user)
    return render(
        request,
        "events/event_detail.html",
        {
            **{name: rendered_html(html) for name, html in kept[fragments_key].items()},
            "event": row,
            "seats_left": selectors.seats_left(row),
            "refusal": refusal,
            "needs_login": refusal is not None and user is None and row.audience != Audience.PUBLIC,
            "own_registrations": own_registrations,
            "registered_myself": user is not None and any(r.email == user.email.lower() for r in own_registrations),
        },
    )


def _consent_context() -> dict[str, object]:
    return {"consent": REGISTRATION_CONSENT}


def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register yourself and/or colleagues; anonymous visitors may register for PUBLIC events
    (held until they open the link in the e-mail)."""
    event = _get_event(request, pk)
    user = _user(request)
    if user is None and event.audience != Audience.PUBLIC:
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if refusal := event_registration_refusal(event=event, user=user):
        messages.error(request, refusal)
        return redirect(event)
    already_registered = user is not None and selectors.registered_myself(event=event, user=user)
    form = RegistrationForm(
        event=event,
        user=user,
        data=request.POST if request.method == "POST" else None,
        already_registered=already_registered,
    )
    if form.is_valid():
        try:
            if user is None and not _anonymous_registration_allowed(request, form.attendees()[0].email):
                raise RegistrationError(_("신청이 너무 많습니다. 잠시 후 다시 시도하세요."), "throttled")
            created = registration_create(
                event=event,
                by=user,
                attendees=form.attendees(),
                consent=form.consent,
                language=user.language if user is not None else current_language(),
            )
        except RegistrationError as error:
            form.add_error(error.message)
        else:
            if user is None:  # the same answer whether or not the address is known
                return redirect("events:check_email", pk=event.pk)
            request.session[LAST_REGISTRATIONS_KEY] = [r.pk for r in created]
            return redirect("events:registered", pk=event.pk)
    return render(
        request,
        "events/event_register.html",
        {
            "event": event,
            "form": form.main,
            "formset": form.colleagues,
            "company": user.company if user is not None else None,
            "seats_left": selectors.seats_left(event),
            "already_registered": already_registered,
            # Colleague rows shown at first when scripts fold the empty ones away.
            "start_colleagues": 1 if already_registered or request.GET.get("colleagues") else 0,
            **_consent_context(),
        },
    )


@require_GET
def event_registered(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page right after registering (also after confirming an address)."""
    event = _get_event(request, pk)
    ids = request.session.get(LAST_REGISTRATIONS_KEY) or []
    registrations = list(selectors.registrations_with_position(Registration.objects.filter(pk__in=ids, event=event)))
    if not registrations:
        return redirect(event)
    return render(request, "events/event_registered.html", {"event": event, "registrations": registrations})


@require_GET
def event_check_email(request: HttpRequest, pk: int) -> HttpResponse:
    """After registering without an account: "open the link we sent", whatever the address."""
    return render(
        request,
        "events/registration_check_email.html",
        {
            "event": _get_event(request, pk),
            "hold_minutes": settings.EVENT_PENDING_HOLD_MINUTES,
            "link_hours": settings.EVENT_CONFIRM_LINK_HOURS,
        },
    )


def registration_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: GET shows the registration and a button (mail scanners that
    open links must not confirm anything), POST proves the address and decides the seat."""
    try:
        registration = registration_pending_from_token(token=token)
        if request.method == "POST":
            registration = registration_confirm(token=token)
    except RegistrationError as error:
        status = 409 if isinstance(error, EventBusy) else 400
        context = {"error": error.message, "retry": isinstance(error, EventBusy)}
        return render(request, "events/registration_confirm.html", context, status=status)
    if registration.status == Registration.Status.PENDING:
        return render(request, "events/registration_confirm.html", {"registration": registration})
    request.session[LAST_REGISTRATIONS_KEY] = [registration.pk]
    return redirect("events:registered", pk=registration.event_id)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cache_public_page
@require_GET
def event_ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get_event(request, pk)
    return _ics_response(event_ics(event=event), f"magok-event-{event.pk}.ics")


@cache_public_page
@require_GET
def events_feed(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(events_feed_ics(events=selectors.event_feed()), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="magok-events.ics"'
    return response


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's private calendar feed, fetched by calendar apps without a session."""
    user = calendar_feed_user(token=token)
    if user is None:
        raise Http404
    events, registrations = personal_feed_events(user=user)
    content = personal_feed_ics(events=events, registrations=registrations, language=user.language)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def personal_feed_rotate(request: AuthenticatedRequest) -> HttpResponse:
    calendar_feed_rotate(user=request.user)
    messages.success(request, _("새 달력 구독 주소를 만들었습니다. 이전 주소는 더 이상 쓸 수 없습니다."))
    return redirect(reverse("accounts:profile") + "#calendar-feed")


def _url_format(name: str) -> str:
    """The URL of ``name`` (one integer argument) as a ``str.format`` pattern."""
    return reverse(name, args=[0]).replace("/0/", "/{}/", 1)


@login_required
@require_GET
def my_registrations(request: AuthenticatedRequest) -> HttpResponse:
    """The tables are kept (magok/pagecache.py ``kept_values``) under a key of the user, their
    company and role (``registration_owner_key``) and the language, under the content version
    (every registration and event write replaces it), and only until the next moment time alone
    changes them (an event starting: no more cancelling; or ending: it moves to the past)."""
    user = request.user
    key = f"events:mine:{selectors.registration_owner_key(user)}:{current_language()}"
    kept = kept_values({key: (lambda: _my_registrations_html(user), "")})
    return render(request, "events/my_registrations.html", {"my_registrations": rendered_html(kept[key])})


def _my_registrations_html(user: User) -> tuple[str, datetime | None]:
    upcoming, past = selectors.registration_list_for_user(user=user)
    # Each row links to its event, ticket and cancel page: the URLs are made from one reverse()
    # each, not three per row.
    event_url, ticket_url, cancel_url = (
        _url_format(name) for name in ("events:detail", "events:ticket", "events:cancel")
    )
    for r in (*upcoming, *past):
        r.event_url = event_url.format(r.event_id)  # type: ignore[attr-defined]
        r.ticket_url = ticket_url.format(r.pk)  # type: ignore[attr-defined]
        r.cancel_url = cancel_url.format(r.pk)  # type: ignore[attr-defined]
    now = timezone.now()
    # Rendered without the request (no token or message in it: it holds links only).
    html = render_to_string(
        "events/_my_registrations.html",
        {"upcoming": upcoming, "past": past, "now": now, "is_representative": user.is_representative},
    )
    # Upcoming rows change with time alone: at their event's start (the cancel link goes) and
    # end (the row moves to the past).
    moments = [r.event.starts_at if r.event.starts_at > now else r.event.ends_at for r in upcoming]
    return html, min(moments, default=None)


def _get_registration(request: AuthenticatedRequest, pk: int) -> Registration:
    return get_object_or_404(
        selectors.registrations_with_position(selectors.registration_visible_queryset(user=request.user)), pk=pk
    )


@login_required
@require_GET
def registration_ticket(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    registration = _get_registration(request, pk)
    qr = ticket_qr_data_uri(registration=registration) if registration.status == Registration.Status.CONFIRMED else None
    return render(
        request, "events/registration_ticket.html", {"registration": registration, "qr": qr, "now": timezone.now()}
    )


@login_required
@require_GET
def registration_qr(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    registration = _get_registration(request, pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404
    return HttpResponse(ticket_qr_png(registration=registration), content_type="image/png")


@login_required
def registration_cancel_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step, saying what cancelling does; POST (from it): cancel."""
    registration = _get_registration(request, pk)
    if request.method != "POST":
        if registration.status == Registration.Status.CANCELLED:
            return redirect("events:my")
        return render(
            request,
            "events/registration_cancel.html",
            {"registration": registration, "someone_waiting": selectors.has_waitlist(registration.event)},
        )
    try:
        registration_cancel(registration=registration, by=request.user)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s 님의 신청을 취소했습니다.") % {"name": registration.attendee_name})
    return redirect("events:my")


# --- The signed links of registration e-mails (no login) ------------------------------


def _linked_registration(token: str) -> Registration:
    registration = registration_from_link(token=token)
    return selectors.registrations_with_position(Registration.objects.filter(pk=registration.pk)).get()


@require_GET
def registration_ticket_link(request: HttpRequest, token: str) -> HttpResponse:
    """The ticket from the e-mail's link, for whoever holds the e-mail (an account is not needed)."""
    try:
        registration = _linked_registration(token)
    except RegistrationError as error:
        return render(request, "events/registration_link_error.html", {"error": error.message}, status=400)
    confirmed = registration.status == Registration.Status.CONFIRMED
    context = {
        "registration": registration,
        "qr": ticket_qr_data_uri(registration=registration) if confirmed else None,
        "cancel_link": reverse("events:cancel_link", kwargs={"token": token})
        if registration.status in (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
        and registration.event.starts_at > timezone.now()
        else None,
    }
    return render(request, "events/registration_ticket.html", context)


@require_http_methods(["GET", "POST"])
def registration_cancel_link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click cancel of the e-mail: GET says what will happen and asks for a click (a
    mail scanner opening links cancels nothing), POST cancels through the events service."""
    try:
        registration = _linked_registration(token)
        if request.method == "POST":
            registration_cancel_by_link(token=token, by=_user(request))
            registration = _linked_registration(token)
    except RegistrationError as error:
        status = 409 if isinstance(error, EventBusy) else 400
        context = {"error": error.message, "retry": isinstance(error, EventBusy)}
        return render(request, "events/registration_cancel_link.html", context, status=status)
    context = {
        "registration": registration,
        "started": registration.event.starts_at <= timezone.now(),
        "ticket_link": reverse("events:ticket_link", kwargs={"token": token}),
    }
    return render(request, "events/registration_cancel_link.html", context)


# --- Check-in at the door (SBA staff) --------------------------------------------------


def _check_in_payload(result_status: str, registration: Registration | None) -> dict[str, object]:
    labels = {
        "checked_in": _("입장 확인 완료"),
        "already_checked_in": _("이미 입장 확인됨"),
        "not_confirmed": _("대기 중인 신청입니다 (참가 미확정)"),
        "cancelled": _("취소된 신청입니다"),
        "not_found": _("이 행사의 티켓이 아닙니다"),
    }
    payload: dict[str, object] = {"status": result_status, "message": labels[result_status]}
    if registration is not None:
        payload.update(
            {
                "id": registration.pk,
                "name": registration.attendee_name,
                "company": registration.company.name if registration.company else "",
                "checked_in_at": timezone.localtime(registration.checked_in_at).strftime("%H:%M")
                if registration.checked_in_at
                else None,
            }
        )
    return payload


def _registration_id(value: object) -> int | None:
    """A registration id from a form or JSON body; anything else is no id (not a server error)."""
    return parse_int(value, minimum=1)


# Checking people in changes their registrations: staff who may change registrations.
check_in_permission = permission_required("events.change_registration", raise_exception=True)


@staff_member_required
@check_in_permission
def event_check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The door page: camera scan (JS), search by name/company and one-tap check-in (works without JS)."""
    event = get_object_or_404(Event.objects.select_related("kind"), pk=pk)
    result: dict[str, object] | None = None
    if request.method == "POST":
        registration = None
        if registration_id := _registration_id(request.POST.get("registration")):
            registration = (
                Registration.objects.select_related("company").filter(pk=registration_id, event=event).first()
            )
        if registration is not None and request.POST.get("undo"):
            # A check-in by mistake (the wrong name tapped) is taken back here, and recorded.
            registration_check_in_undo(registration=registration, by=request.user)
            result = {
                "status": "undone",
                "message": _("입장 확인을 취소했습니다"),
                "name": registration.attendee_name,
            }
        else:
            outcome = registration_check_in(
                by=request.user,
                event=event,
                registration=registration,
                ticket_code=parse_text(request.POST.get("code")),
            )
            result = _check_in_payload(outcome.status, outcome.registration)
    query = parse_text(request.GET.get("q") or request.POST.get("q")) or ""
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "query": query,
            "matches": selectors.event_check_in_search(event=event, query=query),
            "counts": selectors.event_check_in_counts(event=event),
            "result": result,
        },
    )


@staff_member_required
@check_in_permission
@require_POST
def event_check_in_scan(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    event = get_object_or_404(Event, pk=pk)
    try:
        data = parse_json(request.body or b"{}")
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    registration = None
    if registration_id := _registration_id(data.get("registration")):
        registration = Registration.objects.select_related("company").filter(pk=registration_id, event=event).first()
    outcome = registration_check_in(
        by=request.user, event=event, registration=registration, ticket_code=parse_text(data.get("code")) or ""
    )
    return JsonResponse(
        {
            **_check_in_payload(outcome.status, outcome.registration),
            "counts": selectors.event_check_in_counts(event=event),
        }
    )


@staff_member_required
@check_in_permission
@require_GET
def event_check_in_counts(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    event = get_object_or_404(Event, pk=pk)
    return JsonResponse(selectors.event_check_in_counts(event=event))
