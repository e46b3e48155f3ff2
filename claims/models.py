"""Articles, the claims they make, and the evidence that links each claim to its sources."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Substr
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.constraints import ConstraintErrorsOnFields
from common.writes import ServiceWritten
from sources.fields import WebAddressField, web_address_constraint
from sources.models import Outlet, Source


class ConfirmationState(models.TextChoices):
    """How far a claim is established. The order is the order of the workflow, then severity."""

    UNVERIFIED = "unverified", "Unverified"
    IN_PROGRESS = "in_progress", "In progress"
    CONFIRMED = "confirmed", "Confirmed"
    PARTLY_CONFIRMED = "partly_confirmed", "Partly confirmed"
    DISPUTED = "disputed", "Disputed"
    REFUTED = "refuted", "Refuted"
    UNVERIFIABLE = "unverifiable", "Unverifiable"

    @property
    def colour(self) -> str:
        """Background colour of the state's label; each passes WCAG AA against black text."""
        return _STATE_STYLE[self][0]

    @property
    def meaning(self) -> str:
        return _STATE_STYLE[self][1]

    @property
    def is_verdict(self) -> bool:
        """A verdict is a conclusion a reader may act on; it always needs a rationale."""
        return self not in (ConfirmationState.UNVERIFIED, ConfirmationState.IN_PROGRESS)


_STATE_STYLE = {
    ConfirmationState.UNVERIFIED: ("#d9d9d9", "Recorded, not yet checked."),
    ConfirmationState.IN_PROGRESS: ("#9ecbff", "A fact-checker is gathering evidence."),
    ConfirmationState.CONFIRMED: (
        "#7fd98b",
        "Supported by at least two independent sources, or by a primary on-the-record source, "
        "and contradicted by none.",
    ),
    ConfirmationState.PARTLY_CONFIRMED: (
        "#c8e67a",
        "The core holds; a detail does not, or cannot be shown.",
    ),
    ConfirmationState.DISPUTED: ("#ffc966", "Credible sources conflict."),
    ConfirmationState.REFUTED: ("#ff9a9a", "Credible evidence shows it false."),
    ConfirmationState.UNVERIFIABLE: (
        "#d7b8f3",
        "Cannot be established with what can be had (for example: unnamed sources only).",
    ),
}


