"""Each claim's independence block, stored beside it so that the API's claims list reads a column.

The block is ``claims.corroboration``'s assessment as the API shows it: the origins and lines of
reporting on each side, the suggested state and its reason, the warnings. It is computed from the
claim's state and what it is about, its evidence and the origins each piece names (its source's
own reporting among them), and the
provenance of the cited sources. The claims list is the API's hot path, and computing the block
there (two joins on the closure table, then the rules in Python, for every page) cost as much as
the rest of the list together (`make bench`: 2.1x the list without it on SQLite). So it is
computed when what it is computed from changes, and stored twice per claim: the desk's block (the
working copy) and the public's (the live version's frozen state, what it is about and its frozen
evidence).

What keeps the stored blocks true, in the transaction of the write:

- ``claims.services`` refreshes a claim's blocks after creating, editing (its state, what it is
  about, its evidence and the origins the evidence names), approving, withdrawing or importing it;
- ``sources.services`` sends ``sources.signals.lineage_changed`` when a source's title, kind or
  record, or its provenance, changes; every claim that cites it or a source resting on it, on the
  desk or in public, is refreshed (``refresh_citing``).

A claim with no stored block (written by a bulk load, or before this table existed) is assessed
when it is read, by the same function (``assess_rows``): the answer is the same, only slower.
``manage.py refresh_independence`` stores every block again; a test checks that it changes
nothing after each kind of write.

The blocks are stored as JSON text and go into the API's responses as they are (an
``orjson.Fragment``): a JSONField would parse each with the standard library, only for the
renderer to serialize it again.
"""

from collections import defaultdict
from collections.abc import Iterable

import orjson
from django.db import transaction
from django.db.models import F

from sources.models import SourceAncestor

from .corroboration import Assessment, CitedSource, assess, graph_for
from .models import Claim, Evidence, StoredIndependence
from .selectors import frozen_evidence, working_evidence

# Claims refreshed per round of queries (the ids travel in IN lists).
BATCH = 500


def independence_block(assessment: Assessment) -> dict:
    """The API's independence block of an assessment."""
    return {
        "supporting_origins": [o._asdict() for o in assessment.supporting],
        "contradicting_origins": [o._asdict() for o in assessment.contradicting],
        "origins_on_both_sides": [o._asdict() for o in assessment.on_both_sides],
        "supporting_lines": [line.as_dict() for line in assessment.supporting_lines],
        "contradicting_lines": [line.as_dict() for line in assessment.contradicting_lines],
        "supporting_summary": assessment.supporting_summary,
        "contradicting_summary": assessment.contradicting_summary,
        "suggested_state": assessment.suggestion.value,
        "reason": assessment.reason,
        "stronger_than_evidence": assessment.stronger_than_evidence,
        "warnings": list(assessment.warnings),
        "shared_origins": [
            {"origin": shared.origin._asdict(), "sources": list(shared.source_titles)}
            for shared in assessment.shared
        ],
    }


def assess_rows(rows: list[dict], evidence: list[dict], named: dict) -> dict[int, dict]:
    """The independence block of each claim row (``id``, ``state``, ``about``) from its evidence
    rows (``id``, ``claim_id``, ``source_id``, ``s_title``, ``stance``, ``own_reporting``) and the origins each
    piece names (``named``: evidence id to origin ids). Two queries: the lineages of the cited
    sources and the links among those whose evidence names origins (joins on the closure
    table)."""
    if not rows:
        return {}
    wanted = {row["id"] for row in rows}
    evidence = [e for e in evidence if e["claim_id"] in wanted]
    graph = graph_for(
        {e["source_id"] for e in evidence},
        {e["source_id"] for e in evidence if e["id"] in named},
    )
    cited: dict[int, list[CitedSource]] = defaultdict(list)
    for e in evidence:
        cited[e["claim_id"]].append(
            CitedSource(
                e["source_id"],
                e["s_title"],
                e["stance"],
                named.get(e["id"], ()),
                own_reporting=e["own_reporting"],
            )
        )
    return {
        row["id"]: independence_block(assess(row["state"], cited[row["id"]], graph, row["about"]))
        for row in rows
    }


def as_json(stored: str) -> orjson.Fragment:
    """A stored block as it goes into a response: orjson writes its text as it is, neither
    parsed nor serialized again (the API renders with orjson)."""
    return orjson.Fragment(stored)


# -- computing and storing -------------------------------------------------------------------------


