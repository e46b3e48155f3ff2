"""Pages shown to someone signed in are theirs alone: ``Cache-Control: private, no-store``.

A desk member's status pages hold drafts and unpublished verdicts; without this header a shared
cache (a proxy, a CDN) or the browser's history could keep them and show them to the next
visitor. The API sets its own (common/api/caching.py); a response that already says how it may
be cached (the admin's never_cache, a stored copy) keeps what it says.
"""

from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers


class SignedInPagesPrivateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
            # Whoever is signed in changes the page: any cache that keeps it keys on the cookie.
            patch_vary_headers(response, ["Cookie"])
        return response
