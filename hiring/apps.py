from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HiringConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hiring"
    verbose_name = _("채용캠프")

    def ready(self) -> None:
        # Register the staff home's to-do providers, the e-mail renderers and the interview
        # notice handler of the meetings engine.
        from . import emails, notices, todos  # noqa: F401
