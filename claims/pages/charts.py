"""Server-rendered SVG for the status pages: the state chart, the dashboard's progress bars and
the provenance graphs.

No script and no inline style: colours and sizes are SVG presentation attributes (``fill``,
``stroke``, ``width``), which a Content Security Policy of ``style-src 'self'`` allows. Every
piece of text goes through ``format_html`` (escaped), and every chart names what it shows in
words (labels, counts, a ``<title>`` and ``<desc>``), never colour alone.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from claims.models import ConfirmationState
from claims.selectors import GraphNode, Lineage, StateCount

INK = "#1f1f1f"
MUTED = "#5b5b5b"
RULE = "#8a8a8a"


def _join(parts: Iterable[str]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 -- parts are each built by format_html


def _short(text: str, limit: int) -> str:
    return Truncator(" ".join(text.split())).chars(limit)


# ---------------------------------------------------------------------------------------------
# The state chart (article page) and the progress bar (dashboard)


def state_chart(counts: Sequence[StateCount], *, uid: str = "state-chart") -> SafeString:
    """A horizontal bar per state present, each with the state's name and its count."""
    rows = [c for c in counts if c.count]
    label_w, bar_w, row_h, bar_h = 128, 150, 24, 16
    width, height = label_w + bar_w + 40, max(1, len(rows)) * row_h + 4
    most = max((c.count for c in rows), default=1)
    described = "; ".join(f"{c.state.label}: {c.count}" for c in rows) or "No claims."
    bars = []
    for i, c in enumerate(rows):
        y = 2 + i * row_h
        w = max(2, round(bar_w * c.count / most))
        bars.append(
            format_html(
                '<g><text x="0" y="{}" font-size="13" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{}" stroke="{}"/>'
                '<text x="{}" y="{}" font-size="13" font-weight="600" fill="{}">{}</text></g>',
                y + 13,
                INK,
                c.state.label,
                label_w,
                y + 1,
                w,
                bar_h,
                c.state.colour,
                RULE,
                label_w + w + 6,
                y + 13,
                INK,
                c.count,
            )
        )
    return format_html(
        '<svg class="state-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{uid}-title {uid}-desc">'
        '<title id="{uid}-title">Claims by confirmation state</title>'
        '<desc id="{uid}-desc">{desc}</desc>{bars}</svg>',
        w=width,
        h=height,
        uid=uid,
        desc=described,
        bars=_join(bars),
    )


def progress_bar(counts: Sequence[StateCount], total: int) -> SafeString:
    """One stacked bar of an article's claims by state, scaled to its width.

    The words (the counts by state) are written beside it by the template; the bar repeats
    them as its accessible name and in a tooltip per segment.
    """
    rows = [c for c in counts if c.count]
    if not total:
        return mark_safe(
            '<svg class="progress-bar" xmlns="http://www.w3.org/2000/svg" role="img" '
            'aria-label="No claims yet" viewBox="0 0 1 1" preserveAspectRatio="none" '
            'width="100%" height="12"><rect x="0" y="0" width="1" height="1" fill="#f2f2f2"/></svg>'
        )
    x, segments = 0, []
    for c in rows:
        segments.append(
            format_html(
                '<rect x="{}" y="0" width="{}" height="1" fill="{}" stroke="#ffffff" '
                'stroke-width="1" vector-effect="non-scaling-stroke"><title>{}: {}</title></rect>',
                x,
                c.count,
                c.state.colour,
                c.state.label,
                c.count,
            )
        )
        x += c.count
    label = ", ".join(f"{c.count} {c.state.label.lower()}" for c in rows)
    return format_html(
        '<svg class="progress-bar" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-label="{}" viewBox="0 0 {} 1" preserveAspectRatio="none" width="100%" height="12">'
        "{}</svg>",
        f"Claims by state: {label}",
        total,
        _join(segments),
    )


# ---------------------------------------------------------------------------------------------
# Provenance graphs (claim page)