class ReviewState(models.TextChoices):
    """The second axis: whether an editor has approved the verdict for publication."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"

    @property
    def predicate(self) -> str:
        """What a claim in this state is, in a sentence: “a draft”, “in review”, “published”."""
        return "a draft" if self == ReviewState.DRAFT else self.label.lower()


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "Sent to review"
    APPROVE = "approve", "Approved and published"
    SEND_BACK = "send_back", "Sent back"
    REOPEN = "reopen", "Back to review after a change"
    WITHDRAW = "withdraw", "Withdrawn"
    IMPORT = "import", "Loaded from a seed file"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


class ClaimAbout(models.TextChoices):
    """What a claim is about decides what bears it out (see claims.corroboration)."""

    SAID = "said", "What someone said or announced"
    EVENT = "event", "An event or a state of affairs"
    REPORTING = "reporting", "What reporters or news agencies did"


class Article(ServiceWritten, models.Model):
    headline = models.CharField(max_length=500)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        # Admin help texts are HTML: no angle brackets.
        help_text="The article's address on the status pages is /articles/ followed by this slug.",
    )
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    url = WebAddressField("web address", blank=True, help_text="The original, http or https only.")
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(
        help_text="The full text as published. Claims are anchored to exact passages of it: "
        "when the text changes, a quoted passage that still stands (once, with its context) "
        "keeps its claim; a claim whose passage was edited away is marked broken."
    )
    live_version = models.ForeignKey(
        "ArticleVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="What the public reads: the headline and text as an editor last approved them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "live_version"])

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [web_address_constraint("url", name="article_url_http")]

    def __str__(self) -> str:
        return self.headline

    def clean(self):
        super().clean()
        # Browsers send textarea line breaks as CRLF; offsets are counted on LF-only text, so
        # the text is stored that way whatever the client sent.
        if self.text:
            self.text = self.text.replace("\r\n", "\n").replace("\r", "\n")


def passage_stands(text: str, start: str, end: str, quote: str) -> models.lookups.Exact:
    """The condition, in SQL, that the field ``quote`` stands at characters ``start``..``end``
    of the field ``text`` (field paths, e.g. "claims__quote"). SUBSTR counts characters on both
    SQLite and PostgreSQL, as Python slicing does, and is 1-based. The one definition of an
    intact anchor for querysets; ``Claim.anchor_is_intact`` is the same for one loaded claim."""
    return models.lookups.Exact(
        Substr(text, models.F(start) + 1, models.F(end) - models.F(start)), models.F(quote)
    )


def verdict_in_force_q(prefix: str = "") -> models.Q:
    """The claims (reached through ``prefix``, e.g. "claims__") whose public version is a verdict
    in force: an editor approved (or the seed loaded) it and it is not withdrawn. The one
    definition, for querysets; ``Claim.verdict_in_force`` is the same for one loaded claim."""
    return models.Q(**{f"{prefix}live_version__isnull": False}) & ~models.Q(
        **{f"{prefix}live_version__kind": VersionKind.WITHDRAWAL}
    )


class ClaimQuerySet(models.QuerySet):
    def with_anchor_status(self):
        """Annotate ``anchor_intact``: the quote still stands at its offsets in the article text
        (``passage_stands``), so a list of claims never loads the articles' full texts."""
        return self.annotate(
            anchor_intact=models.ExpressionWrapper(
                models.Q(passage_stands("article__text", "quote_start", "quote_end", "quote")),
                output_field=models.BooleanField(),
            )
        )

    def published(self):
        """Claims the public can read: an editor approved a version of them (withdrawn ones
        included: they keep a public notice)."""
        return self.filter(live_version__isnull=False)

    def live(self):
        """Claims whose public version is a verdict in force (not withdrawn): the feed's."""
        return self.filter(verdict_in_force_q())

    def needs_review(self):
        return self.filter(review_state=ReviewState.IN_REVIEW)

    def with_review_status(self):
        """Annotate ``last_review_action``, ``last_review_comment`` and ``last_review_at`` (the
        claim's latest review step) and ``sent_back``: an editor sent it back and it has not been
        resubmitted since (its latest step is "sent back" and it is a draft)."""
        latest = ReviewEvent.objects.filter(claim=models.OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
        return self.annotate(
            last_review_action=models.Subquery(latest.values("action")[:1]),
            last_review_comment=models.Subquery(latest.values("comment")[:1]),
            last_review_at=models.Subquery(latest.values("created_at")[:1]),
            last_review_by=models.Subquery(latest.values("author__username")[:1]),
        ).annotate(
            sent_back=models.Case(
                models.When(
                    models.Q(
                        review_state=ReviewState.DRAFT, last_review_action=ReviewAction.SEND_BACK
                    ),
                    then=models.Value(True),
                ),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class Claim(ServiceWritten, ConstraintErrorsOnFields, models.Model):
    constraint_error_fields = {"claim_anchor_unique": "quote"}

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    wording = models.TextField(
        help_text="The checkable statement in your own plain words: one fact that is true or not."
    )
    quote = models.TextField(
        "quoted passage",
        help_text="Paste the exact passage of the article text that makes this claim. "
        "Its position is found in the text for you.",
    )
    quote_start = models.PositiveIntegerField(
        help_text="Offset of the passage's first character in the article text."
    )
    quote_end = models.PositiveIntegerField(
        help_text="Offset just after the passage's last character."
    )
    # The W3C TextQuoteSelector's context: what lets the anchor be found again after an edit.
    quote_prefix = models.CharField(
        max_length=32, blank=True, editable=False, help_text="The text just before the passage."
    )
    quote_suffix = models.CharField(
        max_length=32, blank=True, editable=False, help_text="The text just after the passage."
    )
    claimant = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who makes the claim: leave empty when it is the article's own statement; "
        "otherwise the person it quotes or paraphrases (“Gen. Mark Milley”).",
    )
    about = models.CharField(
        "what the claim is about",
        max_length=12,
        choices=ClaimAbout.choices,
        default=ClaimAbout.EVENT,
        help_text="What someone said or announced is borne out by the record of their saying it; "
        "an event needs independent lines of reporting; what reporters or agencies did needs "
        "their reports.",
    )
    state = models.CharField(
        "confirmation state",
        max_length=20,
        choices=ConfirmationState.choices,
        default=ConfirmationState.UNVERIFIED,
    )
    rationale = models.TextField(
        blank=True,
        help_text="Public: why the claim has its state, in sentences a reader can follow.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
        help_text="Who is working on it.",
    )
    review_state = models.CharField(
        max_length=12,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        help_text="Only published verdicts are shown to the public. Changed through the review actions.",
    )
    verdict_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Who last changed the verdict (its state, rationale or evidence): with four "
        "eyes, another editor approves it.",
    )
    first_published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an editor first published the verdict. A claim once published is never deleted.",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the public version was approved."
    )
    live_version = models.ForeignKey(
        "PublishedVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="What the public reads: the version an editor last approved (or withdrew).",
    )
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up with every save; a save made from an older version is refused, so no edit is lost.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What the public reads of a claim (with its evidence); a change to any of these needs review.
    PUBLIC_FIELDS = (
        "article_id", "wording", "quote", "quote_start", "quote_end", "claimant", "about",
        "state", "rationale",
    )  # fmt: skip
    EDITABLE_FIELDS = (*PUBLIC_FIELDS, "assignee_id")
    # How the desk's pages and messages name each field (and the evidence) in a sentence.
    FIELD_LABELS = {
        "article_id": "article",
        "wording": "wording",
        "quote": "quoted passage",
        "quote_start": "anchor",
        "quote_end": "anchor",
        "claimant": "claimant",
        "about": "what it is about",
        "state": "state",
        "rationale": "rationale",
        "assignee_id": "assignee",
        "evidence": "evidence",
    }

    # The selector's context is derived from the text; its own history would only be noise.
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at",
            "live_version",
            "quote_prefix",
            "quote_suffix",
            "verdict_changed_by",
        ]
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "quote_start", "id"]
        permissions = [("publish_claim", "Can approve, send back and withdraw verdicts")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ConfirmationState.values), name="claim_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(about__in=ClaimAbout.values), name="claim_about_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(review_state__in=ReviewState.values),
                name="claim_review_state_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(review_state=ReviewState.PUBLISHED)
                | (
                    models.Q(published_at__isnull=False, first_published_at__isnull=False)
                    & ~models.Q(
                        state__in=[ConfirmationState.UNVERIFIED, ConfirmationState.IN_PROGRESS]
                    )
                ),
                name="claim_published_is_a_dated_verdict",
                violation_error_message="Only a verdict can be published, and a published verdict has a publication date.",
            ),
            models.CheckConstraint(
                condition=models.Q(quote_end__gt=models.F("quote_start")),
                name="claim_quote_span_not_empty",
                violation_error_message="The quoted passage must not be empty.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    models.lookups.Exact(
                        Length("quote"), models.F("quote_end") - models.F("quote_start")
                    )
                ),
                name="claim_quote_matches_span",
                violation_error_message="The quoted passage's length does not match its offsets.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    state__in=[ConfirmationState.UNVERIFIED, ConfirmationState.IN_PROGRESS]
                )
                | ~models.Q(rationale=""),
                name="claim_verdict_has_rationale",
                violation_error_message="A verdict needs a rationale: say why the claim has this state.",
            ),
            models.UniqueConstraint(
                fields=["article", "quote_start", "quote_end"],
                name="claim_anchor_unique",
                violation_error_message="Another claim is already anchored to exactly this passage.",
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "-updated_at"], name="claim_review_updated_idx"),
            models.Index(fields=["state", "-updated_at"], name="claim_state_updated_idx"),
            models.Index(fields=["-updated_at"], name="claim_updated_idx"),
            # The dashboard orders articles by their claims' latest change.
            models.Index(fields=["article", "-updated_at"], name="claim_article_updated_idx"),
        ]

    def __str__(self) -> str:
        wording = " ".join(self.wording.split())
        return wording if len(wording) <= 80 else f"{wording[:79]}…"

    @property
    def state_choice(self) -> ConfirmationState:
        return ConfirmationState(self.state)

    @property
    def review_choice(self) -> ReviewState:
        return ReviewState(self.review_state)

    @property
    def is_published(self) -> bool:
        """The working copy is the approved version (review state "published")."""
        return self.review_state == ReviewState.PUBLISHED

    @property
    def is_public(self) -> bool:
        """The public reads a version of this claim (possibly an older one, or a withdrawal)."""
        return self.live_version_id is not None

    @property
    def verdict_in_force(self) -> bool:
        """The public reads a verdict of this claim now: it has a live version that is not a
        withdrawal notice (see ``verdict_in_force_q``)."""
        live = self.live_version if self.live_version_id else None
        return live is not None and not live.is_withdrawal

    @property
    def anchor_is_intact(self) -> bool:
        annotated = getattr(self, "anchor_intact", None)
        if annotated is not None:
            return bool(annotated)
        return self.article.text[self.quote_start : self.quote_end] == self.quote

    def clean(self):
        super().clean()
        if self.state_choice.is_verdict and not self.rationale.strip():
            raise ValidationError(
                {
                    "rationale": f"A verdict needs a rationale: say why the claim is “{self.state_choice.label}”."
                },
                code="rationale_required",
            )
        if self.article_id is None or self.quote_start is None or self.quote_end is None:
            return
        text = self.article.text
        if self.quote_end > len(text) or self.quote_start >= self.quote_end:
            raise ValidationError(
                {"quote": "The passage's offsets lie outside the article text."},
                code="anchor_outside",
            )
        if text[self.quote_start : self.quote_end] != self.quote:
            raise ValidationError(
                {"quote": "The article text does not say this at the recorded position."},
                code="anchor_mismatch",
            )


