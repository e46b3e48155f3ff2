"""The app's URLs plus one benchmark-only URL: the floor of the claims list (the same JSON for the
same page from `.values()` and orjson, no framework), served by the same gunicorn in the same run.
Only bench/loadtest/settings.py uses this module; production's URLs never include it."""

from django.http import HttpResponse
from django.urls import include, path

from bench.api import floor_page


def floor_claims(request):
    return HttpResponse(floor_page(), content_type="application/json")


urlpatterns = [
    path("bench/floor/claims/", floor_claims),
    path("", include("tracker.urls")),
]
