"""A claim's evidence as rows, working and frozen, and what its working copy says differently
from the version the public reads: for the API's representation, the stored independence blocks
and the desk's pages."""

from dataclasses import dataclass, field

from django.db.models import F

from sources.models import Source

from ..models import (
    Claim,
    ClaimAbout,
    ConfirmationState,
    Evidence,
    PublishedEvidence,
    PublishedVersion,
    Stance,
)
from ..worddiff import word_diff_html
from .articles import ArticleChange, article_changes


def working_evidence(claim_ids, *fields, **expressions) -> tuple[list[dict], dict]:
    """The claims' evidence as rows (``id``, ``claim_id``, ``source_id``, ``stance``,
    ``own_reporting``, and the
    ``fields`` and ``expressions`` asked for), by stance then id, with the origins each piece
    names (evidence id to origin ids; evidence naming none is absent). One query: the named
    origins come with it (a LEFT JOIN, one row per named origin), not in a query of their own."""
    evidence, named = [], {}
    for e in (
        Evidence.objects.filter(claim_id__in=claim_ids)
        .order_by("stance", "id", "named_origins__origin_id")
        .values(
            "id",
            "claim_id",
            "source_id",
            "stance",
            "own_reporting",
            *fields,
            named_origin=F("named_origins__origin_id"),
            **expressions,
        )
    ):
        origin = e.pop("named_origin")
        if not evidence or evidence[-1]["id"] != e["id"]:
            evidence.append(e)
        if origin is not None:
            named[e["id"]] = (*named.get(e["id"], ()), origin)
    return evidence, named


def frozen_evidence(version_ids, *fields, **expressions) -> tuple[list[dict], dict]:
    """The evidence frozen in these published versions, in ``working_evidence``'s shape (``id``:
    the working row it was copied from; ``claim_id``: the version's claim), with the origins
    named when the verdict was approved, frozen with it. One query."""
    evidence = list(
        PublishedEvidence.objects.filter(version_id__in=version_ids)
        .order_by("stance", "id")
        .values(
            "source_id",
            "stance",
            "evidence_id",
            "origin_ids",
            "own_reporting",
            *fields,
            frozen_claim_id=F("version__claim_id"),
            **expressions,
        )
    )
    for e in evidence:
        e["id"], e["claim_id"] = e.pop("evidence_id"), e.pop("frozen_claim_id")
    named = {e["id"]: tuple(e["origin_ids"]) for e in evidence if e["origin_ids"]}
    return evidence, named


# -- what a working copy changes from its public version ------------------------------------------


@dataclass(frozen=True)
class EvidenceCopy:
    """A piece of evidence as the working copy or a published version has it."""

    source_id: int
    source_title: str
    stance: str
    excerpt: str
    note: str
    own_reporting: bool
    origins: tuple[int, ...]  # the origins named as carrying the stance, sorted; () for all

    @property
    def stance_label(self) -> str:
        return Stance(self.stance).label

    def key(self) -> tuple:
        """What the public reads of it (its source, stance, words and what carries it)."""
        return (
            self.source_id, self.stance, self.excerpt, self.note, self.own_reporting, self.origins
        )  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: object
    after: object

    @property
    def is_text(self) -> bool:
        return self.name in TEXT_FIELDS

    @property
    def diff(self) -> str:
        """The changed words marked (``<del>``, ``<ins>``), escaped."""
        return word_diff_html(str(self.before or ""), str(self.after or ""))

    @property
    def before_label(self) -> str:
        return _choice_label(self.name, self.before)

    @property
    def after_label(self) -> str:
        return _choice_label(self.name, self.after)


@dataclass(frozen=True)
class EvidenceDifference:
    """One piece of evidence added, removed or re-weighed (its stance, words or what carries
    it changed) since the public version."""

    kind: str  # "added", "removed" or "reweighed"
    before: EvidenceCopy | None
    after: EvidenceCopy | None

    @property
    def source_title(self) -> str:
        return (self.after or self.before).source_title

    @property
    def stance_changed(self) -> bool:
        return self.kind == "reweighed" and self.before.stance != self.after.stance

    @property
    def excerpt_diff(self) -> str:
        return word_diff_html(self.before.excerpt, self.after.excerpt)

    @property
    def note_diff(self) -> str:
        return word_diff_html(self.before.note, self.after.note)

    @property
    def what_changed(self) -> list[str]:
        if self.kind != "reweighed":
            return []
        b, a = self.before, self.after
        names = [("stance", b.stance != a.stance), ("excerpt", b.excerpt != a.excerpt)]
        names += [("note", b.note != a.note)]
        names += [("what carries it", (b.own_reporting, b.origins) != (a.own_reporting, a.origins))]
        return [name for name, differs in names if differs]


TEXT_FIELDS = {"wording", "quote", "claimant", "rationale"}
# The fields a comparison shows, in the order a fact-checker works (passage and wording, then
# the verdict).
COMPARED_FIELDS = ("wording", "quote", "claimant", "about", "state", "rationale")


