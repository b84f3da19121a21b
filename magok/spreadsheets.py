"""CSV/XLSX exports that staff open in Excel: text that starts like a formula must stay text.

A cell such as ``=HYPERLINK(...)`` typed into a public form would otherwise run when staff
open the export (CSV/formula injection). ``formula_safe`` prefixes such text with an
apostrophe, as Excel itself does; ``formula_unescape`` undoes it when a file comes back in.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_unescape(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
