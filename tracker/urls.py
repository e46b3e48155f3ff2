from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from . import views

admin.site.site_header = "Claim Tracker"
admin.site.site_title = "Claim Tracker"
admin.site.index_title = "Fact-checkers' workspace"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
