from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboundEmail(models.Model):
    """An e-mail the portal owes someone (the outbox).

    The row is written in the same transaction as the change that caused it, so nothing is
    lost when the broker is down: the send task is only a prompt, and a periodic sweeper
    sends whatever is still queued.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("email status", "대기")
        SENDING = "sending", _("발송 중")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("실패")

    to = models.EmailField(_("받는 사람"))
    # A deferred e-mail (``email_queue_deferred``) is queued with only its kind and context;
    # the worker renders subject, bodies and attachments when it sends it (``rendered_at``).
    kind = models.CharField(_("종류"), max_length=100, blank=True, default="")
    context = models.JSONField(_("내용 정보"), default=dict, blank=True)
    rendered_at = models.DateTimeField(_("작성 일시"), null=True, blank=True)
    subject = models.CharField(_("제목"), max_length=300, blank=True, default="")
    body_text = models.TextField(_("본문"), blank=True, default="")
    body_html = models.TextField(_("HTML 본문"), blank=True)
    # [{"filename": ..., "content_type": ..., "content_b64": ...}]
    attachments = models.JSONField(_("첨부"), default=list, blank=True)
    language = models.CharField(_("언어"), max_length=2, default="ko")
    # Makes enqueueing idempotent: the same key is never queued twice.
    dedupe_key = models.CharField(_("중복 방지 키"), max_length=200, unique=True, null=True, blank=True)
    # Sent with every attempt, so a second send of the same row (after a killed sender) is
    # recognisable as a duplicate by mail systems and by staff.
    message_id = models.CharField("Message-ID", max_length=255, blank=True, default="")
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    claimed_at = models.DateTimeField(_("발송 시작 일시"), null=True, blank=True)
    sent_at = models.DateTimeField(_("발송 일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "발송 이메일")
        verbose_name_plural = pgettext_lazy("models", "발송 이메일")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created_idx")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject or self.kind}"