def _choice_label(name: str, value) -> str:
    if name == "state" and value in ConfirmationState.values:
        return ConfirmationState(value).label
    if name == "about" and value in ClaimAbout.values:
        return ClaimAbout(value).label
    return str(value or "")


# A cited source's fields as the public reads them (``claims.public.freeze``), with the desk's
# names for them, in the order a source's form has them.
SOURCE_FIELD_LABELS = {
    "title": "title",
    "kind": "kind",
    "outlet": "outlet",
    "author": "author",
    "url": "web address",
    "archived_url": "archived copy",
    "published_on": "publication date",
    "on_record": "on the record",
    "derived_from": "rests on",
    "snapshot": "snapshot",
}


def _shown_source_field(name: str, value, titles: dict[str, str]) -> str:
    if value is None or value == "":
        return "none"
    if name == "outlet":
        return value["name"]
    if name == "on_record":
        return "yes" if value else "no"
    if name == "derived_from":
        return ", ".join(f"“{titles.get(str(pk), f'source #{pk}')}”" for pk in value) or "none"
    if name == "snapshot":
        return f"copy of {value['fetched_at'] or 'an unfinished fetch'}"
    return str(value)


@dataclass(frozen=True)
class SourceChange:
    """A field of a source the public version shows (cited, or rested on) that the desk has
    edited since the approval froze it: the public keeps the frozen value until an editor
    approves the claim again."""

    source_id: int
    source_title: str  # as the desk now names it
    name: str
    before: str
    after: str

    @property
    def label(self) -> str:
        return SOURCE_FIELD_LABELS[self.name]

    @property
    def is_text(self) -> bool:
        return self.name == "title"

    @property
    def diff(self) -> str:
        return word_diff_html(self.before, self.after)


def source_changes(frozen: dict, fresh: dict) -> list[SourceChange]:
    """The differences between two freezes of sources (``claims.public.freeze``): the one the
    public version stores and the one an approval would store now, for the sources both show
    (a source cited or dropped since is an evidence difference; a source rested on since shows
    as its child's "rests on")."""
    before, after = frozen.get("sources", {}), fresh.get("sources", {})
    titles = {pk: s["title"] for pk, s in after.items()}
    changes = []
    for pk in sorted(before.keys() & after.keys(), key=int):
        was, now = before[pk], after[pk]
        for name in SOURCE_FIELD_LABELS:
            old, new = was.get(name), now.get(name)
            if name == "outlet":  # the outlet as the public reads it: its name
                old, new = (old or {}).get("name"), (new or {}).get("name")
            if old != new:
                changes.append(
                    SourceChange(
                        int(pk),
                        now["title"],
                        name,
                        _shown_source_field(name, was.get(name), titles),
                        _shown_source_field(name, now.get(name), titles),
                    )
                )
    return changes


def by_source(changes: list[SourceChange]) -> list[tuple[int, str, list[SourceChange]]]:
    """Source changes by source, in their order: (id, title as the desk names it, changes)."""
    grouped: dict[int, list[SourceChange]] = {}
    for change in changes:
        grouped.setdefault(change.source_id, []).append(change)
    return [(pk, changes[0].source_title, changes) for pk, changes in grouped.items()]