NODE_W, NODE_H, H_GAP, V_GAP, PAD = 252, 44, 44, 12, 6
NODE_LIMIT = 24  # above this, draw the cited source and its origins only


def _layers(lineage: Lineage, edges: set[tuple[int, int]]) -> list[list[int]]:
    """Columns for a left-to-right drawing: the cited source first, each source to the left of
    everything it rests on (longest-path layering), ordered to keep lines from crossing."""
    parents: dict[int, list[int]] = defaultdict(list)
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in sorted(edges):
        parents[child].append(parent)
        children[parent].append(child)
    # Depth-first post-order from the cited source gives every source after what rests on it.
    order: list[int] = []
    seen: set[int] = set()
    stack: list[tuple[int, int]] = [(lineage.source_id, 0)]
    while stack:
        node, i = stack.pop()
        if i == 0:
            if node in seen:
                continue
            seen.add(node)
        if i < len(parents[node]):
            stack.append((node, i + 1))
            if parents[node][i] not in seen:
                stack.append((parents[node][i], 0))
        else:
            order.append(node)
    depth = dict.fromkeys(order, 0)
    for node in reversed(order):  # children before parents
        for parent in parents[node]:
            depth[parent] = max(depth[parent], depth[node] + 1)
    columns: list[list[int]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for node in reversed(order):
        columns[depth[node]].append(node)
    position = {lineage.source_id: 0.0}
    for column in columns[1:]:
        # Barycentre of the sources that rest on each node, from the columns already placed.
        def centre(node: int) -> tuple[float, int]:
            placed = [position[c] for c in children[node] if c in position]
            return (sum(placed) / len(placed) if placed else 0.0, node)

        column.sort(key=centre)
        for index, node in enumerate(column):
            position[node] = float(index)
    return columns


def _node_svg(node: GraphNode, x: int, y: int, *, role: str, shared: bool) -> SafeString:
    kind = "Unnamed source" if not node.on_record else node.kind_label
    second = " · ".join(part for part in (kind, node.outlet) if part)
    shown = f"SHARED ORIGIN · {kind}" if shared else second
    if role == "cited":
        fill, stroke, width = "#eef3fa", "#1d3f6e", 2
    elif role == "origin":
        fill, stroke, width = "#fbf6e9", "#4d4d4d", 1.5
    else:
        fill, stroke, width = "#ffffff", RULE, 1
    if shared:
        stroke, width = "#a34a00", 3
    dash = "" if node.on_record else ' stroke-dasharray="5 3"'
    what = {"cited": "cited source", "origin": "origin", "link": "rests on others"}[role]
    flags = [what] + (["shared origin"] if shared else []) + ([] if node.on_record else ["unnamed"])
    tooltip = f"{node.title} — {second} ({', '.join(flags)})"
    return format_html(
        '<g class="graph-node graph-node--{role}"><title>{tooltip}</title>'
        '<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" stroke="{stroke}" '
        'stroke-width="{sw}"{dash}/>'
        '<text x="{tx}" y="{ty1}" font-size="12" font-weight="600" fill="{ink}">{title}</text>'
        '<text x="{tx}" y="{ty2}" font-size="11" fill="{second_ink}"{weight}>{second}</text></g>',
        role=role,
        tooltip=tooltip,
        x=x,
        y=y,
        w=NODE_W,
        h=NODE_H,
        fill=fill,
        stroke=stroke,
        sw=width,
        dash=mark_safe(dash),  # noqa: S308 -- a constant attribute
        tx=x + 8,
        ty1=y + 18,
        ty2=y + 35,
        ink=INK,
        second_ink="#8a3c00" if shared else MUTED,
        weight=mark_safe(' font-weight="700"' if shared else ""),  # noqa: S308 -- a constant
        title=_short(node.title, 31),
        second=_short(shown, 30 if shared else 38),
    )


def provenance_graph(lineage: Lineage, *, uid: str, shared_ids: Iterable[int] = ()) -> SafeString:
    """The cited source (left) and what it rests on, followed to its origins (right).

    Arrows read "rests on". Origins have a warm fill; unnamed sources a dashed border; an
    origin that other cited sources share (so that they count once) a thick orange border
    and the word SHARED.
    """
    shared_ids = set(shared_ids)
    nodes = dict(lineage.nodes)
    edges = set(lineage.edges)
    origins = {n.id for n in lineage.origins}
    collapsed = 0
    if len(nodes) > NODE_LIMIT:
        keep = origins | {lineage.source_id}
        collapsed = len(nodes) - len(keep)
        nodes = {i: n for i, n in nodes.items() if i in keep}
        edges = {(lineage.source_id, o) for o in origins if o != lineage.source_id}
    if lineage.source_id not in nodes:  # a source the walk did not return: draw it alone
        return SafeString("")
    columns = _layers(lineage, edges)
    tallest = max(len(c) for c in columns)
    height = PAD * 2 + tallest * NODE_H + (tallest - 1) * V_GAP
    width = PAD * 2 + len(columns) * NODE_W + (len(columns) - 1) * H_GAP
    where: dict[int, tuple[int, int]] = {}
    for col, column in enumerate(columns):
        offset = (tallest - len(column)) * (NODE_H + V_GAP) // 2
        for row, node in enumerate(column):
            where[node] = (PAD + col * (NODE_W + H_GAP), PAD + offset + row * (NODE_H + V_GAP))
    lines = []
    for child, parent in sorted(edges):
        (x1, y1), (x2, y2) = where[child], where[parent]
        x1, y1, x2, y2 = x1 + NODE_W, y1 + NODE_H // 2, x2 - 2, y2 + NODE_H // 2
        bend = max(12, (x2 - x1) // 2)
        lines.append(
            format_html(
                '<path d="M{} {} C{} {}, {} {}, {} {}" fill="none" stroke="{}" stroke-width="1.5"'
                '{} marker-end="url(#{}-arrow)"/>',
                x1,
                y1,
                x1 + bend,
                y1,
                x2 - bend,
                y2,
                x2,
                y2,
                MUTED,
                mark_safe(' stroke-dasharray="3 3"' if collapsed else ""),  # noqa: S308
                uid,
            )
        )
    boxes = []
    for node_id, (x, y) in where.items():
        role = (
            "cited" if node_id == lineage.source_id else "origin" if node_id in origins else "link"
        )
        boxes.append(_node_svg(nodes[node_id], x, y, role=role, shared=node_id in shared_ids))
    cited = nodes[lineage.source_id]
    if origins == {lineage.source_id}:
        desc = f"“{cited.title}” is an origin itself: it rests on no other source in the record."
    else:
        names = "; ".join(f"“{nodes[o].title}”" for o in sorted(origins))
        desc = f"“{cited.title}” rests, through {len(nodes) - 1 + collapsed} source(s), on the origin(s) {names}."
        if collapsed:
            desc += f" {collapsed} intermediate sources are not drawn."
    return format_html(
        '<svg class="provenance-graph" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" aria-labelledby="{uid}-title {uid}-desc">'
        '<title id="{uid}-title">Provenance of “{title}”</title><desc id="{uid}-desc">{desc}</desc>'
        '<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{muted}"/>'
        "</marker></defs>{lines}{boxes}</svg>",
        w=width,
        h=height,
        uid=uid,
        title=cited.title,
        desc=desc,
        muted=MUTED,
        lines=_join(lines),
        boxes=_join(boxes),
    )


def legend_swatches() -> SafeString:
    """The states with their colours and meanings, for a legend (a definition list's items)."""
    return format_html_join(
        "",
        '<div class="legend__item"><dt><span class="state state--{}">{}</span></dt><dd>{}</dd></div>',
        ((s.value, s.label, s.meaning) for s in ConfirmationState),
    )
