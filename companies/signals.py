"""Keep the companies' search columns current when staff change an alias, and what the home page
keeps per company (its applications, its join requests) current when those change."""

from __future__ import annotations

from typing import Any

from magok.pagecache import stamp_changed

from .models import Company, SearchAlias
from .search import containing_any, reindex


def alias_remember_terms(sender: type[SearchAlias], instance: SearchAlias, **kwargs: Any) -> None:
    """Before a save: the terms the alias had, whose companies must be reindexed too."""
    previous = None
    if instance.pk:
        previous = SearchAlias.objects.filter(pk=instance.pk).values_list("terms", flat=True).first()
    instance._previous_terms = SearchAlias(terms=previous).term_list() if previous else []  # type: ignore[attr-defined]


def alias_changed(sender: type[SearchAlias], instance: SearchAlias, **kwargs: Any) -> None:
    """After a save or delete: reindex the companies containing an old or a new term."""
    terms = {*instance.term_list(), *getattr(instance, "_previous_terms", [])}
    reindex(containing_any(Company.objects.all(), terms))


def company_stamp(company_id: int) -> str:
    """The stamp (magok/pagecache.py ``kept_private_values``) of what is kept for the company."""
    return f"company:{company_id}"


def company_rows_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """After a save or delete of an application or a membership: the company's kept home-page
    part is stale. (Neither changes company, so the one it has now is the one to bump.)"""
    if instance.company_id is not None:
        stamp_changed(company_stamp(instance.company_id))
