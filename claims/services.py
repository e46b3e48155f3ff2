"""Every write to articles, claims and evidence: one function per user intent.

The admin (forms, inlines, bulk actions), the API, the status pages and the management commands
call these and nothing else (``common.writes`` refuses a save from anywhere else). Each function
is keyword-only and atomic, checks the author's permission itself, validates once (with a
sentence a person can act on), writes once, and names its author: every change has someone and
a reason behind it. A call that changes nothing writes nothing: no version bump, no history row.

Claims carry a version. A write that names the version it was based on (``expected_version``)
is refused with a ConflictError when someone else saved in between, so no edit is overwritten.
The claim's row is locked once for the length of the write (``select_for_update``; on SQLite
the IMMEDIATE transaction holds the write lock).

The public reads published versions only (``PublishedVersion``, ``ArticleVersion``): frozen
copies an editor approved. Changing what a published claim says (its wording, quote, claimant,
article, state or rationale; adding, removing or re-weighing its evidence) changes the working
copy and puts the claim back in review; the public keeps the last approved version until an
editor approves the new one, with a public correction note when the verdict or its reasons
changed.

Every write that changes what a claim's independence is computed from (its state, what it is
about, its evidence, its live version) stores the claim's independence block again, in its
transaction (``claims.independence``).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from common.writes import service
from sources.models import Source
from sources.provenance import origins_of

from . import anchors, independence
from .corroboration import assess_claim
from .models import (
    AnchorEvent,
    AnchorOutcome,
    Article,
    ArticleVersion,
    Claim,
    ClaimAbout,
    ClaimComment,
    ConfirmationState,
    Evidence,
    EvidenceOrigin,
    PublishedEvidence,
    PublishedVersion,
    ReviewAction,
    ReviewEvent,
    ReviewState,
    Stance,
    StateChange,
    VersionKind,
)

CHANGE_PERMISSION = "claims.change_claim"
PUBLISH_PERMISSION = "claims.publish_claim"

# What the public reads of a claim; a change to any of these (or to the evidence) needs review.
PUBLIC_CLAIM_FIELDS = ("article_id", *PublishedVersion.CLAIM_FIELDS)
EDITABLE_CLAIM_FIELDS = (*PUBLIC_CLAIM_FIELDS, "assignee_id")
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


class ConflictError(Exception):
    """The claim changed since the version the writer started from. Nothing was saved."""

    api_status = 409  # what the API answers (common.api.errors)

    def __init__(self, claim: Claim, expected_version: int):
        self.claim_id = claim.pk
        self.current_version = claim.version
        self.expected_version = expected_version
        latest = (
            claim.history.order_by("-history_date", "-history_id")
            .select_related("history_user")
            .first()
        )
        self.changed_by = str(latest.history_user) if latest and latest.history_user else "someone"
        self.changed_at = latest.history_date if latest else claim.updated_at
        when = date_format(timezone.localtime(self.changed_at), "j M Y, H:i:s T")
        super().__init__(
            f"Claim #{claim.pk} was changed by {self.changed_by} at {when} while you were working on it "
            f"(you started from version {expected_version}; it is now at version {claim.version}). "
            "Nothing of yours was saved and nothing of theirs was overwritten: reload the claim to see "
            "their change, then make yours again."
        )


def _require(author: AbstractBaseUser | None, permission: str, doing: str) -> None:
    if author is None or not author.is_active or not author.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {doing}.")


def _lock(pk: int, expected_version: int | None) -> Claim:
    """The claim's current row (with its article and public version), locked until the
    transaction ends; refuses a stale version. One query."""
    current = (
        Claim.objects.select_for_update(of=("self",))
        .select_related("article", "live_version")
        .get(pk=pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(current, expected_version)
    return current


def _validate_claim(claim: Claim, *, anchor_moved: bool) -> None:
    """Validate once, in Python: the fields, the verdict's rationale and the anchor (Claim.clean);
    the unique anchor only when it moved. The database's constraints stand behind all of it."""
    claim.full_clean(
        exclude=["article", "assignee", "live_version"],
        validate_unique=False,
        validate_constraints=False,
    )
    if anchor_moved and (
        Claim.objects.filter(
            article_id=claim.article_id, quote_start=claim.quote_start, quote_end=claim.quote_end
        )
        .exclude(pk=claim.pk)
        .exists()
    ):
        raise ValidationError(
            {"quote": "Another claim is already anchored to exactly this passage."},
            code="anchor_taken",
        )


def _save_claim_row(claim: Claim, author, *, insert: bool = False, anchor_moved: bool = False):
    claim._history_user = author
    if not (insert or anchor_moved):
        claim.save()  # no unique rule can be broken by this write: no savepoint needed
        return
    try:
        with transaction.atomic():
            claim.save(force_insert=insert)
    except IntegrityError as error:  # a race the checks above could not see
        raise ValidationError(
            "The claim could not be saved because another change got there first "
            f"({error.__class__.__name__}): reload it and try again.",
            code="integrity",
        ) from error


