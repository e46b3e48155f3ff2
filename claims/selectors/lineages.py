"""Provenance walked once for a whole page: each cited source's lineage, from one read of the
closure table (sources.provenance)."""

from dataclasses import dataclass, field

from sources.provenance import Node, ProvenanceGraph

GraphNode = Node


@dataclass
class Lineage:
    """What one cited source rests on, followed to its origins: nodes and "rests on" edges."""

    source_id: int
    nodes: dict[int, GraphNode] = field(default_factory=dict)
    edges: set[tuple[int, int]] = field(default_factory=set)  # (source, rests_on)
    depths: dict[int, int] = field(default_factory=dict)  # source id -> shortest path length

    @property
    def origins(self) -> list[GraphNode]:
        if self.edges:  # the links were read: an origin is a node that rests on none
            resting = {child for child, _ in self.edges}
            return sorted(
                (n for i, n in self.nodes.items() if i not in resting), key=lambda n: n.id
            )
        return sorted((n for n in self.nodes.values() if n.is_origin), key=lambda n: n.id)


def lineages_from(graph: ProvenanceGraph) -> dict[int, Lineage]:
    return {
        source_id: Lineage(
            source_id,
            nodes={a: graph.nodes[a] for a in depths},
            edges=graph.edges(source_id),
            depths=depths,
        )
        for source_id, depths in graph.ancestry.items()
    }
