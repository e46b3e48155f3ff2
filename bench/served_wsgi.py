"""The app as gunicorn serves it, plus the same bytes from memory: ``/__memory__/<path>`` answers
with what ``/<path>`` answered the first time it was asked for, held in the worker's memory. The
limit of what this server, on this machine, can serve of those bytes: the public reads are
measured against it (bench.served)."""

import io
import sys

from tracker.wsgi import application as django_application

PREFIX = "/__memory__"
_held: dict[str, tuple[str, list, bytes]] = {}


def _capture(environ) -> tuple[str, list, bytes]:
    inner = dict(environ)
    inner["PATH_INFO"] = environ["PATH_INFO"][len(PREFIX) :]
    inner["wsgi.input"] = io.BytesIO(b"")
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    body = b"".join(django_application(inner, start_response))
    return answer["status"], answer["headers"], body


def application(environ, start_response):
    if not environ.get("PATH_INFO", "").startswith(PREFIX):
        return django_application(environ, start_response)
    key = environ["PATH_INFO"] + "?" + environ.get("QUERY_STRING", "")
    held = _held.get(key)
    if held is None:
        held = _held[key] = _capture(environ)
        print(f"holding {key}: {len(held[2]):,} bytes", file=sys.stderr)
    status, headers, body = held
    start_response(status, headers)
    return [body]
