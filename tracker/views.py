from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure is "down", said in JSON
        return f"{type(error).__name__}: {error}".strip()[:200]
    return None


def _cache() -> str | None:
    try:
        cache.set("healthz", "1", 5)
        if cache.get("healthz") != "1":
            return "the cache did not return what was just written"
    except Exception as error:  # Redis unreachable, refused, timed out
        return f"{type(error).__name__}: {error}".strip()[:200]
    return None


@never_cache
@require_GET
def healthz(request):
    """For load balancers and people: 200 when every dependency answers, 503 naming each one that
    does not (the database; the cache when CACHE_URL points at Redis)."""
    checks = {"database": _database}
    if settings.CACHE_URL:
        checks["cache"] = _cache
    problems = {name: problem for name, check in checks.items() if (problem := check()) is not None}
    if problems:
        body = {"status": "error", "down": sorted(problems), **problems}
        response = JsonResponse(body, status=503)
        response["Retry-After"] = str(settings.OUTAGE_RETRY_AFTER_SECONDS)
        return response
    body = {"status": "ok", "database": connection.vendor}
    if settings.CACHE_URL:
        body["cache"] = "redis"
    return JsonResponse(body)