@dataclass
class PublicComparison:
    """What the working copy of a claim says differently from the version the public reads:
    its fields (old and new, with the changed words marked), its evidence (added, removed and
    re-weighed) and its state before and after."""

    live: PublishedVersion
    claim: Claim
    fields: list[FieldChange]
    evidence: list[EvidenceDifference]
    article_changed: bool
    # What the public version shows beside the claim that the desk has edited since: the
    # cited sources (and what they rest on), their outlets, and the article (its headline,
    # address, outlet, text...); approving the claim publishes them.
    sources: list[SourceChange] = field(default_factory=list)
    article: list[ArticleChange] = field(default_factory=list)
    _origin_titles: dict[int, str] | None = None

    @property
    def labels(self) -> list[str]:
        """The changed fields as the desk's pages name them ("evidence" for any evidence,
        "sources" for any source edit, "article" for any edit of the article)."""
        names = (["article_id"] if self.article_changed else []) + [f.name for f in self.fields]
        if self.evidence:
            names.append("evidence")
        labels = [Claim.FIELD_LABELS.get(n, n) for n in names]
        if self.sources:
            labels.append("sources")
        if self.article:
            labels.append("article")
        return list(dict.fromkeys(labels))

    @property
    def sources_changed(self) -> list[tuple[int, str, list[SourceChange]]]:
        """The source changes by source (id, title as the desk names it, its changes)."""
        return by_source(self.sources)

    @property
    def state_before(self) -> ConfirmationState:
        return ConfirmationState(self.live.state)

    @property
    def state_after(self) -> ConfirmationState:
        return ConfirmationState(self.claim.state)

    @property
    def text_fields(self) -> list[FieldChange]:
        return [f for f in self.fields if f.is_text]

    @property
    def added(self) -> list[EvidenceDifference]:
        return [e for e in self.evidence if e.kind == "added"]

    @property
    def removed(self) -> list[EvidenceDifference]:
        return [e for e in self.evidence if e.kind == "removed"]

    @property
    def reweighed(self) -> list[EvidenceDifference]:
        return [e for e in self.evidence if e.kind == "reweighed"]

    def carried_by(self, copy: EvidenceCopy) -> str:
        """What carries a piece of evidence's stance, in words (one query for the page, the
        first time: the titles of the origins named)."""
        if self._origin_titles is None:
            ids = {o for e in self.evidence for c in (e.before, e.after) if c for o in c.origins}
            self._origin_titles = (
                dict(Source.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
            )
        named = [f"“{self._origin_titles.get(o, f'source #{o}')}”" for o in copy.origins]
        if copy.own_reporting:
            named.insert(0, "its own reporting")
        return ", ".join(named) if named else "all its origins"


COPY_COLUMNS = ("source_id", "source__title", "stance", "excerpt", "note", "own_reporting")


def _copies(rows) -> dict[int, EvidenceCopy]:
    found: dict[int, EvidenceCopy] = {}
    for source_id, title, stance, excerpt, note, own, origins in rows:
        found[source_id] = EvidenceCopy(
            source_id, title, stance, excerpt, note, own, tuple(sorted(origins))
        )
    return found


def working_copies(claim_id: int) -> dict[int, EvidenceCopy]:
    """A claim's working evidence by source, with the origins each names (one query)."""
    merged: dict[int, list] = {}
    for *fields, origin in (
        Evidence.objects.filter(claim_id=claim_id)
        .order_by("id", "named_origins__origin_id")
        .values_list(*COPY_COLUMNS, "named_origins__origin_id")
    ):
        row = merged.setdefault(fields[0], [*fields, []])
        if origin is not None:
            row[-1].append(origin)
    return _copies(merged.values())


def frozen_copies(version_id: int) -> dict[int, EvidenceCopy]:
    """A published version's evidence by source (one query)."""
    return _copies(
        PublishedEvidence.objects.filter(version_id=version_id)
        .order_by("id")
        .values_list(*COPY_COLUMNS, "origin_ids")
    )


def compare_with_public(claim: Claim) -> PublicComparison | None:
    """The working copy against its live published version (a withdrawal notice included: the
    verdict it withdrew), or None when nothing of the claim is public: its fields, its evidence,
    and the sources and article the public version shows as the desk has edited them since.
    Six queries whatever the number of evidence rows and the depth of provenance (the working
    and the frozen evidence; the four of ``freeze_sources``, what an approval would freeze of
    the sources now; the claim's live version, its article version and the article's live
    version, and the working article's outlet, selected with it)."""
    from ..public.freeze import freeze_sources

    live = claim.live_version
    if live is None:
        return None
    article_changed = live.article_version.article_id != claim.article_id
    fields = [
        FieldChange(n, Claim.FIELD_LABELS.get(n, n), getattr(live, n), getattr(claim, n))
        for n in COMPARED_FIELDS
        if getattr(live, n) != getattr(claim, n)
    ]
    before, after = (live.quote_start, live.quote_end), (claim.quote_start, claim.quote_end)
    # The same passage at new offsets in the same article is an anchor move (the article's text
    # moved around it), which the public's copy follows by itself: not a change to approve.
    if before != after and (live.quote != claim.quote or article_changed):
        position = FieldChange(
            "anchor",
            "anchor",
            "characters {}–{}".format(*before),
            "characters {}–{}".format(*after),
        )
        fields.insert(2 if live.quote != claim.quote else 1, position)
    working, frozen = working_copies(claim.pk), frozen_copies(live.pk)
    evidence = [EvidenceDifference("added", None, working[s]) for s in working if s not in frozen]
    evidence += [
        EvidenceDifference("reweighed", frozen[s], working[s])
        for s in working
        if s in frozen and working[s].key() != frozen[s].key()
    ]
    evidence += [EvidenceDifference("removed", frozen[s], None) for s in frozen if s not in working]
    sources = []
    if not live.is_withdrawal:
        kept = [s for s in working if s in frozen]
        sources = source_changes(live.frozen_sources or {}, freeze_sources(kept))
    article = []
    if not article_changed:
        # The public reads the claim in the article's live version (a later publication of the
        # article's own changes included), not the one the claim was approved in.
        public_article = live.article_version.article.live_version or live.article_version
        article = article_changes(public_article, claim.article)
    return PublicComparison(live, claim, fields, evidence, article_changed, sources, article)


def published_differences(claim: Claim) -> list[str]:
    """What the working copy says differently from its live published version (field labels;
    "evidence" when the evidence differs). Empty when there is no published version. Two
    queries (``compare_with_public``)."""
    comparison = compare_with_public(claim)
    return comparison.labels if comparison else []
