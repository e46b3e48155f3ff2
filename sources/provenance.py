"""The one place that builds provenance queries (``Source.derived_from``).

Provenance is read through its closure table (``SourceAncestor``: every source with every source
it rests on, at the length of the shortest path), so the origins, the lineages and the lines of
reporting of any number of sources are a join, never a walk at read time. The closure is kept
here: ``refresh_closure`` recomputes the rows of the sources whose provenance changed and of
everything that rests on them (called by ``sources.services`` in the same transaction as the
change), and ``rebuild_closure`` recomputes the whole table (``manage.py rebuild_provenance``).

The graph must stay acyclic: a source that rests, through others, on itself would make every
"where does this come from?" question endless. The database refuses the one-step loop (a source
resting on itself); the longer loops are refused here, with the path that would close them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from .models import PRIMARY_SOURCE_KINDS, Provenance, Source, SourceAncestor, SourceKind

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


# -- the closure table ---------------------------------------------------------------------------


def closure_of(
    nodes: Iterable[int],
    parents: dict[int, set[int]],
    known: dict[int, dict[int, int]] | None = None,
) -> dict[int, dict[int, int]]:
    """The ancestors of each of ``nodes`` with their depth (the shortest path; the node itself
    at 0), from ``parents`` (the links of those nodes) and ``known`` (the closure, already
    right, of any parent outside ``nodes``). Pure: no query. Iterative, so no chain is too deep.
    """
    known = known or {}
    wanted = set(nodes)
    done: dict[int, dict[int, int]] = {}
    for start in sorted(wanted):
        stack, entered = [start], set()
        while stack:
            node = stack[-1]
            if node in done:
                stack.pop()
                continue
            # A loop (which the services refuse) would otherwise be followed for ever.
            pending = [
                p
                for p in parents.get(node, ())
                if p in wanted and p not in done and p not in entered
            ]
            if pending and node not in entered:
                entered.add(node)
                stack.extend(pending)
                continue
            stack.pop()
            found = {node: 0}
            for parent in parents.get(node, ()):
                if parent in wanted and parent not in done:
                    continue
                above = done[parent] if parent in wanted else known.get(parent, {parent: 0})
                for ancestor, depth in above.items():
                    if depth + 1 < found.get(ancestor, 1 << 30):
                        found[ancestor] = depth + 1
            done[node] = found
    return done


def lock_provenance() -> None:
    """Serialise the writers of provenance: each reads the closure of the sources it touches and
    rewrites the rows that depend on them, so two at once could each miss the other's change.
    Readers are not blocked. (SQLite lets one writer in at a time already.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(SourceAncestor._meta.db_table)} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )


def refresh_closure(source_ids: Iterable[int]) -> None:
    """Bring the closure rows of these sources, and of every source resting on them, up to date
    with the links. Call inside the transaction that changed the links (after lock_provenance).
    Only the rows that differ are written."""
    ids = {int(i) for i in source_ids}
    if not ids:
        return
    affected = ids | set(
        SourceAncestor.objects.filter(ancestor_id__in=ids).values_list("source_id", flat=True)
    )
    parents: dict[int, set[int]] = defaultdict(set)
    for child, parent in Provenance.objects.filter(source_id__in=affected).values_list(
        "source_id", "rests_on_id"
    ):
        parents[child].add(parent)
    outside = {p for ps in parents.values() for p in ps} - affected
    known: dict[int, dict[int, int]] = defaultdict(dict)
    for source_id, ancestor_id, depth in SourceAncestor.objects.filter(
        source_id__in=outside
    ).values_list("source_id", "ancestor_id", "depth"):
        known[source_id][ancestor_id] = depth
    wanted = closure_of(affected, parents, known)
    have: dict[tuple[int, int], tuple[int, int]] = {
        (s, a): (pk, d)
        for pk, s, a, d in SourceAncestor.objects.filter(source_id__in=affected).values_list(
            "pk", "source_id", "ancestor_id", "depth"
        )
    }
    fresh = {(s, a): d for s, above in wanted.items() for a, d in above.items()}
    stale = [pk for key, (pk, _) in have.items() if key not in fresh]
    changed = [pk for key, (pk, d) in have.items() if key in fresh and fresh[key] != d]
    if stale or changed:
        SourceAncestor.objects.filter(pk__in=stale + changed).delete()
    SourceAncestor.objects.bulk_create(
        [
            SourceAncestor(source_id=s, ancestor_id=a, depth=d)
            for (s, a), d in fresh.items()
            if (s, a) not in have or have[(s, a)][1] != d
        ],
        batch_size=2000,
    )