class Evidence(ServiceWritten, ConstraintErrorsOnFields, models.Model):
    """A source's bearing on one claim."""

    constraint_error_fields = {"evidence_one_per_claim_and_source": "source"}

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    excerpt = models.TextField(
        blank=True, help_text="The words of the source that matter, quoted exactly."
    )
    note = models.TextField(blank=True, help_text="Why it bears on the claim, and any caveat.")
    origins = models.ManyToManyField(
        Source,
        through="EvidenceOrigin",
        related_name="+",
        blank=True,
        verbose_name="carried by origins",
        help_text="Which of the source's origins carry this stance for this claim. Leave empty "
        "for all of them (or, with its own reporting ticked, for none); narrow it when the "
        "source quotes several (a report that supports the claim through the letter it quotes, "
        "not through the denials it also quotes).",
    )
    own_reporting = models.BooleanField(
        "carried by its own reporting",
        default=False,
        help_text="Tick when the source's own reporting carries this stance, not only what it "
        "relays (Reuters saw the ship aground; the tonnage it quotes is Lloyd's List's): it "
        "counts as the source's own line of reporting, beside the origins named above, or "
        "alone when none are named.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["claim", "stance", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"],
                name="evidence_one_per_claim_and_source",
                violation_error_message="This source is already linked to this claim: edit that evidence instead.",
            ),
            models.CheckConstraint(
                condition=models.Q(stance__in=Stance.values), name="evidence_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"


class EvidenceOrigin(models.Model):
    """One origin named by a piece of evidence as carrying its stance (see Evidence.origins)."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="named_origins")
    origin = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "origin carrying the stance"
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "origin"],
                name="evidence_origin_unique",
                violation_error_message="This origin is already named for this evidence.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} through {self.origin_id}"


# ---------------------------------------------------------------------------------------------
# The audit trail: append-only. Rows are written by claims.services and never changed or removed
# (the admin offers no add, change or delete, even to superusers; save() and delete() refuse).


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(
            f"{self.model._meta.verbose_name_plural} are append-only: rows are never changed."
        )

    def delete(self):
        raise PermissionError(
            f"{self.model._meta.verbose_name_plural} are append-only: rows are never deleted."
        )


class AppendOnlyModel(ServiceWritten, models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError(
                f"{self._meta.verbose_name} #{self.pk} is append-only: it is never changed."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(
            f"{self._meta.verbose_name} #{self.pk} is append-only: it is never deleted."
        )


class StateChange(AppendOnlyModel):
    """One change of a claim's confirmation state: who, when, from, to and why."""

    # PROTECT: a claim with a recorded history can never be deleted, so no history is lost.
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="state_changes")
    from_state = models.CharField(max_length=20, choices=ConfirmationState.choices)
    to_state = models.CharField(max_length=20, choices=ConfirmationState.choices)
    rationale = models.TextField(help_text="Why the state changed.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    claim_version = models.PositiveIntegerField(help_text="The claim's version after the change.")

    class Meta:
        ordering = ["created_at", "id"]
        get_latest_by = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rationale=""), name="state_change_has_reason"
            ),
            models.CheckConstraint(
                condition=~models.Q(from_state=models.F("to_state")), name="state_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ReviewEvent(AppendOnlyModel):
    """One step of the review: submitted, approved, sent back, reopened by a change, withdrawn."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="review_events")
    action = models.CharField(max_length=12, choices=ReviewAction.choices)
    from_review_state = models.CharField(max_length=12, choices=ReviewState.choices)
    to_review_state = models.CharField(max_length=12, choices=ReviewState.choices)
    state = models.CharField(
        max_length=20,
        choices=ConfirmationState.choices,
        help_text="The confirmation state at the time.",
    )
    comment = models.TextField(blank=True)
    override_reason = models.TextField(
        blank=True,
        help_text="Why an editor published a verdict stronger than the evidence suggests.",
    )
    without_second_reader = models.BooleanField(
        default=False,
        help_text="Approved by an editor who set or last changed the verdict themselves: nobody "
        "else read it (four eyes were not in force).",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=ReviewAction.values), name="review_event_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(without_second_reader=False)
                | models.Q(action=ReviewAction.APPROVE),
                name="review_event_second_reader_only_on_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.get_action_display()


class AnchorOutcome(models.TextChoices):
    MOVED = "moved", "Anchor moved"
    BROKEN = "broken", "Anchor broken"


class AnchorEvent(AppendOnlyModel):
    """An article's text changed and a claim's passage moved with it (or could not be found):
    written by claims.services.save_article, so no quote moves silently."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="anchor_events")
    outcome = models.CharField(max_length=8, choices=AnchorOutcome.choices)
    quote = models.TextField()
    from_start = models.PositiveIntegerField()
    from_end = models.PositiveIntegerField()
    to_start = models.PositiveIntegerField()
    to_end = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=AnchorOutcome.values), name="anchor_event_outcome"
            ),
        ]

    def __str__(self) -> str:
        if self.outcome == AnchorOutcome.MOVED:
            return f"Anchor moved from characters {self.from_start}–{self.from_end} to {self.to_start}–{self.to_end}"
        return f"Anchor broken at characters {self.from_start}–{self.from_end}"


