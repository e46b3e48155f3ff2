"""gunicorn's sync worker, answering what gunicorn refuses before the app sees it in the API's
error shape (common/api/errors.py), not gunicorn's own HTML page.

gunicorn reads the request line and the headers itself and refuses, without calling the app, a
request line over ``limit_request_line`` (8,190 bytes: tracker/gunicorn.conf.py), a header over
its size or count limits, and a request it cannot parse. A client of the API then got
``<html>…<h1>URI Too Long</h1>…``: these answers are the same JSON as every other error, with
the same status and a sentence. Anything else (an error in the app) is gunicorn's own handling.
"""

import orjson
from gunicorn import util
from gunicorn.http import errors as http
from gunicorn.workers.sync import SyncWorker

# gunicorn's refusals of a request it read: (status, reason phrase, type, a sentence).
REFUSED = [
    (
        http.LimitRequestLine,
        (414, "URI Too Long", "uri_too_long",
         "The request line (method, URL and version) is longer than 8,190 bytes: "
         "shorten the URL, or send what it carries in a request body."),
    ),
    (
        http.LimitRequestHeaders,
        (431, "Request Header Fields Too Large", "request_header_fields_too_large",
         "A header is longer than 8,190 bytes, or there are more than 100 of them."),
    ),
    (
        (http.InvalidRequestLine, http.InvalidRequestMethod, http.InvalidHTTPVersion,
         http.InvalidHeader, http.InvalidHeaderName, http.ObsoleteFolding,
         http.InvalidChunkSize, http.ChunkMissingTerminator, http.InvalidChunkExtension),
        (400, "Bad Request", "bad_request",
         "The request is not well-formed HTTP/1.1, so it was not read."),
    ),
]  # fmt: skip


def refusal(exc) -> tuple[int, str, str, str] | None:
    # gunicorn's response header errors subclass its request header errors: those are the
    # app's fault, a 500 that gunicorn handles.
    if isinstance(exc, http.InvalidResponseHeader | http.InvalidResponseHeaderName):
        return None
    for kinds, answer in REFUSED:
        if isinstance(exc, kinds):
            return answer
    return None


def error_response(status: int, reason: str, type_: str, detail: str) -> bytes:
    body = orjson.dumps({"type": type_, "status": status, "detail": detail})
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class ErrorShapeSyncWorker(SyncWorker):
    def handle_error(self, req, client, addr, exc):
        answer = refusal(exc)
        if answer is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, error_response(*answer))
        except Exception:  # the client has gone: nothing to answer
            self.log.debug("Failed to send error message.")
