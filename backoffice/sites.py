"""The admin site SBA staff work in: a staff home instead of a database browser.

Plain Django admin, customised here rather than replaced by a theme library: django-unfold
was considered, but its interface runs on Alpine.js, whose standard build evaluates
expressions with ``new Function`` and so needs ``'unsafe-eval'`` in the Content Security
Policy, which this project refuses (``CONTENT_SECURITY_POLICY``: scripts from our origin
only, no inline or eval). It would also restyle every admin template that other features
override. The pages below are server-rendered with no script at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext_lazy as _

from .navigation import GROUPS, RESULTS, group_of, is_superuser_only


class SuperuserOnlyAdmin(ModelAdmin):
    """A technical screen: only superusers see it or open it, whatever permissions a staff
    account has been given (see ``backoffice.navigation``)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class StaffAdminSite(admin.AdminSite):
    site_header = _("마곡 포털 관리 (SBA)")
    site_title = _("마곡 포털 관리")
    index_title = _("업무 홈")
    index_template = "backoffice/index.html"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models: list[Any] = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        for model in models:
            model_admin = admin_class or ModelAdmin
            if is_superuser_only(model._meta.label_lower) and not issubclass(model_admin, SuperuserOnlyAdmin):
                model_admin = type(f"SuperuserOnly{model_admin.__name__}", (SuperuserOnlyAdmin, model_admin), {})
            super().register(model, model_admin, **options)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        """Models grouped by task (기업 · 행사 · 지원사업 · 성과 · 시스템). An app's own index
        (``app_label`` given) keeps Django's list of that app."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        groups: dict[str, dict[str, Any]] = {
            group.key: {
                "name": group.name,
                "app_label": group.key,
                "app_url": f"{reverse('admin:index', current_app=self.name)}#group-{group.key}",
                "has_module_perms": True,
                "models": [],
                "order": group.order,
            }
            for group in GROUPS
        }
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                label = f"{app['app_label']}.{model['object_name'].lower()}"
                groups[group_of(label).key]["models"].append(model)
        results = groups[RESULTS.key]["models"]
        results[:0] = self._page_entries(request)
        for group in groups.values():
            group["models"].sort(key=lambda model: (model.get("order", 1), str(model["name"])))
        return [group for group in sorted(groups.values(), key=lambda g: g["order"]) if group["models"]]

    def _page_entries(self, request: HttpRequest) -> list[dict[str, Any]]:
        """The staff pages that are not a model's list, shown in the navigation like one."""
        from .views import can_view_results

        if not can_view_results(request.user):
            return []
        return [
            {
                "name": _("연간 성과 (올해 · 작년)"),
                "object_name": "YearlyResults",
                "admin_url": reverse("admin:backoffice_results", current_app=self.name),
                "add_url": None,
                "view_only": True,
                "perms": {"view": True},
                "order": 0,
            }
        ]

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> TemplateResponse:
        from .selectors import events_this_week
        from .todos import todos_for

        context = {
            "todos": todos_for(request),
            "events_week": events_this_week(user=request.user),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        from . import views

        own = [
            path("results/", self.admin_view(views.results), name="backoffice_results"),
            path("results/<int:year>.xlsx", self.admin_view(views.results_xlsx), name="backoffice_results_xlsx"),
            path(
                "company-overview/<int:pk>/",
                self.admin_view(views.company_overview),
                name="backoffice_company_overview",
            ),
        ]
        return own + super().get_urls()


def superuser_only_labels(site: admin.AdminSite) -> list[str]:
    """The registered models only superusers may see (for tests and the docs)."""
    return sorted(m._meta.label_lower for m, ma in site._registry.items() if isinstance(ma, SuperuserOnlyAdmin))