# ---------------------------------------------------------------------------------------------
# Articles


class BrokenAnchors(list):
    """The claims an article's change broke (a list, as before), with ``moved``: the claims that
    moved with their passage."""

    moved: list[Claim]

    def __init__(self, broken=(), moved=()):
        super().__init__(broken)
        self.moved = list(moved)


@service
@transaction.atomic
def save_article(*, article: Article, author: AbstractBaseUser) -> BrokenAnchors:
    """Record or change an article, re-anchor its claims in the same transaction, and return the
    claims whose anchors the change broke.

    For each claim (see ``anchors.reanchor``): the quote that still stands at its offsets stays;
    one that stands once, with its context, elsewhere moves there, recorded as an "anchor moved"
    event; otherwise the claim keeps its offsets and is reported (and listed) as broken, with an
    "anchor broken" event the first time. A move changes no word of the claim, so a published
    claim is not reopened for review (the public reads its frozen version). An article the public
    reads keeps its approved version (``live_version``) until an editor publishes the change.
    """
    adding = article.pk is None
    _require(author, "claims.add_article" if adding else "claims.change_article", "edit articles")
    article.full_clean(exclude=["live_version"])
    old_text = None
    if not adding:
        old_text = (
            Article.objects.select_for_update(of=("self",))
            .values_list("text", flat=True)
            .get(pk=article.pk)
        )
    article._history_user = author
    article.save()
    if adding or old_text == article.text:
        return BrokenAnchors(
            Claim.objects.filter(article=article).with_anchor_status().filter(anchor_intact=False)
        )
    return _reanchor_claims(article, old_text, author)


def _reanchor_claims(article: Article, old_text: str, author) -> BrokenAnchors:
    text = article.text
    claims = list(
        Claim.objects.select_for_update(of=("self",)).filter(article=article).order_by("pk")
    )
    moves, broken = [], []
    for claim in claims:
        result = anchors.reanchor(
            text,
            claim.quote,
            claim.quote_start,
            claim.quote_end,
            claim.quote_prefix,
            claim.quote_suffix,
        )
        if result.outcome == "stays":
            prefix, suffix = anchors.selector_context(text, result.start, result.end)
            if (prefix, suffix) != (claim.quote_prefix, claim.quote_suffix):
                # The context is derived data (not part of the claim's history): kept current so
                # that the next edit finds the passage by the text around it now.
                Claim.objects.filter(pk=claim.pk).update(quote_prefix=prefix, quote_suffix=suffix)
        elif result.outcome == "moved":
            moves.append((claim, result))
        else:
            broken.append(claim)
            was_intact = old_text[claim.quote_start : claim.quote_end] == claim.quote
            if was_intact:
                AnchorEvent.objects.create(
                    claim=claim,
                    outcome=AnchorOutcome.BROKEN,
                    quote=claim.quote,
                    from_start=claim.quote_start,
                    from_end=claim.quote_end,
                    to_start=claim.quote_start,
                    to_end=claim.quote_end,
                    author=author,
                )
    # Claims moving forward are written furthest first, those moving back nearest first, so no
    # two claims stand on one span between two writes (the unique anchor is checked at each).
    forward = sorted(
        (m for m in moves if m[1].start >= m[0].quote_start), key=lambda m: -m[1].start
    )
    backward = sorted((m for m in moves if m[1].start < m[0].quote_start), key=lambda m: m[1].start)
    for claim, result in forward + backward:
        event = AnchorEvent(
            claim=claim,
            outcome=AnchorOutcome.MOVED,
            quote=claim.quote,
            from_start=claim.quote_start,
            from_end=claim.quote_end,
            to_start=result.start,
            to_end=result.end,
            author=author,
        )
        claim.quote_start, claim.quote_end = result.start, result.end
        claim.quote_prefix, claim.quote_suffix = anchors.selector_context(
            text, result.start, result.end
        )
        claim.article = article
        claim.version += 1
        claim._change_reason = "The article text changed: the passage moved with it."
        _save_claim_row(claim, author, anchor_moved=True)
        event.save()
    return BrokenAnchors(broken, [claim for claim, _ in moves])


@service
@transaction.atomic
def delete_article(*, article: Article, author: AbstractBaseUser) -> None:
    """Delete an article recorded by mistake: only while it has no claims and nothing public."""
    _require(author, "claims.delete_article", "delete articles")
    if article.live_version_id or Claim.objects.filter(article=article).exists():
        raise PermissionDenied("This article has claims or a public version: it is kept.")
    article._history_user = author
    article.delete()