def rebuild_closure() -> int:
    """Recompute the whole closure table from the links (after a bulk load, or to check it).
    Returns the number of rows."""
    lock_provenance()
    parents: dict[int, set[int]] = defaultdict(set)
    for child, parent in Provenance.objects.values_list("source_id", "rests_on_id"):
        parents[child].add(parent)
    closure = closure_of(Source.objects.values_list("pk", flat=True), parents)
    SourceAncestor.objects.all().delete()
    rows = [
        SourceAncestor(source_id=s, ancestor_id=a, depth=d)
        for s, above in closure.items()
        for a, d in above.items()
    ]
    SourceAncestor.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def closure_rows() -> set[tuple[int, int, int]]:
    """The closure table as it stands, as (source, ancestor, depth) rows (for checks)."""
    return set(SourceAncestor.objects.values_list("source_id", "ancestor_id", "depth"))


def closes_a_loop(source_id: int, rests_on_id: int) -> bool:
    """Whether "source rests on rests_on" would close a loop: source is already an ancestor
    (or the same) of rests_on. One indexed lookup in the closure table."""
    return (
        source_id == rests_on_id
        or SourceAncestor.objects.filter(source_id=rests_on_id, ancestor_id=source_id).exists()
    )


# -- reading: origins, lineages ---------------------------------------------------------------


class Node(NamedTuple):
    """A source on some lineage, with what the pages and the independence rules need of it."""

    id: int
    title: str
    kind: str
    on_record: bool
    outlet: str
    is_origin: bool = True  # rests on no other source

    def as_origin(self) -> Origin:
        return Origin(self.id, self.title, self.kind, self.on_record)

    @property
    def kind_label(self) -> str:
        return SourceKind(self.kind).label if self.kind in SourceKind.values else self.kind


@dataclass
class ProvenanceGraph:
    """The lineages of a set of sources, read from the closure table.

    ``ancestry[s]`` maps every source that ``s`` rests on (and ``s`` itself, at 0) to its depth;
    ``nodes`` describes each of them; ``parents`` holds the links among them when they were
    asked for (the claim page draws them; the independence rules need them only for evidence
    that names its origins).
    """

    nodes: dict[int, Node] = field(default_factory=dict)
    ancestry: dict[int, dict[int, int]] = field(default_factory=dict)
    parents: dict[int, set[int]] = field(default_factory=dict)
    _origin_ids: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)

    def origin_ids(self, source_id: int) -> frozenset[int]:
        """The ids of the origins of ``source_id`` (computed once per source and page)."""
        found = self._origin_ids.get(source_id)
        if found is None:
            nodes = self.nodes
            found = self._origin_ids[source_id] = frozenset(
                a for a in self.ancestry.get(source_id, ()) if a in nodes and nodes[a].is_origin
            )
        return found

    def origins(self, source_id: int) -> list[Node]:
        return sorted(
            (self.nodes[a] for a in self.ancestry.get(source_id, ()) if self.nodes[a].is_origin),
            key=lambda n: n.id,
        )

    def origins_by_source(self) -> dict[int, list[Origin]]:
        return {s: [n.as_origin() for n in self.origins(s)] for s in self.ancestry}

    def edges(self, source_id: int) -> set[tuple[int, int]]:
        """The links among the lineage of ``source_id`` (when links were read)."""
        lineage = self.ancestry.get(source_id, {})
        return {(c, p) for c in lineage for p in self.parents.get(c, ()) if p in lineage}

    def carrying(self, source_id: int, origin_ids: Iterable[int]) -> dict[int, int]:
        """The part of the lineage of ``source_id`` that leads to one of ``origin_ids``: the
        sources through which the evidence carries its stance (needs the links)."""
        lineage = self.ancestry.get(source_id, {})
        reach = {o for o in origin_ids if o in lineage}
        children: dict[int, set[int]] = defaultdict(set)
        for child in lineage:
            for parent in self.parents.get(child, ()):
                children[parent].add(child)
        frontier = set(reach)
        while frontier:
            frontier = {c for n in frontier for c in children[n] if c in lineage} - reach
            reach |= frontier
        return {a: d for a, d in lineage.items() if a in reach}


