from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CompaniesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "companies"
    verbose_name = pgettext_lazy("app", "기업")
