"""API representations. Thin: validation of shape here, rules in claims.services."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    Article,
    Claim,
    ClaimAbout,
    ConfirmationState,
    Evidence,
    PublishedVersion,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    StateChange,
    VersionKind,
)
from claims.visibility import desk_person, version_approver
from common.api.strict import StrictInputMixin
from sources.models import Outlet, Source
from sources.serializers import (
    ModelSerializer,
    OutletSummarySerializer,
    RelatedId,
    SourceSummarySerializer,
)


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


# -- articles -------------------------------------------------------------------------------------


class ArticleSerializer(ModelSerializer):
    outlet = RelatedId(
        queryset=Outlet.objects.all(), allow_null=True, required=False, help_text="The outlet's id."
    )
    links = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "headline",
            "byline",
            "outlet",
            "url",
            "published_on",
            "text",
            "created_at",
            "updated_at",
            "links",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "status_page": {"type": "string", "format": "uri"},
                "claims": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_links(self, article) -> dict:
        request = self.context.get("request")
        return {
            "status_page": absolute(request, reverse("claims:article", args=[article.slug])),
            "claims": absolute(request, reverse("api:claim-list") + f"?article={article.pk}"),
        }


# -- evidence ---------------------------------------------------------------------------------------


class EvidenceNestedSerializer(serializers.ModelSerializer):
    """Evidence inside a claim: its stance, the words that matter, and the source with its outlet."""

    source = SourceSummarySerializer(read_only=True)
    origins = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the source's origins that carry the stance; empty: all of them "
        "(none when own_reporting is true).",
    )
    own_reporting = serializers.BooleanField(
        help_text="The source's own reporting carries the stance: it counts as an origin of "
        "its own, beside the named origins (or alone when none are named)."
    )

    class Meta:
        model = Evidence
        fields = ["id", "stance", "excerpt", "note", "origins", "own_reporting", "source"]
        read_only_fields = fields


class EvidenceSerializer(StrictInputMixin, serializers.ModelSerializer):
    claim = RelatedId(queryset=Claim.objects.all(), help_text="The claim's id.")
    source = RelatedId(queryset=Source.objects.all(), help_text="The source's id.")
    origins = RelatedId(
        queryset=Source.objects.all(),
        many=True,
        required=False,
        help_text="Ids of the source's origins that carry the stance for this claim (for "
        "example: the letter a report quotes, not the denials it also quotes). Empty: all of "
        "them (none when own_reporting is true). Each must be an origin of the source.",
    )
    own_reporting = serializers.BooleanField(
        required=False,
        help_text="The source's own reporting carries the stance, not only what it relays "
        "(Reuters saw the ship aground itself): the source counts as an origin of its own, "
        "heading its own line of reporting, beside the named origins or alone when none are "
        "named. Default false.",
    )

    class Meta:
        model = Evidence
        fields = [
            "id", "claim", "source", "stance", "excerpt", "note", "origins", "own_reporting",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        validators = []  # one row per claim and source: checked by the service, in a sentence


class PublicEvidenceSerializer(serializers.Serializer):
    """Evidence as the public reads it: as it stood in the claim's live published version."""

    id = serializers.IntegerField(source="evidence_id")
    claim = serializers.IntegerField(source="version.claim_id")
    source = serializers.IntegerField(source="source_id")
    stance = serializers.CharField()
    excerpt = serializers.CharField()
    note = serializers.CharField()
    origins = serializers.ListField(
        child=serializers.IntegerField(),
        source="origin_ids",
        help_text="Ids of the source's origins that carry the stance; empty: all of them "
        "(none when own_reporting is true).",
    )
    own_reporting = serializers.BooleanField(
        help_text="The source's own reporting carries the stance, as an origin of its own."
    )
    created_at = serializers.DateTimeField(source="version.approved_at")
    updated_at = serializers.DateTimeField(source="version.approved_at")


# -- claims -------------------------------------------------------------------------------------------


class ArticleSummarySerializer(ModelSerializer):
    outlet = OutletSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "slug", "headline", "outlet", "url", "published_on"]
        read_only_fields = fields


class OriginSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    on_record = serializers.BooleanField()


class LineSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    on_record = serializers.BooleanField()


class LineSerializer(serializers.Serializer):
    """One line of reporting: the nearest source its cited sources share, and its relays."""

    source = LineSourceSerializer(help_text="The source the line is named after.")
    cited = serializers.BooleanField(help_text="Whether that source is itself cited.")
    relays = serializers.ListField(
        child=serializers.CharField(), help_text="The other cited sources that relay it."
    )
    origins = OriginSerializer(many=True, help_text="The origins carrying it.")


