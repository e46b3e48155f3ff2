"""HTTP caching for the API: strong ETags on every GET, 304 for If-None-Match (and
If-Modified-Since where a view sets Last-Modified, as the feed does), Cache-Control and Vary.

- A view may set its own ETag (a claim's comes from its version; the feed's from what it
  lists); otherwise the tag is a hash of the response's media type and bytes, so it is strong:
  the same tag means the same bytes, and JSON and JSON-LD of one object have different tags.
- Anonymous reads: ``public, max-age=API_CACHE_MAX_AGE`` (short: a verdict can be corrected);
  a reader with a token or a session: ``private, no-store``, since a desk member sees drafts.
- ``Vary: Accept, Authorization, Cookie``: what comes back depends on all three.
"""

import hashlib

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

READS = {"GET", "HEAD"}


def content_etag(response) -> str:
    digest = hashlib.sha256(response.get("Content-Type", "").encode())
    digest.update(response.content)
    return '"' + digest.hexdigest()[:32] + '"'


def is_personal(request) -> bool:
    user = getattr(request, "user", None)
    return bool(
        request.headers.get("Authorization") or (user is not None and user.is_authenticated)
    )


class APICachingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith("/api/"):
            return response
        patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))
        if request.method not in READS or response.status_code != 200:
            response.setdefault("Cache-Control", "no-store")
            return response
        if is_personal(request):
            response["Cache-Control"] = "private, no-store"
        else:
            response["Cache-Control"] = f"public, max-age={settings.API_CACHE_MAX_AGE}"
        if not response.has_header("ETag") and not isinstance(response, StreamingHttpResponse):
            response["ETag"] = content_etag(response)
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
