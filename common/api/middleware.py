"""Checks on an API request made before Django or DRF touch its body.

- A body declared larger than API_MAX_BODY_BYTES is refused with the JSON 413 before a byte of it
  is read (DRF reads the whole body before any parser runs, and Django's own limit,
  DATA_UPLOAD_MAX_MEMORY_SIZE, answered an HTML "Bad Request (400)").
- A URL longer than gunicorn reads (limit_request_line) is a JSON 414 under any server.
- A write sent to an API URL without its trailing slash gets a 404 naming the right URL. Django's
  APPEND_SLASH would answer a 301 that makes clients drop the body (or a RuntimeError with DEBUG
  on); this middleware sits before CommonMiddleware so that never happens.
"""

from django.conf import settings
from django.http import JsonResponse
from django.urls import Resolver404, resolve

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# gunicorn's limit_request_line (tracker/gunicorn.conf.py): the same bound whatever the server.
MAX_URL_BYTES = 8190 - len(" HTTP/1.1") - len("OPTIONS ")


class APIRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            refused = self.refuse(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def refuse(self, request):
        # Imported here: errors imports DRF, whose settings import this package's parsers.
        from .errors import error_body

        url = request.get_full_path()
        if len(url.encode()) > MAX_URL_BYTES:
            return JsonResponse(
                error_body(
                    414,
                    f"The URL is longer than {MAX_URL_BYTES:,} bytes, the most this API reads: "
                    "ask for fewer things at once.",
                ),
                status=414,
            )
        declared = request.META.get("CONTENT_LENGTH") or "0"
        limit = settings.API_MAX_BODY_BYTES
        if not declared.isascii() or not declared.isdigit():
            return JsonResponse(
                error_body(400, "Content-Length must be a whole number of bytes."), status=400
            )
        if int(declared) > limit:
            return JsonResponse(
                error_body(
                    413,
                    f"The request body is larger than {limit:,} bytes, the most this API accepts.",
                ),
                status=413,
            )
        if request.method not in SAFE_METHODS and not request.path_info.endswith("/"):
            try:
                resolve(request.path_info + "/")
            except Resolver404:
                return None  # a 404 as for any unknown URL
            right = request.path + "/"
            return JsonResponse(
                error_body(
                    404,
                    f"There is no API endpoint at {request.path}: send the {request.method} "
                    f"to {right} (with the trailing slash).",
                ),
                status=404,
            )
        return None
