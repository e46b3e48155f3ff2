"""The record of dismissed suggestions (who judged which sentence not worth a claim, and when),
and the endpoint the article page's Dismiss button posts to."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse

from claims.admin.display import shorten
from claims.models import Article
from claims.permissions import may_change_claims

from . import services
from .models import DismissedSuggestion, text_hash


def _offset(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


@admin.register(DismissedSuggestion)
class DismissedSuggestionAdmin(admin.ModelAdmin):
    list_display = ["sentence", "article", "start", "end", "dismissed_by", "dismissed_at"]
    list_select_related = ["article", "dismissed_by"]
    list_filter = ["dismissed_at"]

    @admin.display(description="sentence")
    def sentence(self, dismissal):
        text = dismissal.article.text[dismissal.start : dismissal.end]
        if text_hash(text) == dismissal.text_hash:
            return shorten(text, 100)
        return "(not at these offsets since the article's text changed)"

    # A record, written only by dismissing on the article's page.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return may_change_claims(request.user)

    def has_module_permission(self, request):
        return may_change_claims(request.user)

    def get_urls(self):
        return [
            path(
                "dismiss/<int:article_id>/",
                self.admin_site.admin_view(self.dismiss_view),
                name="suggestions_dismiss",
            ),
            *super().get_urls(),
        ]

    def dismiss_view(self, request, article_id: int):
        """POST start and end: 200 JSON for the page's script, or back to the article's page
        with a message for a plain form post. A refusal is a 400 with its sentence."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = get_object_or_404(Article, pk=article_id)
        wants_json = "application/json" in request.headers.get("Accept", "")
        back = reverse("admin:claims_article_change", args=[article.pk])
        start, end = _offset(request.POST.get("start")), _offset(request.POST.get("end"))
        try:
            if start is None or end is None:
                raise ValidationError("Say which sentence: its start and end, whole numbers.")
            dismissal = services.dismiss_suggestion(
                article=article, start=start, end=end, author=request.user
            )
        except PermissionDenied:
            raise
        except ValidationError as error:
            sentence = " ".join(error.messages)
            if wants_json:
                return JsonResponse({"dismissed": False, "message": sentence}, status=400)
            messages.error(request, sentence)
            return HttpResponseRedirect(back)
        sentence = "Dismissed: it is not suggested again for this article."
        if wants_json:
            return JsonResponse(
                {
                    "dismissed": True,
                    "message": sentence,
                    "start": dismissal.start,
                    "end": dismissal.end,
                }
            )
        messages.success(request, sentence)
        return HttpResponseRedirect(back)