def _article_version(article: Article, author) -> ArticleVersion:
    """The article's public version as it stands now: the live one when nothing public changed,
    else a new one (frozen now)."""
    live = article.live_version
    if live is not None and not live.differs_from(article):
        return live
    version = ArticleVersion.objects.create(
        article=article,
        number=(live.number + 1) if live else 1,
        **{f: getattr(article, f) for f in ArticleVersion.PUBLIC_FIELDS},
        approved_by=author,
    )
    Article.objects.filter(pk=article.pk).update(live_version=version)
    article.live_version = version
    return version


@service
@transaction.atomic
def publish_article(*, article: Article, author: AbstractBaseUser) -> ArticleVersion:
    """An editor publishes an article's changed headline, byline or text, which the public reads
    beside its published claims. Approving a claim of the article publishes it too."""
    _require(author, PUBLISH_PERMISSION, "publish articles (editors only)")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("live_version")
        .get(pk=article.pk)
    )
    if article.live_version_id is None:
        raise ValidationError(
            "Nothing of this article is public yet: it is published with its first approved claim."
        )
    if not article.live_version.differs_from(article):
        raise ValidationError("The public already reads this article as it stands.")
    return _article_version(article, author)


# ---------------------------------------------------------------------------------------------
# Claims: content, anchor and verdict


def anchor_claim(
    *, claim: Claim, quote: str, occurrence: int | None = None, start: int | None = None
) -> None:
    """Set the claim's passage and offsets from a pasted quote (no save).

    ``start``: the offset of a passage selected in the text itself (no ambiguity: the selection
    is the occurrence); used when the text says ``quote`` there, else the quote is looked for.
    Raises ValidationError when the passage is not in the text or stands there several times
    and no occurrence was chosen.
    """
    text = claim.article.text
    if start is not None and start >= 0 and text[start : start + len(quote)] == quote:
        anchor = anchors.Anchor(start, start + len(quote))
    else:
        anchor = anchors.locate(text, quote, occurrence=occurrence)
    # The quote stored is the text as it stands (its quotation marks, dashes and spaces).
    claim.quote = text[anchor.start : anchor.end]
    claim.quote_start, claim.quote_end = anchor.start, anchor.end
    claim.quote_prefix, claim.quote_suffix = anchors.selector_context(
        text, anchor.start, anchor.end
    )


def verdict_change_problem(
    *, current: Claim, state: str, rationale: str, reason: str
) -> dict[str, str] | None:
    """What is missing for this change of a claim, as {field: sentence}, or None.

    Shared by the services and the admin form, so the form says it before anything is saved.
    """
    state_changed = state != current.state
    rationale_changed = rationale.strip() != current.rationale.strip()
    if ConfirmationState(state).is_verdict and not rationale.strip():
        return {
            "rationale": f"A verdict needs a rationale: say why the claim is “{ConfirmationState(state).label}”."
        }
    if state_changed and not reason.strip() and not rationale_changed:
        return {
            "change_note": "Say why the state changes: write a note on this change, or rewrite the rationale."
        }
    if current.live_version_id and (state_changed or rationale_changed) and not reason.strip():
        return {
            "change_note": "This verdict is public: say what changes and why. The public keeps the "
            "approved version until an editor approves this one."
        }
    return None


@service
@transaction.atomic
def create_claim(
    *,
    article: Article,
    wording: str,
    quote: str,
    author: AbstractBaseUser,
    occurrence: int | None = None,
    start: int | None = None,
    claimant: str = "",
    state: ConfirmationState | str = ConfirmationState.UNVERIFIED,
    rationale: str = "",
    assignee: AbstractBaseUser | None = None,
    about: ClaimAbout | str | None = None,
    reason: str = "",
) -> Claim:
    """Record a claim anchored to the passage ``quote`` of the article's text, with its state and
    rationale: one write, and one history row when it starts as anything but unverified."""
    _require(author, "claims.add_claim", "record claims")
    state = _state(state)
    claim = Claim(
        article=article,
        wording=wording,
        claimant=claimant,
        state=state,
        rationale=rationale.strip(),
        assignee=assignee,
        about=about or ClaimAbout.EVENT,
    )
    anchor_claim(claim=claim, quote=quote, occurrence=occurrence, start=start)
    if state.is_verdict and not claim.rationale:
        raise ValidationError(
            {"rationale": f"A verdict needs a rationale: say why the claim is “{state.label}”."}
        )
    _validate_claim(claim, anchor_moved=True)
    _save_claim_row(claim, author, insert=True)
    if state != ConfirmationState.UNVERIFIED:
        StateChange.objects.create(
            claim=claim,
            from_state=ConfirmationState.UNVERIFIED,
            to_state=state,
            rationale=reason.strip() or claim.rationale or f"Recorded as {state.label.lower()}.",
            author=author,
            claim_version=claim.version,
        )
    independence.refresh([claim], public=False)  # no live version yet
    return claim


