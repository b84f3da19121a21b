"""Production settings plus the bare view, for serving a checkout without ``/livez`` (the
"before" figures of bench/http_bench.py). Not used by the portal."""

from magok.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
# One client address sends everything: the API limits are counted but never reached.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"}}  # noqa: F405
