from typing import Any

from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite has no pg_trgm: give it the same word similarity in Python (``make run``, tests)."""
    if connection.vendor == "sqlite":
        from .search import is_similar, word_similarity

        raw = connection.connection
        raw.create_function("magok_word_similarity", 2, word_similarity, deterministic=True)
        raw.create_function("magok_is_similar", 2, is_similar, deterministic=True)


class CompaniesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "companies"
    verbose_name = pgettext_lazy("app", "기업")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import signals
        from .models import SearchAlias

        connection_created.connect(_register_sqlite_functions, dispatch_uid="companies_sqlite_functions")
        pre_save.connect(signals.alias_remember_terms, sender=SearchAlias, dispatch_uid="alias_remember_terms")
        post_save.connect(signals.alias_changed, sender=SearchAlias, dispatch_uid="alias_changed")
        post_delete.connect(signals.alias_changed, sender=SearchAlias, dispatch_uid="alias_deleted")
        for model in ("programs.Application", "accounts.Membership"):
            post_save.connect(signals.company_rows_changed, sender=model, dispatch_uid=f"company_stamp_save_{model}")
            post_delete.connect(
                signals.company_rows_changed, sender=model, dispatch_uid=f"company_stamp_delete_{model}"
            )
