from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin

from claims import services
from claims.models import Article, passage_stands
from claims.permissions import is_editor
from claims.selectors.articles import ARTICLE_FIELD_LABELS
from common.admin_input import SafeInputAdminMixin

from . import claim_panel
from . import passage as passage_admin
from .article_text import claim_rows, marked_text
from .display import shorten


@admin.register(Article)
class ArticleAdmin(SafeInputAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "headline",
        "outlet",
        "published_on",
        "claim_count",
        "broken_anchor_count",
        "updated_at",
    ]
    list_select_related = ["outlet"]
    list_filter = ["outlet__kind"]
    search_fields = ["headline", "byline", "outlet__name", "slug"]
    autocomplete_fields = ["outlet"]
    prepopulated_fields = {"slug": ["headline"]}
    readonly_fields = ["public_version", "created_at", "updated_at"]
    date_hierarchy = "published_on"
    show_full_result_count = False
    # A long text: Save is at the top of the form as well as under it.
    save_on_top = True
    actions = ["publish_changes"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "byline", "outlet", "url", "published_on"]}),
        ("Text", {"fields": ["text"]}),
        ("Publication", {"fields": ["public_version"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        # An article is deleted only while nothing hangs on it (services.delete_article).
        if obj is not None and (obj.live_version_id or obj.claims.exists()):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.delete_article(article=obj, author=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.delete_article(article=article, author=request.user)

    @admin.action(description="Publish the changes of selected articles", permissions=["publish"])
    def publish_changes(self, request, queryset):
        done, refused = 0, []
        for article in queryset.select_related("live_version"):
            try:
                services.publish_article(article=article, author=request.user)
            except (ValidationError, PermissionDenied) as error:
                refused.append(
                    f"“{shorten(article.headline, 50)}” ({' '.join(getattr(error, 'messages', [str(error)]))})"
                )
            else:
                done += 1
        if done:
            messages.success(
                request, f"Published the changes of {done} article{'s' if done != 1 else ''}."
            )
        if refused:
            messages.error(request, "Not published: " + "; ".join(refused))

    @admin.display(description="what the public reads")
    def public_version(self, article):
        live = article.live_version
        if live is None:
            return "Nothing yet: the article is published with its first approved claim."
        differs = live.differs_from(article)
        said = f"Version {live.number}, approved {date_format(live.approved_at, 'j M Y, H:i')}."
        if not differs:
            return f"{said} The public reads the article as it stands."
        labels = ", ".join(ARTICLE_FIELD_LABELS[f] for f in differs)
        return (
            f"{said} This working copy differs in: {labels}. The public keeps version "
            f"{live.number} until an editor publishes the changes (the “Publish the changes” "
            "action, or approving one of its claims)."
        )

    def get_queryset(self, request):
        # Both counts come from one join of the claims, in the list's single query.
        intact = passage_stands("text", "claims__quote_start", "claims__quote_end", "claims__quote")
        return (
            super()
            .get_queryset(request)
            .annotate(claim_total=Count("claims"), broken_total=Count("claims", filter=~Q(intact)))
            # A grouped query drops the model's default ordering: say it again, or the claim
            # form's article search pages through an unordered list.
            .order_by(*Article._meta.ordering)
        )

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, article):
        url = reverse("admin:claims_claim_changelist") + "?" + urlencode({"article": article.pk})
        return format_html('<a href="{}">{}</a>', url, article.claim_total)

    @admin.display(description="broken anchors", ordering="broken_total")
    def broken_anchor_count(self, article):
        if not article.broken_total:
            return "—"
        query = urlencode({"article": article.pk, "anchor": "broken"})
        url = f"{reverse('admin:claims_claim_changelist')}?{query}"
        return format_html(
            '<a class="anchor--broken" href="{}">⚠ {}</a>', url, article.broken_total
        )

    class Media:
        js = ["js/article_selection.js"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/claim/",
                self.admin_site.admin_view(
                    lambda request, pk: claim_panel.add_claim_view(self, request, pk)
                ),
                name="claims_article_add_claim",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        rows = context.get("claim_rows")
        if obj is not None and rows is not None:
            context["marked_text"] = marked_text(obj.text, [row["claim"] for row in rows])
            context.update(claim_panel.panel_context(self, request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The claims are shown as a read-only table, not an inline formset: a claim is made in
        # the page's claim panel and edited on its own page, where its passage is anchored
        # (saving the article re-anchors its claims in claims.services.save_article, which
        # records every move).
        article_id = passage_admin.number(object_id)
        rows = claim_rows(article_id) if article_id is not None else None
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "claim_rows": rows}
        )

    def save_model(self, request, obj, form, change):
        broken = services.save_article(article=obj, author=request.user)
        if change and obj.live_version_id and obj.live_version.differs_from(obj):
            messages.info(
                request,
                "The public keeps reading the article as it was approved until an editor "
                "publishes these changes.",
            )
        if broken.moved:
            count = len(broken.moved)
            messages.info(
                request,
                f"{count} claim{'s' if count != 1 else ''} moved with {'their' if count != 1 else 'its'} "
                "passage to where it now stands (recorded in each claim's history as “anchor moved”): "
                + "; ".join(f"#{c.pk} “{shorten(c.quote, 50)}”" for c in broken.moved)
                + ".",
            )
        if broken:
            messages.warning(
                request,
                f"{len(broken)} claim{'s' if len(broken) != 1 else ''} no longer match the article "
                "text and are marked “broken” in the claim list, each with the closest passage "
                "offered on its page: "
                + "; ".join(f"#{c.pk} “{shorten(c.quote, 50)}”" for c in broken)
                + ".",
            )
