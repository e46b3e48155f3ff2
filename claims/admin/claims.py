from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from claims import anchors, services
from claims.corroboration import assess_claims
from claims.models import Claim, ConfirmationState, Evidence
from claims.permissions import ClaimPermissions, is_editor
from claims.selectors import desk_timeline
from common.admin_input import SafeInputAdminMixin
from common.admin_widgets import PreloadedAutocompleteInline
from matching import views as matching_views
from matching.engine import CLAIM
from matching.selectors import claims_ranked_by_similarity, links_of
from matching.views import similar_view
from sources.models import Source

from . import passage as passage_admin
from . import review
from .desk_members import desk_members
from .display import anchor_status, review_badge, shorten, state_badge
from .export import export_csv
from .filters import (
    AnchorFilter,
    ClaimantFilter,
    NeedsReviewFilter,
    QueueFilter,
    RecentArticleFilter,
    SentBackFilter,
)


class ClaimAdminForm(forms.ModelForm):
    occurrence = forms.IntegerField(
        required=False,
        min_value=1,
        help_text="Only when the passage stands more than once in the text: which one (1 = the first).",
    )
    change_note = forms.CharField(
        label="note on this change",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the state or rationale changes: kept in the claim's history. For a public "
        "verdict it is required; the editor who approves the change writes the public correction note.",
    )

    class Meta:
        model = Claim
        fields = [
            "article", "wording", "quote", "occurrence", "quote_start", "quote_end",
            "claimant", "about", "state", "rationale", "change_note", "assignee", "version",
        ]  # fmt: skip
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3, "cols": 80}),
            "wording": forms.Textarea(attrs={"rows": 2, "cols": 80}),
            "quote_start": forms.HiddenInput,
            "quote_end": forms.HiddenInput,
            "version": forms.HiddenInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The offsets are found from the pasted passage in clean(); they are form fields only so
        # that the model's constraints on them are checked before saving. The version is the one
        # the page was opened at: a save from an older version is refused.
        for name in ("quote_start", "quote_end", "version"):
            if name in self.fields:  # the article page's claim panel has no version
                self.fields[name].required = False

    # The person saving the form, set by ClaimAdmin.get_form (a new form class per request).
    user = None

    def clean(self):
        cleaned = super().clean()
        self._check_version(cleaned)
        self._anchor(cleaned)
        if "assignee" in cleaned:
            decision = ClaimPermissions(self.user, self.instance).can_assign(cleaned["assignee"])
            if not decision:
                self.add_error("assignee", decision.reason)
        current = self.instance if self.instance.pk else Claim()
        problem = services.verdict_change_problem(
            current=current,
            state=cleaned.get("state") or current.state,
            rationale=cleaned.get("rationale") or "",
            reason=cleaned.get("change_note") or "",
        )
        if problem:
            for field, message in problem.items():
                if field == "rationale":
                    continue  # the model's own check says it (once) on the same field
                self.add_error(field, message)
        return cleaned

    def _check_version(self, cleaned):
        if self.instance.pk is None:
            return
        # The admin saves in one transaction: the lock taken here holds until the save commits,
        # so nobody can slip a change in between this check and the save.
        current = Claim.objects.select_for_update().get(pk=self.instance.pk)
        opened_at = cleaned.get("version") or self.instance.version
        if current.version != opened_at:
            raise ValidationError(str(services.ConflictError(current, opened_at)), code="conflict")

    def _anchor(self, cleaned):
        article, quote = cleaned.get("article"), cleaned.get("quote")
        if article is None or not quote:
            return
        occurrence = cleaned.get("occurrence")
        instance = self.instance
        unchanged = (
            instance.pk is not None
            and occurrence is None
            and instance.article_id == article.pk
            and instance.quote == quote
            and article.text[instance.quote_start : instance.quote_end] == quote
        )
        if unchanged:
            cleaned["quote_start"], cleaned["quote_end"] = instance.quote_start, instance.quote_end
            return
        start = cleaned.get("quote_start")
        if (
            instance.pk is None
            and occurrence is None
            and start is not None
            and article.text[start : start + len(quote)] == quote
        ):
            # Selected in the article's text (its admin page): the selection is the occurrence.
            cleaned["quote_end"] = start + len(quote)
            return
        try:
            anchor = anchors.locate(article.text, quote, occurrence=occurrence)
        except ValidationError as error:
            if error.code == "quote_ambiguous":
                self._offer_occurrences(article.text, quote)
            self.add_error(
                "occurrence" if error.code == "occurrence_out_of_range" else "quote", error
            )
            return
        cleaned["quote_start"], cleaned["quote_end"] = anchor.start, anchor.end
        # Stored as the text has it (its quotation marks, dashes and spaces), not as pasted.
        cleaned["quote"] = self.instance.quote = article.text[anchor.start : anchor.end]

    def _offer_occurrences(self, text: str, quote: str) -> None:
        choices = [("", "Choose an occurrence")] + [
            (str(n), f"{n}: {anchors.context_of(text, place.start, place.end)}")
            for n, place in enumerate(anchors.loose_occurrences(text, quote), start=1)
        ]
        self.fields["occurrence"].widget = forms.Select(choices=choices)


