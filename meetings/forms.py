from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.models import Sector

from .consultations import ProfileData
from .models import ConsultationOutcome, Participant


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