def _desk_blocks(claim_ids: list[int], known: dict[int, Claim]) -> dict[int, dict]:
    unknown = [pk for pk in claim_ids if pk not in known]
    rows = [{"id": c.pk, "state": c.state, "about": c.about} for c in known.values()]
    if unknown:
        # Locked, as a claim's own write locks it (services.rows.lock_claim): a refresh for a source's
        # change waits for a claim being edited, then reads what that edit committed, and an
        # edit that comes after waits for the refresh. Neither stores a block computed from
        # what the other was changing.
        rows += (
            Claim.objects.select_for_update()
            .filter(pk__in=unknown)
            .order_by("pk")
            .values("id", "state", "about")
        )
    evidence, named = working_evidence(claim_ids, s_title=F("source__title"))
    return assess_rows(rows, evidence, named)


def _public_blocks(claim_ids: list[int]) -> dict[int, dict]:
    """Computed as the public reads it: the live version's state and what it is about, and the
    evidence and named origins frozen with it."""
    rows = [
        {"id": pk, "live_version_id": version_id, "state": state, "about": about}
        for pk, version_id, state, about in Claim.objects.filter(
            pk__in=claim_ids, live_version__isnull=False
        ).values_list("id", "live_version_id", "live_version__state", "live_version__about")
    ]
    if not rows:
        return {}
    evidence, named = frozen_evidence(
        [r["live_version_id"] for r in rows], s_title=F("source__title")
    )
    return assess_rows(rows, evidence, named)


def refresh(claims: Iterable[int | Claim], *, public: bool = True) -> int:
    """Compute and store the desk's block of these claims (ids, or instances as just saved,
    which spare reading them again) and, unless ``public`` is False, the public's (call it inside
    the transaction that changed them). Writes that leave the live version as it was pass
    ``public=False``: three queries for one claim given as an instance (its evidence, the
    lineages of its sources, the upsert; one more when its evidence names origins). Claims given
    by id are read and locked first. Returns the number of claims stored."""
    claims = list(claims)
    known = {c.pk: c for c in claims if isinstance(c, Claim)}
    ids = sorted({int(c.pk if isinstance(c, Claim) else c) for c in claims})
    stored = 0
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        for start in range(0, len(ids), BATCH):
            stored += _refresh_batch(ids[start : start + BATCH], known, public=public)
    return stored


def _refresh_batch(batch: list[int], known: dict[int, Claim], *, public: bool) -> int:
    desk = _desk_blocks(batch, {pk: known[pk] for pk in batch if pk in known})
    rows = [
        StoredIndependence(claim_id=pk, desk=orjson.dumps(block).decode())
        for pk, block in desk.items()
    ]
    if public:
        blocks = _public_blocks(batch)
        for row in rows:
            row.public = (
                orjson.dumps(blocks[row.claim_id]).decode() if row.claim_id in blocks else ""
            )
    # An empty public block is read as "not stored": the API computes it (claims with no live
    # version have none to read).
    StoredIndependence.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["claim"],
        update_fields=["desk", "public"] if public else ["desk"],
    )
    return len(desk)


def claims_citing(source_ids: Iterable[int]) -> set[int]:
    """The claims whose working copy or live version cites one of these sources or a source
    resting on one of them (two queries, the closure table read as a subquery)."""
    ids = {int(pk) for pk in source_ids}
    resting = SourceAncestor.objects.filter(ancestor_id__in=ids).values("source_id")
    desk = Evidence.objects.filter(source_id__in=resting).values_list("claim_id", flat=True)
    live = Claim.objects.filter(live_version__evidence__source_id__in=resting).values_list(
        "pk", flat=True
    )
    return set(desk) | set(live)


def refresh_citing(source_ids: Iterable[int]) -> int:
    """Refresh every claim that a change to these sources' lineage, title, kind or record
    reaches (``sources.signals.lineage_changed``)."""
    return refresh(claims_citing(source_ids))


def refresh_all() -> int:
    """Store every claim's blocks again (``manage.py refresh_independence``)."""
    return refresh(Claim.objects.values_list("pk", flat=True))


def stored_blocks() -> dict[int, tuple[str, str]]:
    """Every stored block, as stored (for checks)."""
    return {
        pk: (desk, public)
        for pk, desk, public in StoredIndependence.objects.values_list("claim_id", "desk", "public")
    }


def on_lineage_changed(sender, source_ids, **kwargs) -> None:
    refresh_citing(source_ids)
