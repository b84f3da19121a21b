"""The audit trail: one append-only row per change that staff or the system made through a service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    """What was done. The value is ``<object>.<verb>``; the label is what staff read."""

    EVENT_UPDATE = "event.update", _("행사 수정")
    EVENT_CANCEL = "event.cancel", _("행사 취소")
    EVENT_DUPLICATE = "event.duplicate", _("행사 복제")
    EVENT_MESSAGE = "event.message", _("신청자에게 메시지 발송")
    REGISTRATION_CREATE = "registration.create", _("참가 신청")
    REGISTRATION_STAFF_ADD = "registration.staff_add", _("담당자가 참가자 추가")
    REGISTRATION_CONFIRM = "registration.confirm", _("이메일 링크로 신청 확인")
    REGISTRATION_EXPIRE = "registration.expire", _("확인 기한 지난 신청 취소")
    REGISTRATION_HOLD_RELEASE = "registration.hold_release", _("임시 좌석 확보 해제")
    REGISTRATION_CANCEL = "registration.cancel", _("참가 취소")
    REGISTRATION_RESTORE = "registration.restore", _("취소된 신청 복원")
    REGISTRATION_PROMOTE = "registration.promote", _("대기자 확정")
    REGISTRATION_TICKET_RESEND = "registration.ticket_resend", _("티켓 재발송")
    REGISTRATION_CHECK_IN = "registration.check_in", _("입장 확인")
    REGISTRATION_CHECK_IN_UNDO = "registration.check_in_undo", _("입장 확인 취소")
    PROFILE_CHANGE_APPROVE = "profile_change.approve", _("기업 정보 변경 승인")
    PROFILE_CHANGE_REJECT = "profile_change.reject", _("기업 정보 변경 반려")
    MEMBERSHIP_APPROVE = "membership.approve", _("소속 요청 승인")
    MEMBERSHIP_REJECT = "membership.reject", _("소속 요청 반려")
    MEMBERSHIP_REMOVE = "membership.remove", _("구성원 삭제")
    MEMBERSHIP_ROLE_CHANGE = "membership.role_change", _("구성원 역할 변경")
    MEMBERSHIP_HAND_OVER = "membership.hand_over", _("대표자 인계")
    APPLICATION_TRANSITION = "application.transition", _("신청서 상태 변경")
    REVIEW_ASSIGN = "review.assign", _("심사위원 배정 완료")
    REVIEW_SUBMIT = "review.submit", _("심사 제출 완료")
    OUTCOME_RECORD = "outcome.record", _("성과 기록")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class AuditEntry(models.Model):
    """Who did what to which object, when, with the values before and after.

    Append-only: a saved row refuses to be saved again or deleted (``audit.services.record`` and
    ``record_many`` are the only writers). The actor and the object are also kept as text, so the
    record still reads after the account or the object is gone.
    """

    at = models.DateTimeField(_("기록 일시"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("처리한 사람"),
    )
    # The actor's e-mail at the time; empty: the system (a periodic task, a visitor's own action).
    actor_repr = models.CharField(_("처리자 (기록 당시)"), max_length=254, blank=True)
    action = models.CharField(_("처리"), max_length=40, choices=AuditAction.choices, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("대상 종류"))
    object_id = models.CharField(_("대상 ID"), max_length=64)
    object_repr = models.CharField(_("대상"), max_length=200)
    before = models.JSONField(_("변경 전"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("변경 후"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("사유"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("model", "변경 기록")
        verbose_name_plural = pgettext_lazy("models", "변경 기록")
        ordering = ["-at", "-id"]
        # Nobody adds, changes or deletes a record by hand: only the view permission exists.
        default_permissions = ("view",)
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="audit_object_at_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every key whose value differs, in a stable order."""
        keys = sorted(set(self.before) | set(self.after))
        return [
            (key, self.before.get(key), self.after.get(key))
            for key in keys
            if self.before.get(key) != self.after.get(key)
        ]
