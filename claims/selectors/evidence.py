"""A claim's evidence as rows, working and frozen, and what its working copy says differently
from the version the public reads: for the API's representation, the stored independence blocks
and the desk's pages."""

from django.db.models import F

from ..models import Claim, Evidence, PublishedEvidence


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


def published_differences(claim: Claim) -> list[str]:
    """What the working copy says differently from its live published version (field labels;
    "evidence" when the evidence differs). Empty when there is no published version. Two
    queries."""
    live = claim.live_version
    if live is None:
        return []
    fields = [f for f in Claim.PUBLIC_FIELDS if f != "article_id"]
    if live.quote == claim.quote and live.article_version.article_id == claim.article_id:
        # The same passage at new offsets: the article's text moved around it (an anchor move),
        # which the public's copy follows by itself; it is not a change to approve.
        fields = [f for f in fields if f not in ("quote_start", "quote_end")]
    changed = [f for f in fields if getattr(live, f) != getattr(claim, f)]
    if live.article_version.article_id != claim.article_id:
        changed.insert(0, "article_id")
    if working_evidence_key(claim.pk) != frozen_evidence_key(live.pk):
        changed.append("evidence")
    return list(dict.fromkeys(Claim.FIELD_LABELS.get(f, f) for f in changed))


def working_evidence_key(claim_id: int) -> set:
    """What the public would read of a claim's evidence: each source, stance, excerpt, note,
    whether its own reporting and which origins are named as carrying the stance (one query)."""
    named: dict[int, set] = {}
    rows = Evidence.objects.filter(claim_id=claim_id).values_list(
        "pk", "source_id", "stance", "excerpt", "note", "own_reporting", "named_origins__origin_id"
    )
    for pk, *fields, origin in rows:
        named.setdefault((pk, *fields), set())
        if origin is not None:
            named[(pk, *fields)].add(origin)
    return {(*key[1:], tuple(sorted(origins))) for key, origins in named.items()}


def frozen_evidence_key(version_id: int) -> set:
    rows = PublishedEvidence.objects.filter(version_id=version_id).values_list(
        "source_id", "stance", "excerpt", "note", "own_reporting", "origin_ids"
    )
    return {(*fields, tuple(sorted(origins))) for *fields, origins in rows}
