"""Articles, the claims they make, and the evidence that links each claim to its sources."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Substr

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


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


class Article(models.Model):
    headline = models.CharField(max_length=500)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The article's address on the status pages: /articles/<slug>/.",
    )
    byline = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    url = WebAddressField("web address", blank=True, help_text="The original, http or https only.")
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(
        help_text="The full text as published. Claims are anchored to exact passages of it: "
        "editing a passage that a claim quotes marks that claim's anchor as broken."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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


class ClaimQuerySet(models.QuerySet):
    def with_anchor_status(self):
        """Annotate ``anchor_intact``: the quote still stands at its offsets in the article text.

        Computed by the database (SUBSTR on both SQLite and PostgreSQL counts characters, as
        Python slicing does), so a list of claims never loads the articles' full texts.
        """
        return self.annotate(
            anchor_intact=models.ExpressionWrapper(
                models.Q(
                    models.lookups.Exact(
                        Substr(
                            "article__text",
                            models.F("quote_start") + 1,
                            models.F("quote_end") - models.F("quote_start"),
                        ),
                        models.F("quote"),
                    )
                ),
                output_field=models.BooleanField(),
            )
        )

    def in_state(self, *states: ConfirmationState):
        return self.filter(state__in=states)


class Claim(models.Model):
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
    claimant = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who makes the claim: leave empty when it is the article's own statement; "
        "otherwise the person it quotes or paraphrases (“Gen. Mark Milley”).",
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article", "quote_start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ConfirmationState.values), name="claim_state_valid"
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
            models.Index(fields=["state", "-updated_at"], name="claim_state_updated_idx"),
            models.Index(fields=["-updated_at"], name="claim_updated_idx"),
        ]

    def __str__(self) -> str:
        wording = " ".join(self.wording.split())
        return wording if len(wording) <= 80 else f"{wording[:79]}…"

    @property
    def state_choice(self) -> ConfirmationState:
        return ConfirmationState(self.state)

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


class Evidence(models.Model):
    """A source's bearing on one claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=12, choices=Stance.choices)
    excerpt = models.TextField(
        blank=True, help_text="The words of the source that matter, quoted exactly."
    )
    note = models.TextField(blank=True, help_text="Why it bears on the claim, and any caveat.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
