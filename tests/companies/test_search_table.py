"""The forgiving-search table (``search_table.py``) on the suite's database (PostgreSQL) and,
in a subprocess, on a fresh SQLite database migrated for real."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from .search_table import CASES, build_directory, failures, top_results

ROOT = Path(__file__).resolve().parents[2]


def test_table_covers_every_kind_of_query():
    kinds = Counter(kind.split(",")[0] for _query, _expected, kind in CASES)
    assert len(CASES) >= 40
    for kind in ("Korean", "English", "mixed", "typo", "초성", "1 syllable", "alias", "keyword"):
        assert kinds[kind] >= 2, kind


@pytest.mark.django_db
def test_table_on_the_suite_database():
    build_directory()
    assert failures(top_results()) == []


def test_table_on_sqlite():
    env = {**os.environ, "DJANGO_ENV": "test", "DATABASE_URL": "sqlite://:memory:"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("search_table.py"))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"sqlite: {len(CASES)} of {len(CASES)} cases pass" in done.stdout