def _state(value) -> ConfirmationState:
    try:
        return ConfirmationState(value)
    except ValueError:
        raise ValidationError(
            {
                "state": f"“{value}” is not a state. Choose one of: {', '.join(ConfirmationState.values)}."
            }
        ) from None


@dataclass(frozen=True)
class EvidenceChange:
    """One change to a claim's evidence, applied inside the claim's write.

    ``op`` is "add" (``values``: source, stance, excerpt, note), "change" (``evidence`` with its
    new values set) or "remove" (``evidence``).
    """

    op: str
    evidence: Evidence | None = None
    values: dict | None = None


_UNSET: Any = object()


@service
def edit_claim(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    expected_version: int | None = None,
    reason: str = "",
    article: Article = _UNSET,
    wording: str = _UNSET,
    quote: str = _UNSET,
    occurrence: int | None = None,
    claimant: str = _UNSET,
    about: str = _UNSET,
    assignee: AbstractBaseUser | None = _UNSET,
    state: str = _UNSET,
    rationale: str = _UNSET,
    evidence: list[EvidenceChange] = (),
    require_new_state: bool = False,
) -> Claim:
    """Change a claim's working copy: any of its fields and its evidence, in one write.

    A change of state is recorded with its reason (``reason``, or the new rationale). A change to
    what a published claim says puts it back in review; the public keeps the approved version.
    """
    _require(author, CHANGE_PERMISSION, "change claims")
    with transaction.atomic():
        current = _lock(claim.pk, expected_version)
        before = {f: getattr(current, f) for f in EDITABLE_CLAIM_FIELDS}
        was_review_state = current.review_state
        if require_new_state and current.state == state:
            label = current.state_choice.label
            raise ValidationError({"state": f"The claim is already “{label}”."})
        if article is not _UNSET and article.pk != current.article_id:
            current.article = article
        for name, value in (
            ("wording", wording),
            ("claimant", claimant),
            ("about", about),
            ("rationale", rationale),
        ):
            if value is not _UNSET:
                setattr(current, name, value.strip() if name == "rationale" else value)
        if assignee is not _UNSET:
            current.assignee = assignee
        if state is not _UNSET:
            current.state = _state(state)
        new_quote = current.quote if quote is _UNSET else quote
        anchor_moved = False
        if (
            new_quote != current.quote
            or occurrence is not None
            or current.article_id != before["article_id"]
        ):
            anchor_claim(claim=current, quote=new_quote, occurrence=occurrence)
            anchor_moved = (current.quote_start, current.quote_end, current.article_id) != (
                before["quote_start"],
                before["quote_end"],
                before["article_id"],
            )
        changed = [f for f in EDITABLE_CLAIM_FIELDS if getattr(current, f) != before[f]]
        evidence_changed = _apply_evidence(current, evidence, author)
        if not changed and not evidence_changed:
            return current  # nothing changed: nothing is written
        was = Claim(
            state=before["state"],
            rationale=before["rationale"],
            live_version_id=current.live_version_id,
        )
        problem = verdict_change_problem(
            current=was, state=current.state, rationale=current.rationale, reason=reason
        )
        if problem:
            raise ValidationError(problem)
        _validate_claim(current, anchor_moved=anchor_moved)

        public_change = bool(set(changed) & set(PUBLIC_CLAIM_FIELDS)) or evidence_changed
        if was_review_state == ReviewState.IN_REVIEW and not current.state_choice.is_verdict:
            current.review_state = ReviewState.DRAFT  # nothing left for an editor to approve
        reopen = was_review_state == ReviewState.PUBLISHED and public_change
        if reopen:
            current.review_state = ReviewState.IN_REVIEW
            if not current.state_choice.is_verdict:
                current.review_state = ReviewState.DRAFT
        current.version += 1
        # The field history keeps the reason with the edit (the timeline shows it).
        current._change_reason = reason.strip() or None
        _save_claim_row(current, author, anchor_moved=anchor_moved)

        if current.state != before["state"]:
            StateChange.objects.create(
                claim=current,
                from_state=before["state"],
                to_state=current.state,
                rationale=reason.strip() or current.rationale,
                author=author,
                claim_version=current.version,
            )
        if reopen:
            what = describe_changes(changed, evidence_changed)
            ReviewEvent.objects.create(
                claim=current,
                action=ReviewAction.REOPEN,
                from_review_state=ReviewState.PUBLISHED,
                to_review_state=current.review_state,
                state=current.state,
                comment=reason.strip() or f"Changed: {what}.",
                author=author,
            )
        # The live version is as it was: only the desk's block changes.
        independence.refresh([current], public=False)
    return current