class ClaimComment(AppendOnlyModel):
    """The desk's internal discussion of a claim, between fact-checkers and editors. Never
    public: no page, feed or anonymous API answer reads it. Written by claims.services."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="claim_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Comment by {self.author_id} on claim #{self.claim_id}"


class VersionKind(models.TextChoices):
    APPROVAL = "approval", "Approved by an editor"
    IMPORT = "import", "Loaded from a seed file"
    WITHDRAWAL = "withdrawal", "Withdrawn"


class ArticleVersion(AppendOnlyModel):
    """An article as the public reads it: frozen when an editor approves a claim of it, or
    publishes the article's own changes."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    headline = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, null=True, related_name="+")
    url = WebAddressField("web address", blank=True)
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField()
    # What the public reads of the article beside its own fields, frozen with them: its address
    # and its outlet as they stood (an outlet renamed since is renamed in public only when an
    # editor approves again).
    slug = models.CharField(max_length=200, blank=True)
    frozen_outlet = models.JSONField(
        null=True, blank=True, help_text="The outlet's id, name, kind and homepage at approval."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    PUBLIC_FIELDS = ("headline", "byline", "outlet_id", "url", "published_on", "text", "slug")

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="article_version_number_unique"
            ),
            web_address_constraint("url", name="article_version_url_http"),
        ]

    def __str__(self) -> str:
        return f"{self.headline} (version {self.number})"

    def differs_from(self, article: Article) -> list[str]:
        """The public fields in which ``article`` (the working copy) differs from this version
        ("outlet" too when its outlet was renamed or changed since)."""
        differs = [f for f in self.PUBLIC_FIELDS if getattr(self, f) != getattr(article, f)]
        if "outlet_id" not in differs and article.outlet_id is not None:
            from .public.freeze import outlet_fields

            if self.frozen_outlet != outlet_fields(article.outlet):
                differs.append("outlet_id")
        return differs


