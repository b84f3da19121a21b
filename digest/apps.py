from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class DigestConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "digest"
    verbose_name = pgettext_lazy("app", "담당자 알림")