class SharedOriginSerializer(serializers.Serializer):
    origin = OriginSerializer()
    sources = serializers.ListField(child=serializers.CharField(), source="source_titles")


class IndependenceSerializer(serializers.Serializer):
    """Evidence counted by distinct origin (claims.corroboration)."""

    supporting_origins = OriginSerializer(many=True, source="supporting")
    contradicting_origins = OriginSerializer(many=True, source="contradicting")
    origins_on_both_sides = OriginSerializer(
        many=True,
        source="on_both_sides",
        help_text="Origins carrying both support and contradiction: counted on neither side.",
    )
    supporting_lines = LineSerializer(many=True)
    contradicting_lines = LineSerializer(many=True)
    supporting_summary = serializers.CharField(
        help_text="The supporting lines of reporting in words: “2 independent lines of "
        "reporting: Reuters' report on the letter (3 relays) and AFP's report on the letter "
        "(2 relays), both resting on …”."
    )
    contradicting_summary = serializers.CharField()
    suggested_state = serializers.ChoiceField(
        choices=ConfirmationState.choices, source="suggestion"
    )
    reason = serializers.CharField()
    stronger_than_evidence = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())
    shared_origins = SharedOriginSerializer(many=True, source="shared")


class ClaimLinksSerializer(serializers.Serializer):
    status_page = serializers.URLField()
    admin = serializers.URLField()
    history = serializers.URLField()
    claimreview = serializers.URLField(allow_null=True, help_text="Only for a published verdict.")


class PublicationSerializer(serializers.Serializer):
    """The version of the claim the public reads (null while nothing of it is public)."""

    version = serializers.IntegerField(
        help_text="1 for the first approval, then one more each time."
    )
    kind = serializers.ChoiceField(choices=VersionKind.choices)
    approved_at = serializers.DateTimeField()
    correction = serializers.CharField(
        help_text="The public note of what changed since the previous version (or why it was withdrawn)."
    )
    withdrawn = serializers.BooleanField()
    differs = serializers.ListField(
        child=serializers.CharField(),
        help_text="For the desk: the fields (and “evidence”) in which this working copy differs "
        "from the version the public reads. Always empty for the public.",
    )


class ClaimSerializer(serializers.Serializer):
    """A claim with its evidence, the independence of that evidence, and its verdict.

    This documents the representation; claims.api.representation builds it (from plain rows,
    for speed), and a test keeps the two the same, key for key.
    """

    id = serializers.IntegerField()
    article = ArticleSummarySerializer()
    wording = serializers.CharField()
    quote = serializers.CharField(
        help_text="The exact passage of the article text the claim is anchored to."
    )
    quote_start = serializers.IntegerField()
    quote_end = serializers.IntegerField()
    anchor_intact = serializers.BooleanField(
        help_text="False when the article text no longer says the quote at its offsets."
    )
    claimant = serializers.CharField(
        help_text="Empty when the claim is the article's own statement."
    )
    about = serializers.ChoiceField(
        choices=ClaimAbout.choices,
        help_text="What the claim is about, which decides what bears it out.",
    )
    state = serializers.ChoiceField(choices=ConfirmationState.choices)
    state_label = serializers.CharField()
    rationale = serializers.CharField()
    review_state = serializers.ChoiceField(choices=ReviewState.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    first_published_at = serializers.DateTimeField(allow_null=True)
    assignee = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(help_text="Goes up with every change.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    evidence = EvidenceNestedSerializer(many=True)
    independence = IndependenceSerializer()
    publication = PublicationSerializer(
        allow_null=True,
        help_text="For the desk: the version the public reads, which may differ from this working copy.",
    )
    links = ClaimLinksSerializer()


# Fields of the claim's representation a client might send back in a write, and where they go.
CLAIM_FIELD_HINTS = {
    "state": "The state changes through claims/<id>/state/ (POST the state and a rationale).",
    "review_state": "The review moves through claims/<id>/review/ (POST an action).",
    "published_at": "A verdict is published by an editor's approval: claims/<id>/review/.",
    "evidence": "Evidence is written through the evidence/ endpoint.",
    "version": "The version goes up by itself; send the ETag you read in If-Match instead.",
}


class ClaimWriteSerializer(StrictInputMixin, serializers.ModelSerializer):
    """What a client sends to record or edit a claim. The state changes through /state/ and the
    review through /review/; the quote is found in the article's text (``occurrence`` picks one
    when it stands several times)."""

    article = RelatedId(queryset=Article.objects.all(), help_text="The article's id.")
    occurrence = serializers.IntegerField(
        required=False,
        min_value=1,
        write_only=True,
        help_text="Which occurrence of the quote (1 = first).",
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_staff=True, is_active=True),
        required=False,
        allow_null=True,
        help_text="Username of the desk member working on it.",
    )
    change_note = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Why the rationale changes; required when the verdict is published (it becomes a public correction).",
    )

    class Meta:
        model = Claim
        fields = [
            "article",
            "wording",
            "quote",
            "occurrence",
            "claimant",
            "about",
            "assignee",
            "rationale",
            "change_note",
        ]
        extra_kwargs = {"rationale": {"required": False}}

    field_hints = CLAIM_FIELD_HINTS


