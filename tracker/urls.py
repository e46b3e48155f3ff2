import sys

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render
from django.urls import include, path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from common.api.errors import api_not_found, api_server_error
from common.fetch import size_label
from common.outage import is_outage, outage_response

from . import views

admin.site.site_header = "Claim Tracker"
admin.site.site_title = "Claim Tracker"
admin.site.index_title = "Fact-checkers' workspace"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("api/v1/", include("claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI sets a few inline styles as it draws; its scripts stay external (the "split"
    # view serves its start-up script as a file), so only style-src is widened, on this page.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("", include("claims.pages.urls")),
]


def handler400(request, exception):
    # A form too large to read (DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS) is
    # said in a sentence with its limit; anything else keeps Django's plain 400 page.
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return render(
            request,
            "400_too_large.html",
            {
                "limit": size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
                "text_limit": size_label(settings.FETCH_MAX_BYTES),
            },
            status=400,
        )
    return defaults.bad_request(request, exception)


def handler404(request, exception):
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request):
    # Called while the exception is being handled: a database outage outside any view (in a
    # middleware, or while a template renders) is a 503 too.
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return defaults.server_error(request)
