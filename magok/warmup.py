"""What a web worker would otherwise do on its first requests, done when the WSGI application
loads (magok/wsgi.py): with gunicorn's ``preload_app`` that is once, in the master, and every
worker forked from it (at start, and each time one is recycled after ``max_requests``) starts
warm. Without it, a recycled worker compiled templates, loaded the translation catalogs and the
static files' manifest on its first requests: a stall of about 100 ms that showed as the p95 of
a whole benchmark run (bench/results/NOTES.md).

Nothing here opens a database or Redis connection (a connection opened in the master would be
shared by every forked worker): templates are compiled, not rendered.
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt", ".ics", ".xml")


def _template_names(directory: Path) -> list[str]:
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.is_file() and path.suffix in TEMPLATE_SUFFIXES
    )


def warm() -> int:
    """Compile every template of every engine (kept by Django's cached loader), load each
    language's catalogs and URL patterns, and read the static files' manifest. Returns how many
    templates were compiled. A template that does not compile is logged, not raised: the page
    that uses it reports the error as it would have (tests/test_warmup.py checks that every
    template of this project compiles)."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.template.backends.django import DjangoTemplates
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver, reverse
    from django.utils import translation

    compiled, failed = 0, []
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        directories = [Path(str(d)) for d in (*engine.engine.dirs, *get_app_template_dirs("templates"))]
        for name in sorted({name for directory in directories for name in _template_names(directory)}):
            try:
                engine.get_template(name)
            except (TemplateSyntaxError, TemplateDoesNotExist):
                # Some third-party templates only compile with libraries this site does not load.
                failed.append(name)
                continue
            compiled += 1
    if failed:
        logger.info("warm-up: %s templates compiled, %s left to their first use: %s", compiled, len(failed), failed)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            translation.gettext("마곡 포털")
            get_resolver().reverse_dict  # noqa: B018 - built per language
            reverse("home")
    try:
        staticfiles_storage.url("css/site.css")  # a manifest storage reads its manifest once
    except ValueError:
        logger.warning("warm-up: no static files manifest (collectstatic has not run)")
    return compiled
