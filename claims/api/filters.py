"""Query filters for the API lists. An invalid value (an unknown state, a bad date) is a 400
that names it, never an empty list that looks like an answer."""

import datetime as dt
import functools
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field

from claims.models import (
    Article,
    Claim,
    ConfirmationState,
    Evidence,
    PublishedEvidence,
    ReviewState,
    Stance,
)
from claims.public.models import PublicArticle, PublicClaim, PublicSource
from claims.public.reads import PUBLIC_COLUMNS
from claims.visibility import is_desk_member
from matching.selectors import claims_ranked_by_similarity, public_claims_ranked_by_similarity
from sources.models import Source, SourceKind


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number that fits the database's 64-bit ids (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ArticleReferenceField(forms.CharField):
    """An article's id (a whole number) or its slug (its status page's address): ``("id", 12)``
    or ``("slug", "iraq-exit-letter")``. A number no id can be (0, or past the database's 64-bit
    ids) is ``("id", None)``: no article has it, so nothing is listed. Anything else is a 400
    that says which it takes."""

    def to_python(self, value):
        value = (super().to_python(value) or "").strip()
        if not value:
            return None
        if len(value) > 255:
            raise ValidationError(
                "An article's id or slug has at most 255 characters.", code="max_length"
            )
        if value.isascii() and value.isdigit():
            number = int(value)
            return ("id", number if 1 <= number <= 2**63 - 1 else None)
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", value):
            raise ValidationError(
                "Give an article's id (a number) or its slug (letters, digits, - and _).",
                code="invalid",
            )
        return ("slug", value)


# The schema states what the field takes: an id or a slug, both of these characters.
@extend_schema_field(
    {
        "type": "string",
        "description": "An article's id or its slug, e.g. 12 or iraq-exit-letter.",
        "pattern": "^[-a-zA-Z0-9_]+$",
        "maxLength": 255,
    }
)
class ArticleReferenceFilter(django_filters.Filter):
    field_class = ArticleReferenceField

    def filter(self, queryset, value):
        if not value:
            return queryset
        kind, key = value
        if key is None:
            return queryset.none()
        slug = getattr(self, "slug_field", None) or f"{self.field_name}__slug"
        return queryset.filter(**{self.field_name if kind == "id" else slug: key})


class UTCDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 date-time, moved to UTC; one that does not exist in UTC (0001-01-01T00:00+01:00,
    9999-12-31T23:59-23:59) is a 400 (it overflowed in the database, a 500 before)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is not None and parsed.tzinfo is not None:
            try:
                # In UTC for the database: PostgreSQL refuses offsets beyond 15:59 (+16:00 was
                # a 500 there), although ISO 8601 allows them.
                return parsed.astimezone(dt.UTC)
            except OverflowError:
                raise ValidationError(
                    "This date-time is outside the years 1 to 9999 once converted to UTC.",
                    code="invalid",
                ) from None
        return parsed


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


def one_of(choices) -> dict:
    """An invalid choice says which values there are: a 400 a client can act on."""
    values = ", ".join(str(value) for value, _ in choices)
    return {"invalid_choice": f"%(value)s is not one of the allowed values: {values}."}


def choice_filter(choices, *, multiple=False, **kwargs):
    kind = django_filters.MultipleChoiceFilter if multiple else django_filters.ChoiceFilter
    return kind(choices=choices, error_messages=one_of(choices), **kwargs)


class StrictBooleanFilter(django_filters.BooleanFilter):
    """true or false, nothing else: "maybe" or "-5" used to be ignored (every row came back)."""

    field_class = forms.TypedChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        kwargs.setdefault("error_messages", one_of(kwargs["choices"]))
        super().__init__(*args, **kwargs)


# A search is a few words: bounded so that no query reaches a database limit (SQLite's
# expression depth, PostgreSQL's tsquery stack).
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 16