class EvidenceForm(forms.ModelForm):
    """Evidence in the claim's page, with the origins that carry its stance (the admin cannot
    edit a many-to-many with its own table directly: the field is the form's, saved through
    claims.services)."""

    carried_by = forms.ModelMultipleChoiceField(
        queryset=Source.objects.all(),
        required=False,
        label="carried by origins",
        help_text=Evidence._meta.get_field("origins").help_text,
    )

    class Meta:
        model = Evidence
        fields = ["source", "stance", "excerpt", "note", "own_reporting"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["carried_by"] = list(self.instance.origins.all())
        else:
            self.initial["carried_by"] = []

    def clean(self):
        cleaned = super().clean()
        source, origins = cleaned.get("source"), cleaned.get("carried_by")
        if source is not None and origins:
            problem = services.evidence_origins_problem(source, list(origins))
            if problem:
                self.add_error("carried_by", problem)
        return cleaned


class EvidenceInline(PreloadedAutocompleteInline, admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    autocomplete_fields = ["source"]
    preloaded_fields = ("source",)
    extra = 0
    fields = [("source", "stance"), "excerpt", "note", "carried_by", "own_reporting"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("source__outlet")
            .prefetch_related("origins")
        )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["carried_by"]
        field.widget = AutocompleteSelectMultiple(
            Evidence._meta.get_field("origins"), self.admin_site
        )
        return formset

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"excerpt", "note"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ClaimChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows an article's text (the anchor check runs in SQL): don't load a
        # whole article text for every row.
        return super().get_queryset(request, exclude_parameters).defer("article__text")

    def get_results(self, request):
        super().get_results(request)
        # The independence of each claim's sources, for the whole page in two queries.
        assessments = assess_claims(self.result_list)
        for claim in self.result_list:
            claim.assessment = assessments[claim.pk]


@admin.register(Claim)
class ClaimAdmin(SafeInputAdminMixin, SimpleHistoryAdmin):
    form = ClaimAdminForm
    list_display = [
        "claim_wording", "article_link", "status", "evidence_summary", "claimant_display",
        "assignee", "updated_at",
    ]  # fmt: skip
    list_display_links = ["claim_wording"]
    list_select_related = ["article", "assignee"]
    list_filter = [
        QueueFilter,
        NeedsReviewFilter,
        SentBackFilter,
        "state",
        "review_state",
        RecentArticleFilter,
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
        ClaimantFilter,
        "assignee",
        AnchorFilter,
    ]
    # Besides the similarity of wording and quote (get_search_results).
    search_fields = [
        "claimant", "article__headline", "article__outlet__name",
        "evidence__source__title", "evidence__source__outlet__name",
    ]  # fmt: skip
    autocomplete_fields = ["article", "assignee"]
    readonly_fields = [
        "similar_claims", "same_claim_as", "passage_in_context", "state_meaning", "review_label", "published_at", "first_published_at",
        "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [EvidenceInline]

    class Media:
        js = ["js/claim_form.js", "js/claim_passage.js", "js/claim_similar.js"]

    actions = [
        review.change_state_action,
        review.submit_action,
        review.approve_action,
        review.send_back_action,
        review.withdraw_action,
        export_csv,
    ]
    show_full_result_count = False
    list_per_page = 100
    # The page in the order a fact-checker works: the passage and its wording, then the evidence
    # (the inline, placed after the first fieldset by the change form's template), then the
    # verdict; who works on it, publication and the record are folded away until needed.
    fieldsets = [
        (
            "Passage and wording",
            {
                "fields": [
                    "article",
                    "quote",
                    "occurrence",
                    "passage_in_context",
                    "quote_start",
                    "quote_end",
                    "wording",
                    "similar_claims",
                    "same_claim_as",
                    "claimant",
                    "about",
                ]
            },
        ),
        ("Verdict", {"fields": ["state", "state_meaning", "rationale", "change_note", "version"]}),
        ("Assignment", {"fields": ["assignee"], "classes": ["collapse"]}),
        (
            "Publication",
            {
                "fields": ["review_label", "published_at", "first_published_at"],
                "classes": ["collapse"],
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    # How many of the fieldsets come before the evidence (templates/admin/claims/claim/change_form.html).
    fieldsets_before_evidence = 1
    # A long page: Save is at its top as well as its foot.
    save_on_top = True

    def get_queryset(self, request):
        return super().get_queryset(request).with_anchor_status().with_review_status()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # who may assign whom is decided per person (claims.permissions)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            # The same people the assignee search offers: active desk staff.
            kwargs["queryset"] = desk_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def get_search_results(self, request, queryset, search_term):
        # Ranked by similarity to what was typed (matching.engine), the form's and the API's
        # similarity, not a substring match: the most similar first.
        # The article's headline and outlet and the evidence's sources are still found by
        # substring, ranked after the similar claims.
        if not search_term.strip():
            return queryset, False
        by_name, _ = super().get_search_results(request, queryset, search_term)
        ranked = claims_ranked_by_similarity(queryset, search_term, also=by_name)
        if ORDER_VAR in request.GET:  # a column's order was asked for
            return ranked, False
        return ranked.order_by("match_rank", "-pk"), False

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        # A claim with a history (a state change, a publication) is never deleted: the database
        # protects its history rows, and the page does not offer what would fail.
        if obj is not None and not ClaimPermissions(request.user, obj).can_delete():
            return False
        return super().has_delete_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "locate/",
                self.admin_site.admin_view(
                    lambda request: passage_admin.locate_view(self, request)
                ),
                name="claims_claim_locate",
            ),
            path(
                "similar/",
                self.admin_site.admin_view(similar_view),
                name="claims_claim_similar",
            ),
            path(
                "<int:pk>/same/",
                self.admin_site.admin_view(matching_views.link_view),
                name="claims_claim_same",
            ),
            path(
                "<int:pk>/same/cite/",
                self.admin_site.admin_view(matching_views.cite_view),
                name="claims_claim_same_cite",
            ),
            path(
                "<int:pk>/same/<str:kind>/<int:link_id>/remove/",
                self.admin_site.admin_view(matching_views.unlink_view),
                name="claims_claim_same_remove",
            ),
            path(
                "<int:pk>/comment/",
                self.admin_site.admin_view(
                    lambda request, pk: review.comment_view(self, request, pk)
                ),
                name="claims_claim_comment",
            ),
            *super().get_urls(),
        ]

    # -- list columns ------------------------------------------------------------------------

    @admin.display(description="claim", ordering="wording")
    def claim_wording(self, claim):
        return shorten(claim.wording)

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, claim):
        url = reverse("admin:claims_article_change", args=[claim.article_id])
        return format_html('<a href="{}">{}</a>', url, shorten(claim.article.headline, 50))

    @admin.display(description="state · review · anchor", ordering="state")
    def status(self, claim):
        # One column for the three: the list keeps every column readable at 1366 px.
        return format_html(
            '<span class="status-stack">{} {} {}</span>',
            state_badge(claim.state),
            self.review_label(claim),
            anchor_status(claim),
        )

    @admin.display(description="review", ordering="review_state")
    def review_label(self, claim):
        if not claim.pk:
            return "—"
        if getattr(claim, "sent_back", False):
            return format_html('<span class="review review--sent_back">{}</span>', "Sent back")
        return review_badge(claim.review_state)

    @admin.display(description="independent origins")
    def evidence_summary(self, claim):
        assessment = getattr(claim, "assessment", None)
        if assessment is None:
            return "—"
        counts = format_html(
            "{} for, {} against; suggests {}",
            assessment.supporting_count,
            assessment.contradicting_count,
            assessment.suggestion.label.lower(),
        )
        # The list names what makes a state doubtful; which sources share which origin is on
        # the claim's page (it can run to a paragraph a claim).
        notes = [w for w in assessment.warnings if not w.endswith("they count once.")]
        if assessment.shared:
            n = len(assessment.shared)
            notes.append(
                f"{n} group{'s' if n != 1 else ''} of cited sources share{'s' if n == 1 else ''} an origin"
            )
        if not notes:
            return counts
        items = format_html_join("", "<li>{}</li>", ((w,) for w in notes))
        return format_html('{}<ul class="warning-list">{}</ul>', counts, items)

    @admin.display(description="claimant", ordering="claimant")
    def claimant_display(self, claim):
        return claim.claimant or "The article"

    # -- change page -------------------------------------------------------------------------

    @admin.display(description="said before")
    def similar_claims(self, claim):
        # Filled by js/claim_similar.js as the wording and quote are written (matching.views).
        # Its "Same claim" and "Cite as evidence" buttons POST by fetch (the box is inside the
        # claim form, which must be neither sent nor lost); a claim not yet saved has no id to
        # link, so they are offered once it is saved.
        links = {}
        if claim.pk:
            links = {
                "data-link-url": reverse("admin:claims_claim_same", args=[claim.pk]),
                "data-cite-url": reverse("admin:claims_claim_same_cite", args=[claim.pk]),
            }
        return format_html(
            '<div class="similar-claims" data-similar-url="{}" data-exclude="{}"{}>'
            '<p class="similar-claims__status">Claims and other desks\' fact-checks like this '
            "one are shown here as you write its wording and quote.{}</p></div>",
            reverse("admin:claims_claim_similar"),
            claim.pk or "",
            format_html_join("", ' {}="{}"', links.items()),
            "" if claim.pk else " Save the claim to link one as the same claim.",
        )

    @admin.display(description="same claim as")
    def same_claim_as(self, claim):
        if not claim.pk:
            return "—"
        links = links_of(claim.pk)
        if not links:
            return "No claim or fact-check is linked as the same claim yet."
        items = []
        for (kind, target_id), link in links.items():
            remove = reverse("admin:claims_claim_same_remove", args=[claim.pk, kind, link.pk])
            if kind == CLAIM:
                other = link.other_claim
                verdict = (
                    f", published {other.published_at:%-d %B %Y}" if other.published_at else ""
                )
                label = format_html(
                    '<a href="{}">Claim #{}: {}</a> <span class="similar-claims__meta">— {}{}, in “{}”</span>',
                    reverse("admin:claims_claim_change", args=[other.pk]),
                    other.pk,
                    shorten(other.wording, 120),
                    other.get_state_display(),
                    verdict,
                    shorten(other.article.headline, 60),
                )
            else:
                check = link.fact_check
                label = format_html(
                    '<a href="{}" rel="noopener noreferrer">{}</a> <span class="similar-claims__meta">— {}</span>',
                    check.url
                    or reverse("admin:matching_externalfactcheck_change", args=[check.pk]),
                    shorten(check.claim_reviewed, 120),
                    check.checked_by,
                )
            items.append(
                format_html(
                    '<li class="same-claims__item">{} '
                    '<button type="button" class="button same-claims__cite" data-kind="{}" '
                    'data-id="{}">Cite as evidence</button> <a class="same-claims__remove" '
                    'href="{}">Remove link</a></li>',
                    label,
                    kind,
                    target_id,
                    remove,
                )
            )
        return format_html(
            '<ul class="same-claims" data-cite-url="{}">{}</ul>',
            reverse("admin:claims_claim_same_cite", args=[claim.pk]),
            format_html_join("", "{}", ((item,) for item in items)),
        )

    @admin.display(description="passage in context")
    def passage_in_context(self, claim):
        if claim.pk is None:
            # The add form: what render_change_form found for the article and passage the page
            # was opened with (a selection in the article's text, or a form sent back).
            return passage_admin.preview_html(
                getattr(claim, "passage_preview", None),
                locate_url=reverse("admin:claims_claim_locate"),
            )
        if not claim.anchor_is_intact:
            broken = format_html(
                '<span class="anchor--broken">{}</span>',
                f"⚠ Broken: the text at characters {claim.quote_start}–{claim.quote_end} now reads "
                f"“{shorten(claim.article.text[claim.quote_start : claim.quote_end], 120)}”. "
                "Re-paste the passage as the text now has it.",
            )
            closest = anchors.closest_passage(claim.article.text, claim.quote)
            if closest is not None:
                passage = claim.article.text[closest.start : closest.end]
                return format_html(
                    '{}<p class="anchor--closest">The closest passage now: “{}” (characters '
                    "{}–{}). Paste it as the quoted passage if it still makes this claim.</p>",
                    broken,
                    passage,
                    closest.start,
                    closest.end,
                )
            return broken
        # The same block as on the add form (the passage marked, its context cut at words), kept
        # up to date by js/claim_passage.js as the passage or the article is changed.
        return passage_admin.preview_html(
            anchors.preview(claim.article.text, claim.quote, start=claim.quote_start),
            locate_url=reverse("admin:claims_claim_locate"),
        )

    @admin.display(description="what the state means")
    def state_meaning(self, claim):
        # Every meaning is on the page; js/claim_form.js shows the one of the state chosen in
        # the form (without script, the saved state's).
        return format_html_join(
            "",
            '<span class="state-meaning" data-meaning-for="{}"{}>{}</span>',
            (
                (
                    choice.value,
                    "" if choice == claim.state_choice else mark_safe(" hidden"),
                    choice.meaning,
                )
                for choice in ConfirmationState
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            form = context["adminform"].form
            values = form.data if form.is_bound else form.initial
            # Read by passage_in_context as the page renders (one query: the article's text).
            form.instance.passage_preview = passage_admin.preview_for(values)
        if obj is not None and obj.pk:
            context.update(review.panel_context(self, request, obj))
            context["timeline"] = desk_timeline(obj)
            context["comment_url"] = reverse("admin:claims_claim_comment", args=[obj.pk])
            context["status_page_url"] = reverse("claims:claim", args=[obj.pk])
        context["fieldsets_before_evidence"] = self.fieldsets_before_evidence
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        # The admin's "History" button leads to the claim's one timeline (the change page shows
        # the same one), not simple-history's table of raw field values: one readable history.
        request.current_app = self.admin_site.name
        claim = self.get_object(request, unquote(object_id))
        if claim is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_history_or_change_history_permission(request, claim):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {claim}",
            "subtitle": None,
            "object": claim,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "module_name": capfirst(self.opts.verbose_name_plural),
            "timeline": desk_timeline(claim),
            "change_url": reverse("admin:claims_claim_change", args=[claim.pk]),
            "status_page_url": reverse("claims:claim", args=[claim.pk]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/claims/claim/object_history.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's page of one past version (raw field values) has no link to it any
        # more; an old bookmark of a real version leads to the claim's one timeline too. (An id
        # that is not a number never gets here: common/untrusted.py answers 404.)
        claim = self.get_object(request, unquote(object_id))
        if claim is None or not claim.history.filter(history_id=version_id).exists():
            raise Http404("There is no such version of this claim.")
        return redirect("admin:claims_claim_history", claim.pk)

    def response_change(self, request, obj):
        if review.STEP_BUTTON in request.POST:
            # A review step's button (Approve and publish, Send back…) submits this form: the
            # edits on screen were saved just now, and the step follows in the same request.
            return review.step_after_save(self, request, obj)
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        # Everything is written in save_related, in one service call with the inline evidence;
        # a new claim is recorded here so that its evidence has something to hang on.
        if not change:
            created = self.create_from_form(request, form)
            obj.pk, obj.version = created.pk, created.version
            obj._state.adding = False

    def create_from_form(self, request, form) -> Claim:
        """Record the claim a valid add form describes, through claims.services.create_claim:
        the add page and the claim panel of the article's page (claims.admin.claim_panel) both
        save this way. Fields the form does not have take the service's defaults."""
        data = form.cleaned_data
        return services.create_claim(
            article=data["article"],
            wording=data["wording"],
            quote=data["quote"],
            occurrence=data.get("occurrence"),
            start=data.get("quote_start"),
            claimant=data.get("claimant", ""),
            assignee=data.get("assignee"),
            state=data.get("state") or ConfirmationState.UNVERIFIED,
            rationale=data.get("rationale", ""),
            about=data.get("about"),
            reason=data.get("change_note", ""),
            author=request.user,
        )

    def save_related(self, request, form, formsets, change):
        data = form.cleaned_data
        evidence = [c for formset in formsets for c in evidence_changes(formset)]
        fields = {}
        if change:
            fields = {
                name: data[name]
                for name in (
                    "article",
                    "wording",
                    "quote",
                    "claimant",
                    "about",
                    "assignee",
                    "state",
                    "rationale",
                )
                if name in data
            }
            fields["occurrence"] = data.get("occurrence")
        if not fields and not evidence:
            return
        before = form.instance
        was_public_and_published = before.is_public and before.review_state == "published"
        updated = services.edit_claim(
            claim=before,
            author=request.user,
            expected_version=before.version if not change else data.get("version"),
            reason=data.get("change_note", ""),
            evidence=evidence,
            **fields,
        )
        form.instance = updated
        if change and (updated.quote_start, updated.quote_end) != (
            form.initial.get("quote_start"),
            form.initial.get("quote_end"),
        ):
            messages.info(
                request,
                f"The claim is now anchored at characters {updated.quote_start}–{updated.quote_end} of the article text.",
            )
        step_follows = review.STEP_BUTTON in request.POST  # it says where the claim ends up
        if was_public_and_published and updated.review_state != "published" and not step_follows:
            messages.warning(
                request,
                f"Claim #{updated.pk} is public: the public keeps reading version "
                f"{updated.live_version.number} until an editor approves this change. It is now "
                f"{updated.review_choice.predicate}.",
            )

    def delete_model(self, request, obj):
        services.delete_claim(claim=obj, author=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            services.delete_claim(claim=claim, author=request.user)


def evidence_changes(formset) -> list[services.EvidenceChange]:
    """The inline evidence formset's changes as the service's evidence changes."""
    if formset.model is not Evidence:
        return []
    changes = []
    deleted = set(formset.deleted_forms)
    # What the admin's change message (the "History" log) reads, as formset.save() would set it.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if form in deleted:
            if form.instance.pk:
                changes.append(services.EvidenceChange("remove", evidence=form.instance))
                formset.deleted_objects.append(form.instance)
        elif not form.has_changed():
            continue
        elif form.instance.pk:
            origins = {"origins": list(form.cleaned_data.get("carried_by") or [])}
            changes.append(
                services.EvidenceChange("change", evidence=form.instance, values=origins)
            )
            formset.changed_objects.append((form.instance, form.changed_data))
        else:
            formset.new_objects.append(form.instance)
            values = {
                key: form.cleaned_data.get(key, "")
                for key in ("source", "stance", "excerpt", "note")
            }
            values["own_reporting"] = bool(form.cleaned_data.get("own_reporting"))
            values["origins"] = list(form.cleaned_data.get("carried_by") or [])
            changes.append(services.EvidenceChange("add", values=values))
    return changes


@admin.register(Evidence)
class EvidenceAdmin(SafeInputAdminMixin, SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        if change:
            services.change_evidence(evidence=obj, author=request.user)
            return
        created = services.add_evidence(
            claim=obj.claim,
            source=obj.source,
            stance=obj.stance,
            excerpt=obj.excerpt,
            note=obj.note,
            own_reporting=obj.own_reporting,
            author=request.user,
        )
        obj.pk = created.pk

    def delete_model(self, request, obj):
        services.remove_evidence(evidence=obj, author=request.user)

    def delete_queryset(self, request, queryset):
        for evidence in queryset:
            services.remove_evidence(evidence=evidence, author=request.user)

    list_display = ["claim_wording", "stance", "source", "outlet"]
    list_filter = ["stance", "source__kind", "source__on_record"]
    list_select_related = ["claim", "source__outlet"]
    search_fields = ["claim__wording", "source__title", "source__outlet__name", "excerpt", "note"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["created_at", "updated_at"]
    show_full_result_count = False

    @admin.display(description="claim", ordering="claim__wording")
    def claim_wording(self, evidence):
        return shorten(evidence.claim.wording, 70)

    @admin.display(description="outlet", ordering="source__outlet__name")
    def outlet(self, evidence):
        return evidence.source.outlet or "—"
