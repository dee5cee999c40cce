"""gunicorn configuration, read automatically from the project root.

Workers and threads come from measurements on a 2-core machine (see bench/RESULTS.md); override
with WEB_CONCURRENCY / GUNICORN_THREADS.

Why 2 sync workers × 1 thread (one worker per core):
* Every request is CPU-bound Python (template rendering, or a cache lookup); the database answers
  in well under a millisecond on loopback. A third worker or a second thread adds no CPU, only
  context switches and one more copy of the page cache in memory: on a bare Wagtail 8 site here
  2 workers beat 3 and 5, and in this project's runs (bench/RESULTS.md) 3 and 4 workers and 2×2
  threads were no faster for cached pages and slower at the 99th percentile.
* Sync workers keep each request on one thread, which SQLite's write lock and Django's
  per-thread database connections are happiest with; PostgreSQL connections persist for 60 s
  (CONN_MAX_AGE via DATABASE_URL), which matters more than the worker count (76 → 180 req/s).
* With more cores, WEB_CONCURRENCY = number of cores is the starting point; measure with
  `make bench` before going higher.
"""

import os
import sys

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then (guards against slow leaks), but rarely: a new worker starts with an
# empty in-memory page cache. At 5,000 requests a loaded worker restarted every ~10 s, which showed
# as multi-second p99 latencies in bench/RESULTS.md. (The application itself is loaded once, in the
# master: see on_starting.)
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Load Django settings in the master, so a configuration error is one clear line, not a crash loop."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.stderr.flush()
        os._exit(1)
    load_application_before_fork(server)


def load_application_before_fork(server):
    """What ``preload_app`` does, after the settings check above: the master imports the application
    (``cms.wsgi`` also warms it up: ``cms.startup``), so workers fork with it loaded and share those
    pages instead of each importing its own copy, and a recycled worker starts at once.

    Measured in bench/RESULTS.md (run 14): 107-109 MB resident per worker after the bench (116-130
    before), of which 24-34 MB private (about 92 before); request throughput unchanged.
    """
    import gc

    server.app.wsgi()
    # Nothing opened in the master may be inherited: two workers on one database connection would
    # interleave their queries on one socket.
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()
    # Keep the collector from writing to every object the workers inherit (copy-on-write).
    gc.freeze()
