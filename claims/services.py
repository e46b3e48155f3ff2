"""Every write to articles, claims and evidence that has rules.

The admin, management commands (``load_seed``) and the API call these functions, so that no path
skips a check. Each is keyword-only, atomic, and runs ``full_clean()`` so that a broken rule is a
ValidationError with a sentence, not an IntegrityError.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from sources.models import Source

from . import anchors
from .models import Article, Claim, ConfirmationState, Evidence, Stance


@transaction.atomic
def save_article(*, article: Article) -> list[Claim]:
    """Validate and save an article; return its claims whose anchors the save broke.

    A claim is never moved to a new position silently: if the text no longer says the quoted
    passage at its offsets, the claim keeps its offsets and is reported (and listed) as broken,
    for a fact-checker to re-anchor.
    """
    article.full_clean()
    article.save()
    return list(
        Claim.objects.filter(article=article).with_anchor_status().filter(anchor_intact=False)
    )


def anchor_claim(*, claim: Claim, quote: str, occurrence: int | None = None) -> None:
    """Set the claim's passage and offsets from a pasted quote (no save).

    Raises ValidationError when the passage is not in the text or stands there several times
    and no occurrence was chosen.
    """
    anchor = anchors.locate(claim.article.text, quote, occurrence=occurrence)
    claim.quote, claim.quote_start, claim.quote_end = quote, anchor.start, anchor.end


@transaction.atomic
def create_claim(
    *,
    article: Article,
    wording: str,
    quote: str,
    occurrence: int | None = None,
    claimant: str = "",
    state: ConfirmationState = ConfirmationState.UNVERIFIED,
    rationale: str = "",
    assignee: AbstractBaseUser | None = None,
) -> Claim:
    """Create a claim anchored to the passage ``quote`` of the article's text."""
    claim = Claim(
        article=article,
        wording=wording,
        claimant=claimant,
        state=state,
        rationale=rationale,
        assignee=assignee,
    )
    anchor_claim(claim=claim, quote=quote, occurrence=occurrence)
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def save_claim(*, claim: Claim) -> Claim:
    """Validate and save a claim's wording, anchor, claimant, assignee and verdict."""
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def link_evidence(
    *, claim: Claim, source: Source, stance: Stance, excerpt: str = "", note: str = ""
) -> Evidence:
    """Link a source to a claim with its stance; one link per claim and source."""
    evidence = Evidence(claim=claim, source=source, stance=stance, excerpt=excerpt, note=note)
    evidence.full_clean()
    evidence.save()
    return evidence
