"""Demo data for the background jobs: the recurring event series and their first occurrences.

Runs last in ``manage.py load_demo`` so that the events app's own demo is already there.
"""

from __future__ import annotations


def load_demo() -> str:
    from events.demo_series import load_demo_series

    return load_demo_series()