def describe_changes(fields: list[str], evidence_changed: bool = False) -> str:
    labels = list(dict.fromkeys(FIELD_LABELS[f] for f in fields))
    if evidence_changed:
        labels.append("evidence")
    return ", ".join(labels)


def change_state(
    *,
    claim: Claim,
    to_state: ConfirmationState | str,
    rationale: str,
    author: AbstractBaseUser,
    expected_version: int | None = None,
) -> Claim:
    """Move a claim to ``to_state`` for the reason ``rationale``, recorded in its history.

    For a verdict the rationale becomes the claim's public rationale (once an editor approves).
    """
    to_state = _state(to_state)
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError(
            {"rationale": "Say why the state changes: every change of state needs a reason."}
        )
    changes = {"state": to_state, "reason": rationale, "require_new_state": True}
    if to_state.is_verdict:
        changes["rationale"] = rationale
    return edit_claim(claim=claim, author=author, expected_version=expected_version, **changes)


# ---------------------------------------------------------------------------------------------
# Evidence: part of the claim it bears on. Each change locks the claim, bumps its version and,
# for a published claim, puts it back in review.


def _apply_evidence(claim: Claim, changes, author) -> bool:
    """Apply evidence changes to the (locked) claim; True when anything changed."""
    changed = False
    for change in changes:
        if change.op == "add":
            _require(author, "claims.add_evidence", "add evidence")
            values = dict(change.values or {})
            origins = values.pop("origins", None)
            item = Evidence(claim=claim, **values)
            _validate_evidence(item, check_unique=True)
            item._history_user = author
            item.save(force_insert=True)
            if origins:
                _name_origins(item, origins)
            changed = True
        elif change.op == "change":
            _require(author, "claims.change_evidence", "change evidence")
            item = change.evidence
            stored = Evidence.objects.get(pk=item.pk, claim=claim)
            fields = ("source_id", "stance", "excerpt", "note")
            origins = (change.values or {}).get("origins")
            same_origins = origins is None or {o.pk for o in origins} == set(
                stored.origins.values_list("pk", flat=True)
            )
            if same_origins and all(getattr(stored, f) == getattr(item, f) for f in fields):
                continue
            item.claim = claim
            _validate_evidence(item, check_unique=stored.source_id != item.source_id)
            item._history_user = author
            item.save()
            if origins is not None:
                _name_origins(item, origins)
            changed = True
        elif change.op == "remove":
            _require(author, "claims.delete_evidence", "remove evidence")
            item = change.evidence
            if item.claim_id != claim.pk:
                raise ValidationError("This evidence belongs to another claim.")
            item._history_user = author
            item.delete()
            changed = True
        else:
            raise ValueError(f"Unknown evidence change {change.op!r}.")
    return changed


