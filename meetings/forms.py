from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.models import Sector
from magok.dates import format_datetime
from magok.inputs import parse_int

from .consultations import ProfileData
from .models import ConsultationOutcome, Meeting, Participant, Slot, Table


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("이름"), max_length=100)
    organization = forms.CharField(label=_("소속"), max_length=200, required=False, help_text=_("예: 이화의료원"))
    role = forms.ChoiceField(label=_("구분"), choices=[c for c in Participant.Role.choices if c[0] != "seeker"])
    offers_keywords = forms.CharField(
        label=_("제공할 수 있는 기술·역량"),
        max_length=500,
        required=False,
        help_text=_("쉼표로 구분합니다. 예: 로봇 액추에이터, 임상시험 설계"),
    )
    seeks_keywords = forms.CharField(
        label=_("찾는 기술·협력"),
        max_length=500,
        required=False,
        help_text=_("쉼표로 구분합니다. 예: 로봇, 바이오마커"),
    )
    offers_sectors = forms.ModelMultipleChoiceField(
        label=_("제공 분야"), queryset=Sector.objects.order_by("order", "name_ko"), required=False
    )
    seeks_sectors = forms.ModelMultipleChoiceField(
        label=_("관심 분야"), queryset=Sector.objects.order_by("order", "name_ko"), required=False
    )
    introduction = forms.CharField(
        label=_("소개 글"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_visible = forms.BooleanField(
        label=_("다른 참가자에게 내 프로필을 공개합니다."),
        required=False,
        help_text=_(
            "공개하지 않으면 목록과 추천에 나타나지 않고 미팅 신청을 받지 않습니다. 내가 신청할 수는 있습니다."
        ),
    )

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            display_name=data["display_name"],
            organization=data["organization"],
            role=data["role"],
            is_visible=data["is_visible"],
            offers_keywords=data["offers_keywords"],
            seeks_keywords=data["seeks_keywords"],
            offers_sectors=list(data["offers_sectors"]),
            seeks_sectors=list(data["seeks_sectors"]),
            introduction=data["introduction"],
        )


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("메시지"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("만나고 싶은 이유를 짧게 적어 주세요."),
    )


class OutcomeForm(forms.Form):
    result = forms.ChoiceField(label=_("결과"), choices=ConsultationOutcome.Result.choices)
    occurred_on = forms.DateField(
        label=_("일자"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("MOU 체결일 등")
    )
    note = forms.CharField(label=_("메모"), max_length=500, required=False)


class MeetingMoveForm(forms.Form):
    """Staff move a meeting on the day. The list offers the free (slot, table) pairs
    (``selectors.meeting_move_options``); the answer may be any pair of the grid, because a pair
    free when the page was drawn can be taken meanwhile and ``meeting_move`` says so."""

    target = forms.CharField(label=_("옮길 시간대와 테이블"), widget=forms.Select)

    def __init__(self, *args: Any, meeting: Meeting, options: Sequence[tuple[Slot, Table]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        groups: dict[Slot, list[tuple[str, str]]] = {}
        for slot, table in options:
            groups.setdefault(slot, []).append((f"{slot.pk}:{table.pk}", table.name))
        label = f"{format_datetime(meeting.slot.starts_at)} · {meeting.table.name}"
        self.fields["target"].widget.choices = [  # type: ignore[attr-defined]
            ("", gettext("지금: %(place)s") % {"place": label}),
            *[(format_datetime(slot.starts_at), choices) for slot, choices in groups.items()],
        ]

    def clean_target(self) -> tuple[Slot, Table]:
        slot_id, _colon, table_id = self.cleaned_data["target"].partition(":")
        slot = Slot.objects.filter(grid_id=self.meeting.grid_id, pk=parse_int(slot_id) or 0).first()
        table = Table.objects.filter(grid_id=self.meeting.grid_id, pk=parse_int(table_id) or 0).first()
        if slot is None or table is None:
            raise forms.ValidationError(_("옮길 시간대와 테이블을 골라 주세요."))
        return slot, table