class PublishedVersion(AppendOnlyModel):
    """What an editor approved of one claim, frozen: the public reads this and nothing else.

    Each approval (or withdrawal) adds one; earlier versions stay readable, with their dates and
    correction notes.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=VersionKind.choices)
    article_version = models.ForeignKey(
        ArticleVersion, on_delete=models.PROTECT, related_name="claim_versions"
    )
    wording = models.TextField()
    quote = models.TextField()
    quote_start = models.PositiveIntegerField()
    quote_end = models.PositiveIntegerField()
    claimant = models.CharField(max_length=300, blank=True)
    about = models.CharField(max_length=12, choices=ClaimAbout.choices, default=ClaimAbout.EVENT)
    state = models.CharField(max_length=20, choices=ConfirmationState.choices)
    rationale = models.TextField(blank=True)
    correction = models.TextField(
        blank=True,
        help_text="Public: what changed since the previous version and why (or why it was withdrawn).",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now, db_index=True)
    frozen_sources = models.JSONField(
        default=dict,
        blank=True,
        help_text="The cited sources' public fields, outlets, lineages and snapshots at approval "
        "(claims.public.freeze).",
    )

    # What a version freezes of the claim: what the public reads of it (its article is the
    # version's article_version).
    CLAIM_FIELDS = tuple(f for f in Claim.PUBLIC_FIELDS if f != "article_id")

    class Meta:
        ordering = ["claim", "number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "number"], name="published_version_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=VersionKind.values), name="published_version_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind=VersionKind.WITHDRAWAL)
                | (
                    ~models.Q(
                        state__in=[ConfirmationState.UNVERIFIED, ConfirmationState.IN_PROGRESS]
                    )
                    & ~models.Q(rationale="")
                ),
                name="published_version_is_a_verdict",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=VersionKind.WITHDRAWAL) | ~models.Q(correction=""),
                name="published_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim #{self.claim_id}, version {self.number}"

    @property
    def state_choice(self) -> ConfirmationState:
        return ConfirmationState(self.state)

    @property
    def is_withdrawal(self) -> bool:
        return self.kind == VersionKind.WITHDRAWAL

    def claim_content(self) -> dict:
        """The claim's fields as this version froze them."""
        return {f: getattr(self, f) for f in self.CLAIM_FIELDS}

    @classmethod
    def content_of(cls, claim) -> dict:
        """A claim's fields as a version freezes them."""
        return {f: getattr(claim, f) for f in cls.CLAIM_FIELDS}


