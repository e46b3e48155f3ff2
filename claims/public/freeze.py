"""What an approval freezes beside the claim and its evidence: the cited sources' public fields,
their outlets, their lineages and newest snapshots, and the article's slug and outlet, as they
stand at that moment. This is the one place that reads live sources and outlets for the public;
it runs only inside the transaction of an approval (or the seed's load)."""

from collections import defaultdict

from sources.models import Outlet, Provenance, Source, SourceAncestor
from sources.selectors import latest_snapshots


def outlet_fields(outlet: Outlet | None) -> dict | None:
    if outlet is None:
        return None
    return {"id": outlet.pk, "name": outlet.name, "kind": outlet.kind, "homepage": outlet.homepage}


def _day(value) -> str | None:
    return value.isoformat() if value is not None else None


def freeze_sources(source_ids) -> dict:
    """The cited sources and everything they rest on, as the public may read them (no notes, no
    access dates), with each cited source's ancestry (depths from the closure table). Four
    queries whatever the depth of provenance."""
    return freeze_many({0: source_ids})[0]


def freeze_many(groups: dict) -> dict:
    """``freeze_sources`` of several sets of cited sources at once (key to source ids), in the
    same four queries (for a bulk load: bench.dataset)."""
    groups = {key: sorted({int(i) for i in ids}) for key, ids in groups.items()}
    cited = sorted({i for ids in groups.values() for i in ids})
    if not cited:
        return {key: {"sources": {}, "ancestry": {}} for key in groups}
    ancestry: dict[int, dict[int, int]] = defaultdict(dict)
    for source_id, ancestor_id, depth in SourceAncestor.objects.filter(
        source_id__in=cited
    ).values_list("source_id", "ancestor_id", "depth"):
        ancestry[source_id][ancestor_id] = depth
    for source_id in cited:
        ancestry[source_id].setdefault(source_id, 0)
    every = sorted({a for lineage in ancestry.values() for a in lineage})
    parents: dict[int, list[int]] = defaultdict(list)
    for child, parent in (
        Provenance.objects.filter(source_id__in=every)
        .order_by("source_id", "rests_on_id")
        .values_list("source_id", "rests_on_id")
    ):
        parents[child].append(parent)
    snapshots = latest_snapshots(every)
    sources = {}
    for source in Source.objects.filter(pk__in=every).select_related("outlet"):
        snapshot = snapshots.get(source.pk)
        sources[str(source.pk)] = {
            "title": source.title,
            "kind": source.kind,
            "outlet": outlet_fields(source.outlet),
            "author": source.author,
            "url": source.url,
            "archived_url": source.archived_url,
            "published_on": _day(source.published_on),
            "on_record": source.on_record,
            "derived_from": parents.get(source.pk, []),
            "created_at": source.created_at.isoformat(),
            "snapshot": {
                "id": snapshot.pk,
                "fetched_at": snapshot.fetched_at.isoformat() if snapshot.fetched_at else None,
                "sha256": snapshot.sha256,
            }
            if snapshot is not None
            else None,
        }
    frozen = {}
    for key, ids in groups.items():
        lineages = {s: ancestry[s] for s in ids}
        every_here = sorted({a for lineage in lineages.values() for a in lineage})
        frozen[key] = {
            "sources": {str(a): sources[str(a)] for a in every_here},
            "ancestry": {
                str(s): {str(a): d for a, d in sorted(lineage.items())}
                for s, lineage in lineages.items()
            },
        }
    return frozen
