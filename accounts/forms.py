from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordResetForm,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from companies.models import Company

from .consent import SIGNUP_CONSENT
from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with the e-mail address, in any letter case."""

    username = forms.EmailField(
        label=_("이메일"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("이메일 또는 비밀번호가 올바르지 않습니다."),
        "inactive": _("사용이 중지된 계정입니다."),
    }

    def clean_username(self) -> str:
        # Addresses are stored in lower case; lower-casing here also makes the lockout
        # count "Kim@x.kr" and "kim@x.kr" as the same person.
        return self.cleaned_data["username"].strip().lower()


class AdminEmailAuthenticationForm(AdminAuthenticationForm):
    """The admin's own login page, with the same case-insensitive e-mail as the site's."""

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("이메일"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    name = forms.CharField(label=_("이름"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("8자 이상, 흔하지 않은 비밀번호를 사용해 주세요. 숫자만으로는 만들 수 없습니다."),
    )
    password2 = forms.CharField(
        label=_("비밀번호 확인"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("확인을 위해 같은 비밀번호를 한 번 더 입력해 주세요."),
    )
    phone = forms.CharField(
        label=_("전화번호 (선택)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    position = forms.CharField(
        label=_("직위"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
        help_text=_("예: 대표이사, 연구소장, 선임연구원"),
    )
    language = forms.ChoiceField(label=_("선호 언어"), choices=User.Language.choices, initial=User.Language.KO)
    consent = forms.BooleanField(
        label=_("위 개인정보 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("회원가입을 하려면 개인정보 수집·이용에 동의해야 합니다.")},
    )

    consent_text = SIGNUP_CONSENT

    def clean_email(self) -> str:
        # Whether the address has an account is not said here: see services.signup_request.
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("두 비밀번호가 일치하지 않습니다."))
        elif password1:
            # Validate against the attributes the user typed (the similarity check needs them).
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "phone", "position", "language"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "position": forms.TextInput(attrs={"autocomplete": "organization-title"}),
        }


class CompanyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Company) -> str:
        # Both names, so that the picker's type-ahead finds "Robotis" as well as "로보티즈".
        return f"{obj.name_ko} ({obj.name_en})" if obj.name_en and obj.name_en != obj.name_ko else obj.name_ko


class JoinCompanyForm(forms.Form):
    company = CompanyChoiceField(
        label=_("기업"),
        # Companies hidden from the public directory are not listed either; SBA staff link
        # their people in the admin.
        queryset=Company.objects.filter(is_public=True).order_by("name_ko"),
        empty_label=_("기업을 선택해 주세요"),
        to_field_name="slug",
        # static/js/site.js adds a search box that narrows the list as the user types.
        widget=forms.Select(attrs={"data-searchable": "", "data-search-label": _("기업명으로 찾기 (한글·영문)")}),
    )
    message = forms.CharField(
        label=_("요청 메시지 (선택)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("대표자가 확인할 수 있도록 부서나 담당 업무를 적어 주세요."),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    """Hands the address to ``services.password_reset_request``: whether it has an account is
    found out later, in a worker, so that the request takes the same time either way."""

    def save(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        from .services import password_reset_request

        password_reset_request(email=self.cleaned_data["email"])


class AdminUserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")
        field_classes: dict[str, Any] = {}


class AdminUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes: dict[str, Any] = {}


class AccountDeleteForm(forms.Form):
    """회원 탈퇴: the password again and an explicit confirmation."""

    password = forms.CharField(
        label=_("비밀번호"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("위 내용을 확인했으며, 계정과 개인정보를 삭제하는 데 동의합니다."),
        error_messages={"required": _("탈퇴하려면 확인란을 선택해 주세요.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("비밀번호가 맞지 않습니다."), code="password_incorrect")
        return password
