"""The Celery app. Tasks live in each app's ``tasks.py`` and are found by autodiscovery."""

import os
from pathlib import Path
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")

app = Celery("magok")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def ensure_broker_folders(sender: Any = None, source: Any = None, **kwargs: Any) -> None:
    """The embedded file-system broker (``make run``) needs its folders before the first
    message is sent or read."""
    conf = source if source is not None else app.conf
    if not str(conf.broker_url or "").startswith("filesystem:"):
        return
    options = conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
