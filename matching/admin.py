"""Other desks' fact-checks in the admin: the list (searched by similarity), and the import
from a page's address (the background worker), a saved page or a DataFeed file."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html

from claims.permissions import may_change_claims

from . import services
from .models import ExternalFactCheck, FactCheckImport
from .selectors import fact_checks_ranked_by_similarity

MAX_FILE_BYTES = 20 * 1024 * 1024


class AddressForm(forms.Form):
    url = forms.URLField(label="Address", max_length=2000, assume_scheme="https")


class FileForm(forms.Form):
    file = forms.FileField(
        label="File", help_text="An HTML page saved from a browser, or a DataFeed JSON file."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError("The file is over 20 MB.")
        return upload


WAYS = {"address": AddressForm, "file": FileForm}


class DeskOnly:
    """Whoever may record the desk's claims sees and imports other desks' fact-checks; nobody
    edits them (they are the other desk's words) or deletes them (evidence may cite them)."""

    def has_module_permission(self, request):
        return may_change_claims(request.user)

    def has_view_permission(self, request, obj=None):
        return may_change_claims(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExternalFactCheck)
class ExternalFactCheckAdmin(DeskOnly, admin.ModelAdmin):
    list_display = ["claim_reviewed", "checked_by", "address"]
    list_filter = ["imported_from", "publisher"]
    search_fields = ["claim_reviewed"]
    show_full_result_count = False
    readonly_fields = [f.name for f in ExternalFactCheck._meta.fields]

    def has_add_permission(self, request):
        return False  # they come in through "Import fact-checks"

    @admin.display(description="address")
    def address(self, check):
        if not check.url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', check.url, check.url)

    def get_search_results(self, request, queryset, search_term):
        # The same similarity as the claim form and the claim search (matching.engine), the
        # most similar first unless a column's order was asked for.
        if not search_term.strip():
            return queryset, False
        ranked = fact_checks_ranked_by_similarity(queryset, search_term)
        if ORDER_VAR in request.GET:
            return ranked, False
        return ranked.order_by("match_rank", "-pk"), False


@admin.register(FactCheckImport)
class FactCheckImportAdmin(DeskOnly, admin.ModelAdmin):
    list_display = ["url", "status", "outcome", "requested_by", "requested_at"]
    list_select_related = ["requested_by"]
    readonly_fields = ["url", "status", "outcome", "requested_by", "requested_at", "fact_checks"]

    def has_add_permission(self, request):
        return may_change_claims(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        forms_by_way = {way: form_class(prefix=way) for way, form_class in WAYS.items()}
        if request.method == "POST":
            way = request.POST.get("way")
            if way not in WAYS:
                raise Http404("There is no such way to import fact-checks.")
            form = WAYS[way](request.POST, request.FILES, prefix=way)
            forms_by_way[way] = form
            if form.is_valid():
                try:
                    return self._import(request, way, form.cleaned_data)
                except ValidationError as error:
                    for message in error.messages:
                        form.add_error(None, message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import fact-checks",
            "forms": forms_by_way,
        }
        return TemplateResponse(request, "admin/matching/factcheckimport/new.html", context)

    def _import(self, request, way, data):
        if way == "address":
            started = services.request_import_from_address(url=data["url"], author=request.user)
            messages.info(request, "The background worker fetches the page and imports it.")
            return redirect("admin:matching_factcheckimport_change", started.pk)
        content = data["file"].read()
        if content.lstrip()[:1] in (b"{", b"["):
            checks = services.import_feed(content=content, author=request.user)
        else:
            checks = services.import_page(content=content, author=request.user)
        messages.success(
            request, f"{len(checks)} fact-check{'s' if len(checks) != 1 else ''} imported."
        )
        return redirect("admin:matching_externalfactcheck_changelist")
