"""The public verification pages (claims.pages.views)."""

from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("claims/<int:pk>/", views.claim_detail, name="claim"),
    path("claims/<int:pk>/review/", views.claim_review_action, name="claim-review"),
    path("snapshots/<int:pk>/", views.snapshot_copy, name="snapshot"),
]