def _validate_evidence(item: Evidence, *, check_unique: bool) -> None:
    item.full_clean(exclude=["claim", "source"], validate_unique=False, validate_constraints=False)
    if item.stance not in Stance.values:
        raise ValidationError({"stance": f"Choose one of: {', '.join(Stance.values)}."})
    if check_unique and (
        Evidence.objects.filter(claim_id=item.claim_id, source_id=item.source_id)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise ValidationError(
            {"source": "This source is already linked to this claim: edit that evidence instead."},
            code="evidence_taken",
        )


def add_evidence(
    *,
    claim: Claim,
    source: Source,
    stance: Stance | str,
    author: AbstractBaseUser,
    excerpt: str = "",
    note: str = "",
    origins: list[Source] | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Link a source to a claim with its stance; one link per claim and source. ``origins``
    names the source's origins that carry the stance (none named: all of them)."""
    values = {"source": source, "stance": stance, "excerpt": excerpt, "note": note}
    if origins:
        values["origins"] = list(origins)
    edit_claim(
        claim=claim,
        author=author,
        expected_version=expected_version,
        evidence=[EvidenceChange("add", values=values)],
    )
    return Evidence.objects.get(claim_id=claim.pk, source_id=source.pk)


def change_evidence(
    *,
    evidence: Evidence,
    author: AbstractBaseUser,
    origins: list[Source] | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """Save a change to a piece of evidence (its source, stance, excerpt or note, and, when
    ``origins`` is given, the origins that carry its stance: an empty list means all)."""
    claim = Claim(pk=evidence.claim_id)
    values = None if origins is None else {"origins": list(origins)}
    edit_claim(
        claim=claim,
        author=author,
        expected_version=expected_version,
        evidence=[EvidenceChange("change", evidence=evidence, values=values)],
    )
    return evidence


def remove_evidence(
    *, evidence: Evidence, author: AbstractBaseUser, expected_version: int | None = None
) -> None:
    """Unlink a source from a claim (its field history keeps what it said)."""
    edit_claim(
        claim=Claim(pk=evidence.claim_id),
        author=author,
        expected_version=expected_version,
        evidence=[EvidenceChange("remove", evidence=evidence)],
    )


# ---------------------------------------------------------------------------------------------
# Review and publication


def _review(
    current: Claim,
    *,
    author: AbstractBaseUser,
    action: ReviewAction,
    allowed_from: ReviewState,
    to: ReviewState,
    comment: str = "",
    override_reason: str = "",
) -> Claim:
    if current.review_state != allowed_from:
        raise ValidationError(
            f"Claim #{current.pk} is {current.review_choice.label.lower()}: "
            f"only a claim that is {allowed_from.label.lower()} can be {action.label.lower()}."
        )
    event = ReviewEvent(
        claim=current,
        action=action,
        from_review_state=current.review_state,
        to_review_state=to,
        state=current.state,
        comment=comment.strip(),
        override_reason=override_reason.strip(),
        author=author,
    )
    current.review_state = to
    current.version += 1
    current._history_user = author
    current.save()
    event.save()
    return current


@service
@transaction.atomic
def submit_for_review(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    comment: str = "",
    expected_version: int | None = None,
) -> Claim:
    """A fact-checker asks an editor to approve the claim's verdict."""
    _require(author, CHANGE_PERMISSION, "send claims to review")
    current = _lock(claim.pk, expected_version)
    if not current.state_choice.is_verdict:
        raise ValidationError(
            f"Claim #{current.pk} is “{current.state_choice.label}”: give it a verdict before sending it to review."
        )
    return _review(
        current,
        author=author,
        action=ReviewAction.SUBMIT,
        allowed_from=ReviewState.DRAFT,
        to=ReviewState.IN_REVIEW,
        comment=comment,
    )


def published_differences(claim: Claim) -> list[str]:
    """What the working copy says differently from its live published version (field labels;
    "evidence" when the evidence differs). Empty when there is no published version. Two
    queries."""
    live = claim.live_version
    if live is None:
        return []
    fields = [f for f in PUBLIC_CLAIM_FIELDS if f != "article_id"]
    if live.quote == claim.quote and live.article_version.article_id == claim.article_id:
        # The same passage at new offsets: the article's text moved around it (an anchor move),
        # which the public's copy follows by itself; it is not a change to approve.
        fields = [f for f in fields if f not in ("quote_start", "quote_end")]
    changed = [f for f in fields if getattr(live, f) != getattr(claim, f)]
    if live.article_version.article_id != claim.article_id:
        changed.insert(0, "article_id")
    if working_evidence_key(claim.pk) != frozen_evidence_key(live.pk):
        changed.append("evidence")
    return list(dict.fromkeys(FIELD_LABELS.get(f, f) for f in changed))


def working_evidence_key(claim_id: int) -> set:
    """What the public would read of a claim's evidence: each source, stance, excerpt, note and
    the origins named as carrying the stance (one query)."""
    named: dict[int, set] = {}
    rows = Evidence.objects.filter(claim_id=claim_id).values_list(
        "pk", "source_id", "stance", "excerpt", "note", "named_origins__origin_id"
    )
    for pk, *fields, origin in rows:
        named.setdefault((pk, *fields), set())
        if origin is not None:
            named[(pk, *fields)].add(origin)
    return {(*key[1:], tuple(sorted(origins))) for key, origins in named.items()}


def frozen_evidence_key(version_id: int) -> set:
    rows = PublishedEvidence.objects.filter(version_id=version_id).values_list(
        "source_id", "stance", "excerpt", "note", "origin_ids"
    )
    return {(*fields, tuple(sorted(origins))) for *fields, origins in rows}


def _reasons_changed(current: Claim, live: PublishedVersion, evidence: list[Evidence]) -> bool:
    """The verdict or its reasons: the state, the rationale, or which sources bear on it how."""
    if live.is_withdrawal:
        return True
    published = set(
        PublishedEvidence.objects.filter(version=live).values_list("source_id", "stance")
    )
    return (
        live.state != current.state
        or live.rationale.strip() != current.rationale.strip()
        or {(e.source_id, e.stance) for e in evidence} != published
    )


def _publish(
    current: Claim, author, *, kind: VersionKind, correction: str = ""
) -> PublishedVersion:
    """Freeze the working copy (and its article) as the claim's new public version."""
    live = current.live_version
    evidence = list(Evidence.objects.filter(claim=current).order_by("id"))
    named: dict[int, list[int]] = {}
    for evidence_id, origin_id in EvidenceOrigin.objects.filter(
        evidence__claim=current
    ).values_list("evidence_id", "origin_id"):
        named.setdefault(evidence_id, []).append(origin_id)
    version = PublishedVersion.objects.create(
        claim=current,
        number=(live.number + 1) if live else 1,
        kind=kind,
        article_version=_article_version(current.article, author),
        **PublishedVersion.content_of(current),
        correction=correction.strip(),
        approved_by=author,
    )
    PublishedEvidence.objects.bulk_create(
        PublishedEvidence(
            version=version,
            evidence_id=e.pk,
            source_id=e.source_id,
            stance=e.stance,
            excerpt=e.excerpt,
            note=e.note,
            origin_ids=sorted(named.get(e.pk, [])),
        )
        for e in evidence
    )
    now = version.approved_at
    current.live_version = version
    current.published_at = now
    current.first_published_at = current.first_published_at or now
    return version


@service
@transaction.atomic
def approve(
    *,
    claim: Claim,
    author: AbstractBaseUser,
    comment: str = "",
    correction: str = "",
    override_reason: str = "",
    expected_version: int | None = None,
) -> Claim:
    """An editor publishes the claim's verdict: its working copy becomes the public version.

    A verdict stronger than its evidence suggests (see claims.corroboration) is published only
    with ``override_reason``, which is recorded. When a published verdict or its reasons changed,
    the approval needs ``correction``: the public note of what changed and why.
    """
    _require(author, PUBLISH_PERMISSION, "approve verdicts (editors only)")
    current = _lock(claim.pk, expected_version)
    if current.review_state != ReviewState.IN_REVIEW:
        raise ValidationError(
            f"Claim #{current.pk} is {current.review_choice.label.lower()}: "
            "only a claim that is in review can be approved and published."
        )
    assessment = assess_claim(current)
    if assessment.stronger_than_evidence and not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": f"Claim #{current.pk} is “{current.state_choice.label}” but its evidence "
                f"suggests “{assessment.suggestion.label}” ({assessment.reason}) Give a reason to "
                "publish it as it is."
            },
            code="override_reason_required",
        )
    live = current.live_version
    if live is not None and not correction.strip():
        evidence = list(Evidence.objects.filter(claim=current))
        if _reasons_changed(current, live, evidence):
            raise ValidationError(
                {
                    "correction": "The public verdict or its reasons change: write the public correction "
                    "note (what changed and why). It is shown with the claim, dated."
                },
                code="correction_required",
            )
    _publish(current, author, kind=VersionKind.APPROVAL, correction=correction)
    approved = _review(
        current,
        author=author,
        action=ReviewAction.APPROVE,
        allowed_from=ReviewState.IN_REVIEW,
        to=ReviewState.PUBLISHED,
        comment=comment,
        override_reason=override_reason if assessment.stronger_than_evidence else "",
    )
    independence.refresh([current])  # the public's block follows the new version
    return approved


@service
@transaction.atomic
def send_back(
    *, claim: Claim, author: AbstractBaseUser, comment: str, expected_version: int | None = None
) -> Claim:
    """An editor returns the claim to its fact-checker with a comment."""
    _require(author, PUBLISH_PERMISSION, "send claims back (editors only)")
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": "Say what needs doing: sending a claim back needs a comment."}
        )
    current = _lock(claim.pk, expected_version)
    return _review(
        current,
        author=author,
        action=ReviewAction.SEND_BACK,
        allowed_from=ReviewState.IN_REVIEW,
        to=ReviewState.DRAFT,
        comment=comment,
    )


