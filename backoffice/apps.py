from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    default = True
    name = "backoffice"
    verbose_name = _("업무 홈")
    default_auto_field = "django.db.models.BigAutoField"


class StaffAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the staff home as its site: every ``admin.site.register``
    in the project (and in the libraries) lands on ``backoffice.sites.StaffAdminSite``."""

    default = False  # named in INSTALLED_APPS by its path; BackofficeConfig is the app's own
    default_site = "backoffice.sites.StaffAdminSite"
