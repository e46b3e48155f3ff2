"""When the database is out of reach: 503 with Retry-After, in the one error shape, on pages and
API alike; and a write that committed is still answered as a success.

- ``DatabaseOutageMiddleware`` turns a database connection failure (``OperationalError``,
  ``InterfaceError``) raised by a view into 503: JSON ``{type, status, detail}`` under /api/, the
  503 page elsewhere, both with ``Retry-After``. ``tracker.urls.handler500`` calls
  ``outage_response`` too, for failures outside views (middleware, lazy template rendering).
  Integrity errors and the like are not outages: they stay what they were.
- ``answer_if_lost_after_commit(request, data, status=..., headers=...)``: a write view calls it
  right after its transaction committed, with a representation built from what it already holds
  in memory (no query). If the database then fails while the view builds its usual answer (a
  re-read, a serializer touching a relation), that representation answers, with its status, not
  503: the client must never retry a write that was in fact saved.
"""

from __future__ import annotations

import logging

import orjson
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)
DETAIL = "The database cannot be reached just now; nothing was changed. Try again shortly."


def is_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, OUTAGE_ERRORS)


def retry_after() -> str:
    return str(getattr(settings, "OUTAGE_RETRY_AFTER_SECONDS", 5))


def outage_response(request) -> HttpResponse:
    from .api.errors import error_body  # not at import: DRF's settings import this module's users

    if request.path.startswith("/api/"):
        response = HttpResponse(
            orjson.dumps(error_body(503, DETAIL, type_="service_unavailable")),
            status=503,
            content_type="application/json",
        )
    else:
        # A plain template: the usual page base may itself need the database (the user).
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = retry_after()
    response["Cache-Control"] = "no-store"
    return response


def _http_request(request):
    return getattr(request, "_request", request)  # DRF's Request wraps Django's


def answer_if_lost_after_commit(request, data, *, status: int = 200, headers=None) -> None:
    _http_request(request).committed_answer = (data, status, dict(headers or {}))


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        committed = getattr(_http_request(request), "committed_answer", None)
        if committed is not None:
            data, status, headers = committed
            log.warning("database lost after a committed write to %s: %s", request.path, exception)
            response = HttpResponse(
                orjson.dumps(data), status=status, content_type="application/json"
            )
            for name, value in headers.items():
                response[name] = value
            return response
        log.error("database unreachable for %s: %s", request.path, exception)
        return outage_response(request)
