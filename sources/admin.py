from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from common.admin_widgets import PreloadedAutocompleteFormSet, PreloadedAutocompleteInline

from .models import Outlet, Provenance, Source
from .provenance import check_no_cycle
from .services import remove_provenance, save_provenance


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
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "published_on"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "kind", "outlet", "author", "on_record"]}),
        ("Where to find it", {"fields": ["url", "archived_url", "published_on", "accessed_on"]}),
        ("Notes", {"fields": ["notes", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(rests_on_count=Count("provenance"))

    @admin.display(description="rests on", ordering="rests_on_count")
    def rests_on_count(self, obj):
        return obj.rests_on_count or "—"

    def save_formset(self, request, form, formset, change):
        if formset.model is not Provenance:
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        for link in formset.deleted_objects:
            remove_provenance(link=link)
        for link in links:
            save_provenance(link=link)
        return None