class PublishedEvidence(AppendOnlyModel):
    """One piece of evidence as it stood in a published version: its source, stance and words."""

    version = models.ForeignKey(PublishedVersion, on_delete=models.PROTECT, related_name="evidence")
    evidence_id = models.PositiveBigIntegerField(
        help_text="The working evidence row it was copied from (which may since have changed)."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    excerpt = models.TextField(blank=True)
    note = models.TextField(blank=True)
    origin_ids = models.JSONField(
        default=list,
        blank=True,
        help_text="The ids of the source's origins named as carrying the stance ([]: all of "
        "them, or none when its own reporting carried it).",
    )
    own_reporting = models.BooleanField(
        default=False, help_text="The source's own reporting carried the stance."
    )

    class Meta:
        verbose_name_plural = "published evidence"
        ordering = ["version", "stance", "id"]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source_id}"


class StoredIndependence(models.Model):
    """Derived data: a claim's independence block, as the desk's API reads it (the working copy)
    and as the public's does (its live version), stored as JSON text. Computed and kept up to
    date by ``claims.independence`` in the transaction of every write it depends on; rebuilt by
    ``manage.py refresh_independence``. Not history: nothing here is ever the only copy."""

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="stored_independence"
    )
    desk = models.TextField()
    public = models.TextField(blank=True, help_text="Empty when the claim has no live version.")

    class Meta:
        verbose_name_plural = "stored independence"

    def __str__(self) -> str:
        return f"Independence of claim #{self.claim_id}"


# The read model the public reads (claims.public): derived from the versions above.
from .public.models import (  # noqa: E402, F401
    PublicArticle,
    PublicCitation,
    PublicClaim,
    PublicOutlet,
    PublicSlug,
    PublicSource,
)
