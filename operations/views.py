"""Operational endpoints for load balancers and monitoring."""

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "down"
    return "ok"


def cache_status() -> str:
    """ "unavailable" when a shared cache cannot be reached or refuses writes (Redis full)."""
    for alias in settings.CACHES:
        cache = caches[alias]
        probe = getattr(cache, "probe", None)  # page_cache.resilient_redis: ping plus a small write
        try:
            if probe is not None:
                probe()
            else:
                cache.get("healthz-probe")
        except Exception:
            return "unavailable"
    return "ok"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """503 only when the database is down: without the cache the site still works, only slower."""
    database = database_status()
    cache = cache_status()
    if database != "ok":
        status, code = "unavailable", 503
    elif cache != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "database": database, "cache": cache}, status=code)
