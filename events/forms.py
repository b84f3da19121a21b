from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from companies.models import Company
from magok.inputs import MonthField

from .models import Event, EventKind
from .services import AttendeeData

if TYPE_CHECKING:
    from accounts.models import User


class EventFilterForm(forms.Form):
    kind = forms.ModelChoiceField(
        label=_("행사 유형"),
        queryset=EventKind.objects.filter(is_active=True),
        to_field_name="slug",
        required=False,
        empty_label=_("전체"),
    )
    month = MonthField(label=_("월"), required=False)


class ConsentMixin(forms.Form):
    consent = forms.BooleanField(
        label=_("위 개인정보 수집·이용에 동의합니다."),
        required=False,  # the service refuses without it, with its own message
    )


class SelfRegistrationForm(ConsentMixin):
    """A logged-in user: register yourself, colleagues (company members), or both."""

    include_self = forms.BooleanField(label=_("본인 참가"), required=False, initial=True)
    phone = forms.CharField(label=_("본인 전화번호"), max_length=30, required=False)
    position = forms.CharField(label=_("본인 직위"), max_length=100, required=False)


class ColleagueForm(forms.Form):
    name = forms.CharField(label=_("이름"), max_length=100, required=False)
    email = forms.EmailField(label=_("이메일"), required=False)
    phone = forms.CharField(label=_("전화번호"), max_length=30, required=False)
    position = forms.CharField(label=_("직위"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("name") or data.get("phone") or data.get("position")) and not data.get("email"):
            self.add_error("email", _("동료 직원의 이메일을 입력하세요."))
        if data.get("email") and not data.get("name"):
            self.add_error("name", _("동료 직원의 이름을 입력하세요."))
        return data

    def attendee(self) -> AttendeeData | None:
        data = self.cleaned_data
        if not data.get("email"):
            return None
        return AttendeeData(name=data["name"], email=data["email"], phone=data["phone"], position=data["position"])


def colleague_formset(*, event: Event, data: Any = None) -> BaseFormSet:
    """As many colleague rows as the seat cap allows (besides yourself), three when uncapped."""
    rows = min(max((event.seat_cap_per_company or 4) - 1, 1), 10)
    return formset_factory(ColleagueForm, extra=rows, max_num=20)(data, prefix="colleagues")


class PublicRegistrationForm(ConsentMixin):
    """A visitor without an account (PUBLIC events only)."""

    name = forms.CharField(label=_("이름"), max_length=100)
    email = forms.EmailField(label=_("이메일"))
    phone = forms.CharField(label=_("전화번호"), max_length=30, required=False)
    position = forms.CharField(label=_("소속·직위"), max_length=100, required=False)

    def attendee(self) -> AttendeeData:
        data = self.cleaned_data
        return AttendeeData(name=data["name"], email=data["email"], phone=data["phone"], position=data["position"])


class RegistrationForm:
    """The registration page's form: a visitor's own details (PUBLIC events only) or, signed in,
    yourself and, with an approved company membership, your colleagues (``colleagues``)."""

    def __init__(self, *, event: Event, user: User | None, data: Any = None, already_registered: bool = False) -> None:
        self.user = user
        self.main: PublicRegistrationForm | SelfRegistrationForm
        self.colleagues: BaseFormSet | None = None
        if user is None:
            self.main = PublicRegistrationForm(data)
        else:
            # Someone already registered comes back to add colleagues: "myself" starts unticked.
            initial = {"phone": user.phone, "position": user.position, "include_self": not already_registered}
            self.main = SelfRegistrationForm(data, initial=initial)
            if user.company is not None:
                self.colleagues = colleague_formset(event=event, data=data)

    def is_valid(self) -> bool:
        return self.main.is_bound and self.main.is_valid() and (self.colleagues is None or self.colleagues.is_valid())

    @property
    def consent(self) -> bool:
        return bool(self.main.cleaned_data["consent"])

    def attendees(self) -> list[AttendeeData]:
        """Precondition: ``is_valid()``."""
        if isinstance(self.main, PublicRegistrationForm):
            return [self.main.attendee()]
        assert self.user is not None
        data, attendees = self.main.cleaned_data, []
        if data["include_self"]:
            name = self.user.name or self.user.email
            attendees.append(
                AttendeeData(name=name, email=self.user.email, phone=data["phone"], position=data["position"])
            )
        for colleague in self.colleagues or []:
            if (attendee := colleague.attendee()) is not None:
                attendees.append(attendee)
        return attendees

    def add_error(self, message: str) -> None:
        self.main.add_error(None, message)


class EventMessageForm(forms.Form):
    subject = forms.CharField(label=_("제목"), max_length=200)
    body = forms.CharField(label=_("내용"), widget=forms.Textarea)


class EventCancelForm(forms.Form):
    message = forms.CharField(label=_("참가자에게 보낼 안내"), widget=forms.Textarea, required=False)


class StaffAttendeeForm(forms.Form):
    """SBA staff add someone on their behalf (a phone registration or a walk-in at the door)."""

    name = forms.CharField(label=_("참석자 이름"), max_length=100)
    email = forms.EmailField(label=_("이메일"))
    phone = forms.CharField(label=_("전화번호"), max_length=30, required=False)
    position = forms.CharField(label=_("직위"), max_length=100, required=False)
    company: forms.ModelChoiceField[Company] = forms.ModelChoiceField(
        label=_("기업"), queryset=Company.objects.none(), required=False, empty_label=_("개인 (기업 없음)")
    )
    check_in = forms.BooleanField(label=_("현장 등록: 바로 입장 확인"), required=False)
    override_reason = forms.CharField(
        label=_("정원·기업당 인원 초과 사유"),
        required=False,
        max_length=500,
        help_text=_("정원이나 기업당 최대 인원을 넘겨 확정할 때만 적습니다. 변경 기록에 남습니다."),
    )
    consent = forms.BooleanField(label=_("참석자에게 개인정보 수집·이용 동의를 받았습니다."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.order_by("name_ko")  # type: ignore[attr-defined]

    def attendee(self) -> AttendeeData:
        data = self.cleaned_data
        return AttendeeData(name=data["name"], email=data["email"], phone=data["phone"], position=data["position"])


class AttendeeActionForm(forms.Form):
    """One button on the attendee list: what to do with which registration."""

    OPERATIONS = ("cancel", "restore", "promote", "resend", "check_in", "undo_check_in")

    registration = forms.IntegerField(min_value=1)
    operation = forms.ChoiceField(choices=[(op, op) for op in OPERATIONS])
    override_reason = forms.CharField(required=False, max_length=500)
