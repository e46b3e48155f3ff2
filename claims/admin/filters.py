"""List filters that stay small (and cost one query) however many rows there are."""

from django.contrib import admin
from django.db.models import Count

from claims import selectors
from claims.models import Article, Claim, ReviewState

from .display import shorten


class RecentArticleFilter(admin.SimpleListFilter):
    """The 20 most recently updated articles, plus the one selected (reachable from any article)."""

    title = "article"
    parameter_name = "article"
    limit = 20

    def lookups(self, request, model_admin):
        recent = list(
            Article.objects.order_by("-updated_at").values_list("id", "headline")[: self.limit]
        )
        selected = self.value()
        if selected and selected.isdigit() and int(selected) not in {pk for pk, _ in recent}:
            recent += list(Article.objects.filter(pk=selected).values_list("id", "headline"))
        return [(str(pk), shorten(headline, 60)) for pk, headline in recent]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(article_id=value)


class ClaimantFilter(admin.SimpleListFilter):
    """The most frequent claimants; "the article itself" for the article's own statements."""

    title = "claimant"
    parameter_name = "claimant"
    limit = 30
    ARTICLE_ITSELF = "__article__"

    def lookups(self, request, model_admin):
        rows = (
            Claim.objects.exclude(claimant="")
            .values_list("claimant")
            .annotate(n=Count("id"))
            .order_by("-n", "claimant")[: self.limit]
        )
        return [(self.ARTICLE_ITSELF, "The article itself"), *[(name, name) for name, _ in rows]]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == self.ARTICLE_ITSELF:
            return queryset.filter(claimant="")
        return queryset.filter(claimant=value)


class AnchorFilter(admin.SimpleListFilter):
    title = "anchor"
    parameter_name = "anchor"

    def lookups(self, request, model_admin):
        return [("intact", "Intact"), ("broken", "Broken")]

    def queryset(self, request, queryset):
        if self.value() == "intact":
            return queryset.filter(anchor_intact=True)
        if self.value() == "broken":
            return queryset.filter(anchor_intact=False)
        return queryset


class NeedsReviewFilter(admin.SimpleListFilter):
    """What waits for an editor, at one click."""

    title = "needs review"
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", "Waiting for an editor"), ("no", "Not waiting")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(review_state=ReviewState.IN_REVIEW)
        if self.value() == "no":
            return queryset.exclude(review_state=ReviewState.IN_REVIEW)
        return queryset


class SentBackFilter(admin.SimpleListFilter):
    """Claims an editor sent back that have not been resubmitted since."""

    title = "sent back"
    parameter_name = "sent_back"

    def lookups(self, request, model_admin):
        return [("yes", "Sent back, not resubmitted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sent_back=True)
        return queryset


class QueueFilter(admin.SimpleListFilter):
    """The role's queues from the admin home, as lists."""

    title = "your queues"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            (key, selectors.QUEUE_TITLES[key]) for key in selectors.queue_querysets(request.user)
        ]

    def queryset(self, request, queryset):
        queues = selectors.queue_querysets(request.user)
        if self.value() in queues:
            return queryset.filter(pk__in=queues[self.value()].values("pk"))
        return queryset
