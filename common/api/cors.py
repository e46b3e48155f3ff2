"""CORS for the API (django-cors-headers), in two tiers.

- Any origin may read: a GET or HEAD from any web page gets ``Access-Control-Allow-Origin: *``
  and no credentials, so a browser application elsewhere reads published verdicts and the feed
  as an anonymous client does. Its preflight allows only GET and HEAD, and only the conditional
  request headers: never Authorization, so no token crosses.
- Origins in CORS_TRUSTED_ORIGINS (none by default) get what django-cors-headers grants from
  CORS_ALLOWED_ORIGINS: their own origin echoed, credentials, every method and If-Match, so a
  newsroom CMS the desk runs may write from a browser.
"""

from corsheaders.conf import conf
from corsheaders.middleware import ACCESS_CONTROL_ALLOW_ORIGIN, CorsMiddleware

PUBLIC_METHODS = ("GET", "HEAD")
PUBLIC_HEADERS = ("accept", "if-none-match", "if-modified-since")


class PublicReadCorsMiddleware(CorsMiddleware):
    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        origin = request.headers.get("origin")
        if not origin or response.has_header(ACCESS_CONTROL_ALLOW_ORIGIN):
            return response  # no CORS request, or a trusted origin (handled above)
        if not getattr(request, "_cors_enabled", False):
            return response
        preflight_method = request.headers.get("access-control-request-method")
        if request.method == "OPTIONS" and preflight_method:
            if preflight_method.upper() not in PUBLIC_METHODS:
                return response  # no Allow-Origin: the browser refuses the write
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = ", ".join(PUBLIC_METHODS)
            response["Access-Control-Allow-Headers"] = ", ".join(PUBLIC_HEADERS)
            response["Access-Control-Max-Age"] = str(conf.CORS_PREFLIGHT_MAX_AGE)
        elif request.method in PUBLIC_METHODS:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = ", ".join(conf.CORS_EXPOSE_HEADERS)
        return response
