"""Request bodies sent with ``Transfer-Encoding: chunked`` (no Content-Length), read like any other.

Django reads exactly CONTENT_LENGTH bytes of a body, and none when the header is missing, so a
chunked ``PATCH`` was answered 200 having written nothing, and a chunked ``POST`` "field required".
This WSGI wrapper (tracker/wsgi.py) runs before Django: when the server has already taken the
chunks apart (gunicorn does, and says so with ``wsgi.input_terminated``), it reads the body, at
most the largest Django would take for that path, and hands Django the bytes with their length.
A chunked body larger than that is refused with 413; a server that does not take chunks apart
(Django's development server) gets 411, "send Content-Length", so that no write is ever reported
done that did not happen. Both in the API's error shape under /api/.
"""

import io

import orjson
from django.conf import settings


def _limit(path: str) -> int:
    if path.startswith("/api/"):
        return settings.API_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _refuse(environ, start_response, status: int, detail: str):
    from .api.errors import error_body  # DRF's settings import this package

    reason = {411: "Length Required", 413: "Content Too Large"}[status]
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body = orjson.dumps(error_body(status, detail))
        content_type = "application/json"
    else:
        body = detail.encode()
        content_type = "text/plain; charset=utf-8"
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]


class ChunkedBodyMiddleware:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked or environ.get("CONTENT_LENGTH"):
            return self.application(environ, start_response)
        if not environ.get("wsgi.input_terminated"):
            return _refuse(
                environ,
                start_response,
                411,
                "Send the body with a Content-Length header: this server does not read "
                "chunked bodies (Transfer-Encoding: chunked).",
            )
        limit = _limit(environ.get("PATH_INFO", ""))
        body = environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            return _refuse(
                environ,
                start_response,
                413,
                f"The request body is larger than {limit:,} bytes, the most this accepts.",
            )
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.application(environ, start_response)
