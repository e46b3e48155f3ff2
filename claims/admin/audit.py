"""The audit trail in the admin: readable by both roles, writable by nobody.

State changes, review events and correction notes are written only by claims.services. Here
nobody, superusers included, adds, changes or deletes one.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from claims.models import PublishedVersion, ReviewEvent, StateChange

from .display import shorten, state_badge


class AuditAdmin(admin.ModelAdmin):
    list_select_related = ["claim", "author"]
    show_full_result_count = False
    date_hierarchy = "created_at"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="claim", ordering="claim__wording")
    def claim_link(self, row):
        url = reverse("admin:claims_claim_change", args=[row.claim_id])
        return format_html(
            '<a href="{}">#{} {}</a>', url, row.claim_id, shorten(row.claim.wording, 60)
        )


@admin.register(StateChange)
class StateChangeAdmin(AuditAdmin):
    list_display = ["created_at", "claim_link", "from_label", "to_label", "author", "why"]
    list_filter = ["to_state", "from_state"]
    search_fields = ["rationale", "claim__wording", "author__username"]

    @admin.display(description="from")
    def from_label(self, row):
        return state_badge(row.from_state)

    @admin.display(description="to")
    def to_label(self, row):
        return state_badge(row.to_state)

    @admin.display(description="why")
    def why(self, row):
        return shorten(row.rationale, 120)


@admin.register(ReviewEvent)
class ReviewEventAdmin(AuditAdmin):
    list_display = ["created_at", "claim_link", "action", "state_label", "author", "comment_text"]
    list_filter = ["action"]
    search_fields = ["comment", "override_reason", "claim__wording", "author__username"]

    @admin.display(description="state then")
    def state_label(self, row):
        return state_badge(row.state)

    @admin.display(description="comment")
    def comment_text(self, row):
        text = row.comment
        if row.override_reason:
            text = f"{text} [published over its evidence: {row.override_reason}]".strip()
        return shorten(text, 120) or "—"


@admin.register(PublishedVersion)
class PublishedVersionAdmin(AuditAdmin):
    """Every version the public has read: approvals, loads and withdrawals, with their notes."""

    list_display = [
        "approved_at",
        "claim_link",
        "number",
        "kind",
        "state_label",
        "approved_by",
        "note",
    ]
    list_select_related = ["claim", "approved_by"]
    list_filter = ["kind", "state"]
    search_fields = ["correction", "wording", "claim__wording"]
    date_hierarchy = "approved_at"
    exclude = ["article_version"]

    @admin.display(description="state")
    def state_label(self, row):
        return state_badge(row.state)

    @admin.display(description="correction note")
    def note(self, row):
        return shorten(row.correction, 120) or "—"
