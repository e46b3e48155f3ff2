from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from common.admin_widgets import PreloadedAutocompleteFormSet, PreloadedAutocompleteInline
from common.stored_copy import stored_copy_response

from .models import Outlet, Provenance, SnapshotStatus, Source, SourceSnapshot
from .provenance import check_no_cycle
from .services import (
    remove_provenance,
    request_snapshot,
    save_outlet,
    save_provenance,
    save_source,
)


def external_link(url: str):
    # Only ever http(s) here: the field validator and a database check guarantee it.
    return (
        format_html('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>', url, url)
        if url
        else "—"
    )


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "homepage_link", "source_count"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    def save_model(self, request, obj, form, change):
        save_outlet(outlet=obj, author=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # outlets are kept: sources and articles name them

    @admin.display(description="homepage")
    def homepage_link(self, obj):
        return external_link(obj.homepage)

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, obj):
        return obj.source_count


class ProvenanceFormSet(PreloadedAutocompleteFormSet):
    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return  # nothing can rest on a source that does not exist yet: no loop possible
        edges = [
            (self.instance.pk, form.cleaned_data["rests_on"].pk)
            for form in self.forms
            if form.cleaned_data.get("rests_on") and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_no_cycle(edges)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class ProvenanceInline(PreloadedAutocompleteInline, admin.TabularInline):
    model = Provenance
    fk_name = "source"
    formset = ProvenanceFormSet
    autocomplete_fields = ["rests_on"]
    preloaded_fields = ("rests_on",)
    extra = 0
    verbose_name = "rests on"
    verbose_name_plural = "provenance: the sources this one rests on"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rests_on__outlet")


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "kind",
        "outlet",
        "author",
        "published_on",
        "on_record",
        "rests_on_count",
    ]
    list_filter = ["kind", "on_record"]
    list_select_related = ["outlet"]
    search_fields = ["title", "author", "outlet__name", "url"]
    autocomplete_fields = ["outlet"]
    inlines = [ProvenanceInline]
    readonly_fields = ["snapshot_list", "created_at", "updated_at"]
    date_hierarchy = "published_on"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "kind", "outlet", "author", "on_record"]}),
        ("Where to find it", {"fields": ["url", "archived_url", "published_on", "accessed_on"]}),
        ("Snapshots", {"fields": ["snapshot_list"]}),
        ("Notes", {"fields": ["notes", "created_at", "updated_at"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<int:pk>/archive/",
                self.admin_site.admin_view(self.archive_view),
                name="sources_source_archive",
            ),
            *super().get_urls(),
        ]

    def archive_view(self, request, pk):
        """ "Archive now" (a POST from the source's page): a snapshot for the worker to take,
        whose page shows its progress."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = get_object_or_404(Source, pk=pk)
        try:
            snapshot = request_snapshot(source=source, author=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("admin:sources_source_change", source.pk)
        return redirect("admin:sources_sourcesnapshot_change", snapshot.pk)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_archive"] = bool(
            obj is not None and obj.url and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="archived copies")
    def snapshot_list(self, source):
        if source.pk is None:
            return "Save the source first; then “Archive now” keeps a dated copy of its page."
        snapshots = list(source.snapshots.defer("content")[:20])  # newest first
        if not snapshots:
            return (
                "None yet. “Archive now” (top right) keeps a dated copy of the page at its web "
                "address: the exact bytes, their SHA-256, the HTTP status and the final address."
            )
        return format_html(
            '<ul class="snapshot-list">{}</ul>',
            format_html_join("", "<li>{}</li>", ((snapshot_summary(s),) for s in snapshots)),
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rests_on_count=Count("provenance"))

    @admin.display(description="rests on", ordering="rests_on_count")
    def rests_on_count(self, obj):
        return obj.rests_on_count or "—"

    def save_model(self, request, obj, form, change):
        save_source(source=obj, author=request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # sources are kept: evidence, provenance and published versions cite them

    def save_formset(self, request, form, formset, change):
        if formset.model is not Provenance:
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        for link in formset.deleted_objects:
            remove_provenance(link=link, author=request.user)
        for link in links:
            save_provenance(link=link, author=request.user)
        return None


def snapshot_summary(snapshot: SourceSnapshot):
    """One line for the desk: when, what, and where to open it."""
    page = reverse("admin:sources_sourcesnapshot_change", args=[snapshot.pk])
    if snapshot.status == SnapshotStatus.ARCHIVED:
        return format_html(
            '<a href="{}">fetched {} UTC</a>, SHA-256 <code title="{}">{}</code>, {}, HTTP {} · '
            '<a href="{}" target="_blank" rel="noopener noreferrer">open the stored copy</a> · '
            '<a href="{}">download</a>',
            page,
            f"{snapshot.fetched_at:%Y-%m-%d %H:%M}",
            snapshot.sha256,
            snapshot.short_sha256,
            snapshot.size_label,
            snapshot.http_status,
            reverse("admin:sources_sourcesnapshot_copy", args=[snapshot.pk]),
            reverse("admin:sources_sourcesnapshot_download", args=[snapshot.pk]),
        )
    asked = f"{snapshot.requested_at:%Y-%m-%d %H:%M}"
    if snapshot.status == SnapshotStatus.FAILED:
        return format_html('<a href="{}">asked {} UTC</a>: failed. {}', page, asked, snapshot.error)
    return format_html(
        '<a href="{}">asked {} UTC</a>: {}…', page, asked, snapshot.get_status_display().lower()
    )


@admin.register(SourceSnapshot)
class SourceSnapshotAdmin(admin.ModelAdmin):
    """Snapshots are written by the worker alone: the desk reads them, opens and downloads the
    stored copies, and asks for new ones from the source's page."""

    list_display = ["__str__", "source", "status", "short_sha256", "size_label", "http_status"]
    list_filter = ["status"]
    list_select_related = ["source__outlet"]  # a source names its outlet
    search_fields = ["source__title", "requested_url", "final_url", "sha256"]
    show_full_result_count = False
    change_form_template = "admin/sources/sourcesnapshot/change_form.html"
    fields = [
        "source",
        "status",
        "error",
        "requested_url",
        "final_url",
        "http_status",
        "content_type",
        "sha256",
        "size_label",
        "fetched_at",
        "requested_by",
        "requested_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("sources.view_source")

    def has_add_permission(self, request):
        return False  # "Archive now" on a source asks for one

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # kept: what a source said, and when

    @admin.display(description="SHA-256")
    def short_sha256(self, snapshot):
        return snapshot.short_sha256 or "—"

    @admin.display(description="size")
    def size_label(self, snapshot):
        return snapshot.size_label if snapshot.status == SnapshotStatus.ARCHIVED else "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/copy/",
                view(lambda request, pk: self.copy_view(request, pk, download=False)),
                name="sources_sourcesnapshot_copy",
            ),
            path(
                "<int:pk>/download/",
                view(lambda request, pk: self.copy_view(request, pk, download=True)),
                name="sources_sourcesnapshot_download",
            ),
            *super().get_urls(),
        ]

    def copy_view(self, request, pk, *, download: bool):
        if not self.has_view_permission(request):
            raise PermissionDenied
        snapshot = get_object_or_404(SourceSnapshot, pk=pk)
        if snapshot.status != SnapshotStatus.ARCHIVED:
            raise Http404("This snapshot has no stored copy.")
        name = f"source-{snapshot.source_id}-snapshot-{snapshot.pk}-{snapshot.sha256[:12]}"
        return stored_copy_response(snapshot, name=name, download=download)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["snapshot"] = obj
        context["still_running"] = obj is not None and not obj.done
        return super().render_change_form(request, context, add, change, form_url, obj)
