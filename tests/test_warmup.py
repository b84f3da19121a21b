"""magok/warmup.py: what the WSGI application does when it loads, once in gunicorn's master."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import engines

from magok import warmup


def test_every_template_of_the_project_compiles_and_is_kept(caplog):
    """Every project template is compiled (none of ours is left for its first request), and the
    compiled template is what a page then gets, without compiling again."""
    engine = engines["django"]
    ours = {
        name
        for directory in (settings.BASE_DIR / "templates", *sorted(settings.BASE_DIR.glob("*/templates")))
        if ".venv" not in directory.parts
        for name in warmup._template_names(Path(directory))
    }
    assert len(ours) > 150
    with caplog.at_level(logging.INFO, logger="magok.warmup"):
        compiled = warmup.warm()
    assert compiled >= len(ours)
    left = " ".join(record.getMessage() for record in caplog.records)
    assert not [name for name in ours if f"'{name}'" in left]
    [cached] = [loader for loader in engine.engine.template_loaders if hasattr(loader, "get_template_cache")]
    assert ours <= set(cached.get_template_cache)  # a page gets them without compiling


def test_the_warm_up_opens_no_database_connection():
    """A connection opened in gunicorn's master would be shared by every forked worker."""
    for connection in connections.all():
        connection.close()
    warmup.warm()
    assert all(connection.connection is None for connection in connections.all())
