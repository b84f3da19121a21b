from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("1:1 미팅")

    def ready(self) -> None:
        from . import todos  # noqa: F401  (registers the staff home's to-do provider)
