"""The fact-checkers' workspace: articles, claims and evidence."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from tracker.admin_widgets import PreloadedAutocompleteInline

from . import anchors, services
from .models import Article, Claim, Evidence
from .templatetags.states import state_badge

# ---------------------------------------------------------------------------------------------
# Display helpers


def anchor_status(claim: Claim):
    if claim.anchor_is_intact:
        return format_html('<span class="anchor--intact">{}</span>', "✓ intact")
    return format_html(
        '<span class="anchor--broken" title="{}">{}</span>',
        "The article text no longer says the quoted passage at its offsets: re-paste the quote.",
        "⚠ broken",
    )


def shorten(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


# ---------------------------------------------------------------------------------------------
# List filters that stay small however many rows there are


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


# ---------------------------------------------------------------------------------------------
# Articles


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
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
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "published_on"
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["headline", "slug", "byline", "outlet", "url", "published_on"]}),
        ("Text", {"fields": ["text"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        # Both counts come from one join of the claims, in the list's single query.
        intact = Exact(
            Substr(
                "text",
                F("claims__quote_start") + 1,
                F("claims__quote_end") - F("claims__quote_start"),
            ),
            F("claims__quote"),
        )
        return (
            super()
            .get_queryset(request)
            .annotate(claim_total=Count("claims"), broken_total=Count("claims", filter=~Q(intact)))
        )

    @admin.display(description="claims", ordering="claim_total")
    def claim_count(self, article):
        url = reverse("admin:claims_claim_changelist") + "?" + urlencode({"article": article.pk})
        return format_html('<a href="{}">{}</a>', url, article.claim_total)

    @admin.display(description="broken anchors", ordering="broken_total")
    def broken_anchor_count(self, article):
        if not article.broken_total:
            return "—"
        url = (
            reverse("admin:claims_claim_changelist")
            + "?"
            + urlencode({"article": article.pk, "anchor": "broken"})
        )
        return format_html(
            '<a class="anchor--broken" href="{}">⚠ {}</a>', url, article.broken_total
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The claims are shown as a read-only table, not an inline formset: a claim is edited on
        # its own page, where its passage is anchored, and saving an article must never
        # re-validate (or re-anchor) its claims. One query, with the anchors checked by the database.
        claims = (
            Claim.objects.filter(article_id=object_id)
            .with_anchor_status()
            .select_related("assignee")
        )
        extra_context = {
            **(extra_context or {}),
            "claim_rows": [
                {"claim": c, "anchor": anchor_status(c), "state": state_badge(c.state)}
                for c in claims
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        broken = services.save_article(article=obj)
        if broken:
            messages.warning(
                request,
                f"{len(broken)} claim(s) no longer match the article text at their offsets and are "
                "marked “broken” in the claim list: "
                + "; ".join(f"#{c.pk} “{shorten(c.quote, 50)}”" for c in broken)
                + ". Open each and re-paste its passage.",
            )


# ---------------------------------------------------------------------------------------------
# Claims


class ClaimAdminForm(forms.ModelForm):
    occurrence = forms.IntegerField(
        required=False,
        min_value=1,
        help_text="Only when the passage stands more than once in the text: which one (1 = the first).",
    )

    class Meta:
        model = Claim
        fields = [
            "article",
            "wording",
            "quote",
            "occurrence",
            "quote_start",
            "quote_end",
            "claimant",
            "state",
            "rationale",
            "assignee",
        ]
        widgets = {
            "quote": forms.Textarea(attrs={"rows": 3}),
            "wording": forms.Textarea(attrs={"rows": 2}),
            "quote_start": forms.HiddenInput,
            "quote_end": forms.HiddenInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The offsets are found from the pasted passage in clean(); they are form fields only so
        # that the model's constraints on them are checked before saving.
        self.fields["quote_start"].required = False
        self.fields["quote_end"].required = False

    def clean(self):
        cleaned = super().clean()
        article, quote = cleaned.get("article"), cleaned.get("quote")
        if article is None or not quote:
            return cleaned
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
            return cleaned
        try:
            anchor = anchors.locate(article.text, quote, occurrence=occurrence)
        except ValidationError as error:
            if error.code == "quote_ambiguous":
                self._offer_occurrences(article.text, quote)
            field = "occurrence" if error.code == "occurrence_out_of_range" else "quote"
            self.add_error(field, error)
            return cleaned
        cleaned["quote_start"], cleaned["quote_end"] = anchor.start, anchor.end
        return cleaned

    def _offer_occurrences(self, text: str, quote: str) -> None:
        choices = [("", "Choose an occurrence")] + [
            (str(n), f"{n}: {anchors.context_of(text, start, start + len(quote))}")
            for n, start in enumerate(anchors.occurrences(text, quote), start=1)
        ]
        self.fields["occurrence"].widget = forms.Select(choices=choices)


class EvidenceInline(PreloadedAutocompleteInline, admin.StackedInline):
    model = Evidence
    autocomplete_fields = ["source"]
    preloaded_fields = ("source",)
    extra = 0
    fields = [("source", "stance"), "excerpt", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source__outlet")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"excerpt", "note"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ClaimChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows an article's text (the anchor check runs in SQL): don't load a
        # whole article text for every row.
        return super().get_queryset(request, exclude_parameters).defer("article__text")


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    form = ClaimAdminForm
    list_display = [
        "claim_wording",
        "article_link",
        "state_label",
        "anchor",
        "claimant_display",
        "assignee",
        "updated_at",
    ]
    list_display_links = ["claim_wording"]
    list_select_related = ["article", "assignee"]
    list_filter = [
        "state",
        RecentArticleFilter,
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
        ClaimantFilter,
        "assignee",
        AnchorFilter,
    ]
    search_fields = [
        "wording",
        "quote",
        "claimant",
        "article__headline",
        "article__outlet__name",
        "evidence__source__title",
        "evidence__source__outlet__name",
    ]
    autocomplete_fields = ["article", "assignee"]
    readonly_fields = ["passage_in_context", "state_meaning", "created_at", "updated_at"]
    inlines = [EvidenceInline]
    show_full_result_count = False
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["article", "wording", "claimant", "assignee"]}),
        (
            "Anchor in the article text",
            {"fields": ["quote", "occurrence", "passage_in_context", "quote_start", "quote_end"]},
        ),
        ("Verdict", {"fields": ["state", "state_meaning", "rationale"]}),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_anchor_status()

    @admin.display(description="claim", ordering="wording")
    def claim_wording(self, claim):
        return shorten(claim.wording)

    @admin.display(description="article", ordering="article__headline")
    def article_link(self, claim):
        url = reverse("admin:claims_article_change", args=[claim.article_id])
        return format_html('<a href="{}">{}</a>', url, shorten(claim.article.headline, 50))

    @admin.display(description="state", ordering="state")
    def state_label(self, claim):
        return state_badge(claim.state)

    @admin.display(description="anchor")
    def anchor(self, claim):
        return anchor_status(claim)

    @admin.display(description="claimant", ordering="claimant")
    def claimant_display(self, claim):
        return claim.claimant or "The article"

    @admin.display(description="passage in context")
    def passage_in_context(self, claim):
        if claim.pk is None:
            return "Shown once the claim is saved."
        if not claim.anchor_is_intact:
            return format_html(
                '<span class="anchor--broken">{}</span>',
                f"⚠ Broken: the text at characters {claim.quote_start}–{claim.quote_end} now reads "
                f"“{shorten(claim.article.text[claim.quote_start : claim.quote_end], 120)}”. "
                "Re-paste the passage as the text now has it.",
            )
        context = anchors.context_of(claim.article.text, claim.quote_start, claim.quote_end)
        return f"{context} (characters {claim.quote_start}–{claim.quote_end})"

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def save_model(self, request, obj, form, change):
        moved = change and {"quote_start", "quote_end"} & set(form.changed_data)
        services.save_claim(claim=obj)
        if moved:
            messages.info(
                request,
                f"The claim is now anchored at characters {obj.quote_start}–{obj.quote_end} of the article text.",
            )

    @admin.display(description="what the state means")
    def state_meaning(self, claim):
        return claim.state_choice.meaning


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
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
