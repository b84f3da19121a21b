"""Helpers for the bilingual (ko/en) fields the models carry as ``<name>_ko`` / ``<name>_en``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def current_language() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def localized(obj: Any, field: str) -> str:
    """The English value when the active language is English and it is filled in, else the Korean one."""
    korean = getattr(obj, f"{field}_ko", "") or ""
    if current_language() == "en":
        return getattr(obj, f"{field}_en", "") or korean
    return korean


class Localized:
    """A read-only attribute for the language-dependent value of ``<name>_ko`` / ``<name>_en``:
    ``title = Localized()`` on a model reads ``title_en`` on English pages (when filled in)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    def __get__(self, obj: Any, owner: type | None = None) -> str:
        return localized(obj, self.field)
