from __future__ import annotations

from typing import Any, TypedDict, cast

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from magok.inputs import validate_uri
from magok.uploads import ImageField

from .models import Company, Sector
from .validators import LOGO_EXTENSIONS, validate_logo_image


class SearchArguments(TypedDict):
    query: str
    size: str | None
    sector: str | None
    move_in_status: str | None


class CompanySearchForm(forms.Form):
    """The directory's search box and filters (GET). Invalid filter values are ignored."""

    q = forms.CharField(label=_("기업명 또는 기술 키워드"), required=False, max_length=100)
    size = forms.ChoiceField(label=_("기업 규모"), required=False)
    sector = forms.ChoiceField(label=_("업종"), required=False)
    move_in_status = forms.ChoiceField(label=_("입주 현황"), required=False)

    def __init__(self, *args: Any, sectors: list[Sector], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("전체"))]
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": _("예: 로보, 바이오, LG"), "autocomplete": "off"}
        )
        choices: dict[str, list[tuple[str, Any]]] = {
            "size": everything + list(Company.SizeClass.choices),
            "sector": everything + [(sector.slug, sector.name) for sector in sectors],
            "move_in_status": everything + list(Company.MoveInStatus.choices),
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def search_arguments(self) -> SearchArguments:
        """Keyword arguments for ``company_search`` from the valid fields only."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q", "") or "",
            "size": cleaned.get("size") or None,
            "sector": cleaned.get("sector") or None,
            "move_in_status": cleaned.get("move_in_status") or None,
        }


class ProfileEditForm(forms.Form):
    """What a representative may change on the company profile (published after SBA approval)."""

    name_en = forms.CharField(label=_("기업명 (영어)"), max_length=200, required=False)
    sectors = forms.ModelMultipleChoiceField(
        label=_("업종"),
        queryset=Sector.objects.order_by("order", "name_ko"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(
        label=_("기술 키워드"),
        max_length=500,
        required=False,
        help_text=_("쉼표로 구분합니다. 예: 로봇, 액추에이터"),
    )
    homepage = forms.URLField(label=_("홈페이지"), required=False, assume_scheme="https", validators=[validate_uri])
    employee_count = forms.IntegerField(label=_("임직원 수"), required=False, min_value=0, max_value=1_000_000)
    description_ko = forms.CharField(label=_("소개 (한국어)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    description_en = forms.CharField(label=_("소개 (영어)"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    logo = ImageField(
        label=_("새 로고"),
        required=False,
        validators=[FileExtensionValidator(LOGO_EXTENSIONS), validate_logo_image],
        help_text=_("PNG, JPEG, GIF, WebP · 2MB 이하 · 가로·세로 2000픽셀 이하"),
    )
    remove_logo = forms.BooleanField(label=_("현재 로고 삭제"), required=False)

    def clean_keywords(self) -> str:
        keywords = [k.strip() for k in self.cleaned_data["keywords"].split(",") if k.strip()]
        return ", ".join(dict.fromkeys(keywords))

    def proposed_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.cleaned_data if name not in {"logo", "remove_logo"}}
        data["sectors"] = [sector.slug for sector in self.cleaned_data["sectors"]]
        return data
