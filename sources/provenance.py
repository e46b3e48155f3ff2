"""Walking the provenance graph (``Source.derived_from``) upwards, one query per level.

The graph must stay acyclic: a source that rests, through others, on itself would make every
"where does this come from?" question endless. The database refuses the one-step loop (a source
resting on itself); the longer loops are refused here, with the path that would close them.
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError

from .models import PRIMARY_SOURCE_KINDS, Provenance, Source

Edge = tuple[int, int]  # (source_id, rests_on_id)


class Origin(NamedTuple):
    """A root of the provenance graph: a source that rests on no other."""

    id: int
    title: str
    kind: str
    on_record: bool

    @property
    def is_primary_on_record(self) -> bool:
        return self.on_record and self.kind in PRIMARY_SOURCE_KINDS


def find_cycle(new_edges: Iterable[Edge]) -> list[int] | None:
    """Return the loop that adding ``new_edges`` would close, as source ids, or None.

    The loop is given in the direction of resting: ``[a, b, c, a]`` means a rests on b, b on c
    and c on a. Existing edges are read level by level (one query per level of depth), so a
    deep provenance chain costs its depth in queries, never one query per source.
    """
    new_edges = [(int(s), int(r)) for s, r in new_edges]
    extra: dict[int, set[int]] = {}
    for source_id, rests_on_id in new_edges:
        if source_id == rests_on_id:
            return [source_id, source_id]
        extra.setdefault(source_id, set()).add(rests_on_id)

    parents: dict[int, set[int]] = {}
    loaded: set[int] = set()

    def load(ids: set[int]) -> None:
        wanted = ids - loaded
        if not wanted:
            return
        for child, parent in Provenance.objects.filter(source_id__in=wanted).values_list(
            "source_id", "rests_on_id"
        ):
            parents.setdefault(child, set()).add(parent)
        loaded.update(wanted)

    for start, first in new_edges:
        # Breadth-first from the new parent upwards; reaching `start` closes a loop.
        came_from: dict[int, int] = {first: start}
        frontier = {first}
        while frontier:
            load(frontier)
            next_frontier: set[int] = set()
            for node in frontier:
                for parent in parents.get(node, set()) | extra.get(node, set()):
                    if parent == start:
                        path = [start, node]
                        while path[-1] != first:
                            path.append(came_from[path[-1]])
                        # path is start, node, ..., first: reverse the tail to read upwards.
                        return [start, *reversed(path[1:]), start]
                    if parent not in came_from:
                        came_from[parent] = node
                        next_frontier.add(parent)
            frontier = next_frontier
    return None


def describe_cycle(cycle: list[int]) -> str:
    titles = dict(Source.objects.filter(id__in=set(cycle)).values_list("id", "title"))
    return " → ".join(f"“{titles.get(i, f'source #{i}')}”" for i in cycle)


def check_no_cycle(new_edges: Iterable[Edge]) -> None:
    """Raise a ValidationError naming the path if ``new_edges`` would make a loop."""
    cycle = find_cycle(new_edges)
    if cycle is None:
        return
    if len(cycle) == 2:
        raise ValidationError("A source cannot rest on itself.", code="provenance_self")
    raise ValidationError(
        "This would make a loop of sources resting on each other: %(path)s. "
        "A source's provenance must lead back to its origins, never round to itself.",
        code="provenance_cycle",
        params={"path": describe_cycle(cycle)},
    )


# Walks the whole provenance graph above the given sources in one statement, however deep it is.
# UNION (not UNION ALL) keeps the walk finite even if a loop ever slipped into the table.
_ORIGINS_SQL = """
WITH RECURSIVE lineage(start_id, node_id) AS (
    SELECT id, id FROM {source} WHERE id IN ({placeholders})
    UNION
    SELECT lineage.start_id, link.rests_on_id
    FROM lineage JOIN {provenance} AS link ON link.source_id = lineage.node_id
)
SELECT lineage.start_id, origin.id, origin.title, origin.kind, origin.on_record
FROM lineage JOIN {source} AS origin ON origin.id = lineage.node_id
WHERE NOT EXISTS (SELECT 1 FROM {provenance} AS up WHERE up.source_id = lineage.node_id)
"""

# Keeps each statement's parameters under SQLite's limit however many sources a page has.
_CHUNK = 500


def origins_of(source_ids: Iterable[int]) -> dict[int, list[Origin]]:
    """The origins of each source: the sources it rests on, followed to their roots.

    A source that rests on nothing is its own origin. One query per 500 sources, whatever the
    depth of provenance.
    """
    from django.db import connection

    ids = sorted({int(i) for i in source_ids})
    found: dict[int, list[Origin]] = {i: [] for i in ids}
    for at in range(0, len(ids), _CHUNK):
        chunk = ids[at : at + _CHUNK]
        sql = _ORIGINS_SQL.format(
            source=connection.ops.quote_name(Source._meta.db_table),
            provenance=connection.ops.quote_name(Provenance._meta.db_table),
            placeholders=", ".join(["%s"] * len(chunk)),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            for start_id, origin_id, title, kind, on_record in cursor.fetchall():
                found[start_id].append(Origin(origin_id, title, kind, bool(on_record)))
    for origins in found.values():
        origins.sort(key=lambda o: o.id)
    return found