def _as_seed(source_ids) -> QuerySet | list[int]:
    return source_ids if isinstance(source_ids, QuerySet) else sorted({int(i) for i in source_ids})


def provenance_graph(source_ids, *, links_for=None, outlets: bool = False) -> ProvenanceGraph:
    """The lineages of ``source_ids`` (ids, or a ``.values("source_id")``-like queryset, which
    the database reads as a subquery so no list of ids grows a statement): one query joining the
    closure table to the sources (and, with ``outlets``, to their outlets). With ``links_for``
    (ids or a queryset: the sources whose links are wanted, usually ``source_ids`` itself), a
    second query reads the links among their lineages. Two queries at most, whatever the number
    of sources and the depth of provenance.
    """
    graph = ProvenanceGraph()
    columns = ["source_id", "ancestor_id", "depth", "ancestor__title", "ancestor__kind"]
    columns += ["ancestor__on_record", "rests_on_something"]
    if outlets:
        columns.append("ancestor__outlet__name")
    query = (
        SourceAncestor.objects.filter(source_id__in=_as_seed(source_ids))
        .annotate(
            rests_on_something=Exists(Provenance.objects.filter(source_id=OuterRef("ancestor_id")))
        )
        .values_list(*columns)
    )
    nodes, ancestry = graph.nodes, graph.ancestry
    # The claims list reads this for every page: the rows come straight from the cursor (the
    # two flags are 0/1 on SQLite, booleans on PostgreSQL), not through the ORM's converters.
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        sql = None
    if sql is not None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                source_id, ancestor_id, depth = row[0], row[1], row[2]
                if ancestor_id not in nodes:
                    nodes[ancestor_id] = Node(
                        ancestor_id,
                        row[3],
                        row[4],
                        bool(row[5]),
                        (row[7] or "") if outlets else "",
                        not row[6],
                    )
                lineage = ancestry.get(source_id)
                if lineage is None:
                    lineage = ancestry[source_id] = {}
                lineage[ancestor_id] = depth
    if links_for is not None:
        above = SourceAncestor.objects.filter(source_id__in=_as_seed(links_for)).values(
            "ancestor_id"
        )
        for child, parent in Provenance.objects.filter(source_id__in=above).values_list(
            "source_id", "rests_on_id"
        ):
            graph.parents.setdefault(child, set()).add(parent)
    return graph


def origins_of(source_ids) -> dict[int, list[Origin]]:
    """The origins of each source: the sources it rests on, followed to their roots (a source
    that rests on nothing is its own origin). One query."""
    ids = _as_seed(source_ids)
    found = provenance_graph(ids).origins_by_source()
    if not isinstance(ids, QuerySet):
        for i in ids:
            found.setdefault(i, [])
    return found


def with_ancestors(source_ids: QuerySet) -> QuerySet:
    """The ids of the sources of ``source_ids`` (a ``.values(...)`` subquery of source ids) and
    of every source they rest on: a subquery, for "what may the public see"."""
    return SourceAncestor.objects.filter(source_id__in=source_ids).values("ancestor_id")
