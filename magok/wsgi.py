"""
WSGI config for magok project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "magok.settings")

application = get_wsgi_application()

# Build the URL resolver now rather than at the first request (it imports every view module):
# with gunicorn's preload_app (gunicorn.conf.py) the master does this once for all workers.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018

# Compile the templates, load the translations and the static manifest too (magok/warmup.py):
# a recycled worker then starts as warm as the one it replaces.
from magok.warmup import warm  # noqa: E402

warm()