@service
@transaction.atomic
def withdraw(
    *, claim: Claim, author: AbstractBaseUser, reason: str, expected_version: int | None = None
) -> Claim:
    """An editor takes a public verdict down. The claim keeps a public notice with the reason and
    the date (and its earlier versions stay readable); it leaves the ClaimReview feed."""
    _require(author, PUBLISH_PERMISSION, "withdraw published verdicts (editors only)")
    if not (reason or "").strip():
        raise ValidationError(
            {"comment": "Say why the verdict is withdrawn: it is recorded and shown publicly."}
        )
    current = _lock(claim.pk, expected_version)
    live = current.live_version
    if live is None or live.is_withdrawal:
        raise ValidationError(f"Claim #{current.pk} has no public verdict to withdraw.")
    version = PublishedVersion.objects.create(
        claim=current,
        number=live.number + 1,
        kind=VersionKind.WITHDRAWAL,
        article_version=live.article_version,
        **live.claim_content(),
        correction=reason.strip(),
        approved_by=author,
    )
    current.live_version = version
    current.published_at = None
    allowed_from = current.review_state
    if allowed_from == ReviewState.DRAFT:
        raise ValidationError(f"Claim #{current.pk} is a draft: there is nothing to withdraw.")
    withdrawn = _review(
        current,
        author=author,
        action=ReviewAction.WITHDRAW,
        allowed_from=allowed_from,
        to=ReviewState.DRAFT,
        comment=reason,
    )
    independence.refresh([current])  # the public's block follows the withdrawal
    return withdrawn


