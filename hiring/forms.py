"""Forms check shape; the rules (consent, limits, file content) live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES

from .models import CoachingTable, JobApplication, Position, Seeker

FILE_ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


class SeekerForm(forms.ModelForm):
    cv_file = forms.FileField(
        label=_("이력서"),
        required=False,
        help_text=_("%(types)s, 최대 %(mb)d MB. 파일 내용으로 형식을 확인합니다.")
        % {"types": ", ".join(ALLOWED_EXTENSIONS), "mb": MAX_UPLOAD_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )
    consent = forms.BooleanField(
        label=_("위 내용을 확인했으며, 지원한 기업에 개인정보를 제공하는 데 동의합니다."), required=False
    )

    class Meta:
        model = Seeker
        fields = ["display_name", "phone", "fields_of_interest", "education"]
        help_texts = {
            "fields_of_interest": _("예: 바이오 연구개발, 품질관리, 임베디드 소프트웨어"),
            "education": _("예: ○○대학교 생명공학과 졸업 (2019)"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        if self.instance.pk and self.instance.has_consent:
            del self.fields["consent"]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["title", "field", "requirements", "hires_planned", "place_of_work"]
        widgets = {"requirements": forms.Textarea(attrs={"rows": 3})}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ApplyForm(forms.Form):
    message = forms.CharField(
        label=_("기업에 전할 말 (선택)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("채용 결과"), choices=JobApplication.Result.choices)
    note = forms.CharField(label=_("메모"), required=False, max_length=300)


class QueueForm(forms.Form):
    queue_status = forms.ChoiceField(choices=JobApplication.Queue.choices)


class WalkInForm(forms.Form):
    email = forms.EmailField(label=_("구직자 이메일"))
    position = forms.ModelChoiceField(label=_("채용 포지션"), queryset=Position.objects.none())

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions  # type: ignore[attr-defined]


class CoachingTableAdminForm(forms.ModelForm):
    """A coaching table in the camp's admin, by the coach's name and e-mail and the topic: the
    grid's table and the coach's participant are made by ``scheduling.coaching_table_add`` when
    the camp is saved. Rows already set up are shown, not edited."""

    coach_name = forms.CharField(label=_("코치 이름"), max_length=100)
    coach_email = forms.EmailField(
        label=_("코치 이메일"), required=False, help_text=_("예약된 코칭 일정을 코치에게 알릴 주소 (선택)")
    )

    class Meta:
        model = CoachingTable
        fields = ["coach_name", "coach_email", "topic"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["coach_name"].initial = self.instance.coach.display_name
            self.fields["coach_email"].initial = self.instance.coach.email
            for field in self.fields.values():
                field.disabled = True

    def clean(self) -> dict[str, Any] | None:
        from meetings.models import MeetingGrid

        cleaned = super().clean()
        # On the camp's change page the inline knows its camp (on the add page the camp is not
        # saved yet; the service then says the same after saving).
        camp_id = self.instance.camp_id
        if not self.instance.pk and camp_id and self.has_changed():
            if not MeetingGrid.objects.filter(event__hiring_camp__pk=camp_id).exists():
                raise forms.ValidationError(
                    _("이 캠프의 행사에 미팅 그리드가 없습니다. 미팅 관리에서 먼저 그리드를 만들어 주세요.")
                )
        return cleaned
