from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"
    verbose_name = pgettext_lazy("app", "변경 기록")
