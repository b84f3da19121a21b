"""Forms check shape; the rules (consent, limits, file content) live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES

from .models import JobApplication, Position, Seeker

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