def checked_search(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_SEARCH_LENGTH or len(value.split()) > MAX_SEARCH_WORDS:
        raise ValidationError(
            f"Search with at most {MAX_SEARCH_WORDS} words and {MAX_SEARCH_LENGTH} characters.",
            code="max_length",
        )
    if "\x00" in value:
        raise ValidationError("The search contains a NUL character.", code="invalid")
    # Websearch syntax reads each "-" as a NOT: a run of them nests NOTs past PostgreSQL's
    # tsquery stack. One means the same as many.
    return re.sub(r"-{2,}", "-", value)


class SearchField(forms.CharField):
    def to_python(self, value):
        return checked_search(super().to_python(value) or "")


SEARCH_HELP = (
    "The claims whose wording and quote say most nearly the same (ranked by similarity, best "
    "first, one page; signed out: the published wording and quote): at most "
    f"{MAX_SEARCH_WORDS} words, {MAX_SEARCH_LENGTH} characters."
)


# The schema states the bound the field enforces (a raw schema replaces the filter's own, so it
# carries the description too).
@extend_schema_field({"type": "string", "maxLength": MAX_SEARCH_LENGTH, "description": SEARCH_HELP})
class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


def on_public_columns(filterset, model) -> bool:
    """For the public, the filters read the read model's columns (claims.public.reads'
    mapping of public names), never the working copy's. True when the reader is the public."""
    public = not is_desk_member(getattr(filterset.request, "user", None))
    if public:
        for name, column in PUBLIC_COLUMNS[model].items():
            filterset.filters[name].field_name = column
            if isinstance(filterset.filters[name], ArticleReferenceFilter):
                filterset.filters[name].slug_field = "article_slug"  # the approved address
    return public


@functools.cache
def public_filterset(filterset_class, model):
    """``filterset_class`` over the read model's ``model`` (django-filter checks the model)."""
    meta = type("Meta", (filterset_class.Meta,), {"model": model})
    return type(f"Public{filterset_class.__name__}", (filterset_class,), {"Meta": meta})


class ClaimFilter(django_filters.FilterSet):
    article = ArticleReferenceFilter(field_name="article", help_text="An article's id or slug.")
    state = choice_filter(
        ConfirmationState.choices,
        multiple=True,
        help_text="One or more states (repeat the parameter).",
    )
    review_state = choice_filter(ReviewState.choices)
    claimant = django_filters.CharFilter(
        help_text="Exactly this claimant (a person the article quotes)."
    )
    by_article = StrictBooleanFilter(
        field_name="claimant",
        lookup_expr="exact",
        method="filter_by_article",
        help_text="true: only the article's own statements (no claimant); false: only quoted people's.",
    )
    assignee = django_filters.CharFilter(field_name="assignee__username", help_text="A username.")
    outlet = IdFilter(field_name="article__outlet", help_text="The article's outlet id.")
    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="ISO 8601 date-time, e.g. 2026-11-24T00:00:00Z.",
    )
    q = SearchFilter(method="search", help_text=SEARCH_HELP)

    class Meta:
        model = Claim
        fields = [
            "article",
            "state",
            "review_state",
            "claimant",
            "by_article",
            "assignee",
            "outlet",
            "updated_since",
            "q",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.public = on_public_columns(self, PublicClaim)

    def filter_queryset(self, queryset):
        if self.public and self.form.cleaned_data.get("assignee"):
            return queryset.none()  # who works on what is the desk's business
        if self.public and self.form.cleaned_data.get("review_state") not in (
            None,
            "",
            "published",
        ):
            return queryset.none()
        if self.public:
            self.form.cleaned_data.pop("review_state", None)
        return super().filter_queryset(queryset)

    def filter_by_article(self, queryset, name, value):
        if value:
            return queryset.filter(claimant="")
        return queryset.exclude(claimant="")

    def search(self, queryset, name, value):
        if self.public:
            # The public's: ranked by the same similarity over the read model's published
            # wording and quote (their own index, matching.index), never the working copy.
            return public_claims_ranked_by_similarity(queryset, value)
        # The desk's: ranked by similarity (matching.engine), as the admin search and the form.
        return claims_ranked_by_similarity(queryset, value)


class ArticleFilter(django_filters.FilterSet):
    outlet = IdFilter(field_name="outlet")
    slug = django_filters.CharFilter()
    updated_since = UTCDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Article
        fields = ["outlet", "slug", "updated_since"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        on_public_columns(self, PublicArticle)


class SourceFilter(django_filters.FilterSet):
    kind = choice_filter(SourceKind.choices)
    outlet = IdFilter(field_name="outlet")
    on_record = StrictBooleanFilter(help_text="true or false.")

    class Meta:
        model = Source
        fields = ["kind", "outlet", "on_record"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        on_public_columns(self, PublicSource)


class EvidenceFilter(django_filters.FilterSet):
    claim = IdFilter(field_name="claim")
    source = IdFilter(field_name="source")
    stance = choice_filter(Stance.choices)

    class Meta:
        model = Evidence
        fields = ["claim", "source", "stance"]


class PublicEvidenceFilter(django_filters.FilterSet):
    """The evidence filters, on the evidence frozen in published verdicts."""

    claim = IdFilter(field_name="version__claim")
    source = IdFilter(field_name="source")
    stance = django_filters.ChoiceFilter(choices=Stance.choices)

    class Meta:
        model = PublishedEvidence
        fields = ["claim", "source", "stance"]
