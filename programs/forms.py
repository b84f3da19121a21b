"""Forms check shape; the rules (deadline, eligibility, file content) live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .answers import answer_clean
from .models import OUTCOME_FIELDS, Application, CallQuestion, Outcome, RequiredDocument, Review
from .uploads import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES

FILE_ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


def _file_field(label: str, help_text: str = "") -> forms.FileField:
    hint = _("%(types)s, 최대 %(mb)d MB") % {"types": ", ".join(ALLOWED_EXTENSIONS), "mb": MAX_UPLOAD_BYTES // 2**20}
    return forms.FileField(
        label=label,
        required=False,
        help_text=f"{help_text} ({hint})" if help_text else hint,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_ACCEPT}),
    )


class ApplicationForm(forms.ModelForm):
    """The contact fields plus one field per question of the call and per required document.

    Nothing is required here, so that a draft can be saved half-done; what a submission needs
    is checked by ``application_missing_items``.
    """

    class Meta:
        model = Application
        fields = ["contact_name", "contact_email", "contact_phone", "employee_count", "business_registration_number"]

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        kwargs["instance"] = application
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields:
            self.fields[name].required = False
        self.fields["consent"] = forms.BooleanField(
            label=_("위 내용을 확인했으며 개인정보 수집·이용에 동의합니다."),
            required=False,
            initial=application.consented_at is not None,
        )
        self.application = application
        self.question_fields: list[tuple[CallQuestion, str]] = []
        self.document_fields: list[tuple[RequiredDocument, str]] = []
        for question in application.call.questions.all():
            name = f"q_{question.pk}"
            label = question.label + (" *" if question.required else "")
            field: forms.Field
            if question.kind == CallQuestion.Kind.TEXT:
                field = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
                )
            elif question.kind == CallQuestion.Kind.NUMBER:
                field = forms.DecimalField(label=label, required=False)
            elif question.kind == CallQuestion.Kind.CHOICE:
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "---------")] + [(c, c) for c in question.choices],
                )
            else:
                field = _file_field(label, question.help)
            if question.kind != CallQuestion.Kind.FILE:
                field.help_text = question.help
                field.initial = application.answers.get(str(question.pk))
            self.fields[name] = field
            self.question_fields.append((question, name))
        for document in application.call.documents.all():
            name = f"doc_{document.pk}"
            self.fields[name] = _file_field(document.name + (" *" if document.required else ""))
            self.document_fields.append((document, name))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question, name in self.question_fields:
            if question.kind == CallQuestion.Kind.FILE or name not in cleaned:
                continue
            try:
                cleaned[name] = answer_clean(question=question, value=cleaned[name])
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def contact_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def consent_given(self) -> bool:
        return bool(self.cleaned_data.get("consent"))

    def answer_values(self) -> dict[int, Any]:
        return {
            q.pk: self.cleaned_data.get(name) for q, name in self.question_fields if q.kind != CallQuestion.Kind.FILE
        }

    def uploads(self) -> list[tuple[RequiredDocument | CallQuestion, Any]]:
        """[(document or file question, uploaded file)] for every file field that received a file."""
        result: list[tuple[RequiredDocument | CallQuestion, Any]] = []
        for question, name in self.question_fields:
            if question.kind == CallQuestion.Kind.FILE and self.files.get(name):
                result.append((question, self.files[name]))
        for document, name in self.document_fields:
            if self.files.get(name):
                result.append((document, self.files[name]))
        return result


class TransitionMessageForm(forms.Form):
    message = forms.CharField(
        label=_("메시지"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ReviewForm(forms.Form):
    def __init__(self, *args: Any, review: Review, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c_{criterion.pk}"] = forms.DecimalField(
                label=_("%(name)s (가중치 %(weight)d, 0–%(max)d점)")
                % {"name": criterion.name, "weight": criterion.weight, "max": criterion.max_score},
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=1,
                initial=review.scores.get(str(criterion.pk)),
            )
        self.fields["comment"] = forms.CharField(
            label=_("심사 의견"), required=False, widget=forms.Textarea(attrs={"rows": 5}), initial=review.comment
        )

    def scores(self) -> dict[int, Any]:
        return {c.pk: self.cleaned_data[f"c_{c.pk}"] for c in self.criteria}


class OutcomeReportForm(forms.ModelForm):
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)

    class Meta:
        model = Outcome
        fields = ["year", *OUTCOME_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "year"}