@service
@transaction.atomic
def add_comment(*, claim: Claim, author: AbstractBaseUser, body: str) -> ClaimComment:
    """A desk member writes in the claim's internal discussion (never public). The claim itself
    does not change: no version bump, no review reopened."""
    _require(author, CHANGE_PERMISSION, "discuss claims")
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something to add to the discussion."})
    return ClaimComment.objects.create(claim_id=claim.pk, author=author, body=body)


def can_delete(claim: Claim) -> bool:
    """A claim can be deleted only while it has no history: never published, no state changes."""
    return (
        claim.first_published_at is None
        and claim.live_version_id is None
        and not claim.state_changes.exists()
        and not claim.review_events.exists()
        and not claim.comments.exists()
        and not claim.anchor_events.exists()
    )


@service
@transaction.atomic
def delete_claim(*, claim: Claim, author: AbstractBaseUser) -> None:
    """Delete a claim recorded by mistake: only while it has no history at all."""
    _require(author, "claims.delete_claim", "delete claims")
    current = _lock(claim.pk, None)
    if not can_delete(current):
        raise PermissionDenied(
            "This claim has a history (a state change, a review step or a publication): it is "
            "kept. Withdraw a published verdict instead."
        )
    Evidence.objects.filter(claim=current).delete()
    current._history_user = author
    current.delete()


# ---------------------------------------------------------------------------------------------
# Loading verified work (the seed)


def evidence_origins_problem(source: Source, origins) -> str | None:
    """Why these origins cannot be named for evidence from ``source`` (each must be one of its
    origins), or None."""
    if not origins:
        return None
    allowed = {o.id: o for o in origins_of([source.pk]).get(source.pk, [])}
    wrong = [o for o in origins if o.pk not in allowed]
    if not wrong:
        return None
    names = ", ".join(f"“{o.title}”" for o in wrong)
    known = ", ".join(f"“{o.title}”" for o in allowed.values()) or "none"
    verb = "is not an origin" if len(wrong) == 1 else "are not origins"
    return f"{names} {verb} of “{source.title}”: its origins are {known}."


def _name_origins(evidence: Evidence, origins) -> None:
    problem = evidence_origins_problem(evidence.source, origins)
    if problem:
        raise ValidationError({"origins": problem}, code="not_an_origin")
    evidence.origins.set(origins)


@service
@transaction.atomic
def import_claim(
    *,
    article: Article,
    wording: str,
    quote: str,
    author: AbstractBaseUser,
    origin: str,
    occurrence: int | None = None,
    claimant: str = "",
    state: str = ConfirmationState.UNVERIFIED,
    rationale: str = "",
    review_state: str = ReviewState.DRAFT,
    about: str = "",
    evidence: list[dict] = (),
) -> Claim:
    """Record a claim as a file states it (its state, rationale, evidence and review state), with
    exactly one history event: "loaded from ``origin``", by ``author``. No state change, review
    step or approval is recorded that did not happen; a claim the file marks published gets its
    public version with that event, marked as loaded, not as approved by anyone."""
    _require(author, "claims.add_claim", "record claims")
    state, review_state = _state(state), ReviewState(review_state)
    if review_state != ReviewState.DRAFT and not state.is_verdict:
        raise ValidationError(f"Only a verdict can be {review_state.label.lower()}.")
    claim = Claim(
        article=article,
        wording=wording,
        claimant=claimant,
        state=state,
        rationale=rationale.strip(),
        review_state=review_state,
        about=about or ClaimAbout.EVENT,
    )
    anchor_claim(claim=claim, quote=quote, occurrence=occurrence)
    _validate_claim(claim, anchor_moved=True)
    if review_state == ReviewState.PUBLISHED:
        claim.published_at = claim.first_published_at = timezone.now()
    claim.review_state = (
        ReviewState.DRAFT if review_state == ReviewState.PUBLISHED else review_state
    )
    _save_claim_row(claim, author, insert=True)
    _apply_evidence(claim, [EvidenceChange("add", values=v) for v in evidence], author)
    if review_state == ReviewState.PUBLISHED:
        _publish(claim, author, kind=VersionKind.IMPORT)
        claim.review_state = ReviewState.PUBLISHED
        claim._history_user = author
        claim.save()
    ReviewEvent.objects.create(
        claim=claim,
        action=ReviewAction.IMPORT,
        from_review_state=ReviewState.DRAFT,
        to_review_state=review_state,
        state=state,
        comment=f"Loaded from the seed file {origin}.",
        author=author,
    )
    independence.refresh([claim])
    return claim
