from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StaffPreference(models.Model):
    """A staff member's choices about what the portal sends them. No row: the defaults (on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_preference",
        verbose_name=_("SBA 담당자"),
    )
    daily_digest = models.BooleanField(
        _("매일 아침 할 일 요약 메일 받기"),
        default=True,
        help_text=_("처리할 일이 있는 날에만 보냅니다."),
    )
    updated_at = models.DateTimeField(_("수정 일시"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "담당자 알림 설정")
        verbose_name_plural = pgettext_lazy("models", "담당자 알림 설정")

    def __str__(self) -> str:
        return str(self.user)
