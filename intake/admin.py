"""The desk's way in for articles: "New article from a web address" (or a saved page, or pasted
text), the fetch's progress, the pre-filled article form, and the originals kept."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from common.stored_copy import stored_copy_response

from . import services
from .forms import AddressForm, ArticleFromIntakeForm, PasteForm, UploadForm
from .models import ArticleIntake, IntakeStatus
from .selectors import existing_article

WAYS = {"address": AddressForm, "upload": UploadForm, "paste": PasteForm}
# Seconds after which a page still waiting for the worker says the worker may not be running.
WORKER_LATE_SECONDS = 30


@admin.register(ArticleIntake)
class ArticleIntakeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "requested_by", "requested_at", "saved_article"]
    list_filter = ["kind", "status"]
    list_select_related = ["article", "requested_by"]
    search_fields = ["headline", "requested_url", "final_url", "filename", "sha256"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content", "text")

    # The desk's article permissions decide: an intake is the way an article comes in.
    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("claims.view_article")

    def has_add_permission(self, request):
        return request.user.has_perm(services.ADD_ARTICLE)

    def has_change_permission(self, request, obj=None):
        return False  # the worker and the article form write intakes, nobody edits them

    def has_delete_permission(self, request, obj=None):
        return False  # an original is kept

    @admin.display(description="article")
    def saved_article(self, intake):
        if intake.article_id is None:
            return "—"
        url = reverse("admin:claims_article_change", args=[intake.article_id])
        return format_html('<a href="{}">{}</a>', url, intake.article)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/original/",
                view(lambda request, pk: self.copy_view(request, pk, download=True)),
                name="intake_articleintake_original",
            ),
            path(
                "<int:pk>/copy/",
                view(lambda request, pk: self.copy_view(request, pk, download=False)),
                name="intake_articleintake_copy",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    # -- "New article from a web address": three ways in, three forms side by side ----------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        forms = {way: form_class(prefix=way) for way, form_class in WAYS.items()}
        if request.method == "POST":
            way = request.POST.get("way")
            if way not in WAYS:
                raise Http404("There is no such way to add an article.")
            form = WAYS[way](request.POST, request.FILES, prefix=way)
            forms[way] = form
            if form.is_valid():
                try:
                    intake = self._start(request, way, form.cleaned_data)
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    return redirect("admin:intake_articleintake_change", intake.pk)
        return TemplateResponse(
            request,
            "admin/intake/articleintake/new.html",
            self._context(request, "New article from a web address", forms=forms),
        )

    def _start(self, request, way, data) -> ArticleIntake:
        if way == "address":
            return services.request_from_address(url=data["url"], author=request.user)
        if way == "upload":
            upload = data["file"]
            return services.read_uploaded_page(
                content=upload.read(), filename=upload.name, author=request.user
            )
        return services.read_pasted_text(text=data["text"], author=request.user)

    # -- One intake: its progress, then the pre-filled article form, or why it failed ----------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        intake = get_object_or_404(ArticleIntake.objects.defer("content"), pk=object_id)
        if not self.has_view_permission(request, intake):
            raise PermissionDenied
        context = {"intake": intake, "late": False, "form": None, "duplicate": None}
        if intake.pending:
            waited = (timezone.now() - intake.requested_at).total_seconds()
            context["late"] = intake.status == IntakeStatus.QUEUED and waited > WORKER_LATE_SECONDS
        elif intake.status == IntakeStatus.READY:
            context["duplicate"] = existing_article(intake)
            may_save = self.has_add_permission(request) and context["duplicate"] is None
            if request.method == "POST" and may_save:
                form = ArticleFromIntakeForm(request.POST, intake=intake)
                if form.is_valid():
                    try:
                        article = services.save_article_from_intake(
                            intake=intake,
                            article=form.save(commit=False),
                            author=request.user,
                            language=form.cleaned_data["language"],
                            new_outlet=form.new_outlet(),
                        )
                    except ValidationError as error:
                        _add_errors(form, error)
                    else:
                        intake.refresh_from_db()
                        messages.success(
                            request,
                            "The article is saved, its original kept ("
                            f"{intake.copy_description()}). Select a passage of its text: the "
                            "claim form beside it makes a claim of it.",
                        )
                        return redirect("admin:claims_article_change", article.pk)
                context["form"] = form
            elif may_save:
                context["form"] = ArticleFromIntakeForm(intake=intake)
        title = {
            IntakeStatus.READY: "Check the article and save it",
            IntakeStatus.FAILED: "No article from this intake",
            IntakeStatus.SAVED: "Saved as an article",
        }.get(intake.status, "Fetching the article")
        if context["form"] is not None:
            # The admin's own scripts (core.js and the rest) first: the date and outlet widgets
            # of the form build on them.
            context["media"] = self.media + context["form"].media
        return TemplateResponse(
            request,
            "admin/intake/articleintake/intake.html",
            self._context(request, title, original=intake, **context),
        )

    def copy_view(self, request, pk, *, download: bool):
        if not self.has_view_permission(request):
            raise PermissionDenied
        intake = get_object_or_404(ArticleIntake, pk=pk)
        if not intake.has_copy:
            raise Http404("Nothing was kept of this intake.")
        name = f"article-original-{intake.pk}-{intake.sha256[:12]}"
        return stored_copy_response(intake, name=name, download=download)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
