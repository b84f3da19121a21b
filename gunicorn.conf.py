"""gunicorn settings for the web container (Dockerfile, docker-compose.yml) and the benchmark.

The figures that chose them are in bench/RESULTS.md and the README ("Production settings").
Each can be changed per deployment through the environment without a new image.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Synchronous workers, one request at a time each: the work is CPU (templates, serialisation)
# plus short PostgreSQL and Redis round trips, so threads add little and each thread would hold
# its own persistent database connection. About one worker per core.
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# A request that takes longer than this is a bug or a hung dependency: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so that slow memory growth cannot pile up (RSS stays < 150 MB).
# Recycling a worker is a leak guard, not a feature: every restart stalls the requests queued
# on that worker (at 5,000 the p95 of cached pages was 35-120 ms against a p50 of 7 ms; at
# 100,000 it is 8-14 ms, with the same worker RSS of about 100 MB: bench/RESULTS.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# Load Django (apps, URL configuration: magok/wsgi.py) once in the master before forking, so a
# new or recycled worker answers its first request, and the balancer's health check, at once
# instead of spending seconds importing. Nothing opens a database or Redis connection at import.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
