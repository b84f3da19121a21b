"""Keep the companies' search columns current when staff change an alias."""

from __future__ import annotations

from typing import Any

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
