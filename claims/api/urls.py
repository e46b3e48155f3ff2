from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.include_format_suffixes = False
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("outlets", views.OutletViewSet, basename="outlet")
router.register("evidence", views.EvidenceViewSet, basename="evidence")

urlpatterns = [
    path("claimreview/", views.ClaimReviewFeedView.as_view(), name="claimreview-feed"),
    *router.urls,
]