# -- actions --------------------------------------------------------------------------------------------


class StateChangeRequestSerializer(StrictInputMixin, serializers.Serializer):
    """A change of state: why (``reason``, kept in the history), the public rationale (a
    verdict's only), and what changes for the public (``change_note``, when the claim is public)."""

    state = serializers.ChoiceField(choices=ConfirmationState.choices)
    reason = serializers.CharField(
        help_text="Why the state changes: required; kept in the claim's history, never public."
    )
    rationale = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The public rationale, with a verdict state only (confirmed, partly_confirmed, "
        "disputed, refuted, unverifiable); without it the claim keeps its rationale. Public once "
        "an editor approves.",
    )
    change_note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="What changes for the public and why: required when the public reads this "
        "claim. The editor who approves the change writes the public correction note from it.",
    )


class ReviewRequestSerializer(StrictInputMixin, serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            (a.value, a.label)
            for a in (
                ReviewAction.SUBMIT,
                ReviewAction.APPROVE,
                ReviewAction.SEND_BACK,
                ReviewAction.WITHDRAW,
            )
        ]
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to send back, and to withdraw (the reason, shown publicly).",
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to approve a verdict stronger than its evidence suggests.",
    )
    correction = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="The public correction note, required to approve a change to a published verdict or its reasons. "
        "The public reads it after the date of approval, which is put before it: do not include the date.",
    )
    article_changes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="To approve a claim whose article has changes the public does not read yet (its headline, "
        "text, outlet...): the token of those changes, which approving publishes too. An approval without "
        "it is refused (400, `article_changes`) with a message that lists the changes and gives the token.",
    )


# -- history ----------------------------------------------------------------------------------------------


class DeskAuthorMixin(serializers.Serializer):
    author = serializers.SerializerMethodField()

    def get_author(self, row) -> str:
        return desk_person(row.author)


class StateChangeSerializer(DeskAuthorMixin, serializers.ModelSerializer):
    class Meta:
        model = StateChange
        fields = [
            "id",
            "from_state",
            "to_state",
            "rationale",
            "author",
            "created_at",
            "claim_version",
        ]


class ReviewEventSerializer(DeskAuthorMixin, serializers.ModelSerializer):
    class Meta:
        model = ReviewEvent
        fields = [
            "id",
            "action",
            "from_review_state",
            "to_review_state",
            "state",
            "comment",
            "override_reason",
            "author",
            "created_at",
        ]


class PublishedVersionSerializer(serializers.ModelSerializer):
    """A version the public read: what it said, when it was approved and the note of what changed."""

    state_label = serializers.SerializerMethodField()
    approved_by = serializers.SerializerMethodField(
        help_text="The desk and the role (“an editor of …”), not a person's name; null for a "
        "version loaded from a seed file (kind import), which no editor approved here: its "
        "approved_at is the day of the desk's review that the file gives."
    )

    class Meta:
        model = PublishedVersion
        fields = [
            "number",
            "kind",
            "wording",
            "quote",
            "claimant",
            "state",
            "state_label",
            "rationale",
            "correction",
            "approved_at",
            "approved_by",
        ]

    def get_state_label(self, row) -> str:
        return row.get_state_display()

    def get_approved_by(self, row) -> str | None:
        return version_approver(row)


class ClaimHistorySerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    versions = PublishedVersionSerializer(many=True)
    state_changes = StateChangeSerializer(
        many=True, required=False, help_text="Shown to the desk only."
    )
    review_events = ReviewEventSerializer(
        many=True, required=False, help_text="Shown to the desk only."
    )
